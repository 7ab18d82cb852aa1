import type { SpecDeprecation } from './deprecations.js';
import type { GenerateSummary } from './pipeline.js';
import { formatDrift } from './write.js';

function isoToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function isPast(item: SpecDeprecation, now: Date): boolean {
  return item.endOfLife !== null && item.endOfLife < isoToday(now);
}

/** `is_sender → is_trusted_sender (EOL 2026-07-01, past)`; identical entries of several schemas are counted once. */
export function deprecationLabels(deprecations: readonly SpecDeprecation[], now: Date): string[] {
  const groups = new Map<string, number>();
  for (const item of deprecations) {
    const name =
      item.kind === 'enum-value'
        ? `${item.field ?? item.schema}=${String(item.value)}`
        : (item.field ?? item.location);
    const eol = item.endOfLife
      ? ` (EOL ${item.endOfLife}${isPast(item, now) ? ', past' : ''})`
      : '';
    const label = `${name}${item.replacement ? ` → ${item.replacement}` : ''}${eol}${item.forbiddenOnWrite ? ' (not writable)' : ''}`;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  return [...groups].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label));
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** What this run did to each file: `written`, `unchanged`, `removed`, or the drift `--check` found. */
function fileStates(summary: GenerateSummary): [file: string, state: string][] {
  const { drift } = summary;
  const stateOf = (file: string): string => {
    if (summary.written.includes(file)) return 'written';
    if (drift.stale.includes(file)) return 'stale';
    if (drift.missing.includes(file)) return 'missing';
    return summary.status === 'check-passed' ? 'up to date' : 'unchanged';
  };
  const files: [string, string][] = summary.files.map((file) => [file, stateOf(file)]);
  const gone = summary.status === 'check-failed' ? drift.extra : summary.removed;
  const goneState = summary.status === 'check-failed' ? 'extra' : 'removed';
  files.push(...gone.map((file): [string, string] => [file, goneState]));
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * What `npm run generate` prints. By default a few short lines whatever the number of operations:
 * the source, one line per file, the counts, the outcome. `verbose` adds every operation and
 * deprecation, one per line.
 */
export function formatSummary(
  summary: GenerateSummary,
  options: { now?: Date; verbose?: boolean } = {},
): string[] {
  const now = options.now ?? new Date();
  const files = fileStates(summary);
  const width = Math.max(...files.map(([file]) => file.length));
  const past = summary.deprecations.filter((item) => isPast(item, now)).length;
  const counts =
    `${plural(summary.operations.length, 'operation')}, ` +
    `${plural(summary.deprecations.length, 'deprecation')} in the spec (${past} past end of life)`;
  const lines = [
    `${summary.outDir}/ from ${summary.specFile} (sha256 ${summary.specSha256.slice(0, 12)}…)`,
    ...files.map(([file, state]) => `  ${file.padEnd(width)}  ${state}`),
  ];
  if (options.verbose) {
    lines.push(counts, 'operations:');
    for (const operation of summary.operations) {
      lines.push(
        `  ${operation.method.toUpperCase()} ${operation.path} (${operation.functionName})`,
      );
    }
    lines.push('deprecations:');
    lines.push(...deprecationLabels(summary.deprecations, now).map((label) => `  ${label}`));
  } else {
    lines.push(`${counts}; --verbose lists them`);
  }
  const notes = summary.plan?.notes ?? [];
  if (notes.length > 0) lines.push(`safe names (${notes.length}): ${notes.join('; ')}`);
  const time = `${summary.durationMs} ms`;
  switch (summary.status) {
    case 'written': {
      const removed = summary.removed.length ? `, removed ${summary.removed.length}` : '';
      lines.push(`wrote ${plural(summary.written.length, 'file')}${removed} in ${time}`);
      break;
    }
    case 'up-to-date':
      lines.push(`up to date (no changes${summary.cached ? ', inputs unchanged' : ''}) in ${time}`);
      break;
    case 'check-passed':
      lines.push(`check passed: ${summary.files.length} files up to date in ${time}`);
      break;
    case 'check-failed':
      lines.push(`check failed: ${formatDrift(summary.outDir, summary.drift)}`);
      break;
  }
  return lines;
}
