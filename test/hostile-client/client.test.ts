/**
 * Each class of issue 13 through the public client, against real local servers: bounded time
 * with a transport that ignores the signal, bounded size, snapshot then send exactly that,
 * `result: null`, and redaction on every path.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResponseTooLargeError } from '../../src/errors.js';
import {
  AbortError,
  createEmailSecurityClient,
  type EmailSecurityClientOptions,
  InvalidResponseError,
  TimeoutError,
  ValidationError,
} from '../../src/index.js';
import { encodedForms } from '../../src/redact.js';
import { rejection } from '../client/helpers.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { type Behaviour, type HostileServer, startHostileServer } from './servers.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
const TOKEN = 'tok_hostile_"<&>"/+%_0123456789';
const MiB = 1024 * 1024;
const quiet = { onDeprecation: () => {} };

let hostile: HostileServer | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
});

async function clientFor(behaviour: Behaviour, options: EmailSecurityClientOptions = {}) {
  hostile = await startHostileServer(behaviour);
  return createEmailSecurityClient({
    accountId: ACCOUNT,
    auth: { apiToken: TOKEN },
    baseUrl: hostile.url,
    retryDelay: { initialDelayMs: 1, maxDelayMs: 2 },
    ...quiet,
    ...options,
  });
}

/** The global fetch without the signal: a transport that ignores deadlines and aborts. */
const deafFetch = (request: Request) =>
  fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    duplex: 'half',
  } as RequestInit);

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('bounded time, even when the transport ignores the signal', () => {
  it('headers then a stalled body: the attempt timeout ends the call and the body is cancelled', async () => {
    const before = activeTimers();
    const cf = await clientFor('headers-then-stall', {
      fetch: deafFetch,
      timeoutMs: 150,
      maxRetries: 0,
    });
    const started = Date.now();
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((hostile as HostileServer).clientClosed).toBe(1); // the stalled body was cancelled
    expect(activeTimers()).toBeLessThanOrEqual(before);
  });

  it('a fetch that never settles: each attempt times out, then the call ends', async () => {
    let attempts = 0;
    const cf = await clientFor('silent', {
      fetch: () => {
        attempts++;
        return new Promise<Response>(() => {});
      },
      timeoutMs: 50,
      maxRetries: 2,
    });
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(attempts).toBe(3);
  });

  it("the caller's abort ends the call while the body stalls", async () => {
    const cf = await clientFor('headers-then-stall', { fetch: deafFetch, timeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    const started = Date.now();
    const error = await rejection(
      cf.allowPolicies.update(POLICY, { comments: 'x' }, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a response that arrives after the deadline is never read: its body is cancelled', async () => {
    let cancelled = false;
    const cf = await clientFor('silent', {
      fetch: () =>
        new Promise<Response>((resolve) =>
          setTimeout(() => {
            const body = new ReadableStream({
              pull: () => undefined,
              cancel: () => {
                cancelled = true;
              },
            });
            resolve(new Response(body, { status: 200 }));
          }, 120),
        ),
      timeoutMs: 30,
      maxRetries: 0,
    });
    expect(await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }))).toBeInstanceOf(
      TimeoutError,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cancelled).toBe(true);
  });
});

describe('bounded size', () => {
  it('an endless body: ResponseTooLargeError naming the limit, nothing more read', async () => {
    const cf = await clientFor('endless-body', { maxResponseBytes: 1 * MiB });
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toMatch(
      /^PATCH \/accounts\/[0-9a-f]{32}\/.*: 200: response body exceeds the 1048576-byte limit \(maxResponseBytes\)/,
    );
    const written = (hostile as HostileServer).bytesWritten;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((hostile as HostileServer).bytesWritten - written).toBeLessThan(8 * MiB);
  });

  it('a gzip bomb under the default 8 MiB limit of decoded body', async () => {
    const cf = await clientFor({ kind: 'bomb', encoding: 'gzip', inflatedBytes: 32 * MiB });
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(8 * MiB);
  });

  it('the option is checked', () => {
    expect(() =>
      createEmailSecurityClient({
        accountId: ACCOUNT,
        auth: { apiToken: TOKEN },
        maxResponseBytes: 0,
      }),
    ).toThrow(/options\.maxResponseBytes: must be a positive whole number of bytes/);
  });
});

describe('result: null where the spec declares an object', () => {
  it.each([
    ['null', { success: true, errors: [], messages: [], result: null }],
    ['absent', { success: true, errors: [], messages: [] }],
  ])('%s: InvalidResponseError, not a null typed as the policy', async (_, body) => {
    const cf = await clientFor({ kind: 'json', status: 200, body });
    expect(await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }))).toBeInstanceOf(
      InvalidResponseError,
    );
  });
});

