import { describe, expect, it } from 'vitest';
import { diffSpecs, EMPTY_DOCUMENT } from '../../scripts/spec/diff.js';
import type { ChangeReport, JsonValue } from '../../scripts/spec/report.js';
import { sliceDocument } from '../../scripts/spec/slice.js';
import { type Doc, embedInUpstream, POLICY_PATH, SETTINGS, vendored } from './upstream-fixture.js';

const TODAY = '2026-11-26';
const PATCH = `PATCH ${POLICY_PATH}`;
const schemas = (doc: Doc) => doc.components.schemas;

/** Mutates a copy of the vendored spec, embeds it upstream, slices it and diffs it against the vendored one. */
function reportFor(mutate: (doc: Doc) => void, today = TODAY): ChangeReport {
  const next = vendored();
  mutate(next);
  const after = sliceDocument(embedInUpstream(next)) as JsonValue;
  return diffSpecs(vendored() as JsonValue, after, { today });
}

/** Every change as `severity kind location`, in report order. */
function listed(report: ChangeReport): string[] {
  return [...report.operations, ...report.schemas, ...report.deprecations, ...report.security].map(
    (change) => `${change.severity} ${change.kind} ${change.location}`,
  );
}

describe('diffSpecs on programmatic mutations of the vendored spec', () => {
  it('reports nothing when nothing changed (but still lists items past end of life)', () => {
    const report = reportFor(() => {});
    expect(listed(report)).toEqual([]);
    expect(report.changed).toBe(false);
    expect(report.verdict).toMatchObject({ breaking: false, reasons: [] });
    expect(report.pastEndOfLife.map((item) => item.location)).toContain(
      'email-security_AllowPolicy.is_sender',
    );
  });

  it('an added operation is compatible', () => {
    const report = reportFor((doc) => {
      doc.paths[`${SETTINGS}/domains/{domain_id}`].put = {
        ...doc.paths[`${SETTINGS}/domains/{domain_id}`].patch,
        operationId: 'email_security_replace_domain',
      };
    });
    expect(listed(report)).toEqual([`info operation-added PUT ${SETTINGS}/domains/{domain_id}`]);
    expect(report.operations[0]?.message).toBe('operation added (email_security_replace_domain)');
    expect(report.verdict.breaking).toBe(false);
    expect(report.after.operations).toBe(report.before.operations + 1);
  });

  it('a removed operation is breaking, and so is the schema only it used', () => {
    const report = reportFor((doc) => {
      delete doc.paths[`${SETTINGS}/domains/{domain_id}`].delete;
    });
    expect(listed(report)).toEqual([
      `breaking operation-removed DELETE ${SETTINGS}/domains/{domain_id}`,
      'breaking schema-removed email-security_DeletedDomain',
    ]);
    expect(report.verdict.breaking).toBe(true);
    expect(report.verdict.reasons[0]).toContain('email_security_delete_domain');
  });

  it('a renamed property is a removal (breaking) plus an optional addition', () => {
    const report = reportFor((doc) => {
      const properties = schemas(doc)['email-security_AllowPolicy'].properties;
      properties.comment = properties.comments;
      delete properties.comments;
    });
    expect(listed(report)).toEqual([
      'breaking property-removed email-security_AllowPolicy.comments',
      'info property-added email-security_AllowPolicy.comment',
    ]);
    expect(report.verdict.breaking).toBe(true);
  });

  it('an id changed from a UUID string to an integer is breaking', () => {
    const report = reportFor((doc) => {
      Object.assign(schemas(doc)['email-security_AllowPolicyId'], { type: 'integer', example: 42 });
      delete schemas(doc)['email-security_AllowPolicyId'].format;
    });
    expect(listed(report)).toEqual(['breaking type-changed email-security_AllowPolicyId']);
    expect(report.schemas[0]).toMatchObject({ before: 'string (uuid)', after: 'integer' });
  });

  it('a new deprecation is a notice with its replacement and dates', () => {
    const report = reportFor((doc) => {
      Object.assign(schemas(doc)['email-security_AllowPolicy'].properties.is_regex, {
        deprecated: true,
        description:
          'Deprecated as of December 1, 2026. Use `pattern_type` instead. End of life: June 1, 2027.',
      });
    });
    expect(listed(report)).toEqual(['notice deprecated email-security_AllowPolicy.is_regex']);
    expect(report.deprecations[0]?.message).toBe(
      'newly deprecated (use pattern_type, end of life 2027-06-01)',
    );
    expect(report.verdict.breaking).toBe(false);
  });

  it('an end of life moved later is compatible; moved earlier is breaking', () => {
    const moveTo = (date: string) => (doc: Doc) => {
      const property = schemas(doc)['email-security_AllowPolicy'].properties.is_sender;
      property.description = property.description.replace('July 1, 2026', date);
    };
    const later = reportFor(moveTo('January 1, 2027'));
    expect(listed(later)).toEqual([
      'info end-of-life-changed email-security_AllowPolicy.is_sender',
    ]);
    expect(later.deprecations[0]).toMatchObject({ before: '2026-07-01', after: '2027-01-01' });
    expect(later.pastEndOfLife.map((item) => item.location)).not.toContain(
      'email-security_AllowPolicy.is_sender',
    );
    expect(later.verdict.breaking).toBe(false);

    const earlier = reportFor(moveTo('March 1, 2026'));
    expect(listed(earlier)).toEqual([
      'breaking end-of-life-changed email-security_AllowPolicy.is_sender',
    ]);
    expect(earlier.verdict.reasons).toEqual([
      'email-security_AllowPolicy.is_sender: end of life moved earlier: 2026-07-01 → 2026-03-01',
    ]);
  });

  it('a new enum value of a request schema widens what the client sends: breaking, to review', () => {
    const report = reportFor((doc) => {
      schemas(doc)['email-security_PatternType'].enum.push('REGEX');
    });
    expect(listed(report)).toEqual(['breaking enum-value-added email-security_PatternType']);
    expect(report.verdict.reasons[0]).toContain(
      'safety rule lost: review: enum value "REGEX" added (the client now lets requests send "REGEX"; responses may return it',
    );
  });

  it('a removed enum value is breaking (and a removed deprecated value is not "undeprecated")', () => {
    const removed = reportFor((doc) => {
      schemas(doc)['email-security_PatternType'].enum = ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'].slice(
        1,
      );
    });
    expect(listed(removed)).toEqual(['breaking enum-value-removed email-security_PatternType']);
    const deprecatedOneRemoved = reportFor((doc) => {
      schemas(doc)['email-security_PatternType'].enum = ['EMAIL', 'DOMAIN', 'IP'];
    });
    expect(listed(deprecatedOneRemoved)).toEqual([
      'breaking enum-value-removed email-security_PatternType',
    ]);
  });

  it('a value or property that stays but loses its deprecation is reported as no longer deprecated', () => {
    const report = reportFor((doc) => {
      const patternType = schemas(doc)['email-security_PatternType'];
      patternType.description = 'Type of pattern matching.';
      delete schemas(doc)['email-security_ImpersonationRegistry'].properties
        .external_directory_node_id.deprecated;
    });
    expect(listed(report)).toEqual([
      'notice undeprecated email-security_ImpersonationRegistry.external_directory_node_id',
      'breaking undeprecated email-security_PatternType value "UNKNOWN"',
    ]);
    expect(report.deprecations[1]?.message).toBe(
      'safety rule lost: review: it was deprecated: the client refused to send it ("cannot be sent in requests"); the spec now says: "Type of pattern matching."',
    );
  });

  it('a writable property that became required in requests is breaking; a read-only one is not', () => {
    const writable = reportFor((doc) => {
      schemas(doc)['email-security_AllowPolicy'].required.push('pattern');
    });
    expect(listed(writable)).toEqual([
      'breaking required-added email-security_AllowPolicy.pattern',
    ]);

    const readOnly = reportFor((doc) => {
      schemas(doc)['email-security_AllowPolicy'].required.push('modified_at');
    });
    expect(listed(readOnly)).toEqual([
      'info required-added email-security_AllowPolicy.modified_at',
    ]);
    expect(readOnly.verdict.breaking).toBe(false);
  });

  it('deprecated operations are each reported, with the date from their description', () => {
    const report = reportFor((doc) => {
      Object.assign(doc.paths[POLICY_PATH].get, {
        deprecated: true,
        description: 'Use the list operation instead. End of life: 2027-02-01.',
      });
      doc.paths[POLICY_PATH].delete.deprecated = true;
    });
    expect(listed(report)).toEqual([
      `notice deprecated GET ${POLICY_PATH} (email_security_get_allow_policy)`,
      `notice deprecated DELETE ${POLICY_PATH} (email_security_delete_allow_policy)`,
    ]);
    expect(report.deprecations[0]?.after).toBe('2027-02-01');
  });

  it('an operationId rename is breaking (generated names follow it)', () => {
    const report = reportFor((doc) => {
      doc.paths[POLICY_PATH].patch.operationId = 'email_security_edit_allow_policy';
    });
    expect(listed(report)).toEqual([`breaking operation-renamed ${PATCH}`]);
  });

  it('an operation moved to another path keeps its identity', () => {
    const report = reportFor((doc) => {
      const item = doc.paths[`${SETTINGS}/allow_policies/batch`];
      delete doc.paths[`${SETTINGS}/allow_policies/batch`];
      doc.paths[`${SETTINGS}/allow_policies/bulk`] = item;
    });
    expect(listed(report)).toEqual([
      `breaking operation-moved POST ${SETTINGS}/allow_policies/batch`,
    ]);
  });

  it('security: a removed alternative and a removed permission group are breaking, additions are not', () => {
    const report = reportFor((doc) => {
      const patch = doc.paths[POLICY_PATH].patch;
      patch.security = [{ api_token: [] }];
      patch['x-api-token-group'] = ['Cloud Email Security: Admin'];
      doc.paths[POLICY_PATH].get['x-api-token-group'].push('Cloud Email Security: Admin');
    });
    expect(listed(report)).toEqual([
      `info permission-group-added GET ${POLICY_PATH}`,
      `breaking security-alternative-removed ${PATCH}`,
      `breaking permission-group-removed ${PATCH}`,
      `info permission-group-added ${PATCH}`,
    ]);
    expect(report.security[1]?.message).toBe(
      'callers can no longer authenticate with api_email + api_key',
    );
  });

  it('a nullable response field and a new required query parameter are breaking', () => {
    const report = reportFor((doc) => {
      schemas(doc)['email-security_AllowPolicy'].properties.is_regex.nullable = true;
      doc.paths[POLICY_PATH].patch.parameters = [
        { name: 'dry_run', in: 'query', required: true, schema: { type: 'boolean' } },
      ];
    });
    expect(listed(report)).toEqual([
      `breaking parameter-added ${PATCH}`,
      'breaking nullable-changed email-security_AllowPolicy.is_regex',
    ]);
  });

  it('against no previous file, everything is added and nothing is breaking', () => {
    const report = diffSpecs(EMPTY_DOCUMENT, vendored() as JsonValue, { today: TODAY });
    expect(report.operations).toHaveLength(33);
    expect(report.schemas.every((change) => change.kind === 'schema-added')).toBe(true);
    expect(report.verdict.breaking).toBe(false);
  });

  it('is a pure function of its inputs and JSON-serialisable', () => {
    const mutate = (doc: Doc) => {
      schemas(doc)['email-security_PatternType'].enum.push('REGEX');
    };
    const first = reportFor(mutate);
    expect(reportFor(mutate)).toEqual(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('rejects a today that is not an ISO date', () => {
    expect(() => diffSpecs(vendored(), vendored(), { today: '26/11/2026' })).toThrow(/ISO date/);
  });
});
