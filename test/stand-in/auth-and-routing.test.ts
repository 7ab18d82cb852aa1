import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { otherAccountId, randomPolicyId } from '../support/fixtures.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { CF_RAY, call, rawFetch } from './request.js';

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

const AUTH_ERROR = {
  success: false,
  errors: [{ code: 10000, message: 'Authentication error' }],
  messages: [],
  result: null,
};

describe('stand-in authentication', () => {
  it('accepts Authorization: Bearer <token>', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: { comments: 'x' },
      auth: 'bearer',
    });
    expect(res.status).toBe(200);
  });

  it('accepts X-Auth-Email + X-Auth-Key', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: { comments: 'x' },
      auth: 'api-key',
    });
    expect(res.status).toBe(200);
  });

  it('accepts the bearer scheme case-insensitively', async () => {
    const res = await call(server, 'GET', {
      auth: { authorization: `bearer ${server.apiToken}` },
    });
    expect(res.status).toBe(200);
  });

  const rejected: [string, (s: StandInServer) => Record<string, string>][] = [
    ['no credentials', () => ({})],
    ['wrong bearer token', (s) => ({ authorization: `Bearer ${s.apiToken}x` })],
    ['Basic scheme', (s) => ({ authorization: `Basic ${btoa(`${s.apiEmail}:${s.apiKey}`)}` })],
    ['Bearer without token', () => ({ authorization: 'Bearer' })],
    ['only X-Auth-Email', (s) => ({ 'x-auth-email': s.apiEmail })],
    ['only X-Auth-Key', (s) => ({ 'x-auth-key': s.apiKey })],
    ['wrong X-Auth-Key', (s) => ({ 'x-auth-email': s.apiEmail, 'x-auth-key': `${s.apiKey}0` })],
    [
      'wrong Authorization wins over valid X-Auth headers',
      (s) => ({ authorization: 'Bearer nope', 'x-auth-email': s.apiEmail, 'x-auth-key': s.apiKey }),
    ],
  ];

  it.each(rejected)('rejects %s with 403 code 10000', async (_name, headersFor) => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: { comments: 'should not apply' },
      auth: headersFor(server),
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(AUTH_ERROR);
    expect(server.policies.get(seeded.id)?.comments).toBeNull();
  });

  it('never echoes credentials in responses', async () => {
    const res = await call(server, 'PATCH', {
      policyId: randomPolicyId(),
      body: { comments: 'x' },
      auth: { authorization: `Bearer ${server.apiToken}-wrong` },
    });
    expect(res.text).not.toContain(server.apiToken);
    expect(res.text).not.toContain(server.apiKey);
  });

  it('uses fresh random credentials per server unless given', async () => {
    const other = await startStandInServer({ apiToken: 'fixed-token', apiKey: 'fixed-key' });
    try {
      expect(other.apiToken).toBe('fixed-token');
      expect(other.apiKey).toBe('fixed-key');
      expect(server.apiToken).toMatch(/^[A-Za-z0-9_-]{40}$/);
      expect(server.apiKey).toMatch(/^[0-9a-f]{37}$/);
      const res = await call(other, 'GET', { auth: { authorization: 'Bearer fixed-token' } });
      expect(res.status).toBe(200);
      const cross = await call(other, 'GET', {
        auth: { authorization: `Bearer ${server.apiToken}` },
      });
      expect(cross.status).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe('stand-in routing', () => {
  it('puts a cf-ray header on every response, unique per response', async () => {
    const responses = await Promise.all([
      call(server, 'GET'),
      call(server, 'GET', { auth: 'none' }),
      rawFetch(server, '/nowhere'),
    ]);
    const rays = responses.map((res) => res.headers.get('cf-ray'));
    for (const ray of rays) expect(ray).toMatch(CF_RAY);
    expect(new Set(rays).size).toBe(rays.length);
  });

  it('answers 404 code 7000 for unknown paths (and the base path is required)', async () => {
    const unknown = await rawFetch(server, '/client/v4/zones');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].code).toBe(7000);
    const noBase = await rawFetch(
      server,
      `/accounts/${server.accountId}/email-security/settings/allow_policies`,
      { headers: { authorization: `Bearer ${server.apiToken}` } },
    );
    expect(noBase.status).toBe(404);
  });

  it('answers 404 codes 7003 + 7000 for a malformed account id, before authentication', async () => {
    const res = await call(server, 'GET', { accountId: 'not-an-account', auth: 'none' });
    expect(res.status).toBe(404);
    expect(res.json.errors.map((e: { code: number }) => e.code)).toEqual([7003, 7000]);
    expect(res.json.errors[0].message).toContain('perhaps your object identifier is invalid?');
  });

  it("answers 403 code 9109 for a well-formed account that is not the stand-in's", async () => {
    const res = await call(server, 'GET', { accountId: otherAccountId });
    expect(res.status).toBe(403);
    expect(res.json.errors).toEqual([
      { code: 9109, message: 'Unauthorized to access requested resource' },
    ]);
  });

  it('answers 400 code 1002 for a policy id that is not a UUID', async () => {
    const res = await call(server, 'PATCH', { policyId: '12345', body: { comments: 'x' } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors[0].code).toBe(1002);
    expect(res.json.errors[0].message).toContain('"12345"');
    expect(res.json.errors[0].message).toContain('expected a UUID');
  });

  it('answers 405 code 7001 with an Allow header for unsupported methods', async () => {
    const onItem = await call(server, 'PUT', { policyId: randomPolicyId(), body: { x: 1 } });
    expect(onItem.status).toBe(405);
    expect(onItem.headers.get('allow')).toBe('GET, PATCH, DELETE');
    expect(onItem.json.errors[0].code).toBe(7001);
    const onCollection = await call(server, 'DELETE');
    expect(onCollection.status).toBe(405);
    expect(onCollection.headers.get('allow')).toBe('GET, POST');
  });

  it('serves a custom base path', async () => {
    const custom = await startStandInServer({ basePath: '' });
    try {
      expect(custom.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await call(custom, 'GET')).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});
