/** Bundle-size entry: an application that uses every resource through the default client. */
import { createEmailSecurityClient } from '../src/index.js';

const cf = createEmailSecurityClient({ accountId: '023e105f4ecef8ad9ca31a8372d0c353' });
export const resources = [
  cf.allowPolicies,
  cf.blockSenders,
  cf.domains,
  cf.impersonationRegistry,
  cf.sendingDomainRestrictions,
  cf.trustedDomains,
];
export const call = cf.call;
