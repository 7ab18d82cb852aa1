/** The progress of `cfes migrate --apply` / `restore` / `audit` (scripts/cli/progress.ts). */
import { describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../scripts/cli/progress.js';

describe('progressLine', () => {
  it.each([
    ['apply', 1200, 5000, 5_000, 'apply  [######------------------]  1200/5000  240/s  ETA 16 s'],
    ['apply', 5000, 5000, 10_000, 'apply  [########################]  5000/5000  500/s'],
    ['audit', 3000, undefined, 2_000, 'audit  3000  1500/s'],
    ['audit', 0, 5000, 0, 'audit  [------------------------]  0/5000  0.0/s'],
  ] as const)('%s %i/%s after %i ms', (label, done, total, elapsed, want) => {
    expect(progressLine(label, done, total, elapsed)).toBe(want);
  });
});

describe('createProgress', () => {
  it('on a TTY redraws one line in place, and ends it', () => {
    const written: string[] = [];
    let now = 0;
    const meter = createProgress({ write: (t) => written.push(t), isTTY: true, now: () => now });
    now = 1_000;
    meter.update('apply', 10, 20);
    now = 2_000;
    meter.update('apply', 20, 20);
    meter.finish();
    expect(written).toEqual([
      '\r\u001b[2Kapply  [############------------]  10/20  10/s  ETA 1 s',
      '\r\u001b[2Kapply  [########################]  20/20  10/s',
      '\n',
    ]);
  });

  it('elsewhere logs one line every few seconds at most', () => {
    const written: string[] = [];
    let now = 0;
    const meter = createProgress({
      write: (t) => written.push(t),
      isTTY: false,
      now: () => now,
      everyMs: 3_000,
    });
    for (now = 500; now <= 10_000; now += 500) meter.update('audit', now / 100, 100);
    meter.finish();
    expect(written).toEqual([
      'audit  [#######-----------------]  30/100  10/s  ETA 7 s\n',
      'audit  [##############----------]  60/100  10/s  ETA 4 s\n',
      'audit  [######################--]  90/100  10/s  ETA 1 s\n',
    ]);
  });
});
