/**
 * The issue 4 table through the real client against the local stand-in API: the exact JSON the
 * stand-in received (or that nothing was sent) and the exact events, per date × input × policy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmailSecurityClient,
  type DeprecationEvent,
  type DeprecationPolicy,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { CASES, expectedEvents, INPUTS } from './support/is-sender-table.js';

let api: StandInServer;
let legacyApi: StandInServer;

beforeAll(async () => {
  [api, legacyApi] = await Promise.all([
    startStandInServer(),
    startStandInServer({ legacyResponse: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([api.close(), legacyApi.close()]);
});
beforeEach(() => {
  api.reset();
  legacyApi.reset();
});

function clientFor(
  server: StandInServer,
  date: string,
  policy: DeprecationPolicy,
  events: DeprecationEvent[],
) {
  return createEmailSecurityClient({
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    baseUrl: server.baseUrl,
    maxRetries: 0,
    now: () => new Date(`${date}T12:00:00Z`),
    deprecations: policy,
    onDeprecation: (event) => events.push(event),
  });
}

const patches = (server: StandInServer) => server.requests.filter((r) => r.method === 'PATCH');

describe('end to end: dates × inputs × policies', () => {
  it.each(CASES)(
    '$date ($phase), $input, $policy',
    async ({ date, phase, input, policy, expected }) => {
      const { id } = api.seedPolicy({ pattern: 'a@example.com' });
      const events: DeprecationEvent[] = [];
      const call = clientFor(api, date, policy, events).allowPolicies.update(id, {
        ...INPUTS[input],
      });
      if ('throws' in expected) {
        await expect(call).rejects.toThrow(expected.throws);
        await expect(call).rejects.toThrow(expected.message);
        expect(patches(api)).toEqual([]); // nothing was sent
        expect(events).toEqual([]);
        return;
      }
      await call;
      expect(patches(api).map((r) => r.bodyText)).toEqual([expected.sent]);
      expect(events).toEqual(expectedEvents(phase, expected));
    },
  );
});

describe('end to end: today, old code', () => {
  it('is_sender: true still trusts the sender (sent as is_trusted_sender)', async () => {
    const { id } = api.seedPolicy({ pattern: 'a@example.com', is_trusted_sender: false });
    const events: DeprecationEvent[] = [];
    const policy = await clientFor(api, '2026-11-26', 'migrate', events).allowPolicies.update(id, {
      is_sender: true,
    });
    expect(patches(api).map((r) => r.bodyText)).toEqual(['{"is_trusted_sender":true}']);
    expect(policy).toMatchObject({ id, is_trusted_sender: true });
    expect(events.map((e) => e.action)).toEqual(['migrated']);
  });

  it('fills modified_at from last_modified when the API omits it', async () => {
    const { id } = legacyApi.seedPolicy({ pattern: 'a@example.com' });
    const events: DeprecationEvent[] = [];
    const client = clientFor(legacyApi, '2026-11-26', 'migrate', events);
    const { result } = await client.allowPolicies.update.withResponse(id, { comments: null });
    const policy = result as { last_modified: string; modified_at?: string };
    expect(policy.modified_at).toBe(policy.last_modified);
    expect(events).toMatchObject([
      {
        kind: 'response-field',
        field: 'last_modified',
        replacement: 'modified_at',
        action: 'filled',
        pastEndOfLife: true,
      },
    ]);
  });

  it.each([
    ['fill', { is_sender: true, is_trusted_sender: true }, 1],
    ['as-sent', { is_sender: true }, 0],
  ] as const)('responseDeprecations: %s', async (mode, want, eventCount) => {
    const { id } = api.seedPolicy({ is_sender: true, is_trusted_sender: undefined });
    const events: DeprecationEvent[] = [];
    const client = clientFor(api, '2026-11-26', 'migrate', events);
    const policy = await client.allowPolicies.get(id, { responseDeprecations: mode });
    const { is_sender, is_trusted_sender } = policy as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify({ is_sender, is_trusted_sender }))).toEqual(want);
    expect(events.filter((e) => e.action === 'filled')).toHaveLength(eventCount);
  });

  it('refuses an unknown responseDeprecations, nothing sent', async () => {
    const client = clientFor(api, '2026-11-26', 'migrate', []);
    const call = client.allowPolicies.get('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', {
      responseDeprecations: 'raw' as never,
    });
    await expect(call).rejects.toThrow(
      /requestOptions\.responseDeprecations: must be 'fill' or 'as-sent'/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it('turns Deprecation/Sunset/Link headers into an event, and ignores malformed ones', async () => {
    const { id } = api.seedPolicy({ pattern: 'a@example.com' });
    const events: DeprecationEvent[] = [];
    const client = clientFor(api, '2026-11-26', 'migrate', events);
    api.injectFault({ kind: 'deprecation-headers' }, { method: 'PATCH' });
    await client.allowPolicies.update(id, { pattern: 'b@example.com' });
    api.injectFault(
      { kind: 'deprecation-headers', deprecation: 'yes', sunset: 'never', link: '<x' },
      { method: 'PATCH' },
    );
    await client.allowPolicies.update(id, { pattern: 'c@example.com' });
    expect(events).toEqual([
      {
        kind: 'http-header',
        operationId: 'email_security_update_allow_policy',
        field: null,
        replacement: null,
        deprecatedSince: '2025-07-01T00:00:00.000Z',
        endOfLife: '2026-07-01T00:00:00.000Z',
        pastEndOfLife: true,
        action: 'reported',
        message:
          'The server marks operation email_security_update_allow_policy as deprecated since 2025-07-01T00:00:00.000Z; it reached end of life (Sunset) on 2026-07-01T00:00:00.000Z; see https://developers.cloudflare.com/api/resources/email_security/. The response was returned unchanged.',
        source: 'header',
        links: ['https://developers.cloudflare.com/api/resources/email_security/'],
      },
    ]);
  });
});
