/**
 * The run-time extension points other teams use, through the public entry point only, against the
 * stand-in server: middleware, an async credentials provider, a custom `fetch`, and their own
 * deprecation handler and policy. Each test pins the documented order of a request:
 *
 *   validation → deprecations → user middleware → auth → retrying fetch (custom `fetch` inside)
 */
import type { Middleware } from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  CloudflareApiError,
  CredentialsError,
  createEmailSecurityClient,
  DeprecatedFieldError,
  type DeprecationEvent,
  type EmailSecurityClientOptions,
  type FetchLike,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

const fastRetries = { initialDelayMs: 1, maxDelayMs: 4 } as const;

let server: StandInServer;

beforeAll(async () => {
  server = await startStandInServer();
});

afterEach(() => {
  server.reset();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await server.close();
});

function clientFor(options: EmailSecurityClientOptions = {}) {
  return createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    retryDelay: fastRetries,
    onDeprecation: () => undefined,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('middleware (per client, openapi-fetch Middleware)', () => {
  test('runs in the given order, after validation and deprecations, before auth', async () => {
    const policy = server.seedPolicy({ is_trusted_sender: false });
    const seen: string[] = [];
    const record = (name: string): Middleware => ({
      async onRequest({ request }) {
        const body = (await request.clone().json()) as Record<string, unknown>;
        seen.push(`${name}: ${Object.keys(body).sort().join(',')}`);
        seen.push(`${name}: authorization ${request.headers.get('authorization') ?? 'absent'}`);
        request.headers.set(`x-${name}`, 'yes');
        return request;
      },
    });
    const client = clientFor({
      middleware: [record('first'), record('second')],
    });

    await client.allowPolicies.update(policy.id, { is_sender: true });

    expect(seen).toEqual([
      'first: is_trusted_sender',
      'first: authorization absent',
      'second: is_trusted_sender',
      'second: authorization absent',
    ]);
    const [sent] = server.requests;
    expect(sent?.headers['x-first']).toBe('yes');
    expect(sent?.headers['x-second']).toBe('yes');
    expect(sent?.headers.authorization).toBe(`Bearer ${server.apiToken}`);
  });

  test('sees one logical request: retries happen below it, onResponse gets the final answer', async () => {
    const policy = server.seedPolicy();
    server.injectFault({ kind: 'status', status: 503 }, { method: 'PATCH', times: 1 });
    const requests: string[] = [];
    const statuses: number[] = [];
    const client = clientFor({
      middleware: [
        {
          onRequest: ({ request }) => {
            requests.push(request.method);
          },
          onResponse: ({ response }) => {
            statuses.push(response.status);
          },
        },
      ],
    });

    await client.allowPolicies.update(policy.id, { comments: 'after a retry' });

    expect(server.requests.map((request) => request.method)).toEqual(['PATCH', 'PATCH']);
    expect(requests).toEqual(['PATCH']);
    expect(statuses).toEqual([200]);
  });

  test('belongs to its client: another client does not run it', async () => {
    const policy = server.seedPolicy();
    const onRequest = vi.fn();
    clientFor({ middleware: [{ onRequest }] });
    await clientFor().allowPolicies.update(policy.id, { comments: 'plain client' });
    expect(onRequest).not.toHaveBeenCalled();
  });
});

describe('credentials provider (async, per request)', () => {
  test('is awaited before every request and its credentials are sent', async () => {
    const policy = server.seedPolicy();
    const provider = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { apiToken: server.apiToken };
    });
    const client = clientFor({ auth: provider });

    await client.allowPolicies.update(policy.id, { comments: 'one' });
    await client.allowPolicies.update(policy.id, { comments: 'two' });

    expect(provider).toHaveBeenCalledTimes(2);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${server.apiToken}`,
      `Bearer ${server.apiToken}`,
    ]);
  });

  test('picks up a rotated secret on the next request', async () => {
    const policy = server.seedPolicy();
    let current = 'revoked-token-value-0123456789';
    const client = clientFor({ auth: async () => ({ apiToken: current }) });

    const failed = await rejection(client.allowPolicies.update(policy.id, { comments: 'x' }));
    // Cloudflare answers a bad token with 403 / code 10000.
    expect(failed).toBeInstanceOf(CloudflareApiError);
    expect(JSON.stringify(failed)).not.toContain(current);
    expect(failed.message).not.toContain(current);

    current = server.apiToken;
    const updated = await client.allowPolicies.update(policy.id, { comments: 'rotated' });
    expect(updated.comments).toBe('rotated');
  });

  test('a failing provider fails the call with CredentialsError and nothing is sent', async () => {
    const policy = server.seedPolicy();
    const client = clientFor({
      auth: async () => {
        throw new Error('secret manager unavailable');
      },
    });
    const failed = await rejection(client.allowPolicies.update(policy.id, { comments: 'x' }));
    expect(failed).toBeInstanceOf(CredentialsError);
    expect(server.requests).toEqual([]);
  });
});

describe('custom fetch (proxies, edge runtimes)', () => {
  test('gets every attempt, with credentials, and its responses are used', async () => {
    const policy = server.seedPolicy();
    server.injectFault({ kind: 'status', status: 502 }, { method: 'PATCH', times: 1 });
    const attempts: { url: string; authorization: string | null }[] = [];
    const proxyFetch: FetchLike = (request, init) => {
      attempts.push({ url: request.url, authorization: request.headers.get('authorization') });
      return globalThis.fetch(request, init);
    };
    const client = clientFor({ fetch: proxyFetch });

    const updated = await client.allowPolicies.update(policy.id, { comments: 'via proxy' });

    expect(updated.comments).toBe('via proxy');
    const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies/${policy.id}`;
    expect(attempts).toEqual([
      { url, authorization: `Bearer ${server.apiToken}` },
      { url, authorization: `Bearer ${server.apiToken}` },
    ]);
  });

  test('can answer without any network (e.g. a runtime-provided fetch)', async () => {
    const policyId = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
    const offlineFetch: FetchLike = async (request) => {
      const patch = (await request.json()) as Record<string, unknown>;
      const result = {
        id: policyId,
        created_at: '2026-01-01T00:00:00Z',
        last_modified: '2026-11-26T00:00:00Z',
        modified_at: '2026-11-26T00:00:00Z',
        ...patch,
      };
      return Response.json({ success: true, errors: [], messages: [], result });
    };
    const client = createEmailSecurityClient({
      accountId: server.accountId,
      auth: { apiToken: 'token-for-an-offline-test-0123' },
      fetch: offlineFetch,
    });

    const updated = await client.allowPolicies.update(policyId, { verify_sender: false });

    expect(updated).toMatchObject({ id: policyId, verify_sender: false });
    expect(server.requests).toEqual([]);
  });
});

