import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { invalidUpdateBodies, makeCreateBody, randomPolicyId } from '../support/fixtures.js';
import {
  MAX_BODY_BYTES,
  STAND_IN_ERROR_CODES,
  type StandInServer,
  startStandInServer,
} from '../support/stand-in-server.js';
import { call } from './request.js';

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('stand-in PATCH validation', () => {
  it.each(invalidUpdateBodies)(
    'rejects $name with 400 code $code',
    async ({ body, code, pointer }) => {
      const seeded = server.seedPolicy();
      const res = await call(server, 'PATCH', { policyId: seeded.id, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ success: false, messages: [], result: null });
      expect(res.json.errors).toHaveLength(1);
      const [error] = res.json.errors;
      expect(error.code).toBe(code);
      expect(error.source?.pointer).toBe(pointer);
      expect(error.message.length).toBeGreaterThan(20);
      expect(server.policies.get(seeded.id)).toEqual(seeded);
    },
  );

  it('names the problem and the fix in messages', async () => {
    const seeded = server.seedPolicy();
    const patch = (body: unknown) => call(server, 'PATCH', { policyId: seeded.id, body });
    const message = async (body: unknown) => (await patch(body)).json.errors[0].message;
    expect(await message({})).toMatch(/at least one field.*minProperties: 1/);
    expect(await message({ id: seeded.id })).toBe(
      "Field 'id' is read-only and cannot be set in a request; remove it from the body.",
    );
    expect(await message({ pattern_type: 'UNKNOWN' })).toContain(
      'deprecated and cannot be used when creating or updating policies; use one of EMAIL, DOMAIN, IP',
    );
    expect(await message({ is_regex: 'true' })).toBe(
      "Field 'is_regex' must be a boolean, got 'true'.",
    );
    expect(await message({ isRegex: true })).toMatch(/^Unknown field 'isRegex'; allowed fields: /);
  });

  it('reports every invalid field at once, in body order', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: { created_at: 'x', pattern: '', extra: 1, verify_sender: 1 },
    });
    expect(res.status).toBe(400);
    expect(
      res.json.errors.map((e: { code: number; source: { pointer: string } }) => [
        e.code,
        e.source.pointer,
      ]),
    ).toEqual([
      [1006, '/created_at'],
      [1005, '/pattern'],
      [1007, '/extra'],
      [1005, '/verify_sender'],
    ]);
  });

  it('accepts the length limits exactly (1 and 1024 code points)', async () => {
    const seeded = server.seedPolicy();
    const ok = (body: unknown) => call(server, 'PATCH', { policyId: seeded.id, body });
    expect((await ok({ pattern: 'a' })).status).toBe(200);
    expect((await ok({ pattern: 'a'.repeat(1024) })).status).toBe(200);
    // 1024 astral characters are 2048 UTF-16 units but 1024 code points.
    expect((await ok({ comments: '😀'.repeat(1024) })).status).toBe(200);
    expect((await ok({ comments: '😀'.repeat(1025) })).status).toBe(400);
    expect((await ok({ comments: '' })).status).toBe(200);
  });

  it('answers 400 code 1001 for invalid JSON', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', { policyId: seeded.id, body: '{"comments":' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].code).toBe(STAND_IN_ERROR_CODES.invalidJson);
    expect(res.json.errors[0].message).toMatch(/^Request body is not valid JSON: /);
  });

  it('answers 400 code 1004 when the body is missing', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', { policyId: seeded.id });
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toEqual({
      code: 1004,
      message: 'Request body is required: send a JSON object.',
    });
  });

  it('answers 415 code 1010 for a non-JSON content type', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: '{"comments":"x"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.json.errors[0].code).toBe(1010);
    const withCharset = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: '{"comments":"x"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(withCharset.status).toBe(200);
  });

  it('answers 413 code 1011 above the body size limit', async () => {
    const seeded = server.seedPolicy();
    const res = await call(server, 'PATCH', {
      policyId: seeded.id,
      body: { comments: 'x'.repeat(MAX_BODY_BYTES) },
    });
    expect(res.status).toBe(413);
    expect(res.json.errors[0].code).toBe(1011);
  });

  it('validates the body before looking the policy up', async () => {
    const res = await call(server, 'PATCH', { policyId: randomPolicyId(), body: {} });
    expect(res.status).toBe(400);
  });
});

describe('stand-in POST validation', () => {
  it('requires every CreateAllowPolicy field except comments (code 1008)', async () => {
    const res = await call(server, 'POST', { body: { comments: 'only comments' } });
    expect(res.status).toBe(400);
    const missing = res.json.errors.map((e: { code: number; source: { pointer: string } }) => {
      expect(e.code).toBe(1008);
      return e.source.pointer;
    });
    expect(missing.sort()).toEqual(
      [
        '/is_acceptable_sender',
        '/is_exempt_recipient',
        '/is_regex',
        '/is_trusted_sender',
        '/pattern',
        '/pattern_type',
        '/verify_sender',
      ].sort(),
    );
    expect(server.policies.size).toBe(0);
  });

  it('rejects read-only fields and UNKNOWN on create too', async () => {
    const res = await call(server, 'POST', {
      body: { ...makeCreateBody(), id: randomPolicyId(), pattern_type: 'UNKNOWN' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { code: number }) => e.code).sort()).toEqual([1005, 1006]);
  });

  it('rejects {} on create with one error per required field', async () => {
    const res = await call(server, 'POST', { body: {} });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(7);
  });

  it('accepts and drops deprecated booleans on create', async () => {
    const res = await call(server, 'POST', { body: { ...makeCreateBody(), is_spoof: true } });
    expect(res.status).toBe(201);
    expect(res.json.result).not.toHaveProperty('is_spoof');
  });
});
