import { describe, expect, it } from 'vitest';
import { applyRequestDeprecations } from '../../src/deprecations.js';
import {
  DeprecatedFieldError,
  DeprecationConflictError,
  EmailSecurityError,
  ValidationError,
} from '../../src/errors.js';
import type { DeprecationMetadata, OperationMetadata } from '../../src/metadata.js';
import { updateAllowPolicyMetadata as metadata } from './support/allow-policy-metadata.js';

const today = new Date('2026-11-26T09:30:00Z');
const op = '(operation email_security_update_allow_policy)';

describe('applyRequestDeprecations: several fields at once', () => {
  it('migrates all three renamed booleans in place, in the spec order', () => {
    const body = Object.freeze({
      is_recipient: false,
      pattern: 'x',
      is_spoof: true,
      is_sender: true,
    });
    const { body: sent, events } = applyRequestDeprecations(metadata, body, { now: today });
    expect(JSON.stringify(sent)).toBe(
      '{"is_exempt_recipient":false,"pattern":"x","is_acceptable_sender":true,"is_trusted_sender":true}',
    );
    expect(events.map((e) => [e.field, e.replacement, e.action, e.pastEndOfLife])).toEqual([
      ['is_recipient', 'is_exempt_recipient', 'migrated', true],
      ['is_sender', 'is_trusted_sender', 'migrated', true],
      ['is_spoof', 'is_acceptable_sender', 'migrated', true],
    ]);
  });

  it("defaults to policy 'migrate'", () => {
    const { body } = applyRequestDeprecations(metadata, { is_spoof: false }, { now: today });
    expect(body).toEqual({ is_acceptable_sender: false });
  });

  it('leaves bodies without deprecated fields alone', () => {
    const input = { pattern: 'x', is_trusted_sender: false, comments: null };
    const result = applyRequestDeprecations(metadata, input, { now: today });
    expect(result).toEqual({ body: input, events: [] });
    expect(result.body).not.toBe(input);
  });

  it('treats undefined as absent', () => {
    const result = applyRequestDeprecations(
      metadata,
      { is_sender: undefined, is_trusted_sender: true },
      { now: today },
    );
    expect(result.events).toEqual([]);
    expect(JSON.stringify(result.body)).toBe('{"is_trusted_sender":true}');
  });
});

describe('applyRequestDeprecations: date boundaries (00:00 UTC)', () => {
  const phaseAt = (iso: string) => {
    const { body, events } = applyRequestDeprecations(
      metadata,
      { is_sender: false },
      { now: new Date(iso), policy: 'passthrough' },
    );
    if (events.length === 0) return 'before';
    return 'is_sender' in body ? 'deprecated' : 'ended';
  };
  it.each([
    ['2025-06-30T23:59:59.999Z', 'before'],
    ['2025-07-01T00:00:00.000Z', 'deprecated'],
    ['2026-06-30T23:59:59.999Z', 'deprecated'],
    ['2026-07-01T00:00:00.000Z', 'ended'],
  ])('%s is %s', (iso, phase) => {
    expect(phaseAt(iso)).toBe(phase);
  });
});

