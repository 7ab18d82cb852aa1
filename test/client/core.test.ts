/**
 * `createClient({ operations })` from src/core.ts at run time, against the stand-in: the client
 * has exactly the operations it is given (resource methods, `client.operations`, `client.call`),
 * each through the same pipeline as the default client (validation, deprecation migration, auth).
 */
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import {
  batchAllowPoliciesOperation,
  checkedRegistry,
  createClient,
  getAllowPolicyOperation,
  listAllowPoliciesOperation,
  updateAllowPolicyOperation,
  withLogger,
  withMiddleware,
} from '../../src/core.js';
import { CredentialsError, createEmailSecurityClient, ValidationError } from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

const options = () => ({
  baseUrl: server.baseUrl,
  accountId: server.accountId,
  auth: { apiToken: server.apiToken },
  maxRetries: 0,
  onDeprecation: () => {},
});

describe('createClient with the update operation only', () => {
  const cf = () => createClient({ ...options(), operations: { updateAllowPolicyOperation } });

  test('has that resource method, its function name and operationId, nothing else', () => {
    const client = cf() as unknown as Record<string, unknown>;
    expect({
      resources: Object.keys(client).filter(
        (key) => !['accountId', 'baseUrl', 'operations', 'call', 'toJSON'].includes(key),
      ),
      allowPolicies: Object.keys(client.allowPolicies as object),
      operations: Object.keys(client.operations as object),
    }).toEqual({
      resources: ['allowPolicies'],
      allowPolicies: ['update'],
      operations: ['updateAllowPolicy'],
    });
    expect(JSON.parse(JSON.stringify(cf()))).toMatchObject({ operations: ['updateAllowPolicy'] });
  });

  test('updates through the pipeline: a deprecated field is migrated before sending', async () => {
    const seeded = server.seedPolicy({ comments: 'before' });
    const result = await cf().allowPolicies.update(seeded.id, {
      is_sender: true,
      comments: 'after',
    });
    expect(result).toMatchObject({ id: seeded.id, comments: 'after', is_trusted_sender: true });
    expect(JSON.parse(server.requests.at(-1)?.bodyText ?? '{}')).toEqual({
      comments: 'after',
      is_trusted_sender: true,
    });
  });

  test.each([
    ['an operation it was not given', 'email_security_get_allow_policy'],
    ['an unknown operation', 'email_security_nothing'],
  ])('client.call of %s is refused before sending', async (_, operationId) => {
    const call = cf().call as unknown as (id: string, input: unknown) => Promise<unknown>;
    await expect(call(operationId, { path: { policy_id: 'x' } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('createClient with several entries', () => {
  test('list pages, get and update all work; keys of the record do not matter', async () => {
    const seeded = server.seedPolicy({ comments: 'one' });
    const cf = createClient({
      ...options(),
      operations: {
        a: listAllowPoliciesOperation,
        getAllowPolicyOperation,
        updateAllowPolicyOperation,
      },
    });
    const items = [];
    for await (const policy of cf.allowPolicies.list({ per_page: 1 })) items.push(policy.id);
    expect(items).toEqual([seeded.id]);
    expect(await cf.allowPolicies.get(seeded.id)).toMatchObject({ comments: 'one' });
    expect(Object.keys(cf.operations).sort()).toEqual([
      'getAllowPolicy',
      'listAllowPolicies',
      'updateAllowPolicy',
    ]);
  });

  test('a registry as `cfes generate` writes it (data only) is refused; checkedRegistry checks it and gives it paging', async () => {
    const seeded = server.seedPolicy({ comments: 'one' });
    const dataOnly = { listAllowPolicies: { metadata: listAllowPoliciesOperation.metadata } };
    expect(() => createClient({ ...options(), operations: dataOnly })).toThrow(
      /options\.operations\.listAllowPolicies: is not an entry of this package: .*checkedRegistry\(operations\)/,
    );
    const cf = createClient({ ...options(), operations: checkedRegistry(dataOnly) });
    const list = (
      cf as unknown as { allowPolicies: { list(q: object): AsyncIterable<{ id: string }> } }
    ).allowPolicies.list({ per_page: 1 });
    const items = [];
    for await (const policy of list) items.push(policy.id);
    expect(items).toEqual([seeded.id]);
    expect(dataOnly.listAllowPolicies).not.toHaveProperty('resourceMethod');
  });

  test('a batch through checkedRegistry: omitted arrays filled, items migrated', async () => {
    const policy = server.seedPolicy({ is_trusted_sender: false });
    const dataOnly = { batchAllowPolicies: { metadata: batchAllowPoliciesOperation.metadata } };
    const cf = createClient({
      ...options(),
      operations: checkedRegistry(dataOnly),
    }) as unknown as { allowPolicies: { batch(body: object): Promise<unknown> } };
    await cf.allowPolicies.batch({ patches: [{ id: policy.id, is_sender: true }] });
    expect(JSON.parse(server.requests.at(-1)?.bodyText ?? '{}')).toEqual({
      deletes: [],
      patches: [{ id: policy.id, is_trusted_sender: true }],
      posts: [],
      puts: [],
    });
  });

  test('checkedRegistry refuses what is not generated metadata, naming each entry', () => {
    expect(() => checkedRegistry(null)).toThrow(
      /options\.operations: must be the `operations` registry/,
    );
    expect(() => checkedRegistry({ bad: 1, odd: { metadata: 2 } })).toThrow(
      /options\.operations\.bad.*options\.operations\.odd/s,
    );
  });

  test('checkedRegistry keeps none of the runtime an untrusted entry brings itself', async () => {
    const seeded = server.seedPolicy({ comments: 'before' });
    const cf = createClient({
      ...options(),
      operations: checkedRegistry({
        x: { metadata: updateAllowPolicyOperation.metadata, resourceMethod: 'not a function' },
      }),
    }) as unknown as { allowPolicies: { update(id: string, body: object): Promise<unknown> } };
    await expect(cf.allowPolicies.update(seeded.id, { comments: 'after' })).resolves.toMatchObject({
      comments: 'after',
    });
  });

  test('two operations under one function name are refused', () => {
    const other = checkedRegistry({
      x: {
        metadata: {
          ...getAllowPolicyOperation.metadata,
          operationId: 'other_get',
          functionName: 'updateAllowPolicy',
        },
      },
    });
    expect(() =>
      createClient({ ...options(), operations: { updateAllowPolicyOperation, ...other } }),
    ).toThrow(
      /options\.operations\.x: is other_get, but email_security_update_allow_policy is given under the same name \(updateAllowPolicy\)/,
    );
  });

  test('middleware is given as withMiddleware([…]): a plain array is refused naming it', () => {
    expect(() =>
      createClient({
        ...options(),
        operations: { updateAllowPolicyOperation },
        middleware: [{ onRequest: () => undefined }] as never,
      }),
    ).toThrow(
      /options\.middleware: createClient takes middleware only as withMiddleware\(\[…\]\) \(from \/core\)/,
    );
    expect(() =>
      createClient({
        ...options(),
        operations: { updateAllowPolicyOperation },
        middleware: withMiddleware([42 as never]),
      }),
    ).toThrow(/options\.middleware\[0\]: must be an object with onRequest, onResponse or onError/);
  });

  test('withMiddleware: hooks run around the call and never see the credentials', async () => {
    const seeded = server.seedPolicy({ comments: 'before' });
    const seen: string[] = [];
    const cf = createClient({
      ...options(),
      operations: { updateAllowPolicyOperation },
      middleware: withMiddleware([
        {
          onRequest: ({ request, schemaPath }) => {
            seen.push(`request ${schemaPath} ${request.headers.get('authorization')}`);
            request.headers.set('x-trace', 't1');
          },
          onResponse: ({ request, response }) => {
            seen.push(`response ${response.status} ${request.headers.get('authorization')}`);
          },
        },
      ]),
    });
    await cf.allowPolicies.update(seeded.id, { comments: 'after' });
    expect(seen).toEqual([
      `request ${updateAllowPolicyOperation.metadata.path} null`,
      'response 200 null',
    ]);
    const sent = server.requests.at(-1);
    expect(sent?.headers['x-trace']).toBe('t1');
    expect(sent?.headers.authorization).toBe(`Bearer ${server.apiToken}`);
  });

  test('a logger is given as withLogger(logger): a plain one is refused naming it', () => {
    expect(() =>
      createClient({
        ...options(),
        operations: { updateAllowPolicyOperation },
        logger: console as never,
      }),
    ).toThrow(
      /options\.logger: createClient takes a logger only as withLogger\(logger\) \(from \/core\)/,
    );
  });

  test('withLogger: the request and response lines, credentials redacted', async () => {
    const seeded = server.seedPolicy({ comments: 'before' });
    const lines: [string, unknown][] = [];
    const cf = createClient({
      ...options(),
      operations: { updateAllowPolicyOperation },
      logLevel: 'debug',
      logger: withLogger({ debug: (message, data) => lines.push([message, data]) }),
    });
    await cf.allowPolicies.update(seeded.id, { comments: 'after' });
    expect(lines.map(([message]) => message)).toEqual(['request', 'response']);
    expect(lines[0]?.[1]).toMatchObject({
      operationId: 'email_security_update_allow_policy',
      method: 'PATCH',
      attempt: 0,
      headers: { authorization: '[REDACTED]' },
    });
    expect(lines[1]?.[1]).toMatchObject({ status: 200, attempt: 0 });
    expect(JSON.stringify(lines)).not.toContain(server.apiToken);
  });

  test('a bad entry is refused with the place named', () => {
    expect(() =>
      createClient({ ...options(), operations: { updateAllowPolicyOperation, bad: {} } }),
    ).toThrow(/options\.operations\.bad/);
  });

  test('the default client still has every operation, the same entries included', () => {
    const all = createEmailSecurityClient(options());
    expect(Object.keys(all.operations)).toContain('updateAllowPolicy');
    expect(Object.keys(all.operations).length).toBeGreaterThan(3);
  });
});

describe('an error of the factory itself names the factory called', () => {
  const operations = { updateAllowPolicyOperation };
  const given = [
    ['a bad option', { accountId: 'not-an-account-id' }, ValidationError, 'invalid options'],
    [
      'bad credentials',
      { auth: { apiToken: 'token\r\nx-injected: 1' } },
      CredentialsError,
      'options.auth',
    ],
  ] as const;

  test.each(given)('%s', (_, bad, type, problem) => {
    const messages = [
      ['createClient', () => createClient({ ...options(), ...bad, operations })],
      ['createEmailSecurityClient', () => createEmailSecurityClient({ ...options(), ...bad })],
    ] as const;
    for (const [factory, create] of messages) {
      const error = (() => {
        try {
          create();
        } catch (thrown) {
          return thrown;
        }
        throw new Error(`${factory} accepted ${JSON.stringify(bad)}`);
      })();
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(new RegExp(`^${factory}: ${problem}`));
      expect((error as Error).message).toContain('no client was created');
    }
  });
});
