import { defineCodegenConfig } from '../scripts/codegen/config.js';

/**
 * Which operations `npm run generate` wraps. Add any operationId of the spec to get a typed
 * wrapper, its metadata and an `operationRegistry` entry; the runtime in src/ needs no change.
 */
export default defineCodegenConfig({
  spec: 'openapi/cloudflare-email-security.openapi.json',
  outDir: 'generated',
  operations: ['email_security_update_allow_policy'],
  operationIdPrefix: 'email_security_',
});
