import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type DeprecationText,
  deprecatedEnumValues,
  readDeprecationText,
} from '../../scripts/codegen/deprecation-text.js';

describe('readDeprecationText: replacement and dates', () => {
  const cases: { given: string | undefined; want: Omit<DeprecationText, 'forbiddenOnWrite'> }[] = [
    {
      given:
        'Deprecated as of July 1, 2025. Use `is_exempt_recipient` instead. End of life: July 1, 2026.',
      want: {
        replacement: 'is_exempt_recipient',
        deprecatedSince: '2025-07-01',
        endOfLife: '2026-07-01',
      },
    },
    {
      given: 'Deprecated, use `modified_at` instead. End of life: November 1, 2026.',
      want: { replacement: 'modified_at', deprecatedSince: null, endOfLife: '2026-11-01' },
    },
    { given: '', want: { replacement: null, deprecatedSince: null, endOfLife: null } },
    { given: undefined, want: { replacement: null, deprecatedSince: null, endOfLife: null } },
    {
      given: 'lorem ipsum 🙃 %%% `',
      want: { replacement: null, deprecatedSince: null, endOfLife: null },
    },
    {
      given: 'Deprecated since 2024-02-29; replaced by `new_field`. EOL: 2025-01-31',
      want: { replacement: 'new_field', deprecatedSince: '2024-02-29', endOfLife: '2025-01-31' },
    },
    {
      given: 'Deprecated as of 1 March 2025. Use other_field instead. End of life: Sept. 30, 2026.',
      want: { replacement: 'other_field', deprecatedSince: '2025-03-01', endOfLife: '2026-09-30' },
    },
    {
      given: 'Deprecated as of February 30, 2025. End of life: Smarch 1, 2026.',
      want: { replacement: null, deprecatedSince: null, endOfLife: null },
    },
    {
      given: 'Deprecated as of\nJuly 1,\n2025.\nEnd-of-life on December 31, 2026.',
      want: { replacement: null, deprecatedSince: '2025-07-01', endOfLife: '2026-12-31' },
    },
  ];
  test.each(cases)('$given', ({ given, want }) => {
    expect(readDeprecationText(given)).toEqual({ ...want, forbiddenOnWrite: false });
  });

  test('never throws and only returns ISO dates or null', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = readDeprecationText(`Deprecated as of ${text} End of life: ${text}`);
        for (const date of [parsed.deprecatedSince, parsed.endOfLife]) {
          expect(date === null || /^\d{4}-\d{2}-\d{2}$/.test(date)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('deprecated enum values and write restrictions', () => {
  const cases = [
    {
      given: {
        enum: ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'],
        description:
          'Type of pattern matching.\nNote: UNKNOWN is deprecated and cannot be used when creating or updating policies, but may be returned for existing entries.',
      },
      want: ['UNKNOWN'],
    },
    { given: { enum: ['a', 'b'], description: '`b` (deprecated) behaves like a' }, want: ['b'] },
    { given: { enum: ['x', 'y', 'z'], description: 'Deprecated values: x, y' }, want: ['x', 'y'] },
    { given: { enum: ['EMAIL', 'UNKNOWN'], description: 'Nothing is deprecated here' }, want: [] },
    { given: { enum: ['unknown'], description: 'UNKNOWN is deprecated' }, want: [] },
    { given: { enum: ['a'] }, want: [] },
  ];
  test.each(cases)('$given.description → $want', ({ given, want }) => {
    expect(deprecatedEnumValues(given.description, given.enum)).toEqual(want);
  });

  test.each([
    ['UNKNOWN is deprecated and cannot be used when creating or updating policies', true],
    ['This value must not be sent in update requests.', true],
    ['Deprecated, use `modified_at` instead.', false],
    [undefined, false],
  ] as const)('readDeprecationText(%j).forbiddenOnWrite = %j', (text, want) => {
    expect(readDeprecationText(text).forbiddenOnWrite).toBe(want);
  });
});
