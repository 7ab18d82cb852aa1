import { describe, expect, test } from 'vitest';
import { collectDeprecations } from '../../scripts/codegen/deprecations.js';
import { loadDocument } from '../../scripts/codegen/load.js';
import { SPEC_PATH, specCopy } from './helpers.js';

describe('collectDeprecations on the vendored spec', () => {
  test('finds every deprecation, with replacement and dates', async () => {
    const { document } = await loadDocument(SPEC_PATH);
    const found = collectDeprecations(document).map((item) => [
      item.kind,
      item.schema,
      item.field,
      item.replacement,
      item.deprecatedSince,
      item.endOfLife,
      item.appliesTo,
    ]);
    expect(found).toEqual([
      [
        'property',
        'email-security_AllowPolicy',
        'is_recipient',
        'is_exempt_recipient',
        '2025-07-01',
        '2026-07-01',
        'both',
      ],
      [
        'property',
        'email-security_AllowPolicy',
        'is_sender',
        'is_trusted_sender',
        '2025-07-01',
        '2026-07-01',
        'both',
      ],
      [
        'property',
        'email-security_AllowPolicy',
        'is_spoof',
        'is_acceptable_sender',
        '2025-07-01',
        '2026-07-01',
        'both',
      ],
      [
        'property',
        'email-security_AllowPolicy',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
      [
        'property',
        'email-security_BlockedSender',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
      [
        'property',
        'email-security_Domain',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
      [
        'property',
        'email-security_ImpersonationRegistry',
        'external_directory_node_id',
        null,
        null,
        null,
        'both',
      ],
      [
        'property',
        'email-security_ImpersonationRegistry',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
      ['enum-value', 'email-security_PatternType', 'pattern_type', null, null, null, 'both'],
      [
        'property',
        'email-security_SendingDomainRestriction',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
      [
        'property',
        'email-security_TrustedDomain',
        'last_modified',
        'modified_at',
        null,
        '2026-11-01',
        'response',
      ],
    ]);
    const unknown = collectDeprecations(document).find((item) => item.kind === 'enum-value');
    expect(unknown).toMatchObject({ value: 'UNKNOWN', forbiddenOnWrite: true, readOnly: false });
  });

  test('follows the spec, not a list: a new deprecated property, operation and parameter are found; unparseable text is kept raw', async () => {
    const spec = await specCopy();
    const schemas = (
      spec.components as { schemas: Record<string, { properties: Record<string, unknown> }> }
    ).schemas;
    (
      schemas['email-security_AllowPolicy'] as { properties: Record<string, unknown> }
    ).properties.legacy_flag = {
      allOf: [{ type: 'boolean' }],
      deprecated: true,
      description: 'Deprecated whenever. ¯\\_(ツ)_/¯',
    };
    const paths = spec.paths as Record<
      string,
      Record<string, { deprecated?: boolean; parameters?: unknown[] }>
    >;
    const list = paths['/accounts/{account_id}/email-security/settings/allow_policies']?.get;
    if (!list?.parameters) throw new Error('fixture drifted');
    list.deprecated = true;
    list.parameters.push({
      name: 'old_filter',
      in: 'query',
      deprecated: true,
      description: 'Use `pattern` instead.',
      schema: { type: 'string' },
    });
    const found = collectDeprecations(spec);
    expect(found.find((item) => item.field === 'legacy_flag')).toMatchObject({
      kind: 'property',
      schema: 'email-security_AllowPolicy',
      replacement: null,
      deprecatedSince: null,
      endOfLife: null,
      text: 'Deprecated whenever. ¯\\_(ツ)_/¯',
    });
    expect(found.find((item) => item.kind === 'parameter')).toMatchObject({
      field: 'old_filter',
      replacement: 'pattern',
    });
    expect(found.find((item) => item.kind === 'operation')?.location).toContain(
      'email_security_list_allow_policies',
    );
  });

  test('keeps every deprecated operation and same-named inline parameter apart', async () => {
    const spec = await specCopy();
    const paths = spec.paths as Record<
      string,
      Record<string, { deprecated?: boolean; parameters?: unknown[] }>
    >;
    const base = '/accounts/{account_id}/email-security/settings';
    const operations = [
      paths[`${base}/allow_policies`]?.get,
      paths[`${base}/block_senders`]?.get,
      paths[`${base}/trusted_domains`]?.get,
    ];
    for (const operation of operations) {
      if (!operation?.parameters) throw new Error('fixture drifted');
      operation.deprecated = true;
      operation.parameters.push({
        name: 'old_filter',
        in: 'query',
        deprecated: true,
        schema: { type: 'string' },
      });
    }
    const found = collectDeprecations(spec);
    expect(found.filter((item) => item.kind === 'operation')).toHaveLength(3);
    expect(found.filter((item) => item.kind === 'parameter')).toHaveLength(3);
  });
});
