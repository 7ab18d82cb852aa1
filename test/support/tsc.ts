import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `tsc --noEmit -p <tsconfig>` with the repo's TypeScript 5.9; `output` holds the diagnostics. */
export async function typecheckProject(
  tsconfig: string,
  options: { timeoutMs?: number } = {},
): Promise<{ ok: boolean; output: string }> {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  return run(process.execPath, [tsc, '--noEmit', '-p', tsconfig], {
    cwd: repoRoot,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout?: string; stderr?: string; message?: string }) => ({
      ok: false,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}` || (error.message ?? 'tsc failed'),
    }),
  );
}

/**
 * Type-checks `include` (paths relative to `dir`, a directory two levels below the repo root,
 * e.g. `.tmp/<name>`) with the repo's compiler options plus `noUnusedLocals`.
 */
export async function typecheckIn(
  dir: string,
  include: readonly string[],
): Promise<{ ok: boolean; output: string }> {
  const tsconfig = join(dir, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, noUnusedLocals: true },
      include,
    }),
  );
  return typecheckProject(tsconfig, { timeoutMs: 60_000 });
}
