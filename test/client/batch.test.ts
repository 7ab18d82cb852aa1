/**
 * Batch endpoints through the client (`cf.allowPolicies.batch({ patches, posts, … })` and every
 * other batch operation), against the stand-in over real HTTP: arrays not given are sent as `[]`;
 * each array's `maxItems` (read from the spec) is checked before sending; validation and
 * deprecation migration apply inside every item, and a refused item names its index; nothing is
 * sent when the batch is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';
import config from '../../openapi/codegen.config.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import type { BatchAllowPoliciesBody, BatchAllowPoliciesResult } from '../../src/core.js';
import {
  createEmailSecurityClient,
  DeprecationConflictError,
  ValidationError,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

const ROOT = join(import.meta.dirname, '../..');
const spec = JSON.parse(readFileSync(join(ROOT, config.spec), 'utf8')) as OpenApiDocument;

/** Every configured batch operation with its body arrays and their `maxItems`, from the spec. */
const batches = locateOperations(spec)
  .filter(
    (operation) =>
      config.operations.includes(operation.operationId) && /batch/.test(operation.operationId),
  )
  .map((operation) => {
    const body = (
      operation.operation as {
        requestBody: {
          content: {
            'application/json': {
              schema: { properties: Record<string, { maxItems?: number }>; required?: string[] };
            };
          };
        };
      }
    ).requestBody.content['application/json'].schema;
    return {
      operationId: operation.operationId,
      arrays: Object.entries(body.properties).map(([name, rule]) => ({
        name,
        maxItems: rule.maxItems,
      })),
      required: body.required ?? [],
    };
  });
const allowBatch = batches.find((batch) => batch.operationId.includes('allow_policies'));

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = () =>
  createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    maxRetries: 0,
    onDeprecation: () => {},
  });

const sentBody = () => JSON.parse(server.requests.at(-1)?.bodyText ?? 'null') as unknown;

const NEW_POLICY = {
  is_acceptable_sender: false,
  is_exempt_recipient: false,
  is_regex: false,
  is_trusted_sender: true,
  pattern: 'new@example.com',
  pattern_type: 'EMAIL',
  verify_sender: true,
} as const;

describe('the spec has batch operations with bounded arrays', () => {
  test('found in the configuration, every array with maxItems', () => {
    expect(batches.length).toBeGreaterThan(0);
    expect(allowBatch).toBeDefined();
    for (const batch of batches) {
      for (const array of batch.arrays) expect(array.maxItems, array.name).toBeTypeOf('number');
    }
  });
});

