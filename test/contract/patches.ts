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

/** Mostly valid-looking patches; about one in five carries a key that is never allowed. */
export const patchArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.record(writable, { requiredKeys: [] }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.record(writable, { requiredKeys: [] }),
        fc.record(invalidKeys, { requiredKeys: [] }),
      )
      .map(([a, b]) => ({ ...a, ...b })),
  },
);
