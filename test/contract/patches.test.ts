/**
 * The random-patch properties (prism.test.ts, stand-in.property.test.ts) check that both
 * outcomes happen. That only holds reliably if the arbitrary produces enough of each: this pins
 * the mix, offline and deterministically (fixed seed, no server).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { updateAllowPolicyMetadata as metadata } from '../../generated/operations.js';
import { applyRequestDeprecations } from '../../src/deprecations.js';
import { validateRequest } from '../../src/validate.js';
import { patchArbitrary } from './patches.js';

const path = {
  account_id: '023e105f4ecef8ad9ca31a8372d0c353',
  policy_id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
};

/** What the client decides before sending: true when the patch would be sent. */
function wouldSend(patch: Record<string, unknown>): boolean {
  if (validateRequest(metadata, { path, body: patch }).length > 0) return false;
  try {
    applyRequestDeprecations(metadata, patch, { now: new Date('2026-11-26T00:00:00Z') });
    return true;
  } catch {
    return false;
  }
}

it('patchArbitrary gives accepted and rejected patches in useful proportions', () => {
  const patches = fc.sample(patchArbitrary, { numRuns: 2_000, seed: 20261126 });
  const rate = patches.filter((p) => wouldSend(p as Record<string, unknown>)).length / 2_000;
  // ~35 %: a 50-run property then misses either outcome with probability below 1e-9.
  expect(rate).toBeGreaterThan(0.25);
  expect(rate).toBeLessThan(0.6);
});
