/**
 * Issue 12, scope 1: the ways a spec says "deprecated", "use X instead", "end of life …" and
 * "cannot be sent", read from structure first and prose second, as given/want tables, with
 * phrasings that must NOT match; and what the reader sees but cannot read is refused.
 */
import { describe, expect, test } from 'vitest';
import { findUnreadableDeprecations } from '../../scripts/codegen/deprecation-guard.js';
import { deprecationRules, enumDeprecations } from '../../scripts/codegen/deprecation-markers.js';
import {
  type DeprecationText,
  readDeprecationText,
  saysDeprecated,
} from '../../scripts/codegen/deprecation-text.js';
import { validateDocument } from '../../scripts/codegen/validate.js';
import { hostile, POLICY_SCHEMA } from '../hostile-spec/support.js';

type Want = Partial<DeprecationText>;

/** [given text, the rules it states (unlisted ones must be null/false)] */
const PROPERTY_PHRASINGS: readonly [string, Want][] = [
  [
    'Deprecated as of July 1, 2025. Use `is_exempt_recipient` instead. End of life: July 1, 2026.',
    { replacement: 'is_exempt_recipient', deprecatedSince: '2025-07-01', endOfLife: '2026-07-01' },
  ],
  [
    'Deprecated, use `modified_at` instead. End of life: November 1, 2026.',
    { replacement: 'modified_at', endOfLife: '2026-11-01' },
  ],
  ['**Deprecated.** Please use `is_trusted_sender` instead.', { replacement: 'is_trusted_sender' }],
  ['This field has been replaced by `pattern_type`.', { replacement: 'pattern_type' }],
  ['Superseded by "new_field" (see changelog).', { replacement: 'new_field' }],
  [
    'Deprecated in favour of `is_acceptable_sender`; sunset on 2026-07-01.',
    { replacement: 'is_acceptable_sender', endOfLife: '2026-07-01' },
  ],
  ['Deprecated in favor of the `modified_at` field.', { replacement: 'modified_at' }],
  [
    'Renamed to `is_trusted_sender`. Will be removed on or after 1 July 2026.',
    { replacement: 'is_trusted_sender', endOfLife: '2026-07-01' },
  ],
  [
    'Obsolete: migrate to `modified_at`. Removal date: 2026/11/01.',
    { replacement: 'modified_at', endOfLife: '2026-11-01' },
  ],
  [
    'Deprecated since 2025-07-01T00:00:00Z. EOL 2026-07-01.',
    { deprecatedSince: '2025-07-01', endOfLife: '2026-07-01' },
  ],
  [
    'Deprecation date: Jan. 5th, 2025. Supported until March 31st, 2026.',
    { deprecatedSince: '2025-01-05', endOfLife: '2026-03-31' },
  ],
  [
    'Deprecated on 1st of July 2025; it will stop working after December 1, 2026.',
    { deprecatedSince: '2025-07-01', endOfLife: '2026-12-01' },
  ],
  ['Deprecated. End-of-life date — July 2026.', { endOfLife: '2026-07-01' }],
  [
    'Deprecated; it will no longer be accepted after 2026-07-01. Use is_trusted_sender instead.',
    { replacement: 'is_trusted_sender', endOfLife: '2026-07-01' },
  ],
  ['Deprecated: use the new `allowlist` setting instead.', { replacement: 'allowlist' }],
  ['Deprecated. Cannot be set when creating or updating policies.', { forbiddenOnWrite: true }],
  ['Deprecated and read-only: returned for existing entries only.', { forbiddenOnWrite: true }],
  ['Deprecated. This value must not be sent in update requests.', { forbiddenOnWrite: true }],
  [
    'Deprecated; no longer accepted in requests, only returned in responses.',
    { forbiddenOnWrite: true },
  ],
  [
    'Deprecated. Requests that include it are rejected on create and update.',
    { forbiddenOnWrite: true },
  ],
  ['Deprecated. Do not send it when creating new policies.', { forbiddenOnWrite: true }],
  [
    'Deprecated. It may still be returned, but can not be used in PATCH or POST requests.',
    { forbiddenOnWrite: true },
  ],
  // must NOT match (the rule is not there)
  ['Deprecated. Use this field only for legacy clients.', {}],
  ['Deprecated, use it sparingly.', {}],
  ['Deprecated as of February 30, 2025.', {}],
  ['Deprecated. Do not rely on the order of results.', {}],
  ['Deprecated; the replacement will be announced.', {}],
  ['Deprecated on 07/01/2025 (ambiguous: day and month could be swapped).', {}],
  ['Whether the sender is trusted. Use `true` to trust.', {}],
];

