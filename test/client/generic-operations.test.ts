/**
 * More operations added by generator config get the same pipeline with no change to src/: the
 * registry is extended here (as the generator would) with a GET operation, and the client
 * exposes it with auth, validation, retries and envelope unwrapping.
 */
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { OperationMetadata } from '../../src/metadata.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { handMadeMetadata, withExtraOperations } from './metadata-fixture.js';

const getAllowPolicyMetadata: OperationMetadata = {
  ...handMadeMetadata,
  operationId: 'email_security_get_allow_policy',
  functionName: 'getAllowPolicy',
  method: 'get',
  summary: 'Get an email allow policy',
  permissionGroups: ['Cloud Email Security: Read'],
  requestBody: null,
};

vi.mock('../../generated/operations.js', (importOriginal) =>
  withExtraOperations(importOriginal, { getAllowPolicy: getAllowPolicyMetadata }),
);

const { createEmailSecurityClient, ValidationError, PermissionDeniedError } = await import(
  '../../src/index.js'
);

let api: StandInServer;
beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => api.reset());

const client = () =>
  createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: api.baseUrl,
    retryDelay: { initialDelayMs: 1, maxDelayMs: 2 },
  });

it('a registry entry becomes client.operations.<name> with the same behaviour', async () => {
  const seeded = api.seedPolicy({ pattern: 'generic@example.com' });
  api.injectFault({ kind: 'status', status: 503 }, { times: 1 });
  // biome-ignore lint/suspicious/noExplicitAny: the extra operation is not in OperationTypes.
  const ops = client().operations as any;
  const policy = await ops.getAllowPolicy({ path: { policy_id: seeded.id } });
  expect(policy).toMatchObject({ id: seeded.id, pattern: 'generic@example.com' });
  expect(api.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  expect(api.requests[1]?.headers.authorization).toBe(`Bearer ${api.apiToken}`);
  expect(api.requests[1]?.bodyText).toBe('');

  await expect(ops.getAllowPolicy({ path: { policy_id: 'nope' } })).rejects.toBeInstanceOf(
    ValidationError,
  );
  await expect(
    ops.getAllowPolicy({ path: { policy_id: seeded.id }, body: { pattern: 'x' } }),
  ).rejects.toThrow(/body: email_security_get_allow_policy takes no body/);
  expect(api.requests).toHaveLength(2);

  const denied = await ops
    .getAllowPolicy({ path: { policy_id: seeded.id } }, { accountId: 'f'.repeat(32) })
    .catch((e: unknown) => e);
  expect(denied).toBeInstanceOf(PermissionDeniedError);
  expect((denied as Error).message).toMatch(
    /^GET \/accounts\/f{32}\/.*the token needs "Cloud Email Security: Read"$/,
  );
});
