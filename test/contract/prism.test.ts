/**
 * Contract tests against Prism 5.14.2 (`prism mock … --errors`), which validates every request
 * against the vendored spec: requests the library sends must pass; a malformed raw request
 * must get Prism's 422 (proof that the check can fail).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmailSecurityClient,
  DeprecationConflictError,
  type EmailSecurityClientOptions,
  ValidationError,
} from '../../src/index.js';
import { type PrismServer, startPrism } from '../support/prism.js';
import { patchArbitrary } from './patches.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
const PATH = `/accounts/${ACCOUNT}/email-security/settings/allow_policies/${POLICY}`;

let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism();
}, 60_000);
afterAll(async () => {
  await prism?.close();
});

interface Sent {
  status: number;
  violations: string | null;
}

/** Library client whose fetch records what Prism answered (status + its `sl-violations`). */
function recordingClient(auth: EmailSecurityClientOptions['auth'], sent: Sent[]) {
  return createEmailSecurityClient({
    accountId: ACCOUNT,
    auth,
    baseUrl: prism.baseUrl,
    maxRetries: 0,
    onDeprecation: () => {},
    logger: {}, // swallows the once-per-client Global API key advisory
    fetch: async (request, init) => {
      const response = await fetch(request, init);
      sent.push({ status: response.status, violations: response.headers.get('sl-violations') });
      return response;
    },
  });
}

const schemes: [string, EmailSecurityClientOptions['auth']][] = [
  ['API token', { apiToken: 'contract-test-token-0123456789' }],
  [
    'Global API key',
    { apiEmail: 'ops@example.com', apiKey: 'c2547eb745079dac9320b638f5e225cf483cc' },
  ],
];

const bodies = [
  { is_trusted_sender: true, pattern: 'ceo@example.com', pattern_type: 'EMAIL' },
  { comments: null },
  { comments: 'Trust the payroll provider', is_regex: false },
  { pattern: '.*@example\\.com', is_regex: true, pattern_type: 'DOMAIN', verify_sender: true },
  { is_acceptable_sender: true, is_exempt_recipient: false },
  { pattern: '192.0.2.0/24', pattern_type: 'IP' },
  { is_sender: true }, // deprecated: migrated to is_trusted_sender before sending
] as const;

describe('library requests pass Prism validation', () => {
  for (const [scheme, auth] of schemes) {
    it(`several bodies with the ${scheme}`, async () => {
      const sent: Sent[] = [];
      const cf = recordingClient(auth, sent);
      for (const body of bodies) {
        const policy = await cf.allowPolicies.update(POLICY, body as never);
        expect(policy).toHaveProperty('id');
      }
      expect(sent).toHaveLength(bodies.length);
      for (const answer of sent) expect(answer).toEqual({ status: 200, violations: null });
    });
  }
});

describe('Prism does reject bad requests (the check can fail)', () => {
  const raw = (body: string, headers: Record<string, string>) =>
    fetch(`${prism.baseUrl}${PATH}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('a malformed body gets 422 with violations', async () => {
    const response = await raw(JSON.stringify({ pattern: 5, pattern_type: 'NOPE' }), {
      Authorization: 'Bearer contract-test-token',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('sl-violations')).toMatch(/pattern/);
    await response.body?.cancel();
  });

  it('an empty patch gets 422 (minProperties: 1)', async () => {
    const response = await raw('{}', { Authorization: 'Bearer contract-test-token' });
    expect(response.status).toBe(422);
    await response.body?.cancel();
  });

  it('missing credentials get 401', async () => {
    const response = await raw(JSON.stringify({ pattern: 'a@b.c' }), {});
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });
});

describe('property: random patches (bounded: 50 runs)', () => {
  it('either Prism accepts the request or the library throws a request error without sending', async () => {
    const outcomes = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(patchArbitrary, fc.boolean(), async (patch, useKey) => {
        const sent: Sent[] = [];
        const cf = recordingClient((schemes[useKey ? 1 : 0] as (typeof schemes)[number])[1], sent);
        try {
          await cf.allowPolicies.update(POLICY, patch as never);
          expect(sent).toEqual([{ status: 200, violations: null }]);
          outcomes.accepted++;
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof DeprecationConflictError)) {
            throw error;
          }
          expect(sent).toEqual([]);
          outcomes.rejected++;
        }
      }),
      { numRuns: 50 },
    );
    // Both branches were exercised: ~35 % of patches are accepted (see patches.ts), so over 50
    // runs P(none accepted) ≈ 0.65^50 < 1e-9 and P(none rejected) ≈ 0.35^50 < 1e-22.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});
