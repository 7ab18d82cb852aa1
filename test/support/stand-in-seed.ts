/**
 * Seeds the stand-in with allow policies in the mixed states an old account holds, each state
 * with the audit findings it must produce and the fix it must get (the expectations are written
 * out here, from the definitions, not computed by the code under test).
 */
import type { AllowPolicy, StandInServer } from './stand-in-server.js';

export interface SeedState {
  readonly name: string;
  /** Share of the seeded policies (weights; at least one policy per state). */
  readonly weight: number;
  /** Fields over the stand-in's defaults; `undefined` makes a field absent. */
  readonly fields: (index: number) => Partial<AllowPolicy>;
  /** Finding kinds expected for one policy of this state. */
  readonly kinds: readonly string[];
  /** What apply must write. */
  readonly patch?: Readonly<Record<string, unknown>>;
  /** Restore cannot remove a field that was absent. */
  readonly unrestorable?: boolean;
}

const verified = { verify_sender: true };

/** The states (defaults of the stand-in: EMAIL, trusted sender, verified, no regex). */
export const SEED_STATES: readonly SeedState[] = [
  {
    name: 'plain',
    weight: 40,
    fields: () => ({ is_trusted_sender: false, is_acceptable_sender: true, ...verified }),
    kinds: [],
  },
  {
    name: 'already migrated',
    weight: 10,
    fields: () => ({ is_trusted_sender: true, ...verified }),
    kinds: [],
  },
  {
    name: 'both set',
    weight: 5,
    fields: () => ({ is_sender: true, is_trusted_sender: true, ...verified }),
    kinds: [],
  },
  {
    name: 'deprecated only (sender, replacement false)',
    weight: 10,
    fields: () => ({ is_sender: true, is_trusted_sender: false, ...verified }),
    kinds: ['deprecated-only'],
    patch: { is_trusted_sender: true },
  },
  {
    name: 'deprecated only (spoof, replacement false)',
    weight: 5,
    fields: () => ({ is_spoof: true, is_trusted_sender: false, is_acceptable_sender: false }),
    kinds: ['deprecated-only'],
    patch: { is_acceptable_sender: true },
  },
  {
    name: 'deprecated only (recipient, replacement absent)',
    weight: 2,
    fields: () => ({
      is_recipient: true,
      is_exempt_recipient: undefined,
      is_trusted_sender: false,
    }),
    kinds: ['deprecated-only'],
    patch: { is_exempt_recipient: true },
    unrestorable: true,
  },
  {
    name: 'deprecated only, unverified once fixed',
    weight: 3,
    fields: () => ({ is_sender: true, is_trusted_sender: false, verify_sender: false }),
    kinds: ['deprecated-only', 'unverified-trust'],
    patch: { is_trusted_sender: true },
  },
  {
    name: 'UNKNOWN pattern type',
    weight: 3,
    fields: () => ({ pattern_type: 'UNKNOWN', is_trusted_sender: false }),
    kinds: ['unknown-pattern-type'],
  },
  {
    name: 'unverified trust',
    weight: 5,
    fields: () => ({ is_trusted_sender: true, verify_sender: false }),
    kinds: ['unverified-trust'],
  },
  {
    name: 'domain-wide trust',
    weight: 3,
    fields: (i) => ({ pattern: `d${i}.example.com`, pattern_type: 'DOMAIN', ...verified }),
    kinds: ['domain-wide-trust'],
  },
  {
    name: 'regex',
    weight: 2,
    fields: (i) => ({ pattern: `^r${i}@example\\.com$`, is_regex: true, is_trusted_sender: false }),
    kinds: ['regex'],
  },
  {
    name: 'duplicate pair',
    weight: 2,
    // Two policies per index: the seeder adds the twin (same pattern and type).
    fields: (i) => ({ pattern: `dup${i}@example.com`, is_trusted_sender: false }),
    kinds: ['duplicate'],
  },
];

export interface SeededPolicy {
  readonly id: string;
  readonly state: SeedState;
  readonly original: AllowPolicy;
}

/** Seeds about `total` policies (every state at least once; duplicate pairs count twice). */
export function seedMixedPolicies(server: StandInServer, total: number): SeededPolicy[] {
  const weights = SEED_STATES.reduce((sum, state) => sum + state.weight, 0);
  const seeded: SeededPolicy[] = [];
  let index = 0;
  for (const state of SEED_STATES) {
    const count = Math.max(1, Math.round((total * state.weight) / weights));
    const copies = state.name === 'duplicate pair' ? 2 : 1;
    for (let n = 0; n < count; n += copies) {
      index += 1;
      for (let copy = 0; copy < copies; copy += 1) {
        const policy = server.seedPolicy({
          pattern: `p${index}@example.com`,
          ...state.fields(index),
        });
        seeded.push({ id: policy.id, state, original: structuredClone(policy) });
      }
    }
  }
  return seeded;
}

/** `policyId kind` lines of the expected findings, sorted. */
export function expectedFindings(seeded: readonly SeededPolicy[]): string[] {
  return seeded.flatMap(({ id, state }) => state.kinds.map((kind) => `${id} ${kind}`)).sort();
}

/** The policy as the API returns it (JSON: absent fields dropped). */
export function asStored(policy: AllowPolicy): Record<string, unknown> {
  return JSON.parse(JSON.stringify(policy)) as Record<string, unknown>;
}
