/**
 * The generator and the runtime hold for any configured set of operations, not only the shipped
 * one (every operation of the vendored spec): in a temporary copy of the repo,
 * `openapi/codegen.config.ts` gets a SMALLER set, `npm run generate` wraps exactly that, the copy
 * type-checks, and the suites that depend on which operations are configured pass there
 * unchanged, because they read the config (or the registry generated from it) instead of assuming
 * an operation is there.
 *
 * The smaller set: `email_security_update_allow_policy` (the heart of the package) plus the
 * operations the package's own code imports from generated/operations.ts by name (src/migrate
 * works on allow policies), read from src/ itself. Suites about operations outside that set (the
 * create/delete lifecycle) are left out of the copy's run, by the operations they need.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operationRegistry } from '../../generated/operations.js';
import { removeDir, repoRoot, runCommand } from '../package/packed-package.js';
import {
  configOperations,
  createRepoCopy,
  setConfigOperations,
  snapshotTree,
} from './repo-copy.js';

const CONFIG_FILE = join('openapi', 'codegen.config.ts');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const HEART = 'email_security_update_allow_policy';

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
  'test/contract/every-operation.test.ts',
  'test/extension/extension-points.test.ts',
];

/** Suites about particular operations: run only when all of them are configured. */
const SUITES_NEEDING = {
  'test/client/lifecycle.test.ts': [
    'email_security_create_allow_policy',
    'email_security_delete_allow_policy',
  ],
} as const;

const shipped = configOperations(readFileSync(join(repoRoot, CONFIG_FILE), 'utf8'));

/** The operations src/ imports from generated/operations.ts by name (`<functionName>Metadata`, `…Operation`). */
function operationsSrcImports(): string[] {
  const imported = new Set<string>();
  const files = readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' });
  for (const file of files.filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(join(repoRoot, 'src', file), 'utf8');
    for (const match of source.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(?:\.\.\/)+generated\/operations\.js'/g,
    )) {
      for (const name of (match[1] as string).split(','))
        imported.add(name.trim().replace(/^type\s+/, ''));
    }
  }
  return Object.values(operationRegistry)
    .map((entry) => entry.metadata)
    .filter((metadata) =>
      ['Metadata', 'Operation'].some((suffix) => imported.has(`${metadata.functionName}${suffix}`)),
    )
    .map((metadata) => metadata.operationId);
}

const subset = [...new Set([HEART, ...operationsSrcImports()])].sort();
const left = Object.entries(SUITES_NEEDING)
  .filter(([, needed]) => needed.some((id) => !subset.includes(id)))
  .map(([suite]) => suite);

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
  writeFileSync(configPath, setConfigOperations(readFileSync(configPath, 'utf8'), subset));
  // Type-check what the copy runs: src, generated, scripts and the suites (bench/ is not copied;
  // suites left out above would not compile without their operations).
  const tsconfig = {
    extends: './tsconfig.json',
    include: [
      'src',
      'generated',
      'scripts',
      'openapi/*.ts',
      'vitest.config.ts',
      ...CONFIG_DEPENDENT_SUITES,
    ],
    exclude: left,
  };
  writeFileSync(join(copyDir, 'tsconfig.subset.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
});

afterAll(() => removeDir(copyDir));

describe('a smaller set of operations in openapi/codegen.config.ts', () => {
  test('the set is smaller than the shipped one and has the update', () => {
    expect(subset).toContain(HEART);
    expect(subset.length).toBeLessThan(shipped.length);
    expect(subset.every((id) => shipped.includes(id))).toBe(true);
  });

  test('npm run generate wraps exactly those', async () => {
    const { stdout } = await runCommand(npm, ['run', 'generate', '--silent'], {
      cwd: copy(),
      env,
      timeoutMs: 180_000,
    });
    expect(stdout).toMatch(new RegExp(`^${subset.length} operations, `, 'm'));
    const operations = readFileSync(join(copy(), 'generated', 'operations.ts'), 'utf8');
    const wrapped = shipped.filter((id) => operations.includes(`operationId: '${id}',`));
    expect(wrapped.sort()).toEqual(subset);
  }, 180_000);

  test('the copy type-checks (src, generated, scripts and the suites it runs)', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await runCommand(
      process.execPath,
      [tsc, '--noEmit', '-p', 'tsconfig.subset.json', '--pretty', 'false'],
      { cwd: copy(), env, timeoutMs: 180_000 },
    );
    expect(stdout).toBe('');
  }, 180_000);

  test('the config-dependent suites pass there, unchanged', async () => {
    const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const excluded = left.flatMap((suite) => ['--exclude', suite]);
    const { stdout } = await runCommand(
      process.execPath,
      // Type tests are covered by the tsc run above (vitest's would share its tsbuildinfo with this run).
      [
        vitest,
        'run',
        '--reporter=dot',
        '--typecheck.enabled=false',
        ...excluded,
        ...CONFIG_DEPENDENT_SUITES,
      ],
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