describe('cf.allowPolicies.batch against the stand-in', () => {
  test('arrays not given are sent as []; the created policy is in the store', async () => {
    const result = await client().allowPolicies.batch({ posts: [NEW_POLICY] });
    expect(sentBody()).toEqual({ deletes: [], patches: [], posts: [NEW_POLICY], puts: [] });
    expect(result.posts?.[0]).toMatchObject({ pattern: 'new@example.com' });
    expect([...server.policies.values()].map((policy) => policy.pattern)).toEqual([
      'new@example.com',
    ]);
    expectTypeOf(result).toEqualTypeOf<BatchAllowPoliciesResult>();
  });

  test.each([
    {
      name: 'a deprecated field in a patches item is sent as its replacement',
      given: { is_sender: true },
      want: { is_trusted_sender: true },
      stored: { is_trusted_sender: true },
    },
    {
      name: 'the deprecated name beside its replacement with the same value is dropped',
      given: { is_spoof: true, is_acceptable_sender: true },
      want: { is_acceptable_sender: true },
      stored: { is_acceptable_sender: true },
    },
    {
      name: 'a current field is sent as given',
      given: { comments: 'batched' },
      want: { comments: 'batched' },
      stored: { comments: 'batched' },
    },
  ])('$name', async ({ given, want, stored }) => {
    const policy = server.seedPolicy({ is_trusted_sender: false, is_acceptable_sender: false });
    const events: unknown[] = [];
    const cf = createEmailSecurityClient({
      baseUrl: server.baseUrl,
      accountId: server.accountId,
      auth: { apiToken: server.apiToken },
      maxRetries: 0,
      onDeprecation: (event) => events.push(event),
    });
    await cf.allowPolicies.batch({ patches: [{ id: policy.id, ...given }] });
    expect(sentBody()).toEqual({
      deletes: [],
      patches: [{ id: policy.id, ...want }],
      posts: [],
      puts: [],
    });
    expect(server.policies.get(policy.id)).toMatchObject(stored);
    if (Object.keys(given).some((field) => !(field in want))) {
      expect(events).toEqual([
        expect.objectContaining({ message: expect.stringContaining('in body.patches[0]') }),
      ]);
    }
  });

  test('migration applies in every array and every item (posts and puts too)', async () => {
    const policy = server.seedPolicy();
    const { is_trusted_sender: _, ...rest } = NEW_POLICY;
    // Typed callers cannot leave the replacement out; code from before the deprecation can.
    const legacy = {
      posts: [{ ...rest, is_sender: true }],
      puts: [{ ...rest, id: policy.id, is_sender: true }],
    } as unknown as BatchAllowPoliciesBody;
    await client().allowPolicies.batch(legacy);
    const body = sentBody() as { posts: object[]; puts: object[] };
    expect(body.posts).toEqual([{ ...rest, is_trusted_sender: true }]);
    expect(body.puts).toEqual([{ ...rest, id: policy.id, is_trusted_sender: true }]);
  });

  test('a conflicting item refuses the whole batch, names its index, sends nothing', async () => {
    const seeded = [0, 1, 2, 3].map(() => server.seedPolicy());
    const patches = seeded.map((policy) => ({ id: policy.id, comments: 'x' }));
    const conflicting = [
      ...patches.slice(0, 3),
      { id: seeded[3]?.id as string, is_sender: true, is_trusted_sender: false },
    ];
    const error = await client()
      .allowPolicies.batch({ patches: conflicting })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeprecationConflictError);
    expect(error).toMatchObject({
      at: 'body.patches[3]',
      field: 'is_sender',
      replacement: 'is_trusted_sender',
    });
    expect((error as Error).message).toMatch(/^POST .*batch.*body\.patches\[3\]: "is_sender"/s);
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    {
      name: 'an unknown field in an item',
      given: {
        patches: [
          { id: '', comments: 'x' },
          { id: '', patern: 'a' },
        ],
      },
      want: { at: 'body.patches[1].patern', message: /did you mean "pattern"/ },
    },
    {
      name: 'a missing required field in an item',
      given: { posts: [{ pattern: 'a@example.com' }] },
      want: { at: 'body.posts[0].pattern_type', message: /is required/ },
    },
    {
      name: 'a read-only field in an item',
      given: { puts: [{ id: '', created_at: '2026-01-01' }] },
      want: { at: 'body.puts[0].created_at', message: /read-only/ },
    },
    {
      name: 'a value that breaks its rule in an item',
      given: { patches: [{ id: 'not-a-uuid', pattern_type: 'UNKNOWN' }] },
      want: { at: 'body.patches[0].pattern_type', message: /UNKNOWN is deprecated/ },
    },
    {
      name: 'an item that is not an object',
      given: { deletes: ['f174e90a-fafe-4643-bbbc-4a0ed4fc8415'] },
      want: { at: 'body.deletes[0]', message: /must be an object/ },
    },
  ])('$name is refused before sending', async ({ given, want }) => {
    const seeded = server.seedPolicy();
    const withIds = JSON.parse(JSON.stringify(given).replaceAll('"id":""', `"id":"${seeded.id}"`));
    const error = await client()
      .allowPolicies.batch(withIds)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues.find((entry) => entry.at === want.at);
    expect(issue?.message).toMatch(want.message);
    expect(server.requests).toHaveLength(0);
  });
});

describe("each batch array's maxItems (from the spec) is checked before sending", () => {
  const cases = batches.flatMap((batch) =>
    batch.arrays.map((array) => ({
      operationId: batch.operationId,
      array: array.name,
      maxItems: array.maxItems as number,
    })),
  );
  test.each(cases)(
    '$operationId: $array over $maxItems is refused',
    async ({ operationId, array, maxItems }) => {
      const items = Array.from({ length: maxItems + 1 }, () => ({
        id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
      }));
      const call = client().call as unknown as (id: string, input: unknown) => Promise<unknown>;
      const error = await call(operationId, { body: { [array]: items } }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toContainEqual({
        at: `body.${array}`,
        message: `has ${maxItems + 1} items; at most ${maxItems} are accepted per request; split it`,
      });
      expect(server.requests).toHaveLength(0);
    },
  );

  test('allow policies: exactly maxItems deletes are sent (the stand-in answers)', async () => {
    const deletes = allowBatch?.arrays.find((array) => array.name === 'deletes');
    const policies = Array.from({ length: deletes?.maxItems as number }, () => server.seedPolicy());
    const result = await client().allowPolicies.batch({
      deletes: policies.map((policy) => ({ id: policy.id })),
    });
    expect(result.deletes).toHaveLength(policies.length);
    expect(server.policies.size).toBe(0);
  });
});

describe('the batch result through the response shim', () => {
  test('an API without modified_at: each item of every result array gets it from last_modified', async () => {
    const legacy = await startStandInServer({ legacyResponse: true });
    try {
      const policy = legacy.seedPolicy();
      const events: { field: string | null; action: string }[] = [];
      const cf = createEmailSecurityClient({
        baseUrl: legacy.baseUrl,
        accountId: legacy.accountId,
        auth: { apiToken: legacy.apiToken },
        maxRetries: 0,
        onDeprecation: (event) => events.push(event),
      });
      const result = await cf.allowPolicies.batch({
        patches: [{ id: policy.id, comments: 'x' }],
        posts: [NEW_POLICY],
      });
      const sent = JSON.parse(legacy.requests.at(-1)?.bodyText ?? '{}') as object;
      expect(sent).toMatchObject({ patches: [{ id: policy.id }] });
      for (const item of [...(result.patches ?? []), ...(result.posts ?? [])]) {
        expect(item.modified_at).toBe(item.last_modified);
      }
      expect(events.filter((event) => event.action === 'filled')).toHaveLength(1);
    } finally {
      await legacy.close();
    }
  });
});
