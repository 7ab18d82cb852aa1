/**
 * Hand-built metadata mirroring the vendored spec (the runtime metadata the generator emits for
 * the allow-policy operations), so these tests do not depend on the generator. `generated-metadata.test.ts`
 * checks that the generator's output agrees with it where these tests rely on it.
 */
import type { DeprecationMetadata, OperationMetadata, ValueRule } from '../../../src/metadata.js';

const boolean: ValueRule = { type: 'boolean' };
const uuid: ValueRule = { type: 'string', format: 'uuid' };

const allowPolicyProperties: Record<string, ValueRule> = {
  comments: { type: 'string', nullable: true, maxLength: 1024 },
  is_acceptable_sender: boolean,
  is_exempt_recipient: boolean,
  is_recipient: boolean,
  is_regex: boolean,
  is_sender: boolean,
  is_spoof: boolean,
  is_trusted_sender: boolean,
  pattern: { type: 'string', minLength: 1, maxLength: 1024 },
  pattern_type: {
    type: 'string',
    enum: ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'],
    enumForbiddenOnWrite: ['UNKNOWN'],
  },
  verify_sender: boolean,
};

const renamed = (field: string, replacement: string): DeprecationMetadata => ({
  kind: 'property',
  field,
  appliesTo: 'both',
  readOnly: false,
  replacement,
  deprecatedSince: '2025-07-01',
  endOfLife: '2026-07-01',
  forbiddenOnWrite: false,
});

export const allowPolicyDeprecations: readonly DeprecationMetadata[] = [
  renamed('is_recipient', 'is_exempt_recipient'),
  renamed('is_sender', 'is_trusted_sender'),
  renamed('is_spoof', 'is_acceptable_sender'),
  {
    kind: 'property',
    field: 'last_modified',
    appliesTo: 'response',
    readOnly: true,
    replacement: 'modified_at',
    deprecatedSince: null,
    endOfLife: '2026-11-01',
    forbiddenOnWrite: false,
  },
  {
    kind: 'enum-value',
    field: 'pattern_type',
    value: 'UNKNOWN',
    appliesTo: 'both',
    readOnly: false,
    replacement: null,
    deprecatedSince: null,
    endOfLife: null,
    forbiddenOnWrite: true,
  },
];

const security = [
  [{ name: 'api_token', type: 'http', scheme: 'bearer' }],
  [
    { name: 'api_email', type: 'apiKey', in: 'header', headerName: 'X-Auth-Email' },
    { name: 'api_key', type: 'apiKey', in: 'header', headerName: 'X-Auth-Key' },
  ],
] as const;

const accountId = {
  name: 'account_id',
  in: 'path',
  required: true,
  rule: { type: 'string' },
} as const;

export const updateAllowPolicyMetadata: OperationMetadata = {
  operationId: 'email_security_update_allow_policy',
  functionName: 'updateAllowPolicy',
  resource: { name: 'allowPolicies', method: 'update', positional: ['policy_id'], input: 'body' },
  method: 'patch',
  path: '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}',
  deprecated: false,
  security,
  permissionGroups: ['Cloud Email Security: Write'],
  parameters: [accountId, { name: 'policy_id', in: 'path', required: true, rule: uuid }],
  requestBody: {
    required: true,
    properties: allowPolicyProperties,
    requiredProperties: [],
    readOnlyProperties: ['created_at', 'id', 'last_modified', 'modified_at'],
    minProperties: 1,
    additionalProperties: false,
  },
  successStatus: '200',
  responseContentType: 'application/json',
  resultRule: { type: 'object' },
  deprecations: allowPolicyDeprecations,
};

export const createAllowPolicyMetadata: OperationMetadata = {
  ...updateAllowPolicyMetadata,
  operationId: 'email_security_create_allow_policy',
  functionName: 'createAllowPolicy',
  resource: { name: 'allowPolicies', method: 'create', positional: [], input: 'body' },
  method: 'post',
  path: '/accounts/{account_id}/email-security/settings/allow_policies',
  parameters: [accountId],
  requestBody: {
    required: true,
    properties: allowPolicyProperties,
    requiredProperties: [
      'is_acceptable_sender',
      'is_exempt_recipient',
      'is_regex',
      'is_trusted_sender',
      'pattern',
      'pattern_type',
      'verify_sender',
    ],
    readOnlyProperties: ['created_at', 'id', 'last_modified', 'modified_at'],
    additionalProperties: false,
  },
};

export const ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353';
export const POLICY_ID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
