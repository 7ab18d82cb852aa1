import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { listOperations } from '../../scripts/codegen/operations.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { typecheckProject } from '../support/tsc.js';
import { ROOT, repoTempDir, SPEC_PATH, specCopy, UPDATE_OPERATION } from './helpers.js';

const GOLDEN_DIR = join(ROOT, 'test', 'generator', '__golden__');
const FILES = ['deprecations.md', 'operations.ts', 'schema.ts'];
const UPDATE_GOLDENS = process.env.UPDATE_GOLDENS === '1';

/** Uses several generated wrappers the way src/ would (no body, query params, required body fields). */
const USAGE = `import type { Client } from 'openapi-fetch';
import { createAllowPolicy, getAllowPolicy, listAllowPolicies, operationRegistry, updateAllowPolicy, type OperationTypes } from './all/operations.js';
import type { paths } from './all/schema.js';

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

let goldenOut: string;
let workDir: string;

beforeAll(async () => {
  workDir = await repoTempDir('golden');
  goldenOut = join(workDir, 'generated');
  // Same bytes as generated/: the metadata import is spelled as from generated/.
  await runGenerate({
    specPath: SPEC_PATH,
    outDir: goldenOut,
    operations: [UPDATE_OPERATION],
    rootDir: ROOT,
    metadataImport: '../src/metadata.js',
    useCache: false,
  });
  if (UPDATE_GOLDENS) {
    await mkdir(GOLDEN_DIR, { recursive: true });
    for (const file of FILES)
      await copyFile(join(goldenOut, file), join(GOLDEN_DIR, `${file}.golden`));
  }
});

describe('golden files (refresh with UPDATE_GOLDENS=1)', () => {
  test.each(FILES)('%s matches __golden__/%s.golden', async (file) => {
    const golden = await readFile(join(GOLDEN_DIR, `${file}.golden`), 'utf8').catch(() => {
      throw new Error(
        `Missing golden ${file}.golden: run UPDATE_GOLDENS=1 npx vitest run test/generator/golden.test.ts`,
      );
    });
    expect(await readFile(join(goldenOut, file), 'utf8')).toBe(golden);
  });

  test('generated/ matches the goldens (it is current)', async () => {
    for (const file of FILES) {
      expect(await readFile(join(ROOT, 'generated', file), 'utf8'), file).toBe(
        await readFile(join(GOLDEN_DIR, `${file}.golden`), 'utf8'),
      );
    }
  });
});

describe('type-checking with tsc --noEmit', () => {
  test('the goldens and a generation of all 33 operations type-check, and their wrappers are usable', async () => {
    const spec = validateDocument(await specCopy(), SPEC_PATH);
    const all = listOperations(spec).map((entry) => entry.operationId);
    expect(all).toHaveLength(33);
    await runGenerate({
      specPath: SPEC_PATH,
      outDir: join(workDir, 'all'),
      operations: all,
      rootDir: ROOT,
      useCache: false,
    });
    await mkdir(join(workDir, 'golden', 'generated'), { recursive: true });
    await mkdir(join(workDir, 'golden', 'src'), { recursive: true });
    for (const file of FILES.filter((name) => name.endsWith('.ts'))) {
      await copyFile(
        join(GOLDEN_DIR, `${file}.golden`),
        join(workDir, 'golden', 'generated', file),
      );
    }
    // The emitted types import src/metadata.ts and src/resources.ts (and, through it, the client's types).
    await cp(join(ROOT, 'src'), join(workDir, 'golden', 'src'), { recursive: true });
    await writeFile(join(workDir, 'usage.ts'), USAGE);
    await writeFile(
      join(workDir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: true },
        include: ['golden', 'all', 'usage.ts'],
      }),
    );
    const result = await typecheckProject(join(workDir, 'tsconfig.json'), { timeoutMs: 60_000 });
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 90_000);
});
