import type { Change, ChangeReport } from './report.js';

/** The report's change lists in display order, with their headings (shared by the renderers). */
export function reportSections(
  report: ChangeReport,
): { title: string; changes: readonly Change[] }[] {
  return [
    { title: 'Operations', changes: report.operations },
    { title: 'Schemas', changes: report.schemas },
    { title: 'Deprecations', changes: report.deprecations },
    { title: 'Security and permission groups', changes: report.security },
    { title: 'Document (root security, servers)', changes: report.document },
  ];
}

export function countBySeverity(report: ChangeReport): Record<Change['severity'], number> {
  const counts = { breaking: 0, notice: 0, info: 0 };
  for (const { changes } of reportSections(report)) {
    for (const change of changes) counts[change.severity] += 1;
  }
  return counts;
}

/** `1 breaking change`, `2 breaking changes`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Every change of the report, in display order. */
export function allChanges(report: ChangeReport): Change[] {
  return reportSections(report).flatMap(({ changes }) => [...changes]);
}
