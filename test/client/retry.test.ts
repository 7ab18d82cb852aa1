import { describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, TimeoutError } from '../../src/errors.js';
import { REDIRECT, type SendableRequest } from '../../src/request.js';
import { retryAfterMs } from '../../src/response.js';
import {
  backoffDelayMs,
  DEFAULT_RETRY_TIMING,
  isRetryableStatus,
  sendWithRetries,
  type TransportCall,
  type TransportSettings,
} from '../../src/retry.js';

const context = { operationId: 'op', method: 'PATCH', path: '/x' };
const BODY = '{"pattern":"a@example.com"}';

function request(body: SendableRequest['body'] = BODY): SendableRequest {
  return { url: 'http://127.0.0.1:1/x', method: 'PATCH', headers: {}, body };
}

function reply(status: number, headers: Record<string, string> = {}) {
  return new Response(`{"status":${status}}`, { status, headers });
}

interface Harness {
  call: TransportCall;
  bodies: string[];
  sleeps: number[];
  redirects: string[];
}

type Overrides = Partial<TransportSettings> & Partial<TransportCall['options']>;

function harness(
  answers: ((request: Request, init?: RequestInit) => Promise<Response>)[],
  overrides: Overrides = {},
): Harness {
  const bodies: string[] = [];
  const sleeps: number[] = [];
  const redirects: string[] = [];
  let n = 0;
  const { maxRetries = 2, timeoutMs = 1_000, signal, ...settings } = overrides;
  const call: TransportCall = {
    client: {
      fetch: async (req, init) => {
        bodies.push(await req.text());
        redirects.push(req.redirect);
        const answer = answers[Math.min(n++, answers.length - 1)];
        if (!answer) throw new Error('no answer configured');
        return answer(req, init);
      },
      timing: DEFAULT_RETRY_TIMING,
      secrets: [],
      random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...settings,
    },
    options: { maxRetries, timeoutMs, signal },
    context,
    release: () => {},
  };
  return { call, bodies, sleeps, redirects };
}

const send = (h: Harness, body: SendableRequest['body'] = BODY) =>
  sendWithRetries(request(body), h.call);

describe('retry policy', () => {
  it('retries 408, 409, 429 and 5xx only', () => {
    const retryable = [408, 409, 429, 500, 502, 503, 504, 599];
    const final = [200, 201, 204, 301, 400, 401, 403, 404, 405, 410, 413, 415, 422];
    for (const s of retryable) expect(isRetryableStatus(s), String(s)).toBe(true);
    for (const s of final) expect(isRetryableStatus(s), String(s)).toBe(false);
  });

  it('backs off min(0.5·2^n, 8) s with up to 25 % jitter', () => {
    const none = [0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, DEFAULT_RETRY_TIMING, () => 0));
    expect(none).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelayMs(0, DEFAULT_RETRY_TIMING, () => 1)).toBe(375);
    expect(backoffDelayMs(4, DEFAULT_RETRY_TIMING, () => 0.5)).toBe(7000);
  });

  it('reads retry-after-ms, Retry-After seconds and Retry-After HTTP dates', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const at = (h: Record<string, string>) => retryAfterMs(new Headers(h), now);
    expect(at({ 'retry-after-ms': '250' })).toBe(250);
    expect(at({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(at({ 'retry-after': '3' })).toBe(3000);
    expect(at({ 'retry-after': 'Thu, 26 Nov 2026 12:00:05 GMT' })).toBe(5000);
    expect(at({ 'retry-after': 'Thu, 26 Nov 2026 11:00:00 GMT' })).toBe(0);
    expect(at({ 'retry-after': 'soon' })).toBeUndefined();
    expect(at({})).toBeUndefined();
  });
});

