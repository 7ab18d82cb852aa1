/**
 * The `cfes` bin (`npx cfes generate …`): generates an operation registry for
 * `createEmailSecurityClient({ operations })` into a consumer's repository from any Cloudflare
 * OpenAPI document. Built by scripts/build.ts into dist/cli.js (plain Node, no tsx); see
 * `cfes --help` and scripts/cli/run.ts.
 */
import { readFileSync } from 'node:fs';
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

process.exitCode = await runCfes(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
  { packageName: packageName() },
);
