import type { Change, ChangeReport, PastEndOfLife } from './report.js';
import { allChanges, countBySeverity, plural, reportSections } from './sections.js';

const LABEL: Record<Change['severity'], string> = {
  breaking: '**breaking**',
  notice: 'notice',
  info: 'compatible',
};

/** Markdown report, to paste into a pull-request description. */
export function renderMarkdown(report: ChangeReport): string {
  const lines = [
    '## Email Security spec update',
    '',
    verdictLine(report),
    '',
    '| | Before | After |',
    '| --- | ---: | ---: |',
    `| Operations | ${report.before.operations} | ${report.after.operations} |`,
    `| Schemas | ${report.before.schemas} | ${report.after.schemas} |`,
    '',
  ];
  const breaking = allChanges(report).filter((change) => change.severity === 'breaking');
  if (breaking.length > 0) {
    lines.push(
      '### Why it is breaking',
      '',
      ...breaking.map((change) => `- ${bullet(change)}`),
      '',
    );
  }
  for (const { title, changes } of reportSections(report)) {
    if (changes.length === 0) continue;
    lines.push(`### ${title}`, '', '| Severity | Where | Change |', '| --- | --- | --- |');
    for (const change of changes) {
      lines.push(
        `| ${LABEL[change.severity]} | ${code(change.location)} | ${cell(change.message)} |`,
      );
    }
    lines.push('');
  }
  if (report.pastEndOfLife.length > 0) {
    lines.push(
      `### Past end of life on ${report.today}`,
      '',
      ...report.pastEndOfLife.map(pastLine),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function verdictLine(report: ChangeReport): string {
  if (report.verdict.breaking) {
    const count = plural(countBySeverity(report).breaking, 'breaking change');
    return `**Verdict: breaking** for users of this library (${count}).`;
  }
  return `**Verdict: not breaking** for users of this library${report.changed ? '' : ' (no changes)'}.`;
}

function bullet(change: Change): string {
  return `${code(change.location)}: ${cell(change.message)}`;
}

function pastLine(item: PastEndOfLife): string {
  const replacement = item.replacement === null ? '' : `; use ${code(item.replacement)}`;
  return `- ${code(item.location)}: end of life ${item.endOfLife} (${plural(item.daysPast, 'day')} ago)${replacement}`;
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

/** Inline code that survives backticks and pipes inside table cells. */
function code(text: string): string {
  const fence = text.includes('`') ? '`` ' : '`';
  const closing = fence === '`' ? '`' : ' ``';
  return `${fence}${text.replace(/\|/g, '\\|')}${closing}`;
}
