import { inspect } from 'node:util';
import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  ConnectionError,
  CredentialsError,
  createEmailSecurityClient,
  DeprecatedFieldError,
  DeprecationConflictError,
  type DeprecationEvent,
  type EmailSecurityClientOptions,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { fastRetries, recordingLogger, rejection } from './helpers.js';

let api: StandInServer;
const UUID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.reset();
  vi.unstubAllEnvs();
});

function client(options: EmailSecurityClientOptions = {}) {
  return createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: api.baseUrl,
    retryDelay: fastRetries,
    onDeprecation: () => {},
    ...options,
  });
}

const itemPath = (id: string) =>
  `/client/v4/accounts/${api.accountId}/email-security/settings/allow_policies/${id}`;

describe('allowPolicies.update', () => {
  it('PATCHes the fields and resolves to the unwrapped, updated policy', async () => {
    const seeded = api.seedPolicy({ pattern: 'old@example.com', is_trusted_sender: false });
    const policy = await client().allowPolicies.update(seeded.id, {
      is_trusted_sender: true,
      pattern: 'ceo@example.com',
      pattern_type: 'EMAIL',
    });
    expect(policy).toMatchObject({
      id: seeded.id,
      is_trusted_sender: true,
      pattern: 'ceo@example.com',
      pattern_type: 'EMAIL',
    });
    expect(api.requests).toHaveLength(1);
    const [sent] = api.requests;
    expect(sent?.method).toBe('PATCH');
    expect(sent?.path).toBe(itemPath(seeded.id));
    expect(sent?.headers.authorization).toBe(`Bearer ${api.apiToken}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers['user-agent']).toMatch(/^cloudflare-email-security-allow-policies\//);
    expect(sent?.body).toEqual({
      is_trusted_sender: true,
      pattern: 'ceo@example.com',
      pattern_type: 'EMAIL',
    });
  });

  it('withResponse() also gives the Response, messages and cf-ray', async () => {
    const seeded = api.seedPolicy();
    const out = await client().allowPolicies.update.withResponse(seeded.id, { comments: null });
    expect(out.response.status).toBe(200);
    expect(out.cfRay).toBe(out.response.headers.get('cf-ray'));
    expect(out.cfRay).toMatch(/\S/);
    expect(out.messages).toEqual([]);
    expect(out.result.comments).toBeNull();
  });

  it('authenticates with the Global API key and advises tokens once per client', async () => {
    const seeded = api.seedPolicy();
    const { logger, lines } = recordingLogger();
    const legacy = client({ auth: { apiEmail: api.apiEmail, apiKey: api.apiKey }, logger });
    await legacy.allowPolicies.update(seeded.id, { verify_sender: true });
    await legacy.allowPolicies.update(seeded.id, { verify_sender: false });
    expect(api.requests[0]?.headers['x-auth-email']).toBe(api.apiEmail);
    expect(api.requests[0]?.headers['x-auth-key']).toBe(api.apiKey);
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
    const advisories = lines.filter((l) => /recommends API tokens/.test(l.message));
    expect(advisories).toHaveLength(1);
    expect(advisories[0]?.level).toBe('warn');
    const other = recordingLogger();
    await client({
      auth: { apiEmail: api.apiEmail, apiKey: api.apiKey },
      logger: other.logger,
    }).allowPolicies.update(seeded.id, { verify_sender: true });
    expect(other.lines.filter((l) => /recommends API tokens/.test(l.message))).toHaveLength(1);
  });

  it('calls an async credentials provider before every request', async () => {
    const seeded = api.seedPolicy();
    const provider = vi.fn(async () => ({ apiToken: api.apiToken }));
    const cf = client({ auth: provider });
    await cf.allowPolicies.update(seeded.id, { is_regex: false });
    await cf.allowPolicies.update(seeded.id, { is_regex: true });
    expect(provider).toHaveBeenCalledTimes(2);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${api.apiToken}`,
      `Bearer ${api.apiToken}`,
    ]);
  });

  it('takes account, credentials and base URL from the environment', async () => {
    const seeded = api.seedPolicy();
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', api.accountId);
    vi.stubEnv('CLOUDFLARE_API_TOKEN', api.apiToken);
    vi.stubEnv('CLOUDFLARE_BASE_URL', api.baseUrl);
    const cf = createEmailSecurityClient({ onDeprecation: () => {} });
    expect(cf.accountId).toBe(api.accountId);
    expect(cf.baseUrl).toBe(api.baseUrl);
    await expect(
      cf.allowPolicies.update(seeded.id, { pattern: 'x@example.com' }),
    ).resolves.toMatchObject({
      pattern: 'x@example.com',
    });
    vi.stubEnv('CLOUDFLARE_API_TOKEN', '');
    vi.stubEnv('CLOUDFLARE_EMAIL', api.apiEmail);
    vi.stubEnv('CLOUDFLARE_API_KEY', api.apiKey);
    const legacy = createEmailSecurityClient({ onDeprecation: () => {}, logger: {} });
    await legacy.allowPolicies.update(seeded.id, { pattern: 'y@example.com' });
    expect(api.requests[1]?.headers['x-auth-key']).toBe(api.apiKey);
  });

  it('the generic operations entry gives the same behaviour', async () => {
    const seeded = api.seedPolicy();
    const cf = client();
    const policy = await cf.operations.updateAllowPolicy({
      path: { policy_id: seeded.id },
      body: { comments: 'via operations' },
    });
    expect(policy.comments).toBe('via operations');
    const out = await cf.operations.updateAllowPolicy.withResponse({
      path: { policy_id: seeded.id },
      body: { comments: 'again' },
    });
    expect(out.result.comments).toBe('again');
    expect(api.requests.every((r) => r.headers.authorization === `Bearer ${api.apiToken}`)).toBe(
      true,
    );
  });

  it('per-call options override the client (accountId, headers)', async () => {
    const seeded = api.seedPolicy();
    const cf = client();
    await cf.allowPolicies.update(seeded.id, { is_regex: true }, { headers: { 'X-Trace': 't-1' } });
    expect(api.requests[0]?.headers['x-trace']).toBe('t-1');
    const error = await rejection(
      cf.allowPolicies.update(seeded.id, { is_regex: true }, { accountId: 'f'.repeat(32) }),
    );
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(api.requests[1]?.path).toContain(`/accounts/${'f'.repeat(32)}/`);
  });
});

