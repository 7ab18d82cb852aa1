import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCreateBody, randomPolicyId } from '../support/fixtures.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { CF_RAY, call } from './request.js';

const T0 = new Date('2026-11-26T10:00:00.000Z');
let now = T0;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

const server: StandInServer = await startStandInServer({ clock: () => now });
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  now = T0;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('stand-in CRUD', () => {
  it('creates a policy (201) with a UUID id and all three timestamps', async () => {
    const res = await call(server, 'POST', { body: makeCreateBody({ pattern: 'a@example.com' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cf-ray')).toMatch(CF_RAY);
    expect(res.json).toMatchObject({ success: true, errors: [], messages: [] });
    const policy = res.json.result;
    expect(policy.id).toMatch(UUID);
    expect(policy).toMatchObject({
      pattern: 'a@example.com',
      pattern_type: 'EMAIL',
      is_trusted_sender: true,
      created_at: T0.toISOString(),
      modified_at: T0.toISOString(),
      last_modified: T0.toISOString(),
    });
    expect(server.policies.get(policy.id)).toEqual(policy);
  });

  it('creates without comments, storing comments: null', async () => {
    const { comments: _dropped, ...body } = makeCreateBody();
    const res = await call(server, 'POST', { body });
    expect(res.status).toBe(201);
    expect(res.json.result.comments).toBeNull();
  });

  it('gets a policy and answers 404 (code 1003) for an unknown id', async () => {
    const seeded = server.seedPolicy({ pattern: 'example.org', pattern_type: 'DOMAIN' });
    const found = await call(server, 'GET', { policyId: seeded.id });
    expect(found.status).toBe(200);
    expect(found.json.result).toEqual(seeded);

    const missingId = randomPolicyId();
    const missing = await call(server, 'GET', { policyId: missingId });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      success: false,
      errors: [{ code: 1003, message: `Allow policy ${missingId} not found.` }],
      messages: [],
      result: null,
    });
  });

  it('deletes a policy, returning { id }, then 404s', async () => {
    const seeded = server.seedPolicy();
    const deleted = await call(server, 'DELETE', { policyId: seeded.id });
    expect(deleted.status).toBe(200);
    expect(deleted.json.result).toEqual({ id: seeded.id });
    expect(server.policies.has(seeded.id)).toBe(false);
    expect((await call(server, 'DELETE', { policyId: seeded.id })).status).toBe(404);
  });

  it('matches upper-case policy ids case-insensitively', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'GET', { policyId: seeded.id.toUpperCase() });
    expect(res.status).toBe(200);
    expect(res.json.result.id).toBe(seeded.id);
  });
});

describe('stand-in PATCH', () => {
  it('changes only the provided fields and bumps modified_at and last_modified', async () => {
    const before = server.seedPolicy({ comments: 'old', is_regex: false });
    advance(60_000);
    const res = await call(server, 'PATCH', {
      policyId: before.id,
      body: { comments: 'new', is_regex: true },
    });
    expect(res.status).toBe(200);
    const later = new Date(T0.getTime() + 60_000).toISOString();
    expect(res.json.result).toEqual({
      ...before,
      comments: 'new',
      is_regex: true,
      modified_at: later,
      last_modified: later,
    });
    expect(res.json.result.created_at).toBe(T0.toISOString());
    expect(server.policies.get(before.id)).toEqual(res.json.result);
  });

  it('sets comments to null', async () => {
    const before = server.seedPolicy({ comments: 'to be cleared' });
    const res = await call(server, 'PATCH', { policyId: before.id, body: { comments: null } });
    expect(res.status).toBe(200);
    expect(res.json.result.comments).toBeNull();
  });

  it('answers 404 for an unknown policy with a valid body', async () => {
    const res = await call(server, 'PATCH', {
      policyId: randomPolicyId(),
      body: { comments: 'x' },
    });
    expect(res.status).toBe(404);
    expect(res.json.errors[0].code).toBe(1003);
  });

  it('accepts but does not store the end-of-life is_sender/is_recipient/is_spoof', async () => {
    const before = server.seedPolicy({ is_trusted_sender: false });
    advance(1_000);
    const res = await call(server, 'PATCH', {
      policyId: before.id,
      body: { is_sender: true, is_recipient: true, is_spoof: true, comments: 'legacy client' },
    });
    expect(res.status).toBe(200);
    for (const legacy of ['is_sender', 'is_recipient', 'is_spoof']) {
      expect(res.json.result).not.toHaveProperty(legacy);
      expect(server.policies.get(before.id)).not.toHaveProperty(legacy);
    }
    expect(res.json.result.is_trusted_sender).toBe(false);
    expect(res.json.result.comments).toBe('legacy client');
  });

  it('keeps legacy fields seeded on an existing entry and returns them', async () => {
    const before = server.seedPolicy({ is_sender: true, pattern_type: 'UNKNOWN' });
    const res = await call(server, 'GET', { policyId: before.id });
    expect(res.json.result).toMatchObject({ is_sender: true, pattern_type: 'UNKNOWN' });
  });
});

