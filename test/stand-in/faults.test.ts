import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { CF_RAY, call } from './request.js';

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

/** The error fetch rejects with when the server drops the connection. */
async function networkError(
  promise: Promise<unknown>,
): Promise<{ message: string; cause: unknown }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail at the network level');
    },
    (failure: unknown) => failure as { message: string; cause: unknown },
  );
  return error;
}

describe('stand-in faults', () => {
  it('status: answers the status with a failure envelope, default code 1099', async () => {
    server.injectFault({ kind: 'status', status: 503 });
    const res = await call(server, 'GET');
    expect(res.status).toBe(503);
    expect(res.headers.get('cf-ray')).toMatch(CF_RAY);
    expect(res.json).toEqual({
      success: false,
      errors: [{ code: 1099, message: '503 Service Unavailable (injected fault)' }],
      messages: [],
      result: null,
    });
  });

  it('status: uses given errors and headers', async () => {
    server.injectFault({
      kind: 'status',
      status: 409,
      errors: [{ code: 1234, message: 'Conflict with a parallel update' }],
      headers: { 'x-extra': 'yes' },
    });
    const res = await call(server, 'GET');
    expect(res.status).toBe(409);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(res.json.errors).toEqual([{ code: 1234, message: 'Conflict with a parallel update' }]);
  });

  it('rate-limit: 429 code 971 with Retry-After and retry-after-ms', async () => {
    server.injectFault({ kind: 'rate-limit', retryAfter: '2', retryAfterMs: '1500' });
    const res = await call(server, 'GET');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('retry-after-ms')).toBe('1500');
    expect(res.json.errors).toEqual([
      { code: 971, message: 'Please wait and consider throttling your request speed' },
    ]);
  });

  it('rate-limit: sends only the retry headers that were given', async () => {
    server.injectFault({ kind: 'rate-limit' });
    const res = await call(server, 'GET');
    expect(res.status).toBe(429);
    expect(res.headers.has('retry-after')).toBe(false);
    expect(res.headers.has('retry-after-ms')).toBe(false);
  });

  it('html: 502 Cloudflare edge page as text/html', async () => {
    server.injectFault({ kind: 'html' });
    const res = await call(server, 'GET');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toContain('<title>502 Bad Gateway</title>');
    expect(res.text).toContain('<center>cloudflare</center>');
    expect(res.json).toBeUndefined();

    server.injectFault({ kind: 'html', status: 504 });
    expect((await call(server, 'GET')).text).toContain('504 Gateway Timeout');
  });

  it('reset: destroys the socket without a response', async () => {
    server.injectFault({ kind: 'reset' });
    const error = await networkError(call(server, 'GET'));
    expect(error.message).toBe('fetch failed');
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(1);
    expect((await call(server, 'GET')).status).toBe(200);
  });

  it('dieAfterWrites: the last write is applied but unanswered, then every request is dropped until revive', async () => {
    const policy = server.seedPolicy({ comments: null });
    const patch = (comments: string) =>
      call(server, 'PATCH', { policyId: policy.id, body: { comments } });
    server.dieAfterWrites(2);
    expect((await patch('one')).status).toBe(200);
    expect((await networkError(patch('two'))).message).toBe('fetch failed');
    expect(server.policies.get(policy.id)?.comments).toBe('two');
    expect((await networkError(call(server, 'GET'))).message).toBe('fetch failed');
    expect(server.writeCount).toBe(2);
    server.revive();
    expect((await call(server, 'GET')).status).toBe(200);
    expect((await patch('three')).status).toBe(200);
    expect(() => server.dieAfterWrites(0)).toThrow(/positive integer/);
  });

  it('delay: answers normally after the delay', async () => {
    server.injectFault({ kind: 'delay', ms: 150 });
    const started = performance.now();
    const res = await call(server, 'GET');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delay: a client timeout aborts it, and the server stays usable', async () => {
    server.injectFault({ kind: 'delay', ms: 10_000 });
    const error = await networkError(call(server, 'GET', { signal: AbortSignal.timeout(100) }));
    expect((error as unknown as Error).name).toBe('TimeoutError');
    expect((await call(server, 'GET')).status).toBe(200);
  });

  it('invalid-json: 200 with a truncated JSON body', async () => {
    server.injectFault({ kind: 'invalid-json' });
    const res = await call(server, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.text.startsWith('{"success":true')).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it('empty: empty body, default 200, status configurable', async () => {
    server.injectFault({ kind: 'empty' });
    const ok = await call(server, 'GET');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    expect(ok.headers.get('content-length')).toBe('0');
    server.injectFault({ kind: 'empty', status: 500 });
    expect((await call(server, 'GET')).status).toBe(500);
  });

  it('deprecation-headers: answers normally with Deprecation, Sunset and Link', async () => {
    const seeded = server.seedPolicy();
    server.injectFault({ kind: 'deprecation-headers' });
    const res = await call(server, 'PATCH', { policyId: seeded.id, body: { comments: 'x' } });
    expect(res.status).toBe(200);
    expect(res.json.result.comments).toBe('x');
    expect(res.headers.get('deprecation')).toBe('@1751328000');
    expect(res.headers.get('sunset')).toBe('Wed, 01 Jul 2026 00:00:00 GMT');
    expect(res.headers.get('link')).toContain('rel="deprecation"');
  });

  it('deprecation-headers: sends only the given headers when some are given', async () => {
    server.injectFault({ kind: 'deprecation-headers', sunset: 'Sun, 01 Nov 2026 00:00:00 GMT' });
    const res = await call(server, 'GET');
    expect(res.headers.get('sunset')).toBe('Sun, 01 Nov 2026 00:00:00 GMT');
    expect(res.headers.has('deprecation')).toBe(false);
    expect(res.headers.has('link')).toBe(false);
  });

  it('deprecation-headers still goes through validation (a 400 gets them too)', async () => {
    server.injectFault({ kind: 'deprecation-headers' });
    const res = await call(server, 'PATCH', { policyId: 'nope', body: { comments: 'x' } });
    expect(res.status).toBe(400);
    expect(res.headers.has('deprecation')).toBe(true);
  });
});

describe('stand-in fault queue', () => {
  it('applies a fault `times` times, then answers normally', async () => {
    server.injectFault({ kind: 'status', status: 500 }, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(server, 'GET')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('consumes faults in the order they were injected', async () => {
    server.injectFault({ kind: 'status', status: 500 });
    server.injectFault({ kind: 'rate-limit', retryAfter: '1' });
    server.injectFault({ kind: 'status', status: 502 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await call(server, 'GET')).status);
    expect(statuses).toEqual([500, 429, 502, 200]);
  });

  it('only matches the given method and path', async () => {
    const seeded = server.seedPolicy();
    server.injectFault(
      { kind: 'status', status: 500 },
      { method: 'patch', pathIncludes: seeded.id },
    );
    expect((await call(server, 'GET', { policyId: seeded.id })).status).toBe(200);
    expect(
      (await call(server, 'PATCH', { policyId: server.seedPolicy().id, body: { comments: 'x' } }))
        .status,
    ).toBe(200);
    expect(
      (await call(server, 'PATCH', { policyId: seeded.id, body: { comments: 'x' } })).status,
    ).toBe(500);
    expect(
      (await call(server, 'PATCH', { policyId: seeded.id, body: { comments: 'x' } })).status,
    ).toBe(200);
  });

  it('still records faulted requests', async () => {
    server.injectFault({ kind: 'status', status: 500 });
    await call(server, 'PATCH', { policyId: 'x', body: { comments: 'recorded' } });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toEqual({ comments: 'recorded' });
  });

  it.each([
    [{ kind: 'status', status: 42 }, {}, /status must be 100-599/],
    [{ kind: 'html', status: 700 }, {}, /status must be 100-599/],
    [{ kind: 'delay', ms: -1 }, {}, /delay ms must be a finite number >= 0/],
    [{ kind: 'reset' }, { times: 0 }, /times must be a positive integer/],
    [{ kind: 'reset' }, { times: 1.5 }, /times must be a positive integer/],
  ] as const)('rejects bad fault %j %j', (fault, options, message) => {
    expect(() => server.injectFault(fault, options)).toThrow(message);
  });
});
