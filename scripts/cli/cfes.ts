/**
 * The `cfes` bin: `npx cfes generate …` generates an operation registry for
 * `createEmailSecurityClient({ operations })` into a consumer's repository from any Cloudflare
 * OpenAPI document (scripts/cli/run.ts); `cfes audit | migrate | restore` find and fix the
 * account's allow policies that rely on deprecated fields (scripts/cli/account.ts). Built by
 * scripts/build.ts into dist/cli.js (plain Node, no tsx); see `cfes --help`.
 */
import { readFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { isTypeScriptWorker, serveTypeScriptWorker } from '../codegen/typescript-worker.js';
import { isAccountCommand, runAccountCommand } from './account.js';
import { runCfes } from './run.js';

/** The package's own name, from the package.json beside dist/ (or the repo root under tsx). */
function packageName(): string {
  const manifest = new URL('../package.json', import.meta.url);
  const fallback = new URL('../../package.json', import.meta.url);
  for (const url of [manifest, fallback]) {
    try {
      const { name } = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown };
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // try the next location
    }
  }
  throw new Error('cfes: cannot find the package.json of its package (a broken install?).');
}

// Node ≥ 22.1 keeps the compiled code of the generator's dependencies (TypeScript, in the
// TypeScript worker) between runs, as TypeScript's own bin does; a no-op on older Node.
// `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const io = {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
  };
  if (isAccountCommand(argv[0])) {
    return runAccountCommand(argv, io, { stderrIsTTY: process.stderr.isTTY === true });
  }
  // The built bin (dist/cli.js) emits the TypeScript files in a worker thread started from
  // itself. From the TypeScript source (under tsx, whose hooks a worker thread does not get on
  // Node 20) it emits them in this thread.
  const self = new URL(import.meta.url);
  const typescriptWorker = self.pathname.endsWith('.js') ? self : undefined;
  return runCfes(argv, io, { packageName: packageName(), typescriptWorker });
}

if (isTypeScriptWorker()) serveTypeScriptWorker();
else process.exitCode = await main();
