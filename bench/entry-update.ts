/** Bundle-size entry: what an application that only updates an allow policy ships. */
import { createEmailSecurityClient } from '../src/index.js';

const cf = createEmailSecurityClient({ accountId: '023e105f4ecef8ad9ca31a8372d0c353' });
export const update = (policyId: string) =>
  cf.allowPolicies.update(policyId, {
    is_trusted_sender: true,
    pattern: 'ceo@example.com',
    pattern_type: 'EMAIL',
  });
