import type { ChangeReport } from './report.js';

/** The report as JSON (for CI bots); its shape is `ChangeReport`, versioned by `reportVersion`. */
export function renderJson(report: ChangeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