describe('snapshot, validate, send exactly that (stand-in)', () => {
  let server: StandInServer;
  beforeAll(async () => {
    server = await startStandInServer();
  });
  afterAll(() => server.close());
  const client = () =>
    createEmailSecurityClient({
      accountId: server.accountId,
      auth: { apiToken: server.apiToken },
      baseUrl: server.baseUrl,
      ...quiet,
    });

  it('a getter that changes value: the value validated is the value sent', async () => {
    const policy = server.seedPolicy();
    server.requests.length = 0;
    let reads = 0;
    const patch = {
      get comments() {
        reads++;
        return reads === 1 ? 'validated' : 'x'.repeat(5_000);
      },
    };
    await client().allowPolicies.update(policy.id, patch as never);
    expect(server.requests.map((r) => r.body)).toEqual([{ comments: 'validated' }]);
    expect(reads).toBe(1);
  });

  it('a Proxy whose keys change after validation: the keys validated are the keys sent', async () => {
    const policy = server.seedPolicy();
    server.requests.length = 0;
    let calls = 0;
    const patch = new Proxy({ comments: 'ok' } as Record<string, unknown>, {
      ownKeys: (t) => (++calls === 1 ? Reflect.ownKeys(t) : ['comments', 'id']),
      getOwnPropertyDescriptor: (t, k) =>
        k === 'id'
          ? { value: 'x', enumerable: true, configurable: true }
          : Reflect.getOwnPropertyDescriptor(t, k),
      get: (t, k) => (k === 'id' ? 'read-only!' : Reflect.get(t, k)),
    });
    await client().allowPolicies.update(policy.id, patch as never);
    expect(server.requests.map((r) => r.body)).toEqual([{ comments: 'ok' }]);
  });

  it('a non-enumerable toJSON, a Date, a throwing getter: ValidationError, nothing sent', async () => {
    server.requests.length = 0;
    const thrown = new Error('getter broke');
    const patches: [unknown, RegExp][] = [
      [
        Object.defineProperty({ comments: 'ok' }, 'toJSON', {
          value: () => ({ id: 'x', created_at: 'y' }),
        }),
        /toJSON/,
      ],
      [{ comments: new Date() }, /got a Date/],
      [
        {
          get comments(): string {
            throw thrown;
          },
        },
        /threw/,
      ],
    ];
    for (const [patch, message] of patches) {
      const error = await rejection(client().allowPolicies.update(POLICY, patch as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(message);
    }
    const last = await rejection(client().allowPolicies.update(POLICY, patches[2]?.[0] as never));
    expect(last.cause).toBe(thrown);
    expect(server.requests).toHaveLength(0);
  });
});

/** Every text a user or a log could see. */
function everything(error: Error, lines: unknown[]): string {
  const e = error as Error & { toJSON?: () => unknown };
  const causes: string[] = [];
  for (let c: unknown = error.cause, i = 0; c && i < 5; c = (c as Error).cause, i++) {
    causes.push(String((c as Error).message), String((c as Error).stack), inspect(c, { depth: 5 }));
  }
  return [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    ...causes,
    JSON.stringify(lines),
  ].join('\n');
}

const leaks = (text: string, secret: string) =>
  encodedForms(secret).some((form) => text.includes(form));

describe('secrets never printed, in any encoding, on any path', () => {
  it('a token echoed percent-, JSON- and HTML-encoded in an error body', async () => {
    const lines: unknown[] = [];
    const body = {
      success: false,
      errors: [
        {
          code: 10000,
          message: `bad token ${encodeURIComponent(TOKEN)} / ${JSON.stringify(TOKEN)}`,
        },
      ],
      messages: [
        {
          code: 1,
          message: TOKEN.replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&#34;'),
        },
      ],
    };
    const cf = await clientFor(
      { kind: 'json', status: 403, body },
      {
        logger: { debug: (m, d) => lines.push(m, d), warn: (m, d) => lines.push(m, d) },
        logLevel: 'debug',
      },
    );
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(leaks(everything(error, lines), TOKEN)).toBe(false);
  });

  it('success-path messages and cf-ray are redacted', async () => {
    const cf = await clientFor({
      kind: 'json',
      status: 200,
      body: {
        success: true,
        errors: [],
        messages: [{ code: 1, message: `token ${TOKEN} used` }],
        result: { id: POLICY },
      },
      headers: { 'cf-ray': encodeURIComponent(TOKEN) },
    });
    const out = await cf.allowPolicies.update.withResponse(POLICY, { comments: 'x' });
    expect(out.messages[0]?.message).toBe('token [REDACTED] used');
    expect(out.cfRay).toBe('[REDACTED]');
  });

  it('a policy id or account id that IS the token is not printed in the request line', async () => {
    const hexToken = '0123456789abcdef0123456789abcdef';
    const cf = createEmailSecurityClient({
      accountId: hexToken,
      auth: { apiToken: hexToken },
      baseUrl: 'http://127.0.0.1:9',
      ...quiet,
    });
    const byAccount = await rejection(cf.allowPolicies.update(TOKEN as string, { comments: 'x' }));
    expect(byAccount.message).not.toContain(hexToken);
    const cf2 = createEmailSecurityClient({
      accountId: ACCOUNT,
      auth: { apiToken: TOKEN },
      baseUrl: 'http://127.0.0.1:9',
      ...quiet,
    });
    const byPolicy = await rejection(cf2.allowPolicies.update(TOKEN as string, { comments: 'x' }));
    expect(byPolicy).toBeInstanceOf(ValidationError);
    expect(leaks(everything(byPolicy, []), TOKEN)).toBe(false);
  });

  it("a provider's thrown error does not keep the token in its cause", async () => {
    let n = 0;
    const cf = await clientFor(
      {
        kind: 'json',
        status: 200,
        body: { success: true, errors: [], messages: [], result: { id: POLICY } },
      },
      {
        auth: async () => {
          n++;
          if (n === 2)
            throw new Error(`vault refused to rotate ${TOKEN}`, {
              cause: new Error(`old=${encodeURIComponent(TOKEN)}`),
            });
          return { apiToken: TOKEN };
        },
      },
    );
    await cf.allowPolicies.update(POLICY, { comments: 'x' });
    const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
    expect(error.message).toMatch(/credentials provider failed/);
    expect(leaks(everything(error, []), TOKEN)).toBe(false);
  });

  it('a rotating provider: the 1st of 200 tokens, echoed after all of them, is still redacted', async () => {
    const tokens = Array.from(
      { length: 200 },
      (_, i) => `tok_rotated_${i}_${'z'.repeat(i % 5)}_abcdef`,
    );
    let i = 0;
    const server = await startStandInServer({ apiToken: 'unused-token-0123456789' });
    try {
      const cf = createEmailSecurityClient({
        accountId: server.accountId,
        auth: () => ({ apiToken: tokens[Math.min(i++, tokens.length - 1)] as string }),
        baseUrl: server.baseUrl,
        maxRetries: 0,
        ...quiet,
      });
      for (let k = 0; k < tokens.length; k++)
        await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
      server.injectFault({
        kind: 'status',
        status: 400,
        errors: [{ code: 1, message: `stale ${tokens[0]}` }],
      });
      const error = await rejection(cf.allowPolicies.update(POLICY, { comments: 'x' }));
      expect(error.message).toContain('stale [REDACTED]');
    } finally {
      await server.close();
    }
  });
});
