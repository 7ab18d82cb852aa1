import type { OperationMetadata } from '../../src/metadata.js';

/** A hand-made metadata object shaped like the generated one (used before/without generated code). */
export const handMadeMetadata: OperationMetadata = {
  operationId: 'email_security_update_allow_policy',
  functionName: 'updateAllowPolicy',
  method: 'patch',
  path: '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}',
  summary: 'Update an email allow policy',
  description: null,
  tags: ['Email Security Settings'],
  deprecated: false,
  security: [
    [{ name: 'api_token', type: 'http', scheme: 'bearer' }],
    [
      { name: 'api_email', type: 'apiKey', in: 'header', headerName: 'X-Auth-Email' },
      { name: 'api_key', type: 'apiKey', in: 'header', headerName: 'X-Auth-Key' },
    ],
  ],
  permissionGroups: ['Cloud Email Security: Write'],
  parameters: [
    { name: 'account_id', in: 'path', required: true, rule: { type: 'string' }, deprecated: false },
    {
      name: 'policy_id',
      in: 'path',
      required: true,
      rule: { type: 'string', format: 'uuid' },
      deprecated: false,
    },
  ],
  requestBody: {
    schema: 'email-security_UpdateAllowPolicy',
    contentType: 'application/json',
    required: true,
    properties: {
      comments: { type: 'string', nullable: true, maxLength: 1024 },
      is_trusted_sender: { type: 'boolean' },
      pattern: { type: 'string', minLength: 1, maxLength: 1024 },
    },
    requiredProperties: [],
    readOnlyProperties: ['id', 'created_at', 'last_modified', 'modified_at'],
    minProperties: 1,
    additionalProperties: false,
  },
  successStatus: '200',
  responseContentType: 'application/json',
  deprecations: [],
};

/** Same operation with made-up header names: proves src/ takes them from metadata. */
export const customHeaderMetadata: OperationMetadata = {
  ...handMadeMetadata,
  security: [
    [{ name: 'api_token', type: 'http', scheme: 'token' }],
    [
      { name: 'api_email', type: 'apiKey', in: 'header', headerName: 'X-Custom-Email' },
      { name: 'api_key', type: 'apiKey', in: 'header', headerName: 'X-Custom-Key' },
    ],
  ],
};

/** Accepts only the API token. */
export const tokenOnlyMetadata: OperationMetadata = {
  ...handMadeMetadata,
  security: [[{ name: 'api_token', type: 'http', scheme: 'bearer' }]],
};

/**
 * For `vi.mock('../../generated/operations.js', …)`: the real module with `extra` operations
 * added to its registry, as the generator would add them from config.
 */
export async function withExtraOperations(
  importOriginal: <T>() => Promise<T>,
  extra: Record<string, OperationMetadata>,
) {
  const original = await importOriginal<typeof import('../../generated/operations.js')>();
  const added = Object.fromEntries(
    Object.entries(extra).map(([name, metadata]) => [name, { metadata, call: () => undefined }]),
  );
  return { ...original, operationRegistry: { ...original.operationRegistry, ...added } };
}
