/**
 * Goldens of the generator's output for small fixture specs (`fixtures/`), one per concept:
 * read-only properties through `allOf`, deprecations with dates, enum values forbidden on write,
 * security alternatives, query/header/overridden parameters. Every operation of a fixture is
 * wrapped, so the goldens do not depend on `openapi/codegen.config.ts`; `generated/` itself is
 * pinned by `npm run generate -- --check` in CI.
 *
 * Refresh on purpose and review the diff: `npx vitest run test/generator/golden.test.ts -u`.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { typecheckProject } from '../support/tsc.js';
import { ROOT, repoTempDir, SPEC_PATH } from './helpers.js';

const FIXTURE_DIR = join(ROOT, 'test', 'generator', 'fixtures');
const FILES = ['deprecations.md', 'operations.ts', 'schema.ts'] as const;

const fixtureFiles = (await readdir(FIXTURE_DIR))
  .filter((name) => /\.(?:json|ya?ml)$/.test(name))
  .sort();
const fixtures = fixtureFiles.map((file) => ({ file, name: basename(file, extname(file)) }));

/** `[fixture, generated file, golden path relative to test/generator]`, for the test titles. */
const cases = fixtures.flatMap(({ name }) =>
  FILES.map((file) => [name, file, `__golden__/${name}/${file}.golden`] as const),
);

/** Uses several generated wrappers of the vendored spec the way src/ would (no body, query params, required body fields). */
const USAGE = `import type { Client } from 'openapi-fetch';
import { createAllowPolicy, getAllowPolicy, listAllowPolicies, operationRegistry, updateAllowPolicy, type OperationTypes } from './generated/operations.js';
import type { paths } from './generated/schema.js';

declare const client: Client<paths>;
const path = { account_id: 'a', policy_id: 'b' };
export async function use() {
  const got = await getAllowPolicy(client, { path });
  const id: string | undefined = got.data?.result?.id;
  await listAllowPolicies(client, { path: { account_id: 'a' }, query: { page: 2, pattern_type: 'EMAIL' } });
  await listAllowPolicies(client, { path: { account_id: 'a' } });
  // @ts-expect-error page is an integer
  await listAllowPolicies(client, { path: { account_id: 'a' }, query: { page: 'two' } });
  await createAllowPolicy(client, { path: { account_id: 'a' }, body: { is_acceptable_sender: false, is_exempt_recipient: false, is_regex: false, is_trusted_sender: true, pattern: 'x@example.com', pattern_type: 'EMAIL', verify_sender: true } });
  // @ts-expect-error pattern is required when creating
  await createAllowPolicy(client, { path: { account_id: 'a' }, body: { is_regex: false } });
  await updateAllowPolicy(client, { path, body: { comments: null } });
  const names: (keyof OperationTypes)[] = Object.keys(operationRegistry) as (keyof OperationTypes)[];
  return [id, names];
}
`;

let workDir: string;

/** Every operationId of a spec file, in document order. */
async function operationIdsOf(specPath: string): Promise<string[]> {
  const document = validateDocument((await loadDocument(specPath)).document, specPath);
  return locateOperations(document).map((entry) => entry.operationId);
}

beforeAll(async () => {
  workDir = await repoTempDir('golden');
  // Each fixture's files go to <workDir>/<fixture>/ and import ../src/metadata.js and
  // ../src/resources.js (and, through it, the client's types): src/ is copied there.
  await cp(join(ROOT, 'src'), join(workDir, 'src'), { recursive: true });
  // src/migrate/ imports the audit rules beside the codegen config.
  await cp(
    join(ROOT, 'openapi', 'allow-policy-audit.ts'),
    join(workDir, 'openapi', 'allow-policy-audit.ts'),
  );
  for (const { file, name } of fixtures) {
    const specPath = join(FIXTURE_DIR, file);
    await runGenerate({
      specPath,
      outDir: join(workDir, name),
      operations: await operationIdsOf(specPath),
      operationIdPrefix: '',
      rootDir: ROOT,
      metadataImport: '../src/metadata.js',
      useCache: false,
    });
  }
}, 60_000);

describe('goldens of the fixture specs (refresh with -u)', () => {
  test('there is a fixture per concept', () => {
    expect(fixtures.map((fixture) => fixture.name)).toEqual([
      'deprecations',
      'enum-forbidden-on-write',
      'query-params',
      'read-only-allof',
      'security-alternatives',
    ]);
  });

  test.each(cases)('%s: %s matches %s', async (fixture, file, golden) => {
    const contents = await readFile(join(workDir, fixture, file), 'utf8');
    await expect(contents).toMatchFileSnapshot(join(ROOT, 'test', 'generator', golden));
  });
});

describe('type-checking with tsc --noEmit', () => {
  test('the fixtures and a generation of every operation of the vendored spec type-check, and their wrappers are usable', async () => {
    const raw = JSON.parse(await readFile(SPEC_PATH, 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: unknown }>>;
    };
    const inSpec = Object.values(raw.paths).flatMap((item) =>
      Object.values(item).filter((entry) => typeof entry?.operationId === 'string'),
    ).length;
    const all = await operationIdsOf(SPEC_PATH);
    expect(all).toHaveLength(inSpec);
    await runGenerate({
      specPath: SPEC_PATH,
      outDir: join(workDir, 'generated'),
      operations: all,
      rootDir: ROOT,
      useCache: false,
    });
    await writeFile(join(workDir, 'usage.ts'), USAGE);
    await writeFile(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: true },
        include: [
          ...fixtures.map((fixture) => fixture.name),
          'src',
          'generated',
          'openapi',
          'usage.ts',
        ],
      }),
    );
    const result = await typecheckProject(join(workDir, 'tsconfig.json'), { timeoutMs: 60_000 });
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 90_000);
});
