/**
 * Smoke test of the Prism launcher and a pin of what Prism 5.14.2 does and does not check
 * (see the comment at the top of test/support/prism.ts). One Prism instance for the file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePolicyId, validAccountId } from '../support/fixtures.js';
import { type PrismServer, PrismStartError, startPrism } from '../support/prism.js';

let prism: PrismServer;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(() => prism?.close());

const BEARER = { authorization: 'Bearer prism-accepts-any-token' };
const API_KEY = { 'x-auth-email': 'user@example.com', 'x-auth-key': 'any-key' };

interface PrismResult {
  status: number;
  violations: { location: string[]; code: string | number; message: string }[];
  json: unknown;
}

async function patch(
  body: string | object | undefined,
  headers: Record<string, string> = BEARER,
  policyId = examplePolicyId,
  prefix = '',
): Promise<PrismResult> {
  const path = `${prefix}/accounts/${validAccountId}/email-security/settings/allow_policies/${policyId}`;
  const response = await fetch(prism.baseUrl + path, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  const header = response.headers.get('sl-violations');
  return { status: response.status, violations: header ? JSON.parse(header) : [], json };
}

describe('Prism mock of the allow-policy PATCH', () => {
  it('serves the spec paths at the root of http://127.0.0.1:PORT', () => {
    expect(prism.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(prism.pid).toBeGreaterThan(0);
  });

  it('answers a valid PATCH with Bearer auth: 200 and the example envelope', async () => {
    const res = await patch({ comments: 'hello', is_trusted_sender: true });
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
    expect(res.json).toMatchObject({
      success: true,
      errors: [],
      messages: [],
      result: { id: examplePolicyId, pattern_type: 'EMAIL' },
    });
  });

  it('answers a valid PATCH with X-Auth-Email + X-Auth-Key: 200', async () => {
    const res = await patch({ comments: null }, API_KEY);
    expect(res.status).toBe(200);
  });

  it('rejects a body violating the schema with 422 and names the property', async () => {
    const res = await patch({ pattern_type: 'NOPE' });
    expect(res.status).toBe(422);
    expect(res.violations).toEqual([
      expect.objectContaining({ location: ['request', 'body', 'pattern_type'], code: 'enum' }),
    ]);
    expect(res.json).toEqual({ errors: [], messages: [], result: null, success: false });
  });

  it('rejects {} (minProperties: 1) with 422', async () => {
    const res = await patch({});
    expect(res.status).toBe(422);
    expect(res.violations[0]?.code).toBe('minProperties');
  });

  it('rejects wrong types, lengths and null pattern with 422, listing all', async () => {
    const res = await patch({ is_regex: 'yes', pattern: '', comments: 'c'.repeat(1025) });
    expect(res.status).toBe(422);
    expect(res.violations.map((v) => v.code).sort()).toEqual(['maxLength', 'minLength', 'type']);
    expect((await patch({ pattern: null })).status).toBe(422);
  });

  it.each([
    ['no credentials', {}],
    ['only X-Auth-Email', { 'x-auth-email': 'user@example.com' }],
    ['Basic scheme', { authorization: 'Basic dTpw' }],
  ])('rejects %s with 401', async (_name, headers) => {
    const res = await patch({ comments: 'x' }, headers);
    expect(res.status).toBe(401);
    expect(res.violations[0]?.message).toBe('Invalid security scheme used');
  });

  it('rejects a policy id that is not a UUID with 422', async () => {
    const res = await patch({ comments: 'x' }, BEARER, '12345');
    expect(res.status).toBe(422);
    expect(res.violations[0]?.location).toEqual(['request', 'path', 'policy_id']);
  });

  it('answers invalid JSON with 400 in its own (non-Cloudflare) shape', async () => {
    const res = await patch('{"comments":');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'invalid_json', message: 'Invalid JSON' } });
  });

  it('does not mock the /client/v4 prefix of servers[0].url', async () => {
    const res = await patch({ comments: 'x' }, BEARER, examplePolicyId, '/client/v4');
    expect(res.status).toBe(404);
  });

  // Limitations pinned on purpose: contract tests must not rely on Prism for these.
  it.each([
    ['read-only id (even with a wrong type)', { id: 5 }],
    ['read-only created_at/modified_at/last_modified', { created_at: 'x', modified_at: 'y' }],
    ['unknown properties', { not_in_schema: true }],
    ['pattern_type UNKNOWN', { pattern_type: 'UNKNOWN' }],
    ['deprecated is_sender', { is_sender: true }],
  ])('does NOT reject %s (200)', async (_name, body) => {
    const res = await patch(body);
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
  });
});

describe('startPrism failures', () => {
  it('fails fast with a clear error for a missing spec file', async () => {
    const error = await startPrism('openapi/does-not-exist.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrismStartError);
    expect((error as Error).message).toMatch(/spec file not found: .*does-not-exist\.json/);
  });

  it('reports Prism exiting early with its last output lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prism-bad-spec-'));
    try {
      const spec = join(dir, 'broken.json');
      await writeFile(spec, '{"openapi":');
      const error = await startPrism(spec).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PrismStartError);
      expect((error as Error).message).toMatch(/Prism exited before listening \(code 1/);
      expect((error as PrismStartError).recentOutput.join('\n')).toContain('broken.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('times out, kills the process and says so', async () => {
    const error = await startPrism(undefined, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrismStartError);
    expect((error as Error).message).toContain('did not report "Prism is listening" within 1 ms');
    const pid = (error as PrismStartError).pid as number;
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
