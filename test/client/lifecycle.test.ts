/**
 * The whole life of allow policies through the client's resource methods against the stand-in:
 * list, create, get, update, batch, delete, with the stand-in's store checked after every step
 * (not only what the client returned). Steps run in order over one store; each step names what
 * it does, what it returns and what the store must hold afterwards.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createEmailSecurityClient } from '../../src/index.js';
import { type AllowPolicy, startStandInServer } from '../support/stand-in-server.js';

const server = await startStandInServer();
afterAll(() => server.close());

const cf = createEmailSecurityClient({
  baseUrl: server.baseUrl,
  accountId: server.accountId,
  auth: { apiToken: server.apiToken },
  maxRetries: 0,
  onDeprecation: () => {},
});

const CEO = {
  is_acceptable_sender: false,
  is_exempt_recipient: false,
  is_regex: false,
  is_trusted_sender: true,
  pattern: 'ceo@example.com',
  pattern_type: 'EMAIL',
  verify_sender: true,
} as const;
const PAYROLL = { ...CEO, pattern: 'payroll.example.com', pattern_type: 'DOMAIN' } as const;

/** The store, as `pattern → fields` (ids and timestamps left out: they are the server's). */
const store = () =>
  Object.fromEntries(
    [...server.policies.values()].map((policy: AllowPolicy) => [
      policy.pattern,
      {
        comments: policy.comments ?? null,
        is_trusted_sender: policy.is_trusted_sender,
        pattern_type: policy.pattern_type,
      },
    ]),
  );
const idOf = (pattern: string) =>
  [...server.policies.values()].find((policy) => policy.pattern === pattern)?.id as string;

interface Step {
  readonly name: string;
  readonly run: () => PromiseLike<unknown>;
  readonly returns: (result: unknown) => void;
  readonly stored: Record<string, object>;
}

const steps: Step[] = [
  {
    name: 'list: an empty account',
    run: () => cf.allowPolicies.list({ per_page: 10 }),
    returns: (page) =>
      expect(page).toMatchObject({ items: [], resultInfo: { page: 1, total_count: 0 } }),
    stored: {},
  },
  {
    name: 'create: the CEO',
    run: () => cf.allowPolicies.create(CEO),
    returns: (policy) => expect(policy).toMatchObject({ ...CEO, id: idOf(CEO.pattern) }),
    stored: { [CEO.pattern]: { comments: null, is_trusted_sender: true, pattern_type: 'EMAIL' } },
  },
  {
    name: 'get: the CEO by id',
    run: () => cf.allowPolicies.get(idOf(CEO.pattern)),
    returns: (policy) => expect(policy).toMatchObject({ id: idOf(CEO.pattern), ...CEO }),
    stored: { [CEO.pattern]: { comments: null, is_trusted_sender: true, pattern_type: 'EMAIL' } },
  },
  {
    name: 'update: only the comment changes',
    run: () => cf.allowPolicies.update(idOf(CEO.pattern), { comments: 'SEC-1234' }),
    returns: (policy) => expect(policy).toMatchObject({ ...CEO, comments: 'SEC-1234' }),
    stored: {
      [CEO.pattern]: { comments: 'SEC-1234', is_trusted_sender: true, pattern_type: 'EMAIL' },
    },
  },
  {
    name: 'batch: post payroll and patch the CEO (deprecated name migrated) in one call',
    run: () =>
      cf.allowPolicies.batch({
        patches: [{ id: idOf(CEO.pattern), is_sender: false }],
        posts: [PAYROLL],
      }),
    returns: (result) =>
      expect(result).toMatchObject({
        patches: [{ pattern: CEO.pattern, is_trusted_sender: false }],
        posts: [{ pattern: PAYROLL.pattern }],
      }),
    stored: {
      [CEO.pattern]: { comments: 'SEC-1234', is_trusted_sender: false, pattern_type: 'EMAIL' },
      [PAYROLL.pattern]: { comments: null, is_trusted_sender: true, pattern_type: 'DOMAIN' },
    },
  },
  {
    name: 'list: both, one page',
    run: () => cf.allowPolicies.list({ per_page: 10 }),
    returns: (page) =>
      expect(page).toMatchObject({
        items: expect.arrayContaining([
          expect.objectContaining({ pattern: CEO.pattern }),
          expect.objectContaining({ pattern: PAYROLL.pattern }),
        ]),
        resultInfo: { total_count: 2 },
      }),
    stored: {
      [CEO.pattern]: { comments: 'SEC-1234', is_trusted_sender: false, pattern_type: 'EMAIL' },
      [PAYROLL.pattern]: { comments: null, is_trusted_sender: true, pattern_type: 'DOMAIN' },
    },
  },
  {
    name: 'batch: a delete of an unknown id refuses the whole batch; nothing changes',
    run: () =>
      cf.allowPolicies
        .batch({
          deletes: [{ id: idOf(PAYROLL.pattern) }, { id: '0a4e1f4f-73ce-4d2b-9f5e-3d1f3cbb2c11' }],
        })
        .catch((error: unknown) => error),
    returns: (error) => expect(String(error)).toMatch(/deletes\[1\]/),
    stored: {
      [CEO.pattern]: { comments: 'SEC-1234', is_trusted_sender: false, pattern_type: 'EMAIL' },
      [PAYROLL.pattern]: { comments: null, is_trusted_sender: true, pattern_type: 'DOMAIN' },
    },
  },
  {
    name: 'delete: payroll',
    run: () => cf.allowPolicies.delete(idOf(PAYROLL.pattern)),
    returns: (result) => expect(result).toMatchObject({ id: expect.any(String) }),
    stored: {
      [CEO.pattern]: { comments: 'SEC-1234', is_trusted_sender: false, pattern_type: 'EMAIL' },
    },
  },
  {
    name: 'batch: delete the CEO',
    run: () => cf.allowPolicies.batch({ deletes: [{ id: idOf(CEO.pattern) }] }),
    returns: (result) => expect(result).toMatchObject({ deletes: [{ id: expect.any(String) }] }),
    stored: {},
  },
];

describe('allow policies from an empty account back to an empty one', () => {
  test.each(steps)('$name', async ({ run, returns, stored }) => {
    returns(await run());
    expect(store()).toEqual(stored);
  });
});