describe('deprecation handler and policy', () => {
  test('onDeprecation receives the event instead of the default Node warning', async () => {
    const policy = server.seedPolicy({ is_trusted_sender: false });
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const events: DeprecationEvent[] = [];
    const client = clientFor({ onDeprecation: (event) => events.push(event) });

    await client.allowPolicies.update(policy.id, { is_sender: true });

    expect(warnings).not.toHaveBeenCalled();
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'request-field',
        field: 'is_sender',
        replacement: 'is_trusted_sender',
        endOfLife: '2026-07-01',
        action: 'migrated',
      }),
    );
    expect(server.requests[0]?.body).toEqual({ is_trusted_sender: true });
  });

  test('without a handler the default is a Node DeprecationWarning, once per field per client', async () => {
    const policy = server.seedPolicy();
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const client = createEmailSecurityClient({
      baseUrl: server.baseUrl,
      accountId: server.accountId,
      auth: { apiToken: server.apiToken },
    });

    await client.allowPolicies.update(policy.id, { is_sender: true });
    await client.allowPolicies.update(policy.id, { is_sender: true });

    const senderWarnings = warnings.mock.calls.filter(([message]) =>
      String(message).includes('is_sender'),
    );
    expect(senderWarnings).toHaveLength(1);
    expect(senderWarnings[0]?.[1]).toMatchObject({ type: 'DeprecationWarning' });
  });

  test("policy 'error' refuses deprecated fields and sends nothing", async () => {
    const policy = server.seedPolicy();
    const client = clientFor({ deprecations: 'error' });
    const failed = await rejection(client.allowPolicies.update(policy.id, { is_sender: true }));
    expect(failed).toBeInstanceOf(DeprecatedFieldError);
    expect(failed.message).toContain('is_trusted_sender');
    expect(server.requests).toEqual([]);
  });

  test("policy 'passthrough' sends a deprecated field as given before its end of life", async () => {
    const policy = server.seedPolicy();
    const client = clientFor({
      deprecations: 'passthrough',
      now: () => new Date('2026-01-15T00:00:00Z'),
    });
    await client.allowPolicies.update(policy.id, { is_sender: true });
    expect(server.requests[0]?.body).toEqual({ is_sender: true });
  });
});
