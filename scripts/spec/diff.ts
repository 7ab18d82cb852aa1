import { diffComponents } from './component-diff.js';
import { deprecatedItems, diffDeprecations, pastEndOfLife } from './deprecation-diff.js';
import { diffDocument } from './document-diff.js';
import { diffOperations, pairOperations } from './operation-diff.js';
import { listOperations, objectAt } from './operations.js';
import type { ChangeReport, DocumentSummary, JsonValue } from './report.js';
import { diffSecurity } from './security-diff.js';
import { componentUsage } from './usage.js';
import { decideVerdict } from './verdict.js';

export interface DiffOptions {
  /** ISO date (YYYY-MM-DD) deprecations are judged against. */
  readonly today: string;
}

/** An empty document: what "before" is when nothing was vendored yet. */
export const EMPTY_DOCUMENT: JsonValue = { openapi: '3.0.3', paths: {}, components: {} };

/**
 * What changed between two versions of the sliced spec, and whether it breaks users of this
 * library. Pure: same inputs, same report. Both documents must have resolvable `$ref`s.
 */
export function diffSpecs(before: JsonValue, after: JsonValue, options: DiffOptions): ChangeReport {
  assertIsoDate(options.today);
  const pairing = pairOperations(before, after);
  const fromOperations = diffOperations(pairing, before, after);
  const usage = { before: componentUsage(before), after: componentUsage(after) };
  const schemas = [...diffComponents(before, after, usage), ...fromOperations.schemas];
  const deprecatedAfter = deprecatedItems(after);
  const deprecations = diffDeprecations(deprecatedItems(before), deprecatedAfter, after);
  const security = diffSecurity(pairing, before, after);
  const document = diffDocument(before, after);
  const expired = pastEndOfLife(deprecatedAfter, options.today);
  const all = [...fromOperations.operations, ...schemas, ...deprecations, ...security, ...document];
  return {
    reportVersion: 1,
    today: options.today,
    before: summarize(before),
    after: summarize(after),
    changed: all.length > 0,
    operations: fromOperations.operations,
    schemas,
    deprecations,
    pastEndOfLife: expired,
    security,
    document,
    verdict: decideVerdict(all, expired),
  };
}

function summarize(document: JsonValue): DocumentSummary {
  return {
    operations: listOperations(document).length,
    schemas: Object.keys(objectAt(objectAt(document, 'components'), 'schemas')).length,
  };
}

function assertIsoDate(today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new RangeError(`today must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(today)}`);
  }
}

/** Today's date in UTC, ISO formatted. */
export function isoToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
