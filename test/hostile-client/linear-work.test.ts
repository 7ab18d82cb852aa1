import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/operations.js';
import type { OperationMetadata } from '../../src/metadata.js';
import { snapshotInput } from '../../src/snapshot.js';
import {
  type DistanceWork,
  editDistance,
  MAX_SUGGESTION_INPUT,
  suggest,
} from '../../src/suggest.js';
import { MAX_LISTED_ISSUES, validateRequest } from '../../src/validate.js';

const MB = 1024 * 1024;
const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
const update = operationRegistry.updateAllowPolicy.metadata as OperationMetadata;
const writable = Object.keys(update.requestBody?.properties ?? {});
const enumField = Object.entries(update.requestBody?.properties ?? {}).find(
  ([, r]) => r.enum,
)?.[0] as string;
const stringField = Object.entries(update.requestBody?.properties ?? {}).find(
  ([, r]) => r.type === 'string' && r.maxLength !== undefined,
)?.[0] as string;

/** Unbounded OSA distance (the textbook full matrix), the oracle for the banded one. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('bounded edit distance', () => {
  it('agrees with the full matrix within the limit, and says "over" beyond it', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_'), maxLength: 14 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, limit) => {
        const exact = fullDistance(a, b);
        expect(editDistance(a, b)).toBe(exact);
        expect(editDistance(a, b, limit)).toBe(exact <= limit ? exact : limit + 1);
      }),
      { numRuns: 2_000 },
    );
  });

  it('computes only the band: cells grow linearly with length for a fixed limit', () => {
    const cellsFor = (n: number) => {
      const work: DistanceWork = { cells: 0 };
      editDistance('a'.repeat(n), `${'a'.repeat(n - 1)}b`, 3, work);
      return work.cells;
    };
    expect(cellsFor(1_000)).toBeLessThanOrEqual(1_000 * 7);
    expect(cellsFor(100_000)).toBeLessThanOrEqual(100_000 * 7);
  });

  it('stops at the first row whose every cell is over the limit', () => {
    const work: DistanceWork = { cells: 0 };
    expect(editDistance('x'.repeat(10_000), 'y'.repeat(10_000), 2, work)).toBe(3);
    expect(work.cells).toBeLessThanOrEqual(3 * 5);
  });
});

describe('suggestions do bounded work', () => {
  it('does no distance work at all for a 1 MB key or enum value', () => {
    const work: DistanceWork = { cells: 0 };
    expect(suggest('p'.repeat(MB), writable, work)).toBeUndefined();
    expect(work.cells).toBe(0);
  });

  it('costs at most candidates × length × band for the longest input it considers', () => {
    const work: DistanceWork = { cells: 0 };
    const input = 'pattern_type'.repeat(11).slice(0, MAX_SUGGESTION_INPUT);
    suggest(input, writable, work);
    const band = 2 * Math.floor(MAX_SUGGESTION_INPUT / 3) + 1;
    expect(work.cells).toBeLessThanOrEqual(writable.length * MAX_SUGGESTION_INPUT * band);
  });

  it('still finds near misses', () => {
    expect(suggest('is_trusted_sendr', writable)).toBe('is_trusted_sender');
  });
});

/** Hostile inputs of about 1 MB each, and what validation must say about them. */
const hostile: [
  name: string,
  input: () => { path: Record<string, unknown>; body: unknown },
  at: RegExp,
][] = [
  [
    'a 1 MB unknown key',
    () => ({ path: {}, body: { ['patern'.repeat(MB / 6)]: 1 } }),
    /^body\.p[a-z]{63}…$/,
  ],
  [
    'a 1 MB enum value',
    () => ({ path: {}, body: { [enumField]: 'EMAI'.repeat(MB / 4) } }),
    new RegExp(`^body\\.${enumField}$`),
  ],
  [
    'a 1 MB string over maxLength',
    () => ({ path: {}, body: { [stringField]: 'a('.repeat(MB / 2) } }),
    new RegExp(`^body\\.${stringField}$`),
  ],
  [
    'a 1 MB policy id',
    () => ({ path: { policy_id: `${POLICY}${'0'.repeat(MB)}` }, body: { comments: 'x' } }),
    /^path\.policy_id$/,
  ],
  [
    'a 1 MB query key',
    () => ({ path: { [`q${'x'.repeat(MB)}`]: 1 }, body: { comments: 'x' } }),
    /^path\.qx+…$/,
  ],
  [
    'a 100,000-element array for a string',
    () => ({ path: {}, body: { [stringField]: Array(100_000).fill('a') } }),
    new RegExp(`^body\\.${stringField}$`),
  ],
];

/** CPU time (not wall time: the machine is shared) of the best of 3 runs of `run`. */
/** The least CPU time of `runs` runs: a collection or a busy neighbour only ever adds time. */
function cpuMs(run: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const withIds = (built: { path: Record<string, unknown>; body: unknown }) => ({
  ...built,
  path: { account_id: ACCOUNT, policy_id: POLICY, ...built.path },
});

describe('validation of 1 MB hostile input is linear', () => {
  it.each(hostile)('%s: a short, listed error in well under 50 ms of CPU', (_, make, at) => {
    const input = withIds(make());
    let issues: ReturnType<typeof validateRequest> = [];
    const ms = cpuMs(() => {
      issues = validateRequest(update, snapshotInput(input));
    });
    expect(issues[0]?.at).toMatch(at);
    expect(JSON.stringify(issues).length).toBeLessThan(20_000);
    expect(ms).toBeLessThan(50);
  });

  it('many near-miss unknown keys: at most 50 listed, the rest counted, work linear in their number', () => {
    const input = (n: number) =>
      withIds({
        path: {},
        body: Object.fromEntries(Array.from({ length: n }, (_, i) => [`patern${i}`, 'x'])),
      });
    // Sizes where even the small run takes milliseconds, so that noise cannot dominate the ratio.
    const small = input(10_000);
    const large = input(100_000);
    const issues = validateRequest(update, snapshotInput(large));
    expect(issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(issues[MAX_LISTED_ISSUES]?.message).toMatch(/^and \d+ more problems not listed$/);
    const ratio =
      cpuMs(() => validateRequest(update, snapshotInput(large)), 5) /
      cpuMs(() => validateRequest(update, snapshotInput(small)), 9);
    // Linear work gives 10-15× on an idle machine and up to 30× with both cores busy (cache and
    // GC effects of the 100,000-key object); the quadratic path this replaces gave over 100×.
    expect(ratio).toBeLessThan(50);
  });
});