const NOTHING: DeprecationText = {
  replacement: null,
  deprecatedSince: null,
  endOfLife: null,
  forbiddenOnWrite: false,
};

describe('what a deprecation text says', () => {
  test.each(PROPERTY_PHRASINGS)('%s', (given, want) => {
    const read = readDeprecationText(given);
    // "use `true` to trust" names a value, not a field: only a field name counts as a replacement.
    const expected = { ...NOTHING, ...want };
    if (given.includes('`true`')) expect({ ...read, replacement: null }).toEqual(expected);
    else expect(read).toEqual(expected);
  });
});

/** [given text, whether it states that its subject is deprecated] */
const DEPRECATED_OR_NOT: readonly [string, boolean][] = [
  ['Deprecated.', true],
  ['This property is deprecated and will be removed.', true],
  ['DEPRECATED: use x', true],
  ['Obsolete; kept for compatibility.', true],
  ['Sunset since 2026.', true],
  ['No longer supported; use `x` instead.', true],
  ['This field is not deprecated.', false],
  ['No longer deprecated as of 2026-01-01.', false],
  ['Previously deprecated, supported again.', false],
  ['Non-deprecated replacement for `old`.', false],
  ['The newest way to configure the policy.', false],
];

describe('whether a text says "deprecated"', () => {
  test.each(DEPRECATED_OR_NOT)('%s → %s', (given, want) => {
    expect(saysDeprecated(given)).toBe(want);
  });
});

const VALUES = ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'];

/** [enum description, the values it calls deprecated, those of them it forbids in requests] */
const ENUM_PHRASINGS: readonly [string, string[], string[]][] = [
  [
    'Type of pattern matching. Note: UNKNOWN is deprecated and cannot be used when creating or updating policies, but may be returned for existing entries.',
    ['UNKNOWN'],
    ['UNKNOWN'],
  ],
  ['`UNKNOWN` (deprecated) behaves like EMAIL.', ['UNKNOWN'], []],
  ['Deprecated values: UNKNOWN, IP', ['IP', 'UNKNOWN'], []],
  ['UNKNOWN and IP are deprecated.', ['IP', 'UNKNOWN'], []],
  ['The UNKNOWN value is deprecated; do not send it in requests.', ['UNKNOWN'], ['UNKNOWN']],
  ['The following values are deprecated: `UNKNOWN`.', ['UNKNOWN'], []],
  ['Using UNKNOWN is deprecated.', ['UNKNOWN'], []],
  ['UNKNOWN - deprecated, read-only.', ['UNKNOWN'], ['UNKNOWN']],
  [
    'Pattern types:\n- `EMAIL`: an address\n- `DOMAIN`: a domain\n- `UNKNOWN`: deprecated; cannot be sent when creating or updating',
    ['UNKNOWN'],
    ['UNKNOWN'],
  ],
  [
    'Pattern types:\n* **IP** — deprecated (still accepted)\n* **UNKNOWN** — deprecated, must not be used in create or update requests',
    ['IP', 'UNKNOWN'],
    ['UNKNOWN'],
  ],
  // must NOT match
  ['UNKNOWN is not deprecated.', [], []],
  ['EMAIL replaces the deprecated address type.', [], []],
  ['Type of pattern matching; nothing here is deprecated yet.', [], []],
  ['unknown is deprecated (a different, lower-case value).', [], []],
];