describe('sendWithRetries', () => {
  it('retries a 503 then returns the 200, re-sending the same body', async () => {
    const h = harness([async () => reply(503), async () => reply(503), async () => reply(200)]);
    const response = await send(h);
    expect(response.status).toBe(200);
    expect(h.bodies).toEqual([BODY, BODY, BODY]);
    expect(h.sleeps).toEqual([500, 1000]);
  });

  it('re-sends a byte body (a replacement from middleware) on every attempt, redirect manual', async () => {
    const h = harness([async () => reply(500), async () => reply(200)]);
    const response = await send(h, new TextEncoder().encode(BODY).buffer as ArrayBuffer);
    expect(response.status).toBe(200);
    expect(h.bodies).toEqual([BODY, BODY]);
    expect(h.redirects).toEqual([REDIRECT, REDIRECT]);
  });

  it('returns the last retryable response once maxRetries is used up', async () => {
    const h = harness([async () => reply(502)]);
    const response = await send(h);
    expect(response.status).toBe(502);
    expect(h.bodies).toHaveLength(3);
  });

  it('never retries other 4xx', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const h = harness([async () => reply(status), async () => reply(200)]);
      expect((await send(h)).status).toBe(status);
      expect(h.bodies).toHaveLength(1);
    }
  });

  it('honours retry-after-ms and Retry-After up to 60 s', async () => {
    const h = harness([
      async () => reply(429, { 'retry-after-ms': '1234' }),
      async () => reply(429, { 'retry-after': '60' }),
      async () => reply(200),
    ]);
    expect((await send(h)).status).toBe(200);
    expect(h.sleeps).toEqual([1234, 60_000]);
  });

  it('gives up at once when the server asks for more than 60 s', async () => {
    const h = harness([async () => reply(429, { 'retry-after': '61' }), async () => reply(200)]);
    const response = await send(h);
    expect(response.status).toBe(429);
    expect(h.sleeps).toEqual([]);
  });

  it('maxRetries 0 sends once', async () => {
    const h = harness([async () => reply(503), async () => reply(200)], { maxRetries: 0 });
    expect((await send(h)).status).toBe(503);
    expect(h.bodies).toHaveLength(1);
  });

  it('retries connection errors, then throws ConnectionError with the cause', async () => {
    const failure = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    };
    const h = harness([failure]);
    const error = await send(h).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe('PATCH /x: connection failed (fetch failed: ECONNRESET)');
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(h.bodies).toHaveLength(3);
    expect(h.sleeps).toEqual([500, 1000]);
  });

  it('times out each attempt on its own and retries', async () => {
    const hang = (_req: Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const h = harness([hang, hang, async () => reply(200)], { timeoutMs: 20 });
    const started = Date.now();
    expect((await send(h)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(h.bodies).toHaveLength(3);
  });

  it('throws TimeoutError after the last attempt even if fetch ignores the signal', async () => {
    const ignore = () => new Promise<Response>(() => {});
    const h = harness([ignore], { timeoutMs: 15, maxRetries: 1 });
    const error = await send(h).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(15);
    expect((error as Error).message).toBe('PATCH /x: no response within 15 ms (timeoutMs)');
  });

  it('stops on the caller abort during an attempt, without retrying', async () => {
    const controller = new AbortController();
    const hang = (_req: Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        setTimeout(() => controller.abort(new Error('user said stop')), 5);
      });
    const h = harness([hang], { signal: controller.signal });
    const error = await send(h).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(((error as Error).cause as Error).message).toBe('user said stop');
    expect(h.bodies).toHaveLength(1);
  });

  it('the caller signal interrupts a backoff wait (real sleep)', async () => {
    const controller = new AbortController();
    const h = harness([async () => reply(503)], {
      signal: controller.signal,
      sleep: undefined,
      timing: { ...DEFAULT_RETRY_TIMING, initialDelayMs: 30_000, maxDelayMs: 30_000 },
    });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = await send(h).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(h.bodies).toHaveLength(1);
  });

  it('the per-attempt timer keeps running until release() (covers reading the body)', async () => {
    let signal: AbortSignal | undefined;
    const answer = async (_r: Request, init?: RequestInit) => {
      signal = init?.signal ?? undefined;
      return reply(200);
    };
    const kept = harness([answer], { timeoutMs: 10 });
    await send(kept);
    await new Promise((r) => setTimeout(r, 30));
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);

    const released = harness([answer], { timeoutMs: 10 });
    await send(released);
    released.call.release();
    await new Promise((r) => setTimeout(r, 30));
    expect(signal?.aborted).toBe(false);
  });
});
