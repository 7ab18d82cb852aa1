/**
 * Issue 4 table for one deprecated request field (is_sender → is_trusted_sender): clock dates ×
 * inputs × policies, and what must be sent or thrown. Shared by the unit and end-to-end tables.
 */
import type {
  DeprecationAction,
  DeprecationEvent,
  DeprecationPolicy,
} from '../../../src/deprecations.js';
import { DeprecatedFieldError, DeprecationConflictError } from '../../../src/errors.js';

export type Phase = 'before' | 'deprecated' | 'ended';

export const DATES: readonly [string, Phase][] = [
  ['2025-06-30', 'before'],
  ['2025-12-01', 'deprecated'],
  ['2026-06-30', 'deprecated'],
  ['2026-07-02', 'ended'],
  ['2026-10-31', 'ended'],
  ['2026-11-02', 'ended'],
  ['2026-11-26', 'ended'], // today
];

export const INPUTS = {
  'old only': { pattern: 'a@example.com', is_sender: true },
  'new only': { pattern: 'a@example.com', is_trusted_sender: true },
  'both equal': { is_sender: true, pattern: 'a@example.com', is_trusted_sender: true },
  'both conflicting': { is_sender: true, is_trusted_sender: false },
} as const;
export type Input = keyof typeof INPUTS;

export type Expected =
  | { sent: string; action?: DeprecationAction; did?: string }
  | { throws: typeof DeprecationConflictError | typeof DeprecatedFieldError; message: string };

const unchanged = (input: Input): { sent: string } => ({ sent: JSON.stringify(INPUTS[input]) });
const renamedJson = '{"pattern":"a@example.com","is_trusted_sender":true}';
const passthroughNote = "; policy 'passthrough' never sends a field past its end of life";
const conflict: Expected = {
  throws: DeprecationConflictError,
  message:
    '"is_sender" is deprecated and conflicts with its replacement "is_trusted_sender" (different values); send only "is_trusted_sender". Nothing was sent.',
};
const policyError = (phase: Phase): Expected => ({
  throws: DeprecatedFieldError,
  message: `${describeField(phase)} Policy 'error' rejects deprecated input; send is_trusted_sender instead. Nothing was sent (operation email_security_update_allow_policy).`,
});

export function describeField(phase: Phase): string {
  const end = phase === 'ended' ? 'reached' : 'reaches';
  return `is_sender is deprecated since 2025-07-01 and ${end} end of life on 2026-07-01; use is_trusted_sender.`;
}

/** The deprecation events a call that sent `expected.sent` must have reported (none or one). */
export function expectedEvents(
  phase: Phase,
  expected: { action?: DeprecationAction; did?: string },
): DeprecationEvent[] {
  if (!expected.action) return [];
  return [
    {
      kind: 'request-field',
      operationId: 'email_security_update_allow_policy',
      field: 'is_sender',
      replacement: 'is_trusted_sender',
      deprecatedSince: '2025-07-01',
      endOfLife: '2026-07-01',
      pastEndOfLife: phase === 'ended',
      action: expected.action,
      message: `${describeField(phase)} ${expected.did} (operation email_security_update_allow_policy).`,
      source: 'spec',
    },
  ];
}

/** The whole table, written out: phase → input → policy → what must happen. */
export const TABLE: Record<Phase, Record<Input, Record<DeprecationPolicy, Expected>>> = {
  before: {
    'old only': {
      migrate: unchanged('old only'),
      error: unchanged('old only'),
      passthrough: unchanged('old only'),
    },
    'new only': {
      migrate: unchanged('new only'),
      error: unchanged('new only'),
      passthrough: unchanged('new only'),
    },
    'both equal': {
      migrate: unchanged('both equal'),
      error: unchanged('both equal'),
      passthrough: unchanged('both equal'),
    },
    'both conflicting': {
      migrate: unchanged('both conflicting'),
      error: unchanged('both conflicting'),
      passthrough: unchanged('both conflicting'),
    },
  },
  deprecated: {
    'old only': {
      migrate: {
        sent: renamedJson,
        action: 'migrated',
        did: 'Sent is_trusted_sender=true instead',
      },
      error: policyError('deprecated'),
      passthrough: {
        sent: unchanged('old only').sent,
        action: 'passed-through',
        did: "Sent is_sender=true as given (policy 'passthrough')",
      },
    },
    'new only': {
      migrate: unchanged('new only'),
      error: unchanged('new only'),
      passthrough: unchanged('new only'),
    },
    'both equal': {
      migrate: {
        sent: renamedJson,
        action: 'dropped',
        did: 'Sent only is_trusted_sender=true (same value)',
      },
      error: policyError('deprecated'),
      passthrough: {
        sent: unchanged('both equal').sent,
        action: 'passed-through',
        did: "Sent is_sender=true as given (policy 'passthrough')",
      },
    },
    'both conflicting': { migrate: conflict, error: conflict, passthrough: conflict },
  },
  ended: {
    'old only': {
      migrate: {
        sent: renamedJson,
        action: 'migrated',
        did: 'Sent is_trusted_sender=true instead',
      },
      error: policyError('ended'),
      passthrough: {
        sent: renamedJson,
        action: 'migrated',
        did: `Sent is_trusted_sender=true instead${passthroughNote}`,
      },
    },
    'new only': {
      migrate: unchanged('new only'),
      error: unchanged('new only'),
      passthrough: unchanged('new only'),
    },
    'both equal': {
      migrate: {
        sent: renamedJson,
        action: 'dropped',
        did: 'Sent only is_trusted_sender=true (same value)',
      },
      error: policyError('ended'),
      passthrough: {
        sent: renamedJson,
        action: 'dropped',
        did: `Sent only is_trusted_sender=true (same value)${passthroughNote}`,
      },
    },
    'both conflicting': { migrate: conflict, error: conflict, passthrough: conflict },
  },
};

export const POLICIES: readonly DeprecationPolicy[] = ['migrate', 'error', 'passthrough'];

/** Every cell: 7 dates × 4 inputs × 3 policies. */
export const CASES = DATES.flatMap(([date, phase]) =>
  (Object.keys(INPUTS) as Input[]).flatMap((input) =>
    POLICIES.map((policy) => ({
      date,
      phase,
      input,
      policy,
      expected: TABLE[phase][input][policy],
    })),
  ),
);