describe('stand-in list', () => {
  const seedMany = (count: number) =>
    Array.from({ length: count }, (_, index) => {
      advance(1_000);
      return server.seedPolicy({
        pattern: `user${String(index).padStart(2, '0')}@example.com`,
        pattern_type: index % 2 === 0 ? 'EMAIL' : 'DOMAIN',
        verify_sender: index % 3 === 0,
      });
    });

  it('paginates with page/per_page and reports result_info', async () => {
    const seeded = seedMany(25);
    const first = await call(server, 'GET');
    expect(first.status).toBe(200);
    expect(first.json.result).toHaveLength(20);
    expect(first.json.result_info).toEqual({ page: 1, per_page: 20, count: 20, total_count: 25 });

    const third = await call(server, 'GET', { query: 'page=3&per_page=10' });
    expect(third.json.result.map((p: { id: string }) => p.id)).toEqual(
      seeded.slice(20).map((p) => p.id),
    );
    expect(third.json.result_info).toEqual({ page: 3, per_page: 10, count: 5, total_count: 25 });

    const beyond = await call(server, 'GET', { query: 'page=9' });
    expect(beyond.json.result).toEqual([]);
  });

  it('filters by pattern_type and booleans, and sorts', async () => {
    seedMany(6);
    const domains = await call(server, 'GET', { query: 'pattern_type=DOMAIN' });
    expect(domains.json.result.map((p: { pattern: string }) => p.pattern)).toEqual([
      'user01@example.com',
      'user03@example.com',
      'user05@example.com',
    ]);
    const verified = await call(server, 'GET', {
      query: 'verify_sender=true&order=pattern&direction=desc',
    });
    expect(verified.json.result.map((p: { pattern: string }) => p.pattern)).toEqual([
      'user03@example.com',
      'user00@example.com',
    ]);
    const search = await call(server, 'GET', { query: 'search=USER04' });
    expect(search.json.result_info.total_count).toBe(1);
  });

  it.each([
    ['page=0', "'page'"],
    ['per_page=1001', "'per_page'"],
    ['per_page=abc', "'per_page'"],
    ['pattern_type=NOPE', "'pattern_type'"],
    ['is_trusted_sender=yes', "'is_trusted_sender'"],
    ['direction=up', "'direction'"],
  ])('rejects query %s with 400 code 1009', async (query, named) => {
    const res = await call(server, 'GET', { query });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors[0].code).toBe(1009);
    expect(res.json.errors[0].message).toContain(named);
  });
});

describe('stand-in legacyResponse', () => {
  it('omits modified_at but keeps last_modified', async () => {
    const legacy = await startStandInServer({ legacyResponse: true });
    try {
      const seeded = legacy.seedPolicy();
      const res = await call(legacy, 'PATCH', { policyId: seeded.id, body: { comments: 'x' } });
      expect(res.status).toBe(200);
      expect(res.json.result).not.toHaveProperty('modified_at');
      expect(res.json.result.last_modified).toEqual(expect.any(String));
      const listed = await call(legacy, 'GET');
      expect(listed.json.result[0]).not.toHaveProperty('modified_at');
    } finally {
      await legacy.close();
    }
  });
});

describe('stand-in seedPolicy and reset', () => {
  it('seeds with defaults and overrides, and returns a copy', async () => {
    const seeded = server.seedPolicy({
      id: '11111111-2222-4333-8444-555555555555',
      is_regex: true,
    });
    expect(seeded).toMatchObject({
      id: '11111111-2222-4333-8444-555555555555',
      is_regex: true,
      pattern_type: 'EMAIL',
      comments: null,
      created_at: T0.toISOString(),
      modified_at: T0.toISOString(),
      last_modified: T0.toISOString(),
    });
    seeded.comments = 'mutated copy';
    expect(server.policies.get(seeded.id)?.comments).toBeNull();
  });

  it('reset clears policies, requests and faults but keeps the same objects', async () => {
    const { requests, policies } = server;
    server.seedPolicy();
    await call(server, 'GET', { query: 'page=1' });
    server.injectFault({ kind: 'status', status: 500 });
    expect(requests).toHaveLength(1);
    server.reset();
    expect(server.requests).toBe(requests);
    expect(server.policies).toBe(policies);
    expect(requests).toHaveLength(0);
    expect(policies.size).toBe(0);
    expect((await call(server, 'GET')).status).toBe(200);
  });
});
