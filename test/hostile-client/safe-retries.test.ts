import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLog } from '../../src/logger.js';
import { createRateLimiter } from '../../src/rate-limit.js';
import { SecretStore } from '../../src/redact.js';
import { type FetchLike, mayRetry, sendWithRetries, type TransportCall } from '../../src/retry.js';
import { type Behaviour, type HostileServer, startHostileServer } from './servers.js';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A port nothing listens on (bound, then closed). */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Sends one request through the retrying transport; resolves to how many attempts were made. */
async function attempts(method: string, url: string, fetch?: FetchLike): Promise<number> {
  let count = 0;
  const call: TransportCall = {
    client: {
      fetch,
      timing: { initialDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 60_000 },
      secrets: new SecretStore(),
      limiter: createRateLimiter({ budget: false, maxConcurrency: 8 }),
      log: createLog(
        {
          debug: (message) => {
            if (message === 'request') count++;
          },
        },
        'debug',
        () => [],
      ),
    },
    options: { maxRetries: 2, timeoutMs: 150 },
    context: { operationId: 'op', method, path: '/x' },
    release: () => {},
    onEnd: () => {},
  };
  const body = method === 'GET' ? undefined : '{"a":1}';
  try {
    const response = await sendWithRetries(
      { url, method, headers: { 'content-type': 'application/json' }, body },
      call,
    );
    await response.body?.cancel();
  } catch {
    // the outcome is the number of attempts
  } finally {
    call.release();
  }
  return count;
}

const status = (code: number, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'json',
  status: code,
  body: { success: false, errors: [{ code: 1, message: 'x' }], messages: [] },
  headers,
});

/** given a fault, want the attempts a PATCH (repeatable) and a POST (not) make, with maxRetries 2, then the fault. */
const table: [string, number, number, Behaviour | 'refused'][] = [
  ['connection refused (never reached the server)', 3, 3, 'refused'],
  ['reset after the request was sent', 3, 1, 'reset-after-request'],
  ['timeout after the request was sent', 3, 1, 'silent'],
  ['503 with Retry-After', 3, 3, status(503, { 'retry-after': '0' })],
  ['429 with Retry-After', 3, 3, status(429, { 'retry-after': '0' })],
  ['503 without Retry-After', 3, 1, status(503)],
  ['429 without Retry-After', 3, 1, status(429)],
  ['500', 3, 1, status(500)],
  ['409', 3, 1, status(409)],
  ['400 (never retried)', 1, 1, status(400)],
];

describe('retry only what is safe (real local servers)', () => {
  it.each(table)(
    '%s: PATCH %i attempts, POST %i',
    async (_, patchAttempts, postAttempts, fault) => {
      for (const [method, want] of [
        ['PATCH', patchAttempts],
        ['POST', postAttempts],
      ] as const) {
        let url: string;
        if (fault === 'refused') url = `http://127.0.0.1:${await refusedPort()}/x`;
        else {
          server = await startHostileServer(fault);
          url = `${server.url}/x`;
        }
        expect(await attempts(method, url), method).toBe(want);
        if (fault !== 'refused') {
          expect(server?.requests, `${method} requests received`).toBe(want);
          await server?.close();
          server = undefined;
        }
      }
    },
  );
});

describe('a user fetch: its error codes decide whether a POST surely did not reach the server', () => {
  const failing =
    (code: string): FetchLike =>
    () =>
      Promise.reject(
        new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
      );
  it.each([
    ['ENOTFOUND', 3],
    ['EAI_AGAIN', 3],
    ['ECONNREFUSED', 3],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 3],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 3],
    ['UND_ERR_CONNECT_TIMEOUT', 3],
    ['ECONNRESET', 1],
    ['UND_ERR_SOCKET', 1],
    ['EPIPE', 1],
  ])('%s: POST makes %i attempts', async (code, want) => {
    expect(await attempts('POST', 'http://127.0.0.1:9/x', failing(code))).toBe(want);
  });

  it('an error without a code is not retried for POST, and is for GET', async () => {
    const broken: FetchLike = () => Promise.reject(new Error('something odd'));
    expect(await attempts('POST', 'http://127.0.0.1:9/x', broken)).toBe(1);
    expect(await attempts('GET', 'http://127.0.0.1:9/x', broken)).toBe(3);
  });
});

describe('mayRetry', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'])(
    '%s retries every retryable status',
    (method) => {
      for (const s of [408, 409, 429, 500, 503])
        expect(mayRetry(method, { status: s, retryAfter: false })).toBe(true);
      expect(mayRetry(method, { status: 404, retryAfter: true })).toBe(false);
    },
  );
});
