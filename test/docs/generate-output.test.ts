/**
 * Quick start promises that `npm run generate` "prints a short summary". With every operation of
 * the spec configured (in a temporary copy of the repo), the default output stays a few short
 * lines: the source, one line per generated file, the counts and the outcome. `--verbose` lists
 * every operation and deprecation, one per line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { addOperationsToConfig, createRepoCopy } from '../extension/repo-copy.js';
import { SPEC_PATH, specCopy } from '../generator/helpers.js';
import { removeDir, runCommand } from '../package/packed-package.js';

const CONFIG_FILE = join('openapi', 'codegen.config.ts');
/** Every default line is short, whatever the number of operations. */
const MAX_LINE = 100;

let copyDir: string | undefined;
let operations: { operationId: string; path: string; method: string }[] = [];

function generate(...args: string[]) {
  if (!copyDir) throw new Error('beforeAll did not create the repo copy');
  return runCommand(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], {
    cwd: copyDir,
    timeoutMs: 120_000,
  });
}

beforeAll(async () => {
  operations = locateOperations(validateDocument(await specCopy(), SPEC_PATH));
  copyDir = createRepoCopy();
  const configPath = join(copyDir, CONFIG_FILE);
  const ids = operations.map((operation) => operation.operationId);
  writeFileSync(configPath, addOperationsToConfig(readFileSync(configPath, 'utf8'), ids));
}, 60_000);

afterAll(() => removeDir(copyDir));

describe('npm run generate with every operation of the spec configured', () => {
  test('prints one line per file and the counts, not one line of every operation', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const { stdout, stderr } = await generate();
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^generated\/ from openapi\/\S+ \(sha256 [0-9a-f]{12}…\)$/);
    // The shipped config already lists every operation; a copy may still rewrite a file.
    expect(lines.slice(1, -2)).toEqual([
      expect.stringMatching(/^ {2}deprecations\.md {2}(written|unchanged)$/),
      expect.stringMatching(/^ {2}operations\.ts {4}(written|unchanged)$/),
      expect.stringMatching(/^ {2}schema\.ts {8}(written|unchanged)$/),
    ]);
    expect(lines.at(-2)).toMatch(
      new RegExp(
        `^${operations.length} operations, \\d+ deprecations in the spec \\(\\d+ past end of life\\); --verbose lists them$`,
      ),
    );
    expect(lines.at(-1)).toMatch(/^(wrote [1-3] files?|up to date \(no changes\)) in \d+ ms$/);
    expect(lines.filter((line) => line.length > MAX_LINE)).toEqual([]);
    expect(stdout).not.toContain(operations[0]?.path);
  }, 120_000);

  test('--verbose lists every operation and deprecation on its own line', async () => {
    const { stdout, stderr } = await generate('--verbose');
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    for (const { method, path } of operations) {
      expect(
        lines.filter((line) => line.startsWith(`  ${method.toUpperCase()} ${path} (`)),
      ).toHaveLength(1);
    }
    const listed = lines.slice(lines.indexOf('deprecations:') + 1, -1);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((line) => !/^ {2}\S/.test(line) || line.includes('; '))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^up to date \(no changes, inputs unchanged\) in \d+ ms$/);
  }, 120_000);
});
