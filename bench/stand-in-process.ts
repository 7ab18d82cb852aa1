/**
 * The stand-in API in a child process for benchmarks (so the bench process's CPU and memory are
 * the client's alone): `script` is an ES module run with tsx from the repo root that starts and
 * seeds a stand-in, then prints one JSON line (at least `{ baseUrl, accountId, apiToken }`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** A module specifier of a test/support file, for the child's script. */
export const supportModule = (file: string) => JSON.stringify(join(repoRoot, 'test/support', file));

export function startStandInProcess<T extends object>(
  script: string,
): Promise<T & { readonly child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve({ ...(JSON.parse(line) as T), child });
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited early (${code})`)));
  });
}