describe('which enum values are deprecated, and which may not be sent', () => {
  test.each(ENUM_PHRASINGS)('%s', (description, deprecated, forbidden) => {
    const found = enumDeprecations({ type: 'string', enum: VALUES, description });
    expect(found.map((entry) => entry.value).sort()).toEqual([...deprecated].sort());
    expect(
      found
        .filter((entry) => entry.rules.forbiddenOnWrite)
        .map((entry) => entry.value)
        .sort(),
    ).toEqual([...forbidden].sort());
  });
});

describe('structure first, prose second', () => {
  test.each([
    [
      'x-stainless-deprecation-message without deprecated: true',
      { type: 'boolean', 'x-stainless-deprecation-message': 'Use `is_trusted_sender` instead.' },
      { replacement: 'is_trusted_sender' },
    ],
    [
      'dates and replacement from extensions win over the text',
      {
        type: 'boolean',
        deprecated: true,
        description: 'Deprecated as of May 1, 2025. Use `a` instead. End of life: June 1, 2027.',
        'x-deprecation-date': '2025-07-01',
        'x-sunset': '2026-07-01',
        'x-replaced-by': 'is_trusted_sender',
      },
      { replacement: 'is_trusted_sender', deprecatedSince: '2025-07-01', endOfLife: '2026-07-01' },
    ],
    [
      'the text fills what the structure lacks',
      { type: 'boolean', 'x-sunset': 'July 1, 2026', description: 'Use `x` instead.' },
      { replacement: 'x', endOfLife: '2026-07-01' },
    ],
  ])('%s', (_name, node, want) => {
    expect(deprecationRules(node)).toEqual({ ...NOTHING, ...want });
  });

  test('x-enum-deprecated lists values; x-enum-descriptions give each value its own text', () => {
    expect(
      enumDeprecations({ enum: VALUES, 'x-enum-deprecated': ['IP'] }).map((entry) => entry.value),
    ).toEqual(['IP']);
    const perValue = enumDeprecations({
      enum: VALUES,
      'x-enum-descriptions': { UNKNOWN: 'Deprecated; cannot be used when creating or updating.' },
    });
    expect(perValue).toEqual([
      expect.objectContaining({
        value: 'UNKNOWN',
        rules: expect.objectContaining({ forbiddenOnWrite: true }),
      }),
    ]);
  });
});

describe('a rule the reader sees but cannot read is refused, never dropped', () => {
  const refused: [string, (doc: ReturnType<typeof hostile>) => void, RegExp][] = [
    [
      'an end of life without a readable date',
      (doc) => {
        doc.components.schemas[POLICY_SCHEMA].properties.is_sender.description =
          'Deprecated as of July 1, 2025. Use `is_trusted_sender` instead. End of life: 07/01/2026.';
      },
      /is_sender: cannot read end of life from "Deprecated as of July 1, 2025/,
    ],
    [
      'an enum value said to be deprecated in words the reader does not know',
      (doc) => {
        doc.components.schemas['email-security_PatternType'].description =
          'Type of pattern matching. UNKNOWN: this one is deprecated-ish and should be avoided.';
      },
      /email-security_PatternType"\]: cannot read whether "UNKNOWN" is deprecated/,
    ],
    [
      'a write restriction the reader cannot read',
      (doc) => {
        doc.components.schemas['email-security_PatternType'].description =
          'Type of pattern matching. UNKNOWN is deprecated; clients must not ever transmit it with create or update calls.';
      },
      /value "UNKNOWN": cannot read whether it may be sent/,
    ],
  ];
  test.each(refused)('%s', (_name, mutate, message) => {
    const doc = hostile(mutate);
    expect(() => validateDocument(doc, 'reworded.json')).toThrow(message);
    expect(() => validateDocument(doc, 'reworded.json')).toThrow(
      /refuses to generate rather than drop them/,
    );
  });

  test('the vendored spec states every rule readably', () => {
    expect(findUnreadableDeprecations(hostile(() => {}))).toEqual([]);
  });
});

test('the tables are at least 30 phrasings, with some that must not match', () => {
  const total = PROPERTY_PHRASINGS.length + DEPRECATED_OR_NOT.length + ENUM_PHRASINGS.length;
  expect(total).toBeGreaterThanOrEqual(30);
});
