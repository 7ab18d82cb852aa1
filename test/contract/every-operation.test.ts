/**
 * Every configured operation (openapi/codegen.config.ts) called through its resource method
 * against Prism 5.14.2, which validates each request (parameters, body, security) against the
 * vendored spec. Inputs are built from the generated metadata alone
 * (test/support/inputs-from-spec.ts), so an operation added to the config is covered without a
 * change here. Each call must be answered 2xx with no `sl-violations`, and its result must have
 * the shape the spec declares (`resultRule`: object or array; a paged list gives items and
 * `resultInfo`). The thin wrappers (openapi-fetch, no client runtime) get the same inputs.
 */
import createFetchClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as generated from '../../generated/operations.js';
import { batchAllowPolicies, operationRegistry } from '../../generated/operations.js';
import type { paths } from '../../generated/schema.js';
import config from '../../openapi/codegen.config.js';
import { createEmailSecurityClient } from '../../src/index.js';
import type { OperationMetadata } from '../../src/metadata.js';
import { exampleInput } from '../support/inputs-from-spec.js';
import { type PrismServer, startPrism } from '../support/prism.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';

interface Answer {
  readonly status: number;
  readonly violations: string | null;
}

let prism: PrismServer;
const answers: Answer[] = [];

beforeAll(async () => {
  prism = await startPrism();
}, 60_000);
afterAll(async () => {
  await prism?.close();
});

const client = () =>
  createEmailSecurityClient({
    accountId: ACCOUNT,
    auth: { apiToken: 'contract-test-token-0123456789' },
    baseUrl: prism.baseUrl,
    maxRetries: 0,
    onDeprecation: () => {},
    fetch: async (request, init) => {
      const response = await fetch(request, init);
      answers.push({ status: response.status, violations: response.headers.get('sl-violations') });
      return response;
    },
  });

const operations = Object.values(operationRegistry).map(
  (entry) => entry.metadata as OperationMetadata,
);

/** `(...positional ids, body or query?)`: the resource method's arguments for an input. */
function methodArguments(metadata: OperationMetadata): unknown[] {
  const input = exampleInput(metadata);
  const resource = metadata.resource;
  if (!resource) throw new Error(`${metadata.operationId} has no resource method`);
  const ids = resource.positional.map((name) => input.path?.[name]);
  if (resource.input === null) return ids;
  return [...ids, resource.input === 'body' ? input.body : (input.query ?? {})];
}

type Method = (...args: unknown[]) => PromiseLike<unknown>;

describe('the registry is the configured set', () => {
  test('every configured operationId has a registry entry, and no other', () => {
    expect(operations.map((metadata) => metadata.operationId).sort()).toEqual(
      [...config.operations].sort(),
    );
  });
});

describe('every operation through its resource method passes Prism', () => {
  test.each(operations.map((metadata) => [metadata.operationId, metadata] as const))(
    '%s',
    async (_, metadata) => {
      const resource = metadata.resource;
      expect(resource, 'resource method').toBeDefined();
      const cf = client() as unknown as Record<string, Record<string, Method>>;
      const method = cf[resource?.name ?? '']?.[resource?.method ?? ''];
      expect(method, `client.${resource?.name}.${resource?.method}`).toBeTypeOf('function');
      const before = answers.length;
      const result = await method?.(...methodArguments(metadata));
      expect(answers.slice(before)).toEqual([
        {
          status: expect.toSatisfy((status: number) => status >= 200 && status < 300),
          violations: null,
        },
      ]);
      if (metadata.pagination) {
        const page = result as { items: unknown; resultInfo: Record<string, unknown> };
        expect(Array.isArray(page.items)).toBe(true);
        expect(Object.keys(page.resultInfo)).toEqual(
          expect.arrayContaining(Object.values(metadata.pagination.info)),
        );
      } else if (metadata.resultRule?.type === 'array') {
        expect(Array.isArray(result)).toBe(true);
      } else if (metadata.resultRule?.type === 'object') {
        expect(result).toBeTypeOf('object');
        expect(result).not.toBeNull();
      }
    },
  );

  test('the same inputs through client.call pass too', async () => {
    const cf = client();
    const call = cf.call as unknown as (id: string, input: unknown) => Promise<unknown>;
    const before = answers.length;
    for (const metadata of operations) await call(metadata.operationId, exampleInput(metadata));
    const sent = answers.slice(before);
    expect(sent).toHaveLength(operations.length);
    expect(sent.filter((answer) => answer.violations !== null || answer.status >= 300)).toEqual([]);
  });
});

describe('Prism checks inside batch items (the check can fail)', () => {
  test('a posts item without its required fields is a 422 naming the item', async () => {
    const batch = operations.find(
      (metadata) => metadata.resource?.method === 'batch' && metadata.requestBody?.properties.posts,
    );
    expect(batch).toBeDefined();
    const metadata = batch as OperationMetadata;
    const body = exampleInput(metadata).body as Record<string, unknown[]>;
    const response = await fetch(
      `${prism.baseUrl}${metadata.path.replace('{account_id}', ACCOUNT)}`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, posts: [{}] }),
      },
    );
    expect(response.status).toBe(422);
    expect(response.headers.get('sl-violations')).toContain('posts');
  });
});

describe('the thin wrappers, on openapi-fetch alone, pass Prism too', () => {
  const fetchClient = () =>
    createFetchClient<paths>({
      baseUrl: prism.baseUrl,
      headers: { authorization: 'Bearer contract-test-token-0123456789' },
    });
  type Wrapper = (client: unknown, request: unknown) => Promise<{ response: Response }>;
  const answerOf = ({ response }: { response: Response }): Answer => ({
    status: response.status,
    violations: response.headers.get('sl-violations'),
  });
  const ok = { status: expect.toSatisfy((status: number) => status >= 200 && status < 300) };

  test.each(operations.map((metadata) => [metadata.functionName, metadata] as const))(
    '%s',
    async (name, metadata) => {
      const wrapper = (generated as unknown as Record<string, Wrapper>)[name];
      expect(wrapper, name).toBeTypeOf('function');
      const { path, query, body } = exampleInput(metadata);
      const request = { path: { account_id: ACCOUNT, ...path }, query, body };
      expect(answerOf(await (wrapper as Wrapper)(fetchClient(), request))).toEqual({
        ...ok,
        violations: null,
      });
    },
  );

  test('a batch as its generated request type has it: patches carry the policy id', async () => {
    const answer = await batchAllowPolicies(fetchClient(), {
      path: { account_id: ACCOUNT },
      body: {
        deletes: [],
        patches: [{ id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415', comments: 'reviewed' }],
        posts: [],
        puts: [],
      },
    });
    expect(answerOf(answer)).toEqual({ ...ok, violations: null });
  });
});
