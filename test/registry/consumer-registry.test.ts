/**
 * `createEmailSecurityClient({ operations })` at run time, with registries made of real
 * generated metadata (the generator's plan stage over the vendored spec and a multi-product
 * document): the registry's operations go through the same pipeline (validation, deprecations,
 * auth from their own security) as resource methods and `client.call`; paged lists page through
 * the stand-in; a consumer's operationId replaces the package's; bad registries are refused.
 */
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { planOperations } from '../../scripts/codegen/plan.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import {
  createEmailSecurityClient,
  DeprecationConflictError,
  type FetchLike,
  ValidationError,
} from '../../src/index.js';
import type { OperationMetadata } from '../../src/metadata.js';
import { vendored } from '../spec-update/upstream-fixture.js';
import { GET_ROUTING_RULE, multiProductDocument } from '../support/multi-product-document.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

type Registry = Record<string, { metadata: OperationMetadata }>;

function registryOf(doc: unknown, ids: readonly string[], operationIdPrefix?: string): Registry {
  const plan = planOperations(doc as OpenApiDocument, ids, { operationIdPrefix });
  return Object.fromEntries(
    plan.operations.map(({ metadata }) => [metadata.functionName, { metadata }]),
  );
}

const server: StandInServer = await startStandInServer({ recordRequests: true });
afterAll(() => server.close());
beforeEach(() => server.reset());

type Method = ((...args: unknown[]) => unknown) & {
  withResponse: (...args: unknown[]) => Promise<{ resultInfo?: unknown; response: Response }>;
};

/**
 * A client of the stand-in with a registry, its methods looked up by name (the types are checked
 * in test/cli; here: behaviour).
 */
function client(operations: Registry, fetch?: FetchLike) {
  const cf = createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    maxRetries: 0,
    onDeprecation: () => {},
    operations,
    ...(fetch && { fetch }),
  }) as unknown as Record<string, Record<string, Method>> & {
    call: (...args: unknown[]) => Promise<unknown>;
  };
  const method = (resource: string, name: string): Method => {
    const found = cf[resource]?.[name];
    if (!found) throw new Error(`no client.${resource}.${name}`);
    return found;
  };
  return { call: cf.call, method };
}

