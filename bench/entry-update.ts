/**
 * Bundle-size entry: what an application that only updates an allow policy ships. It uses the
 * modular form (README "A small bundle"): `createClient` from the `/core` entry with the one
 * operation it calls, so no other operation's metadata is bundled.
 */
import { createClient, updateAllowPolicyOperation } from '../src/core.js';

const cf = createClient({
  accountId: '023e105f4ecef8ad9ca31a8372d0c353',
  operations: { updateAllowPolicyOperation },
});
export const update = (policyId: string) =>
  cf.allowPolicies.update(policyId, {
    is_trusted_sender: true,
    pattern: 'ceo@example.com',
    pattern_type: 'EMAIL',
  });
