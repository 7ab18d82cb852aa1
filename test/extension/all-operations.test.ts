/**
 * "A new operation is a config line", taken to the limit: in a temporary copy of the repo, put
 * EVERY operationId of the vendored spec into `openapi/codegen.config.ts`, run `npm run generate`,
 * type-check the whole copy and run there the suites that depend on which operations are
 * configured (generator CLI, client, deprecations, README examples, end-to-end).
 * Nothing else is changed: they must pass as they do with the shipped config.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { removeDir, repoRoot, runCommand } from '../package/packed-package.js';
import { addOperationsToConfig, createRepoCopy, snapshotTree } from './repo-copy.js';

const CONFIG_FILE = join('openapi', 'codegen.config.ts');
const SPEC_FILE = join('openapi', 'cloudflare-email-security.openapi.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The suites whose subject is what `generated/` wraps (the rest do not read the config). */
const CONFIG_DEPENDENT_SUITES = [
  'test/generator/cli.test.ts',
  'test/generator/operations-declaration.test.ts',
  'test/generator/readme-section.test.ts',
  'test/client',
  'test/deprecations',
  'test/docs/code-blocks.test.ts',
  'test/e2e',
  'test/contract/patches.test.ts',
  'test/extension/extension-points.test.ts',
];

const specPath = join(repoRoot, SPEC_FILE);
const everyOperation = locateOperations(
  validateDocument((await loadDocument(specPath)).document, specPath),
).map((entry) => entry.operationId);

/** Only what a shell has: no VITEST_* variables of this run leak into the nested one. */
const env = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', NO_COLOR: '1' };

let copyDir: string | undefined;

function copy(): string {
  if (!copyDir) throw new Error('beforeAll did not finish (see above)');
  return copyDir;
}

beforeAll(() => {
  copyDir = createRepoCopy(['test', 'vitest.config.ts', 'README.md', 'ARCHITECTURE.md']);
  const configPath = join(copyDir, CONFIG_FILE);
  writeFileSync(
    configPath,
    addOperationsToConfig(readFileSync(configPath, 'utf8'), everyOperation),
  );
});

afterAll(() => removeDir(copyDir));

describe('every operation of the spec in openapi/codegen.config.ts', () => {
  test('npm run generate wraps each of them', async () => {
    const { stdout } = await runCommand(npm, ['run', 'generate', '--silent'], {
      cwd: copy(),
      env,
      timeoutMs: 180_000,
    });
    expect(stdout).toMatch(new RegExp(`^${everyOperation.length} operations, `, 'm'));
    const operations = readFileSync(join(copy(), 'generated', 'operations.ts'), 'utf8');
    for (const id of everyOperation) expect(operations).toContain(`operationId: '${id}',`);
  }, 180_000);

  test('the whole copy type-checks (src, generated, scripts, test)', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await runCommand(
      process.execPath,
      [tsc, '--noEmit', '-p', '.', '--pretty', 'false'],
      {
        cwd: copy(),
        env,
        timeoutMs: 180_000,
      },
    );
    expect(stdout).toBe('');
  }, 180_000);

  test('the config-dependent suites pass there, unchanged', async () => {
    const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout } = await runCommand(
      process.execPath,
      // Type tests are covered by the tsc run above (vitest's would share its tsbuildinfo with this run).
      [vitest, 'run', '--reporter=dot', '--typecheck.enabled=false', ...CONFIG_DEPENDENT_SUITES],
      { cwd: copy(), env, timeoutMs: 450_000 },
    );
    const summary = stripVTControlCharacters(stdout);
    expect(summary).toMatch(/Tests\s+\d+ passed/);
    expect(summary).not.toMatch(/\d+ failed/);
    // Nothing but the config (and generated/) differs from the repo.
    expect(snapshotTree(join(copy(), 'src'))).toEqual(snapshotTree(join(repoRoot, 'src')));
    expect(snapshotTree(join(copy(), 'test'))).toEqual(snapshotTree(join(repoRoot, 'test')));
  }, 480_000);
});
