import { defineCodegenConfig } from '../scripts/codegen/config.js';

/**
 * Which operations `npm run generate` wraps. Add any operationId of the spec to get a typed
 * wrapper, its metadata and an `operationRegistry` entry; the runtime in src/ needs no change.
 */
export default defineCodegenConfig({
  spec: 'openapi/cloudflare-email-security.openapi.json',
  outDir: 'generated',
  operations: [
    'email_security_list_allow_policies',
    'email_security_create_allow_policy',
    'email_security_batch_allow_policies',
    'email_security_get_allow_policy',
    'email_security_delete_allow_policy',
    'email_security_update_allow_policy',
    'email_security_list_blocked_senders',
    'email_security_create_blocked_sender',
    'email_security_batch_blocked_senders',
    'email_security_get_blocked_sender',
    'email_security_delete_blocked_sender',
    'email_security_update_blocked_sender',
    'email_security_list_domains',
    'email_security_get_domain',
    'email_security_delete_domain',
    'email_security_update_domain',
    'email_security_list_impersonation_registry',
    'email_security_create_impersonation_registry',
    'email_security_get_impersonation_registry',
    'email_security_delete_impersonation_registry',
    'email_security_update_impersonation_registry',
    'email_security_list_sending_domain_restrictions',
    'email_security_create_sending_domain_restriction',
    'email_security_batch_sending_domain_restrictions',
    'email_security_get_sending_domain_restriction',
    'email_security_delete_sending_domain_restriction',
    'email_security_update_sending_domain_restriction',
    'email_security_list_trusted_domains',
    'email_security_create_trusted_domain',
    'email_security_batch_trusted_domains',
    'email_security_get_trusted_domain',
    'email_security_delete_trusted_domain',
    'email_security_update_trusted_domain',
  ],
  operationIdPrefix: 'email_security_',
});