describe('a newer Email Security slice as a consumer registry', () => {
  const registry = registryOf(vendored(), [
    'email_security_list_allow_policies',
    'email_security_get_allow_policy',
    'email_security_update_allow_policy',
  ]);

  test('adds resource methods and operationIds; the package ones stay', async () => {
    const seeded = server.seedPolicy({ comments: 'seeded' });
    const cf = client(registry);
    expect(await cf.method('allowPolicies', 'get')(seeded.id)).toMatchObject({ id: seeded.id });
    expect(
      await cf.call('email_security_get_allow_policy', { path: { policy_id: seeded.id } }),
    ).toMatchObject({
      comments: 'seeded',
    });
    expect(
      await cf.method('allowPolicies', 'update')(seeded.id, { comments: 'changed' }),
    ).toMatchObject({
      comments: 'changed',
    });
    expect(server.policies.get(seeded.id)?.comments).toBe('changed');
  });

  test('a paged list: 250 policies in pages of 100, every item once, 3 requests', async () => {
    for (let index = 0; index < 250; index += 1)
      server.seedPolicy({ pattern: `p${index}@example.com` });
    server.requests.length = 0;
    const cf = client(registry);
    const seen = new Set<string>();
    for await (const policy of cf.method(
      'allowPolicies',
      'list',
    )({ per_page: 100 }) as AsyncIterable<{
      id: string;
    }>) {
      seen.add(policy.id);
    }
    expect(seen.size).toBe(250);
    expect(server.requests.map((request) => request.path.replace(/^.*\?/, ''))).toEqual([
      'per_page=100',
      'per_page=100&page=2',
      'per_page=100&page=3',
    ]);
    const first = (await cf.method('allowPolicies', 'list')({ per_page: 100 })) as {
      items: unknown[];
      resultInfo: unknown;
    };
    expect(first.items).toHaveLength(100);
    expect(first.resultInfo).toEqual({ page: 1, per_page: 100, count: 100, total_count: 250 });
    const withResponse = await cf.method('allowPolicies', 'list').withResponse({ per_page: 100 });
    expect(withResponse.resultInfo).toMatchObject({ total_count: 250 });
    expect(withResponse.response.status).toBe(200);
  });

  test('validation and deprecation migration apply to the registry operations', async () => {
    const seeded = server.seedPolicy();
    const cf = client(registry);
    await expect(
      cf.method('allowPolicies', 'update')(seeded.id, { patern: 'x' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      cf.method('allowPolicies', 'update')(seeded.id, {
        is_sender: true,
        is_trusted_sender: false,
      }),
    ).rejects.toBeInstanceOf(DeprecationConflictError);
    server.requests.length = 0;
    await cf.method('allowPolicies', 'update')(seeded.id, { is_sender: true });
    expect(server.requests.map((request) => request.body)).toEqual([{ is_trusted_sender: true }]);
  });
});

describe("a consumer's operationId wins over the package's", () => {
  test('a newer update body (a field the shipped spec does not have) is validated by the newer rules', async () => {
    const newer = vendored();
    const schema = newer.components.schemas['email-security_AllowPolicy'];
    schema.properties.is_vip = { type: 'boolean', description: 'A field of a newer spec.' };
    const registry = registryOf(newer, ['email_security_update_allow_policy']);
    const sent: unknown[] = [];
    const fetch: FetchLike = async (request) => {
      sent.push(await (request as Request).json());
      return Response.json({
        success: true,
        errors: [],
        messages: [],
        result: { id: 'x', is_vip: true },
      });
    };
    const policy = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
    const shipped = createEmailSecurityClient({
      baseUrl: server.baseUrl,
      accountId: server.accountId,
      auth: { apiToken: 't' },
      fetch,
    });
    await expect(
      shipped.allowPolicies.update(policy, { is_vip: true } as never),
    ).rejects.toBeInstanceOf(ValidationError);
    await client(registry, fetch).method('allowPolicies', 'update')(policy, { is_vip: true });
    expect(sent).toEqual([{ is_vip: true }]);
  });
});

describe('another product: its own security and path, no account id', () => {
  test('the registry operation is sent with a Bearer token to its zone path', async () => {
    const registry = registryOf(
      multiProductDocument(),
      [GET_ROUTING_RULE],
      'email-routing-routing-rules-',
    );
    const requests: Request[] = [];
    const fetch: FetchLike = async (request) => {
      requests.push(request as Request);
      return Response.json({ success: true, errors: [], messages: [], result: { name: 'r' } });
    };
    const cf = client(registry, fetch);
    const zone = '9a7806061c88ada191ed06f989cc3dac';
    const rule = 'a7e6fb77503c41d8a7f3113c6918f10c';
    expect(await cf.method('rules', 'get')(zone, rule)).toEqual({ name: 'r' });
    expect(
      await cf.call(GET_ROUTING_RULE, { path: { zone_id: zone, rule_identifier: rule } }),
    ).toEqual({ name: 'r' });
    expect(requests.map((request) => new URL(request.url).pathname)).toEqual([
      `/client/v4/zones/${zone}/email/routing/rules/${rule}`,
      `/client/v4/zones/${zone}/email/routing/rules/${rule}`,
    ]);
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${server.apiToken}`);
  });
});

describe('registries that are refused', () => {
  const update = registryOf(vendored(), ['email_security_update_allow_policy']);
  test.each([
    ['not an object', 42, /options\.operations: must be the `operations` registry/],
    [
      'an entry without metadata',
      { updateAllowPolicy: {} },
      /options\.operations\.updateAllowPolicy: has no `metadata`/,
    ],
    [
      'metadata that is not generated metadata',
      { x: { metadata: { operationId: 'x' } } },
      /options\.operations\.x: is not generated operation metadata \(missing or invalid: functionName, method, path, security/,
    ],
    [
      'another operation under a name the package uses',
      {
        updateAllowPolicy: {
          metadata: { ...update.updateAllowPolicy?.metadata, operationId: 'other_op' },
        },
      },
      /operations\.updateAllowPolicy: is other_op, but the package already has email_security_update_allow_policy under that name/,
    ],
  ])('%s', (_name, operations, message) => {
    expect(() =>
      createEmailSecurityClient({
        accountId: server.accountId,
        auth: { apiToken: 't' },
        operations: operations as object,
      }),
    ).toThrow(message);
  });
});
