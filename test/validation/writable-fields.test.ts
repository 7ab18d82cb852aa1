/**
 * Validation messages list as writable only what may be sent at the client's clock; deprecated
 * names come apart, with their replacement, and past end of life say so. Driven by the
 * deprecation metadata only: a made-up operation here, the generated allow-policy update below.
 */
import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/operations.js';
import { createEmailSecurityClient, ValidationError } from '../../src/index.js';
import type { DeprecationMetadata, OperationMetadata } from '../../src/metadata.js';
import { validateRequest } from '../../src/validate.js';
import { handMadeMetadata } from '../client/metadata-fixture.js';

const deprecation = (
  field: string,
  replacement: string | null,
  extra: Partial<DeprecationMetadata> = {},
): DeprecationMetadata => ({
  kind: 'property',
  schema: 'Widget',
  field,
  appliesTo: 'both',
  readOnly: false,
  replacement,
  deprecatedSince: '2030-01-01',
  endOfLife: '2031-01-01',
  forbiddenOnWrite: false,
  text: '',
  ...extra,
});

const boolean = { type: 'boolean' } as const;
const widget: OperationMetadata = {
  ...handMadeMetadata,
  operationId: 'widget_update',
  parameters: [],
  path: '/widgets',
  requestBody: {
    schema: 'Widget',
    contentType: 'application/json',
    required: true,
    properties: { alpha: boolean, new_name: boolean, old_name: boolean, doomed: boolean },
    requiredProperties: [],
    readOnlyProperties: ['stamp'],
    minProperties: 1,
    additionalProperties: false,
  },
  deprecations: [
    deprecation('old_name', 'new_name'),
    deprecation('doomed', null, { deprecatedSince: null }),
    // Not a request field: never listed.
    deprecation('stamp', 'alpha', { appliesTo: 'response', readOnly: true }),
  ],
};

function listed(now: string, body: Record<string, unknown>): string[] {
  return validateRequest(widget, { body }, { now: new Date(now) }).map((i) => i.message);
}

const TOO_FEW = 'needs at least 1 field to send (got 0); writable fields: ';
const PAST = 'old_name (past end of life: use new_name), doomed (past end of life: cannot be sent)';

describe('writable fields at the client clock (given / want)', () => {
  const table: { now: string; body: Record<string, unknown>; want: string }[] = [
    {
      // Before old_name's deprecation it is an ordinary field; doomed has no start date.
      now: '2029-06-01T00:00:00Z',
      body: {},
      want: `${TOO_FEW}alpha, new_name, old_name; deprecated: doomed (end of life 2031-01-01)`,
    },
    {
      now: '2030-06-01T00:00:00Z',
      body: {},
      want:
        `${TOO_FEW}alpha, new_name; deprecated: ` +
        'old_name (use new_name, end of life 2031-01-01), doomed (end of life 2031-01-01)',
    },
    {
      // From the end-of-life day on (00:00 UTC).
      now: '2031-01-01T00:00:00Z',
      body: {},
      want: `${TOO_FEW}alpha, new_name; deprecated: ${PAST}`,
    },
    {
      now: '2031-01-01T00:00:00Z',
      body: { zzz: true, alpha: true },
      want: `unknown field; known: alpha, new_name; deprecated: ${PAST}`,
    },
  ];

  it.each(table)('at $now, body $body', ({ now, body, want }) => {
    expect(listed(now, body)).toEqual([want]);
  });
});

describe('the generated allow-policy update, through the client', () => {
  const { metadata } = operationRegistry.updateAllowPolicy;
  const withEnd = (metadata.deprecations as readonly DeprecationMetadata[]).filter(
    (d) => d.kind === 'property' && !d.readOnly && d.field && d.replacement && d.endOfLife,
  );
  const endOfLife = withEnd[0]?.endOfLife as string;
  const renamed = withEnd.filter((d) => d.endOfLife === endOfLife);

  async function message(now: Date): Promise<string> {
    const cf = createEmailSecurityClient({
      accountId: '023e105f4ecef8ad9ca31a8372d0c353',
      auth: { apiToken: 'tok-writable-fields-0123456789' },
      fetch: () => Promise.reject(new Error('nothing may be sent')),
      now: () => now,
    });
    const error = await cf.allowPolicies
      .update('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }

  it('past end of life: only the replacements are writable; the old names come apart', async () => {
    expect(renamed.length).toBeGreaterThan(0);
    const text = await message(new Date(`${endOfLife}T00:00:00Z`));
    const [writable, deprecated] =
      text.split('writable fields: ')[1]?.split('; deprecated: ') ?? [];
    for (const { field, replacement } of renamed) {
      expect(writable?.split(', ')).not.toContain(field);
      expect(writable?.split(', ')).toContain(replacement);
      expect(deprecated).toContain(`${field} (past end of life: use ${replacement})`);
    }
  });

  it('the day before: the old names are still listed apart, with their end of life', async () => {
    const dayBefore = new Date(Date.parse(`${endOfLife}T00:00:00Z`) - 86_400_000);
    const text = await message(dayBefore);
    for (const { field, replacement } of renamed) {
      expect(text).toContain(`${field} (use ${replacement}, end of life ${endOfLife})`);
    }
  });
});