describe('applyRequestDeprecations: errors', () => {
  const context = { operationId: metadata.operationId, method: 'PATCH', path: '/accounts/a/…/p' };

  it('adds the request context to a conflict', () => {
    const run = () =>
      applyRequestDeprecations(
        metadata,
        { is_spoof: true, is_acceptable_sender: false },
        { now: today, context },
      );
    expect(run).toThrow(DeprecationConflictError);
    expect(run).toThrow(/^PATCH \/accounts\/a\/…\/p: "is_spoof" is deprecated and conflicts/);
  });

  it("gives policy 'error' a structured error", () => {
    try {
      applyRequestDeprecations(metadata, { is_recipient: true }, { now: today, policy: 'error' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DeprecatedFieldError);
      expect((error as DeprecatedFieldError).toJSON()).toEqual({
        name: 'DeprecatedFieldError',
        message: `is_recipient is deprecated since 2025-07-01 and reached end of life on 2026-07-01; use is_exempt_recipient. Policy 'error' rejects deprecated input; send is_exempt_recipient instead. Nothing was sent ${op}.`,
        operationId: undefined,
        method: undefined,
        path: undefined,
        field: 'is_recipient',
        replacement: 'is_exempt_recipient',
        deprecatedSince: '2025-07-01',
        endOfLife: '2026-07-01',
      });
    }
  });

  it.each(['migrate', 'error', 'passthrough'] as const)(
    "rejects pattern_type UNKNOWN (forbidden on writes) under policy '%s'",
    (policy) => {
      const run = () =>
        applyRequestDeprecations(metadata, { pattern_type: 'UNKNOWN' }, { now: today, policy });
      expect(run).toThrow(ValidationError);
      expect(run).toThrow(
        'invalid request, nothing was sent: body.pattern_type: UNKNOWN is deprecated and cannot be used when creating or updating; use EMAIL, DOMAIN or IP',
      );
    },
  );

  it('lets allowed enum values through', () => {
    const result = applyRequestDeprecations(metadata, { pattern_type: 'EMAIL' }, { now: today });
    expect(result.events).toEqual([]);
  });

  it.each([new Date('nonsense'), 'today' as unknown as Date])(
    'rejects an invalid clock %s',
    (now) => {
      const run = () => applyRequestDeprecations(metadata, { is_sender: true }, { now });
      expect(run).toThrow(EmailSecurityError);
      expect(run).toThrow('options.now must be a valid Date');
    },
  );
});

/** A spec variant with extra deprecations, to show the rules are generic. */
function withDeprecations(
  extra: Partial<DeprecationMetadata>[],
  change: Partial<OperationMetadata> = {},
): OperationMetadata {
  const base = metadata.requestBody;
  if (!base) throw new Error('fixture has a body');
  return {
    ...metadata,
    ...change,
    requestBody: {
      ...base,
      properties: {
        ...base.properties,
        legacy_flag: { type: 'boolean' },
        legacy_mode: { type: 'string', enum: ['on', 'off', 'auto'] },
      },
    },
    deprecations: extra.map((d) => ({
      kind: 'property',
      schema: 'Fixture',
      field: 'legacy_flag',
      appliesTo: 'both',
      readOnly: false,
      replacement: null,
      deprecatedSince: '2026-01-01',
      endOfLife: '2026-10-01',
      forbiddenOnWrite: false,
      text: 'Deprecated as of January 1, 2026. End of life: October 1, 2026.',
      ...d,
    })),
  };
}

describe('applyRequestDeprecations: deprecated field without a replacement', () => {
  const meta = withDeprecations([{}]);
  const run = (now: string, policy: 'migrate' | 'error' | 'passthrough') =>
    applyRequestDeprecations(meta, { legacy_flag: true }, { now: new Date(now), policy });

  it('is sent and reported while deprecated', () => {
    expect(run('2026-05-01', 'migrate')).toEqual({
      body: { legacy_flag: true },
      events: [
        {
          kind: 'request-field',
          operationId: 'email_security_update_allow_policy',
          field: 'legacy_flag',
          replacement: null,
          deprecatedSince: '2026-01-01',
          endOfLife: '2026-10-01',
          pastEndOfLife: false,
          action: 'reported',
          message: `legacy_flag is deprecated since 2026-01-01 and reaches end of life on 2026-10-01; the spec names no replacement. Sent legacy_flag as given ${op}.`,
          source: 'spec',
        },
      ],
    });
    expect(run('2026-05-01', 'passthrough').events[0]?.action).toBe('passed-through');
    expect(() => run('2026-05-01', 'error')).toThrow(DeprecatedFieldError);
  });

  it.each(['migrate', 'error', 'passthrough'] as const)(
    "is a DeprecatedFieldError past end of life under '%s' (never dropped silently)",
    (policy) => {
      expect(() => run('2026-11-26', policy)).toThrow(
        `legacy_flag is deprecated since 2026-01-01 and reached end of life on 2026-10-01; the spec names no replacement. Remove legacy_flag: it is past its end of life and is never dropped silently. Nothing was sent ${op}.`,
      );
    },
  );

  it('treats a replacement that is not writable as no replacement', () => {
    const meta2 = withDeprecations([{ replacement: 'modified_at' }]);
    expect(() => applyRequestDeprecations(meta2, { legacy_flag: true }, { now: today })).toThrow(
      DeprecatedFieldError,
    );
  });

  it('without dates it is deprecated now and never ends', () => {
    const meta3 = withDeprecations([{ deprecatedSince: null, endOfLife: null }]);
    const { events } = applyRequestDeprecations(meta3, { legacy_flag: true }, { now: today });
    expect(events[0]?.message).toBe(
      `legacy_flag is deprecated (no end-of-life date in the spec); the spec names no replacement. Sent legacy_flag as given ${op}.`,
    );
  });

  it('does not echo string values in messages', () => {
    const meta4 = withDeprecations([{ field: 'comments', replacement: 'pattern' }]);
    const { events } = applyRequestDeprecations(
      meta4,
      { comments: 'private note' },
      { now: new Date('2026-05-01') },
    );
    expect(events[0]?.message).toContain('Sent pattern instead');
    expect(events[0]?.message).not.toContain('private note');
  });
});

describe('applyRequestDeprecations: enum values, operations, parameters', () => {
  const enumMeta = withDeprecations([
    { kind: 'enum-value', field: 'legacy_mode', value: 'auto', endOfLife: null },
  ]);

  it('reports a deprecated (allowed) enum value, or rejects it with policy error', () => {
    const { events } = applyRequestDeprecations(enumMeta, { legacy_mode: 'auto' }, { now: today });
    expect(events).toMatchObject([
      { kind: 'enum-value', action: 'reported', field: 'legacy_mode' },
    ]);
    expect(events[0]?.message).toBe(
      `legacy_mode=auto is deprecated since 2026-01-01 (no end-of-life date in the spec); the spec names no replacement. Sent legacy_mode=auto as given ${op}.`,
    );
    expect(() =>
      applyRequestDeprecations(enumMeta, { legacy_mode: 'auto' }, { now: today, policy: 'error' }),
    ).toThrow(DeprecatedFieldError);
    expect(
      applyRequestDeprecations(enumMeta, { legacy_mode: 'on' }, { now: today }).events,
    ).toEqual([]);
  });

  it('rejects a deprecated enum value past its end of life', () => {
    const ended = withDeprecations([{ kind: 'enum-value', field: 'legacy_mode', value: 'auto' }]);
    expect(() => applyRequestDeprecations(ended, { legacy_mode: 'auto' }, { now: today })).toThrow(
      DeprecatedFieldError,
    );
  });

  it('reports a deprecated operation', () => {
    const flagged = withDeprecations([
      {
        kind: 'operation',
        field: null,
        appliesTo: 'request',
        deprecatedSince: null,
        endOfLife: null,
      },
    ]);
    const { events } = applyRequestDeprecations(flagged, { pattern: 'x' }, { now: today });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'operation',
        field: null,
        action: 'reported',
        message: `operation email_security_update_allow_policy is deprecated (no end-of-life date in the spec); the spec names no replacement. Sent it as given ${op}.`,
      }),
    ]);
    expect(() =>
      applyRequestDeprecations(flagged, { pattern: 'x' }, { now: today, policy: 'error' }),
    ).toThrow(DeprecatedFieldError);
  });

  it('reports a deprecated parameter only when it is given', () => {
    const meta = withDeprecations([
      { kind: 'parameter', field: 'account_id', appliesTo: 'request' },
    ]);
    const given = applyRequestDeprecations(
      meta,
      { pattern: 'x' },
      { now: today, parameters: { account_id: 'a' } },
    );
    expect(given.events).toMatchObject([
      { kind: 'parameter', field: 'account_id', action: 'reported', pastEndOfLife: true },
    ]);
    expect(applyRequestDeprecations(meta, { pattern: 'x' }, { now: today }).events).toEqual([]);
  });

  it('ignores response-only deprecations on the request side', () => {
    const result = applyRequestDeprecations(metadata, { pattern: 'x' }, { now: today });
    expect(result.events).toEqual([]);
  });
});
