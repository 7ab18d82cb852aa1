/**
 * Property (bounded: 200 runs): for random patches, valid or not, the library either sends a
 * request the stand-in API accepts (200, and the stored policy shows the sent values) or throws
 * a request error (ValidationError / DeprecationConflictError) without sending anything. It never
 * throws anything else.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createEmailSecurityClient,
  DeprecationConflictError,
  ValidationError,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { patchArbitrary } from './patches.js';

let api: StandInServer;

beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});

it('random patches: accepted by the stand-in, or rejected before sending', async () => {
  const outcomes = { accepted: 0, rejected: 0 };
  const cf = createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: api.baseUrl,
    maxRetries: 0,
    onDeprecation: () => {},
  });
  await fc.assert(
    fc.asyncProperty(patchArbitrary, async (patch) => {
      api.reset();
      const policy = api.seedPolicy();
      try {
        const updated = await cf.allowPolicies.update(policy.id, patch as never);
        expect(api.requests).toHaveLength(1);
        const sent = api.requests[0]?.body as Record<string, unknown>;
        for (const [field, value] of Object.entries(sent)) {
          expect(updated[field as keyof typeof updated]).toEqual(value);
        }
        outcomes.accepted++;
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof DeprecationConflictError)) {
          throw error;
        }
        expect(api.requests).toHaveLength(0);
        outcomes.rejected++;
      }
    }),
    { numRuns: 200 },
  );
  expect(outcomes.accepted).toBeGreaterThan(0);
  expect(outcomes.rejected).toBeGreaterThan(0);
});