describe('nothing is sent for invalid input', () => {
  const invalid: [string, () => Promise<unknown>, RegExp][] = [
    [
      'malformed accountId',
      () =>
        client({ accountId: undefined }).allowPolicies.update(
          UUID,
          { pattern: 'a' },
          { accountId: 'ABC' },
        ),
      /options\.accountId: must be 32 lowercase hexadecimal/,
    ],
    [
      'missing accountId',
      () => client({ accountId: undefined }).allowPolicies.update(UUID, { pattern: 'a' }),
      /options\.accountId: is required: pass accountId or set CLOUDFLARE_ACCOUNT_ID/,
    ],
    [
      'non-UUID policy id',
      // @ts-expect-error a literal that is not shaped like a UUID does not compile either
      () => client().allowPolicies.update('123', { pattern: 'a' }),
      /path\.policy_id: must be a UUID/,
    ],
    [
      'path traversal',
      // @ts-expect-error a literal that is not shaped like a UUID does not compile either
      () => client().allowPolicies.update('..', { pattern: 'a' }),
      /path\.policy_id: must not be "\." or "\.\."/,
    ],
    [
      'read-only field',
      () => client().allowPolicies.update(UUID, { id: UUID } as never),
      /body\.id: is read-only/,
    ],
    [
      'misspelled field',
      () => client().allowPolicies.update(UUID, { patern: 'a' } as never),
      /body\.patern: unknown field; did you mean "pattern"\?/,
    ],
    ['empty patch', () => client().allowPolicies.update(UUID, {}), /body: needs at least 1 field/],
    [
      'UNKNOWN pattern_type',
      () => client().allowPolicies.update(UUID, { pattern_type: 'UNKNOWN' } as never),
      /UNKNOWN is deprecated and cannot be used/,
    ],
    [
      'too-long pattern',
      () => client().allowPolicies.update(UUID, { pattern: 'p'.repeat(1025) }),
      /body\.pattern: must be at most 1024 characters/,
    ],
    [
      'header injection in per-call headers',
      () =>
        client().allowPolicies.update(
          UUID,
          { pattern: 'a' },
          { headers: { 'X-Trace': 'a\r\nX-Evil: 1' } },
        ),
      /requestOptions\.headers\.X-Trace: contains CR\/LF/,
    ],
    [
      'bad per-call timeout',
      () => client().allowPolicies.update(UUID, { pattern: 'a' }, { timeoutMs: -1 }),
      /requestOptions\.timeoutMs/,
    ],
  ];
  for (const [name, run, message] of invalid) {
    it(name, async () => {
      const error = await rejection(run());
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/^PATCH \/accounts\//);
      expect(api.requests).toHaveLength(0);
    });
  }

  it('ids with reserved characters never reach fetch (no path traversal)', async () => {
    const fetch = vi.fn(async () => new Response('{}'));
    const cf = client({ fetch });
    for (const id of ['a/../../b', '../x', '%2e%2e', 'x?y=1', 'x#y']) {
      expect(await rejection(cf.allowPolicies.update(id, { pattern: 'a' }))).toBeInstanceOf(
        ValidationError,
      );
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  const credentialCases: [string, EmailSecurityClientOptions['auth'], RegExp][] = [
    [
      'ambiguous',
      { apiToken: 't0ken-value', apiKey: 'k', apiEmail: 'e@x.io' } as never,
      /ambiguous/,
    ],
    ['email without key', { apiEmail: 'e@x.io' } as never, /apiEmail was given without apiKey/],
    ['CR/LF', { apiToken: 'abc\r\nX-Injected: 1' }, /CR\/LF/],
    ['whitespace', { apiToken: 'abc ' }, /surrounding whitespace/],
  ];
  for (const [name, auth, message] of credentialCases) {
    it(`credentials: ${name}`, () => {
      expect(() => client({ auth })).toThrow(CredentialsError);
      expect(() => client({ auth })).toThrow(message);
    });
  }

  it('credentials: none anywhere names the options and env variables', () => {
    vi.stubEnv('CLOUDFLARE_API_TOKEN', '');
    vi.stubEnv('CLOUDFLARE_EMAIL', '');
    vi.stubEnv('CLOUDFLARE_API_KEY', '');
    expect(() => createEmailSecurityClient({ accountId: api.accountId })).toThrow(
      /no credentials: pass auth: \{ apiToken \}.*CLOUDFLARE_API_TOKEN \(or CLOUDFLARE_EMAIL \+ CLOUDFLARE_API_KEY\)/,
    );
  });

  it('a provider returning bad credentials fails the call before sending', async () => {
    const error = await rejection(
      client({ auth: async () => ({ apiToken: 'x\ny' }) }).allowPolicies.update(UUID, {
        pattern: 'a',
      }),
    );
    expect(error).toBeInstanceOf(CredentialsError);
    expect(api.requests).toHaveLength(0);
  });

  it('rejects insecure or malformed client options at creation', () => {
    expect(() => client({ baseUrl: 'http://api.example.com/client/v4' })).toThrow(/must use https/);
    expect(() => client({ baseUrl: 'not a url' })).toThrow(/absolute URL/);
    expect(() => client({ maxRetries: 99 })).toThrow(
      /options\.maxRetries: must be an integer from 0 to 10/,
    );
    expect(() => client({ accountId: 'nope' })).toThrow(/options\.accountId/);
  });

  it('checks the clock once, at creation, and reads it once per call', async () => {
    const broken = [
      () => new Date('not a date'),
      () => 'today',
      'now',
      () => {
        throw new Error('no clock');
      },
    ];
    for (const now of broken) {
      expect(() => client({ now: now as () => Date })).toThrow(
        /options\.now: must be a function returning a valid Date/,
      );
    }
    const seeded = api.seedPolicy();
    const now = vi.fn(() => new Date('2026-11-26T00:00:00Z'));
    const cf = client({ now });
    expect(now).toHaveBeenCalledTimes(1);
    await cf.allowPolicies.update(seeded.id, { is_sender: true });
    expect(now).toHaveBeenCalledTimes(2);
  });

  it('an already-aborted signal sends nothing', async () => {
    const error = await rejection(
      client().allowPolicies.update(UUID, { pattern: 'a' }, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(api.requests).toHaveLength(0);
  });
});

describe('API errors', () => {
  it('403 with bad credentials names the permission and carries cf-ray', async () => {
    const error = await rejection(
      client({ auth: { apiToken: 'wrong-token-value' } }).allowPolicies.update(UUID, {
        pattern: 'a',
      }),
    );
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const e = error as PermissionDeniedError;
    expect(e.message).toBe(
      `PATCH ${itemPath(UUID).replace('/client/v4', '')}: 403 Forbidden (code 10000: Authentication error) — the token needs "Cloud Email Security: Write"`,
    );
    expect(e.status).toBe(403);
    expect(api.requests).toHaveLength(1);
    expect(e.cfRay).toMatch(/\S/);
    expect(e.errors[0]?.code).toBe(10000);
  });

  it('404 for an unknown policy', async () => {
    const error = await rejection(client().allowPolicies.update(UUID, { pattern: 'a' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(api.requests).toHaveLength(1);
  });
});

describe('retries against the stand-in', () => {
  it('retries 503s and sends the same body each time; middleware sees one request', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'status', status: 503 }, { times: 2 });
    const seen: string[] = [];
    const middleware: Middleware = {
      onRequest: ({ request }) => {
        seen.push(`request auth=${request.headers.get('authorization')}`);
      },
      onResponse: ({ response }) => {
        seen.push(`response ${response.status}`);
      },
    };
    const policy = await client({ middleware: [middleware] }).allowPolicies.update(seeded.id, {
      pattern: 'retry@example.com',
    });
    expect(policy.pattern).toBe('retry@example.com');
    expect(api.requests).toHaveLength(3);
    expect(new Set(api.requests.map((r) => r.bodyText))).toEqual(
      new Set(['{"pattern":"retry@example.com"}']),
    );
    expect(seen).toEqual(['request auth=null', 'response 200']);
  });

  it('a middleware that replaces the request body: every attempt sends the replacement', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'status', status: 503 }, { times: 1 });
    const rewrite: Middleware = {
      onRequest: async ({ request }) => {
        const body = { ...(await request.json()), comments: 'set by middleware' };
        return new Request(request, { body: JSON.stringify(body) });
      },
    };
    await client({ middleware: [rewrite] }).allowPolicies.update(seeded.id, { is_regex: true });
    expect(api.requests.map((r) => r.bodyText)).toEqual([
      '{"is_regex":true,"comments":"set by middleware"}',
      '{"is_regex":true,"comments":"set by middleware"}',
    ]);
  });

  it('honours retry-after-ms on 429', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'rate-limit', retryAfterMs: '5' }, { times: 1 });
    await client().allowPolicies.update(seeded.id, { is_regex: true });
    expect(api.requests).toHaveLength(2);
  });

  it('a Retry-After above 60 s ends with RateLimitError carrying retryAfterMs', async () => {
    api.injectFault({ kind: 'rate-limit', retryAfter: '120' }, { times: 3 });
    const error = await rejection(client().allowPolicies.update(UUID, { is_regex: true }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(api.requests).toHaveLength(1);
  });

  it('an HTML 502 that persists gives InternalServerError with an excerpt', async () => {
    api.injectFault({ kind: 'html' }, { times: 3 });
    const error = await rejection(client().allowPolicies.update(UUID, { is_regex: true }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toMatch(
      /: 502 Bad Gateway \(response is not JSON: "<!DOCTYPE html>|: 502 Bad Gateway \(response is not JSON: "<html/i,
    );
    expect(api.requests).toHaveLength(3);
  });

  it('connection resets are retried, then ConnectionError', async () => {
    api.injectFault({ kind: 'reset' }, { times: 3 });
    const error = await rejection(client().allowPolicies.update(UUID, { is_regex: true }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/^PATCH \/accounts\/.*: connection failed \(/);
    expect(api.requests).toHaveLength(3);
  });

  it('a slow attempt times out and the retry succeeds', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'delay', ms: 2_000 }, { times: 1 });
    const started = Date.now();
    await client({ timeoutMs: 100 }).allowPolicies.update(seeded.id, { is_regex: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(api.requests).toHaveLength(2);
  });

  it('TimeoutError when every attempt is too slow', async () => {
    api.injectFault({ kind: 'delay', ms: 2_000 }, { times: 2 });
    const error = await rejection(
      client({ timeoutMs: 50, maxRetries: 1 }).allowPolicies.update(UUID, { is_regex: true }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(api.requests).toHaveLength(2);
  });

  it('the caller signal interrupts an attempt (AbortError, no retry)', async () => {
    api.injectFault({ kind: 'delay', ms: 2_000 }, { times: 1 });
    const error = await rejection(
      client().allowPolicies.update(UUID, { is_regex: true }, { signal: AbortSignal.timeout(50) }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(api.requests).toHaveLength(1);
  });

  it('invalid JSON and empty 200 bodies are InvalidResponseError (not retried)', async () => {
    api.injectFault({ kind: 'invalid-json' });
    expect(await rejection(client().allowPolicies.update(UUID, { is_regex: true }))).toBeInstanceOf(
      InvalidResponseError,
    );
    api.injectFault({ kind: 'empty' });
    const empty = await rejection(client().allowPolicies.update(UUID, { is_regex: true }));
    expect(empty.message).toMatch(
      /200 OK \(empty response body\) from http:\/\/127\.0\.0\.1:\d+\/client\/v4\/accounts\/\S+$/,
    );
    expect(api.requests).toHaveLength(2);
  });

  it('never retries 400-class errors', async () => {
    api.injectFault({ kind: 'status', status: 400 }, { times: 3 });
    await rejection(client().allowPolicies.update(UUID, { is_regex: true }));
    expect(api.requests).toHaveLength(1);
  });
});

describe('deprecations wired into the request path', () => {
  it("'migrate' (default) sends the replacement and reports the event", async () => {
    const seeded = api.seedPolicy();
    const events: DeprecationEvent[] = [];
    const out = await client({
      onDeprecation: (e) => events.push(e),
    }).allowPolicies.update.withResponse(seeded.id, { is_sender: true } as never);
    expect(api.requests[0]?.body).toEqual({ is_trusted_sender: true });
    expect(events.map((e) => [e.field, e.action])).toContainEqual(['is_sender', 'migrated']);
    expect(out.deprecations.map((e) => e.field)).toContain('is_sender');
  });

  it('a deprecated field conflicting with its replacement is refused before sending', async () => {
    const error = await rejection(
      client().allowPolicies.update(UUID, { is_sender: true, is_trusted_sender: false } as never),
    );
    expect(error).toBeInstanceOf(DeprecationConflictError);
    expect(error.message).toMatch(/^PATCH \/accounts\/.*"is_sender" is deprecated and conflicts/);
    expect(api.requests).toHaveLength(0);
  });

  it("'error' refuses deprecated fields before sending", async () => {
    const error = await rejection(
      client({ deprecations: 'error' }).allowPolicies.update(UUID, { is_sender: true } as never),
    );
    expect(error).toBeInstanceOf(DeprecatedFieldError);
    expect(api.requests).toHaveLength(0);
  });

  it("'passthrough' before the end of life sends the field as given (clock from options.now)", async () => {
    const seeded = api.seedPolicy();
    await client({
      deprecations: 'passthrough',
      now: () => new Date('2026-01-15T00:00:00Z'),
    }).allowPolicies.update(seeded.id, { is_sender: true } as never);
    expect(api.requests[0]?.body).toEqual({ is_sender: true });
  });

  it('reports Deprecation/Sunset response headers', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'deprecation-headers' });
    const events: DeprecationEvent[] = [];
    await client({ onDeprecation: (e) => events.push(e) }).allowPolicies.update(seeded.id, {
      is_regex: true,
    });
    expect(events.map((e) => e.kind)).toContain('http-header');
  });

  it('the default handler is per client: one warning per field per client', async () => {
    const seeded = api.seedPolicy();
    // Captured, not printed: the warnings this test expects are not noise in the test run.
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    let calls: unknown[][];
    try {
      const cf = client({ onDeprecation: undefined });
      await cf.allowPolicies.update(seeded.id, { is_sender: true } as never);
      await cf.allowPolicies.update(seeded.id, { is_sender: true } as never);
      await client({ onDeprecation: undefined }).allowPolicies.update(seeded.id, {
        is_sender: true,
      } as never);
      calls = [...emitWarning.mock.calls];
    } finally {
      emitWarning.mockRestore();
    }
    const warnings = calls.filter(([message]) => String(message).includes('is_sender'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.[1]).toEqual({ type: 'DeprecationWarning', code: 'CFES_DEPRECATION' });
  });
});

describe('inspection', () => {
  it('util.inspect and JSON of the client show no credentials', () => {
    const cf = client();
    const shown = inspect(cf, { depth: 10, showHidden: true }) + JSON.stringify(cf);
    expect(shown).not.toContain(api.apiToken);
    expect(shown).toContain('apiToken');
    expect(shown).toContain(api.accountId);
  });
});
