import { describe, expect, it } from 'vitest';
import { applyResponseDeprecations } from '../../src/deprecations.js';
import { updateAllowPolicyMetadata as metadata } from './support/allow-policy-metadata.js';

const today = new Date('2026-11-26T00:00:00Z');
const op = '(operation email_security_update_allow_policy)';
const stored = {
  id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
  created_at: '2025-01-01T00:00:00Z',
  last_modified: '2026-03-04T05:06:07Z',
  is_trusted_sender: true,
  pattern: 'a@example.com',
  pattern_type: 'EMAIL',
};

describe('applyResponseDeprecations', () => {
  it('fills modified_at from last_modified and reports it', () => {
    const input = Object.freeze({ ...stored });
    const { result, events } = applyResponseDeprecations(metadata, input, { now: today });
    expect(JSON.stringify(result)).toBe(
      '{"id":"f174e90a-fafe-4643-bbbc-4a0ed4fc8415","created_at":"2025-01-01T00:00:00Z","last_modified":"2026-03-04T05:06:07Z","is_trusted_sender":true,"pattern":"a@example.com","pattern_type":"EMAIL","modified_at":"2026-03-04T05:06:07Z"}',
    );
    expect(events).toEqual([
      {
        kind: 'response-field',
        operationId: 'email_security_update_allow_policy',
        field: 'last_modified',
        replacement: 'modified_at',
        deprecatedSince: null,
        endOfLife: '2026-11-01',
        pastEndOfLife: true,
        action: 'filled',
        message: `last_modified is deprecated and reached end of life on 2026-11-01; use modified_at. Filled modified_at from last_modified in the response ${op}.`,
        source: 'spec',
      },
    ]);
  });

  it('before end of life says "reaches"', () => {
    const { events } = applyResponseDeprecations(metadata, stored, {
      now: new Date('2026-10-31T00:00:00Z'),
    });
    expect(events[0]?.pastEndOfLife).toBe(false);
    expect(events[0]?.message).toContain('reaches end of life on 2026-11-01');
  });

  it('keeps a modified_at the server sent, with no event; the deprecated field stays readable', () => {
    const input = { ...stored, modified_at: '2026-11-20T00:00:00Z' };
    const { result, events } = applyResponseDeprecations(metadata, input, { now: today });
    expect(result).toEqual(input);
    expect(events).toEqual([]);
  });

  it('does nothing when neither is present', () => {
    const { last_modified: _l, ...input } = stored;
    expect(applyResponseDeprecations(metadata, input, { now: today })).toEqual({
      result: input,
      events: [],
    });
  });

  it('fills every item of an array result and reports once', () => {
    const items = [stored, { ...stored, last_modified: '2026-01-01T00:00:00Z' }, 'odd'];
    const { result, events } = applyResponseDeprecations(metadata, items, { now: today });
    expect(result).toEqual([
      { ...stored, modified_at: stored.last_modified },
      { ...stored, last_modified: '2026-01-01T00:00:00Z', modified_at: '2026-01-01T00:00:00Z' },
      'odd',
    ]);
    expect(events.map((e) => e.action)).toEqual(['filled']);
    expect(items[0]).not.toHaveProperty('modified_at');
  });

  it('fills a renamed boolean when the server returns only the old name', () => {
    const { result, events } = applyResponseDeprecations(
      metadata,
      { is_sender: true, is_spoof: false, is_acceptable_sender: true },
      { now: today },
    );
    expect(result).toEqual({
      is_sender: true,
      is_spoof: false,
      is_acceptable_sender: true,
      is_trusted_sender: true,
    });
    expect(events.map((e) => [e.field, e.action])).toEqual([['is_sender', 'filled']]);
  });

  it('does nothing before the deprecation date', () => {
    const { events } = applyResponseDeprecations(
      metadata,
      { is_sender: true },
      { now: new Date('2025-06-30') },
    );
    expect(events).toEqual([]);
  });

  it('leaves a deprecated enum value returned for an existing entry readable', () => {
    const input = { ...stored, modified_at: 'x', pattern_type: 'UNKNOWN' };
    expect(applyResponseDeprecations(metadata, input, { now: today })).toEqual({
      result: input,
      events: [],
    });
  });

  it.each([null, undefined, 42, 'text', true])('passes %j through', (value) => {
    expect(applyResponseDeprecations(metadata, value, { now: today })).toEqual({
      result: value,
      events: [],
    });
  });
});
