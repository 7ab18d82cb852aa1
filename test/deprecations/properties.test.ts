/** Property-based: no combination of clock, policy and body sends a deprecated name past its end of life. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRequestDeprecations, type DeprecationPolicy } from '../../src/deprecations.js';
import {
  DeprecatedFieldError,
  DeprecationConflictError,
  ValidationError,
} from '../../src/errors.js';
import type { OperationMetadata } from '../../src/metadata.js';
import { updateAllowPolicyMetadata } from './support/allow-policy-metadata.js';

/** The real deprecations plus one without a replacement, so every rule is exercised. */
const metadata: OperationMetadata = {
  ...updateAllowPolicyMetadata,
  deprecations: [
    ...updateAllowPolicyMetadata.deprecations,
    {
      kind: 'property',
      schema: 'Fixture',
      field: 'is_regex',
      appliesTo: 'both',
      readOnly: false,
      replacement: null,
      deprecatedSince: '2026-01-01',
      endOfLife: '2026-09-01',
      forbiddenOnWrite: false,
      text: 'Deprecated as of January 1, 2026. End of life: September 1, 2026.',
    },
  ],
};
const requestDeprecations = metadata.deprecations.filter(
  (d) => d.kind === 'property' && !d.readOnly && d.field,
);
const fields = Object.keys(metadata.requestBody?.properties ?? {});

const value = fc.oneof(fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 }), fc.integer());
const body = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length });
const now = fc.date({
  min: new Date('2024-01-01'),
  max: new Date('2028-12-31'),
  noInvalidDate: true,
});
const policy = fc.constantFrom<DeprecationPolicy>('migrate', 'error', 'passthrough');
const expectedErrors = [DeprecatedFieldError, DeprecationConflictError, ValidationError];

function run(input: Record<string, unknown>, at: Date, p: DeprecationPolicy) {
  try {
    return applyRequestDeprecations(metadata, input, { now: at, policy: p });
  } catch (error) {
    expect(expectedErrors.some((type) => error instanceof type)).toBe(true);
    return undefined;
  }
}

const runs = { numRuns: 2000, seed: 20261126 };

describe('applyRequestDeprecations properties', () => {
  it('never sends a deprecated name past its end of life', () => {
    fc.assert(
      fc.property(body, now, policy, (input, at, p) => {
        const result = run(input, at, p);
        if (!result) return;
        for (const d of requestDeprecations) {
          if (d.endOfLife && at.getTime() >= Date.parse(`${d.endOfLife}T00:00:00Z`)) {
            expect(result.body).not.toHaveProperty(d.field as string);
          }
        }
      }),
      runs,
    );
  });

  it('never loses or changes a value, and never mutates its input', () => {
    fc.assert(
      fc.property(body, now, policy, (input, at, p) => {
        const copy = structuredClone(input);
        const result = run(input, at, p);
        expect(input).toEqual(copy);
        if (!result) return;
        for (const [key, given] of Object.entries(input)) {
          const d = requestDeprecations.find((x) => x.field === key);
          const target = key in result.body ? key : (d?.replacement ?? key);
          expect(result.body[target]).toEqual(given);
        }
        expect(Object.keys(result.body).length).toBeLessThanOrEqual(Object.keys(input).length);
      }),
      runs,
    );
  });

  it('sends every non-deprecated input as given, and changes nothing before any deprecation date', () => {
    fc.assert(
      fc.property(
        body.filter((b) => b.pattern_type !== 'UNKNOWN'),
        fc.date({
          min: new Date('2024-01-01'),
          max: new Date('2025-06-30T23:59:59Z'),
          noInvalidDate: true,
        }),
        policy,
        (input, at, p) => {
          const result = run(input, at, p);
          // Only the spec's undated deprecations (UNKNOWN, last_modified) are active this early.
          expect(result).toEqual({ body: input, events: [] });
        },
      ),
      runs,
    );
  });

  it('reports every field it rewrites, with the action taken', () => {
    fc.assert(
      fc.property(body, now, policy, (input, at, p) => {
        const result = run(input, at, p);
        if (!result) return;
        const changed = Object.keys(input).filter((k) => !(k in result.body));
        const reported = result.events
          .filter((e) => e.action === 'migrated' || e.action === 'dropped')
          .map((e) => e.field);
        expect(reported.sort()).toEqual(changed.sort());
      }),
      runs,
    );
  });
});
