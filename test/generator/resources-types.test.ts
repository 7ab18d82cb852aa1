/**
 * The emitted resource-method types of a generation of every operation in the vendored spec,
 * used the way a client user would (type-checked with tsc): positional ids, optional query,
 * required bodies, options, withResponse.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { typecheckIn } from '../support/tsc.js';
import { ROOT, repoTempDir, SPEC_PATH, specCopy } from './helpers.js';

const USAGE = `import type { Resources } from './all/operations.js';

declare const cf: Resources;
declare const id: string;
export async function use() {
  const policies = await cf.allowPolicies.list({ page: 2, pattern_type: 'EMAIL' });
  await cf.allowPolicies.list();
  await cf.allowPolicies.list(undefined, { timeoutMs: 5 });
  // @ts-expect-error page is an integer
  await cf.allowPolicies.list({ page: 'two' });
  // A paged list: awaited, its first page; for await, every policy (src/pagination.ts).
  const first = policies.items[0];
  const total: number | undefined = policies.resultInfo.total_count;
  for await (const policy of cf.allowPolicies.list({ per_page: 100 })) policy.id satisfies string;
  if (first) await cf.allowPolicies.delete(first.id);
  const one = await cf.allowPolicies.get(id, { maxRetries: 0 });
  const created = await cf.allowPolicies.create({ is_acceptable_sender: false, is_exempt_recipient: false, is_regex: false, is_trusted_sender: true, pattern: 'x@example.com', pattern_type: 'EMAIL', verify_sender: true });
  // @ts-expect-error pattern is required when creating
  await cf.allowPolicies.create({ is_regex: false });
  await cf.allowPolicies.batch({ deletes: [{ id: created.id }], patches: [], posts: [], puts: [] });
  await cf.allowPolicies.update(one.id, { comments: null });
  // @ts-expect-error a pattern where the policy id belongs
  await cf.allowPolicies.get('ceo@example.com');
  // @ts-expect-error get takes no body (the second argument is the options)
  await cf.allowPolicies.get(id, { pattern: 'x' });
  await cf.blockSenders.update(id, { comments: 'x' });
  await cf.domains.list();
  await cf.domains.delete(id);
  await cf.impersonationRegistry.get(id);
  await cf.sendingDomainRestrictions.list({ per_page: 10 });
  await cf.trustedDomains.delete.withResponse(id);
  const full = await cf.allowPolicies.get.withResponse(id);
  const ray: string | null = full.cfRay;
  // @ts-expect-error the spec has no create for domains
  cf.domains.create;
  return [ray, one.id, total];
}
`;

test('a generation of every operation gives typed resource methods', async () => {
  const dir = await repoTempDir('resources-types');
  const spec = validateDocument(await specCopy(), SPEC_PATH);
  await runGenerate({
    specPath: SPEC_PATH,
    outDir: join(dir, 'all'),
    operations: locateOperations(spec).map((entry) => entry.operationId),
    rootDir: ROOT,
    useCache: false,
  });
  await writeFile(join(dir, 'usage.ts'), USAGE);
  const result = await typecheckIn(dir, ['all', 'usage.ts']);
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 90_000);
