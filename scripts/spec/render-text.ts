import type { Change, ChangeReport } from './report.js';
import { countBySeverity, plural, reportSections } from './sections.js';
import { describePastEndOfLife } from './verdict.js';

const MARK: Record<Change['severity'], string> = {
  breaking: 'BREAKING',
  notice: 'notice  ',
  info: 'info    ',
};

/** Plain-text report for a terminal (the default output of `spec:update`). */
export function renderText(report: ChangeReport): string {
  const lines = [
    `Email Security spec changes (judged on ${report.today})`,
    `Operations: ${report.before.operations} -> ${report.after.operations}; schemas: ${report.before.schemas} -> ${report.after.schemas}`,
    '',
  ];
  if (!report.changed)
    lines.push('No changes to operations, schemas, deprecations or security.', '');
  for (const { title, changes } of reportSections(report)) {
    if (changes.length === 0) continue;
    lines.push(`${title} (${changes.length})`);
    for (const change of changes)
      lines.push(`  ${MARK[change.severity]}  ${change.location}: ${change.message}`);
    lines.push('');
  }
  if (report.pastEndOfLife.length > 0) {
    lines.push(`Past end of life (${report.pastEndOfLife.length})`);
    for (const item of report.pastEndOfLife) lines.push(`  ${describePastEndOfLife(item)}`);
    lines.push('');
  }
  lines.push(...verdictLines(report));
  return `${lines.join('\n')}\n`;
}

function verdictLines(report: ChangeReport): string[] {
  const counts = countBySeverity(report);
  if (!report.verdict.breaking) {
    const summary = report.changed
      ? ` (${plural(counts.notice, 'notice')}, ${plural(counts.info, 'compatible change')})`
      : '';
    return [`Verdict: not breaking for users of this library${summary}.`];
  }
  return [
    `Verdict: BREAKING for users of this library (${plural(counts.breaking, 'breaking change')}):`,
    ...report.verdict.reasons.map((reason) => `  - ${reason}`),
  ];
}
