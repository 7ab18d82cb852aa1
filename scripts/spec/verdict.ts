import type { Change, PastEndOfLife, Verdict } from './report.js';
import { plural } from './sections.js';

/** Breaking when any change is; reasons are the breaking changes, notes the notices and items past end of life. */
export function decideVerdict(
  changes: readonly Change[],
  pastEndOfLife: readonly PastEndOfLife[],
): Verdict {
  const line = (change: Change) => `${change.location}: ${change.message}`;
  const reasons = changes.filter((change) => change.severity === 'breaking').map(line);
  const notes = [
    ...changes.filter((change) => change.severity === 'notice').map(line),
    ...pastEndOfLife.map(describePastEndOfLife),
  ];
  return { breaking: reasons.length > 0, reasons, notes };
}

export function describePastEndOfLife(item: PastEndOfLife): string {
  const replacement = item.replacement === null ? '' : `; use ${item.replacement}`;
  const when = item.daysPast === 0 ? 'today' : `${plural(item.daysPast, 'day')} ago`;
  return `${item.location}: past end of life (${item.endOfLife}, ${when})${replacement}`;
}
