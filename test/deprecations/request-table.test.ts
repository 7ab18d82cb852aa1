/**
 * Issue 4 table: clock dates × inputs × policies for one deprecated request field (is_sender →
 * is_trusted_sender), asserting the exact JSON that would be sent and the exact events.
 */
import { describe, expect, it } from 'vitest';
import { applyRequestDeprecations } from '../../src/deprecations.js';
import { updateAllowPolicyMetadata as metadata } from './support/allow-policy-metadata.js';
import { CASES, expectedEvents, INPUTS } from './support/is-sender-table.js';

describe('applyRequestDeprecations: dates × inputs × policies', () => {
  it('covers 7 dates × 4 inputs × 3 policies', () => {
    expect(CASES).toHaveLength(84);
  });

  it.each(CASES)('$date ($phase), $input, $policy', ({ date, phase, input, policy, expected }) => {
    const body = structuredClone(INPUTS[input]) as Record<string, unknown>;
    const run = () =>
      applyRequestDeprecations(metadata, body, { now: new Date(`${date}T12:00:00Z`), policy });
    if ('throws' in expected) {
      expect(run).toThrow(expected.throws);
      expect(run).toThrow(expected.message);
      return;
    }
    const result = run();
    expect(JSON.stringify(result.body)).toBe(expected.sent);
    expect(result.events).toEqual(expectedEvents(phase, expected));
    expect(body).toEqual(INPUTS[input]); // input untouched
  });
});

describe('applyRequestDeprecations: the message of issue 4, verbatim', () => {
  it('today, is_sender: true', () => {
    const { events } = applyRequestDeprecations(
      metadata,
      { is_sender: true },
      { now: new Date('2026-11-26T00:00:00Z') },
    );
    expect(events.map((e) => e.message)).toEqual([
      'is_sender is deprecated since 2025-07-01 and reached end of life on 2026-07-01; use is_trusted_sender. Sent is_trusted_sender=true instead (operation email_security_update_allow_policy).',
    ]);
  });
});
