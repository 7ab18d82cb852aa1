/**
 * Shared reporting for benchmarks: every bench measures a subject and its baseline side by side,
 * then calls `printResults(rows)`. That prints a readable table AND one machine-readable
 * `BENCH_RESULT {json}` line per row, which `bench/run-all.ts` collects into one combined table.
 */

export interface BenchResult {
  /** What was measured, e.g. `cold start: import package + 1 call`. */
  readonly name: string;
  readonly medianMs: number;
  /** What it is compared with, e.g. `raw fetch + 1 call`. */
  readonly baselineName: string;
  readonly baselineMedianMs: number;
  /** `medianMs / baselineMedianMs`. */
  readonly ratio: number;
  /** Highest acceptable ratio (e.g. 1.1), or null when the bench only informs. */
  readonly target: number | null;
  /** Unit of `medianMs`/`baselineMedianMs` when they are not milliseconds (e.g. `KB`). */
  readonly unit?: string;
}

export const BENCH_RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * The whole number after `name` in `argv` (e.g. `--runs 20`), from 1 to `max`; `fallback` when
 * the option is absent. Throws a message naming the option and the range otherwise.
 */
export function runsOption(
  argv: readonly string[],
  name: string,
  fallback: number,
  max: number,
): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const runs = Number(argv[index + 1]);
  if (!Number.isInteger(runs) || runs < 1 || runs > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max} (got "${argv[index + 1]}")`);
  }
  return runs;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0)
    throw new Error('median: no samples (run the measurement at least once)');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/**
 * Builds a result row from raw samples of the subject and its baseline. With `paired: true` the
 * samples were taken in pairs (subject and baseline back to back, run i with run i), and the ratio
 * is the median of the per-pair ratios: on a machine whose load drifts during the run, that
 * compares like with like, where a ratio of the two medians would not.
 */
export function compare(options: {
  name: string;
  samplesMs: readonly number[];
  baselineName: string;
  baselineSamplesMs: readonly number[];
  target: number | null;
  paired?: boolean;
}): BenchResult {
  const medianMs = median(options.samplesMs);
  const baselineMedianMs = median(options.baselineSamplesMs);
  let ratio = medianMs / baselineMedianMs;
  if (options.paired) {
    if (options.samplesMs.length !== options.baselineSamplesMs.length) {
      throw new Error('compare: paired samples need as many subject as baseline samples');
    }
    ratio = median(
      options.samplesMs.map((ms, index) => ms / (options.baselineSamplesMs[index] as number)),
    );
  }
  return {
    name: options.name,
    medianMs,
    baselineName: options.baselineName,
    baselineMedianMs,
    ratio,
    target: options.target,
  };
}

export function verdict(row: BenchResult): string {
  if (row.target === null) return 'info';
  return row.ratio <= row.target ? 'ok' : 'OVER TARGET';
}

function formatValue(value: number, unit = 'ms'): string {
  const digits = value >= 100 ? 0 : value >= 1 ? 1 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/** A plain-text table: one line per row, columns padded to their widest cell. */
export function formatTable(rows: readonly BenchResult[]): string {
  const header = ['benchmark', 'median', 'baseline', 'baseline median', 'ratio', 'target', ''];
  const cells = rows.map((row) => [
    row.name,
    formatValue(row.medianMs, row.unit),
    row.baselineName,
    formatValue(row.baselineMedianMs, row.unit),
    `${row.ratio.toFixed(3)}x`,
    row.target === null ? '-' : `<= ${row.target.toFixed(2)}x`,
    verdict(row),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] as string).length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join(' | ')
      .trimEnd();
  const separator = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [render(header), separator, ...cells.map(render)].join('\n');
}

export function benchResultLine(row: BenchResult): string {
  return `${BENCH_RESULT_PREFIX}${JSON.stringify(row)}`;
}

/** Prints the table for humans and the `BENCH_RESULT` lines for `bench/run-all.ts`. */
export function printResults(rows: readonly BenchResult[], write = console.log): void {
  write(formatTable(rows));
  for (const row of rows) write(benchResultLine(row));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Parses one output line; returns null when it is not a well-formed `BENCH_RESULT` line. */
export function parseBenchResultLine(line: string): BenchResult | null {
  if (!line.startsWith(BENCH_RESULT_PREFIX)) return null;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(BENCH_RESULT_PREFIX.length));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const row = value as Record<string, unknown>;
  if (typeof row.name !== 'string' || typeof row.baselineName !== 'string') return null;
  if (!isFiniteNumber(row.medianMs) || !isFiniteNumber(row.baselineMedianMs)) return null;
  const ratio = isFiniteNumber(row.ratio) ? row.ratio : row.medianMs / row.baselineMedianMs;
  const target = isFiniteNumber(row.target) ? row.target : null;
  return {
    name: row.name,
    medianMs: row.medianMs,
    baselineName: row.baselineName,
    baselineMedianMs: row.baselineMedianMs,
    ratio,
    target,
    ...(typeof row.unit === 'string' && row.unit !== '' ? { unit: row.unit } : {}),
  };
}
