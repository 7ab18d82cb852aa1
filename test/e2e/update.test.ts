/**
 * End to end on the stand-in API: create a policy (raw HTTP: the library wraps only the update),
 * update two fields through the library, read the policy back and check that only those two
 * fields (and the modification timestamps) changed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmailSecurityClient } from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

let api: StandInServer;

beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});

async function raw(method: string, path: string, body?: unknown) {
  const response = await fetch(
    `${api.baseUrl}/accounts/${api.accountId}/email-security/settings/allow_policies${path}`,
    {
      method,
      headers: { Authorization: `Bearer ${api.apiToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const envelope = (await response.json()) as { success: boolean; result: Record<string, unknown> };
  expect(envelope.success, `${method} ${path}`).toBe(true);
  return envelope.result;
}

it('create → update two fields via the library → read back: only those changed', async () => {
  const created = await raw('POST', '', {
    pattern: 'vendor@example.com',
    pattern_type: 'EMAIL',
    is_regex: false,
    is_trusted_sender: false,
    is_exempt_recipient: false,
    is_acceptable_sender: true,
    verify_sender: true,
    comments: 'created by e2e',
  });
  const id = created.id as string;
  await new Promise((r) => setTimeout(r, 5)); // let the clock move so modified_at can change

  const cf = createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: api.baseUrl,
  });
  const updated = await cf.allowPolicies.update(id, {
    is_trusted_sender: true,
    comments: 'trusted after review',
  });
  const after = await raw('GET', `/${id}`);

  expect(updated).toEqual(after);
  const changed = Object.keys({ ...created, ...after }).filter(
    (k) => JSON.stringify(created[k]) !== JSON.stringify(after[k]),
  );
  expect(changed.sort()).toEqual(['comments', 'is_trusted_sender', 'last_modified', 'modified_at']);
  expect(after.is_trusted_sender).toBe(true);
  expect(after.comments).toBe('trusted after review');
  expect(Date.parse(after.modified_at as string)).toBeGreaterThan(
    Date.parse(created.modified_at as string),
  );
});
