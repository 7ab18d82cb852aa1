/**
 * The stand-in's batch endpoint (`POST …/allow_policies/batch`): in order, atomic (one bad item
 * and nothing changes), four required arrays with `maxItems`, problems named by item pointer.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCreateBody, randomPolicyId } from '../support/fixtures.js';
import {
  BATCH_MAX_ITEMS,
  type StandInServer,
  startStandInServer,
} from '../support/stand-in-server.js';
import { call } from './request.js';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const server: StandInServer = await startStandInServer({ clock: () => T0 });
afterAll(() => server.close());
beforeEach(() => server.reset());

const EMPTY = { deletes: [], patches: [], puts: [], posts: [] };
const batch = (body: unknown) => call(server, 'POST', { policyId: 'batch', body });
const snapshot = () => structuredClone([...server.policies.entries()]);

describe('stand-in batch', () => {
  it('applies deletes, patches, puts and posts in order and returns each result', async () => {
    const [gone, patched, replaced] = [1, 2, 3].map((n) =>
      server.seedPolicy({ pattern: `p${n}@example.com`, comments: 'old' }),
    );
    const res = await batch({
      deletes: [{ id: gone?.id }],
      patches: [{ id: patched?.id, comments: 'patched' }],
      puts: [
        {
          id: replaced?.id,
          ...makeCreateBody({ pattern: 'put@example.com' }),
          comments: undefined,
        },
      ],
      posts: [makeCreateBody({ pattern: 'new@example.com' })],
    });
    expect(res.status).toBe(200);
    const { result } = res.json;
    expect(result.deletes).toEqual([{ id: gone?.id }]);
    expect(result.patches).toMatchObject([
      { id: patched?.id, comments: 'patched', pattern: 'p2@example.com' },
    ]);
    expect(result.puts).toMatchObject([
      { id: replaced?.id, pattern: 'put@example.com', comments: null },
    ]);
    expect(result.posts).toMatchObject([{ pattern: 'new@example.com' }]);
    expect(server.policies.has(gone?.id as string)).toBe(false);
    expect(server.policies.get(patched?.id as string)?.comments).toBe('patched');
    expect(server.policies.get(replaced?.id as string)).toMatchObject({
      pattern: 'put@example.com',
      comments: null,
      created_at: replaced?.created_at,
    });
    expect(server.policies.size).toBe(3);
  });

  it('is atomic: an item naming a missing policy rejects the batch and changes nothing', async () => {
    const kept = server.seedPolicy();
    const before = snapshot();
    const missing = randomPolicyId();
    const res = await batch({
      ...EMPTY,
      deletes: [{ id: kept.id }],
      patches: [{ id: missing, comments: 'x' }],
      posts: [makeCreateBody()],
    });
    expect(res.status).toBe(404);
    expect(res.json.errors).toEqual([
      {
        code: 1003,
        message: `Allow policy ${missing} not found (patches[0]); nothing in the batch was applied.`,
        source: { pointer: '/patches/0/id' },
      },
    ]);
    expect(snapshot()).toEqual(before);
  });

  it('runs in order: patching a policy deleted earlier in the same batch fails', async () => {
    const policy = server.seedPolicy();
    const res = await batch({
      ...EMPTY,
      deletes: [{ id: policy.id }],
      patches: [{ id: policy.id, comments: 'x' }],
    });
    expect(res.status).toBe(404);
    expect(server.policies.has(policy.id)).toBe(true);
  });

  it('requires all four arrays and checks maxItems, naming each array', async () => {
    const missing = await batch({ patches: [] });
    expect(missing.status).toBe(400);
    expect(
      missing.json.errors.map((e: { source: { pointer: string } }) => e.source.pointer),
    ).toEqual(['/deletes', '/puts', '/posts']);
    const tooMany = Array.from({ length: BATCH_MAX_ITEMS + 1 }, () => ({ id: randomPolicyId() }));
    const long = await batch({ ...EMPTY, deletes: tooMany });
    expect(long.status).toBe(400);
    expect(long.json.errors).toMatchObject([{ code: 1005, source: { pointer: '/deletes' } }]);
  });

  it('validates inside every item with a pointer to it, and applies nothing', async () => {
    const policy = server.seedPolicy();
    const before = snapshot();
    const res = await batch({
      ...EMPTY,
      patches: [
        { id: policy.id, comments: 'fine' },
        { id: policy.id, pattern_type: 'UNKNOWN' },
      ],
      posts: [{ ...makeCreateBody(), id: randomPolicyId() }],
      deletes: [{ id: 'not-a-uuid' }],
    });
    expect(res.status).toBe(400);
    expect(
      res.json.errors.map((e: { code: number; source: { pointer: string } }) => [
        e.code,
        e.source.pointer,
      ]),
    ).toEqual([
      [1005, '/deletes/0/id'],
      [1005, '/patches/1/pattern_type'],
      [1006, '/posts/0/id'],
    ]);
    expect(snapshot()).toEqual(before);
  });

  it('accepts an all-empty batch and answers 405 to other methods', async () => {
    const res = await batch(EMPTY);
    expect(res.status).toBe(200);
    expect(res.json.result).toEqual(EMPTY);
    const get = await call(server, 'GET', { policyId: 'batch' });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
