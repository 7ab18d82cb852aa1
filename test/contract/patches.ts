/**
 * Random allow-policy patches, valid or not: right and wrong types, bounds, nulls, the
 * write-forbidden enum value, read-only and misspelled keys, deprecated fields.
 */
import fc from 'fast-check';

const bool = fc.oneof(
  { weight: 4, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'true', 1, 0, [], {}) },
);

const text = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>('', 'x'.repeat(max), 'y'.repeat(max + 1), 7, true),
    },
  );

const patternType = fc.constantFrom<unknown>(
  'EMAIL',
  'DOMAIN',
  'IP',
  'UNKNOWN',
  'email',
  'NOPE',
  null,
  3,
);

const writable = {
  comments: fc.oneof(text(1024), fc.constant(null)),
  is_acceptable_sender: bool,
  is_exempt_recipient: bool,
  is_regex: bool,
  is_trusted_sender: bool,
  pattern: text(1024),
  pattern_type: patternType,
  verify_sender: bool,
  is_sender: bool,
  is_recipient: bool,
  is_spoof: bool,
};

const invalidKeys = {
  id: fc.uuid(),
  created_at: fc.constant('2026-01-01T00:00:00Z'),
  modified_at: fc.constant('2026-01-01T00:00:00Z'),
  last_modified: fc.constant('2026-01-01T00:00:00Z'),
  patern: fc.string(),
  is_trusted: fc.boolean(),
};

/** Patches the API accepts: current (not deprecated) writable fields, valid values, at least one. */
const validPatch = fc
  .record(
    {
      comments: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null)),
      is_acceptable_sender: fc.boolean(),
      is_exempt_recipient: fc.boolean(),
      is_regex: fc.boolean(),
      is_trusted_sender: fc.boolean(),
      pattern: fc.string({ minLength: 1, maxLength: 40 }),
      pattern_type: fc.constantFrom('EMAIL', 'DOMAIN', 'IP'),
      verify_sender: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .filter((patch) => Object.keys(patch).length > 0);

/**
 * One in three patches is valid; the rest are valid-looking mixes (right and wrong values,
 * deprecated fields that may conflict with their replacements) and, one time in five of those,
 * carry a key that is never allowed. The mixes are accepted only ~3 % of the time (every field
 * must be right and each deprecated/replacement pair must agree): without `validPatch`, a 50-run
 * property saw no accepted patch in about one run of four (53 of 200 seeds).
 */
export const patchArbitrary = fc.oneof(
  { weight: 5, arbitrary: validPatch },
  { weight: 8, arbitrary: fc.record(writable, { requiredKeys: [] }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.record(writable, { requiredKeys: [] }),
        fc.record(invalidKeys, { requiredKeys: [] }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
  },
);
