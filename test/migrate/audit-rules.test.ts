/**
 * The audit's findings come from the metadata: a NEW deprecation in the spec (a renamed flag, a
 * deprecated field without replacement, a deprecated enum value) is audited with no code change;
 * and the audit rules (openapi/allow-policy-audit.ts) are checked against the spec, so a renamed
 * field is an error, never a rule that silently matches nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  batchAllowPoliciesMetadata,
  getAllowPolicyMetadata,
  listAllowPoliciesMetadata,
  specSource,
  updateAllowPolicyMetadata,
} from '../../generated/operations.js';
import { allowPolicyAuditRules } from '../../openapi/allow-policy-audit.js';
import type { DeprecationMetadata, OperationMetadata } from '../../src/metadata.js';
import { auditPolicy } from '../../src/migrate/audit.js';
import { buildPolicySchema, type PolicyOperations } from '../../src/migrate/rules.js';

const deprecation = (fields: Partial<DeprecationMetadata>): DeprecationMetadata => ({
  kind: 'property',
  schema: 'email-security_AllowPolicy',
  field: null,
  appliesTo: 'both',
  readOnly: false,
  replacement: null,
  deprecatedSince: '2027-01-01',
  endOfLife: '2027-07-01',
  forbiddenOnWrite: false,
  ...fields,
});

/** The package's operations, with the spec of next year: three new deprecations. */
function nextYearsSpec(): PolicyOperations {
  const update = updateAllowPolicyMetadata as OperationMetadata;
  const body = update.requestBody;
  if (body === null) throw new Error('the update operation has no body');
  return {
    get: {
      ...(getAllowPolicyMetadata as OperationMetadata),
      deprecations: [
        deprecation({
          field: 'is_acceptable_sender',
          replacement: 'accepts_bulk_from_sender',
          replacementDescription: 'Exempts from Spam and Bulk only.',
        }),
        deprecation({ field: 'comments' }),
        deprecation({ kind: 'enum-value', field: 'pattern_type', value: 'IP' }),
      ],
    },
    list: listAllowPoliciesMetadata as OperationMetadata,
    update: {
      ...update,
      requestBody: {
        ...body,
        properties: { ...body.properties, accepts_bulk_from_sender: { type: 'boolean' } },
      },
    },
    batch: batchAllowPoliciesMetadata as OperationMetadata,
    spec: specSource,
  };
}

describe('a new deprecation in the spec is audited with no code change', () => {
  const schema = buildPolicySchema(allowPolicyAuditRules, nextYearsSpec());
  const policy = (fields: Record<string, unknown>) => ({
    id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
    pattern: 'x@example.com',
    pattern_type: 'EMAIL',
    is_trusted_sender: false,
    verify_sender: true,
    ...fields,
  });

  it.each([
    [
      'the renamed flag, replacement absent',
      { is_acceptable_sender: true },
      [
        {
          kind: 'deprecated-only',
          severity: 'fix',
          fields: ['is_acceptable_sender', 'accepts_bulk_from_sender'],
          patch: { accepts_bulk_from_sender: true },
          before: { is_acceptable_sender: true },
          descriptions: { accepts_bulk_from_sender: 'Exempts from Spam and Bulk only.' },
        },
      ],
    ],
    [
      'the renamed flag, migrated',
      { is_acceptable_sender: true, accepts_bulk_from_sender: true },
      [],
    ],
    [
      'a deprecated field without replacement, set',
      { comments: 'kept for audits' },
      [{ kind: 'deprecated-field', severity: 'warn', fields: ['comments'] }],
    ],
    ['a deprecated field without replacement, null', { comments: null }, []],
    [
      'a deprecated enum value that can still be written',
      { pattern_type: 'IP', pattern: '192.0.2.1' },
      [{ kind: 'deprecated-value', severity: 'warn', fields: ['pattern_type'] }],
    ],
  ])('%s', (_name, fields, want) => {
    const found = auditPolicy(schema, policy(fields));
    expect(found).toHaveLength(want.length);
    want.forEach((finding, index) => {
      expect(found[index]).toMatchObject(finding);
    });
  });

  it('a deprecated string field set alongside a different replacement is a conflict', () => {
    const ops = nextYearsSpec();
    const conflicting = buildPolicySchema(allowPolicyAuditRules, {
      ...ops,
      get: {
        ...ops.get,
        deprecations: [deprecation({ field: 'comments', replacement: 'pattern' })],
      },
    });
    expect(auditPolicy(conflicting, policy({ comments: 'a', pattern: 'b' }))).toMatchObject([
      { kind: 'deprecated-conflict', severity: 'warn', fields: ['comments', 'pattern'] },
    ]);
  });
});

describe('the audit rules are checked against the spec', () => {
  it.each([
    [
      { verificationFlag: 'verify_senders' },
      /verificationFlag "verify_senders" is not a writable property/,
    ],
    [
      { trustFlags: ['is_trusted_sender', 'pattern'] },
      /trust flag "pattern" is string, not boolean/,
    ],
    [{ domainWidePatternTypes: ['WILDCARD'] }, /pattern type "WILDCARD" is not in the enum/],
    [{ id: 'policy_id' }, /id "policy_id" is not a read-only property/],
    [{ batchPatches: 'updates' }, /batch array "updates" is not in the batch body/],
  ])('%j', (change, message) => {
    const rules = { ...allowPolicyAuditRules, ...change };
    expect(() => buildPolicySchema(rules, nextYearsSpec())).toThrow(message);
    expect(() => buildPolicySchema(rules, nextYearsSpec())).toThrow(
      /^the allow-policy audit rules \(openapi\/allow-policy-audit\.ts\) do not match email_security_update_allow_policy .* Update openapi\/allow-policy-audit\.ts to the spec's names\.$/,
    );
  });
});
