import type { SpecDeprecation } from './deprecations.js';
import type { GenerateSummary } from './pipeline.js';
import { formatDrift } from './write.js';

function isoToday(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `is_sender → is_trusted_sender (EOL 2026-07-01, past)`; identical entries of several schemas are counted once. */
export function formatDeprecations(deprecations: readonly SpecDeprecation[], now: Date): string {
  const groups = new Map<string, number>();
  for (const item of deprecations) {
    const name =
      item.kind === 'enum-value'
        ? `${item.field ?? item.schema}=${String(item.value)}`
        : (item.field ?? item.location);
    const eol = item.endOfLife
      ? ` (EOL ${item.endOfLife}${item.endOfLife < isoToday(now) ? ', past' : ''})`
      : '';
    const label = `${name}${item.replacement ? ` → ${item.replacement}` : ''}${eol}${item.forbiddenOnWrite ? ' (not writable)' : ''}`;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  return [...groups].map(([label, count]) => (count > 1 ? `${label} ×${count}` : label)).join('; ');
}

/** The few lines `npm run generate` prints. */
export function formatSummary(summary: GenerateSummary, now = new Date()): string[] {
  const count = summary.operations.length;
  const lines = [
    `${summary.outDir}/ from ${summary.specFile} (sha256 ${summary.specSha256.slice(0, 12)}…)`,
    `wrapped ${count} operation${count === 1 ? '' : 's'}: ${summary.operations
      .map(
        (operation) =>
          `${operation.method.toUpperCase()} ${operation.path} (${operation.functionName})`,
      )
      .join(', ')}`,
    `deprecations (${summary.deprecations.length}): ${formatDeprecations(summary.deprecations, now) || 'none'}`,
  ];
  const notes = summary.plan?.notes ?? [];
  if (notes.length > 0) lines.push(`safe names (${notes.length}): ${notes.join('; ')}`);
  const time = `${summary.durationMs} ms`;
  switch (summary.status) {
    case 'written': {
      const removed = summary.removed.length ? `, removed ${summary.removed.join(', ')}` : '';
      lines.push(
        `wrote ${summary.written.length} file${summary.written.length === 1 ? '' : 's'} (${summary.written.join(', ')})${removed} in ${time}`,
      );
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
