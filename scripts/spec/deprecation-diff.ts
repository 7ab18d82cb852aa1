import { readDeprecationText } from '../codegen/deprecation-text.js';
import { collectDeprecations } from '../codegen/deprecations.js';
import { flattenSchema, isRecord } from '../codegen/refs.js';
import { listOperations, objectAt, operationIdOf, operationLabel } from './operations.js';
import type {
  Change,
  DeprecationChangeKind,
  JsonValue,
  PastEndOfLife,
  Severity,
} from './report.js';

type DeprecationChange = Change<DeprecationChangeKind>;

/** One deprecated item of a document, named the way the report names it. */
export interface DeprecatedItem {
  /** `email-security_AllowPolicy.is_sender`, `email-security_PatternType value "UNKNOWN"`, `PATCH /… (id)`. */
  readonly label: string;
  readonly kind: 'property' | 'enum-value' | 'operation' | 'parameter';
  readonly schema: string | null;
  readonly field: string | null;
  readonly value?: JsonValue;
  readonly replacement: string | null;
  readonly endOfLife: string | null;
}

/**
 * Every deprecated item: properties, enum values and parameters as the generator finds them
 * (`collectDeprecations`), and deprecated operations (one per method + path).
 */
export function deprecatedItems(document: JsonValue): DeprecatedItem[] {
  const items: DeprecatedItem[] = collectDeprecations(document)
    .filter((item) => item.kind !== 'operation')
    .map((item) => ({
      label: labelOf(item.kind, item.schema, item.field, item.value, item.location),
      kind: item.kind,
      schema: item.schema,
      field: item.field,
      ...(item.kind === 'enum-value' ? { value: item.value ?? null } : {}),
      replacement: item.replacement,
      endOfLife: item.endOfLife,
    }));
  for (const { method, path, operation } of listOperations(document)) {
    if (operation.deprecated !== true) continue;
    const id = operationIdOf(operation);
    const parsed = readDeprecationText(
      typeof operation.description === 'string' ? operation.description : undefined,
    );
    items.push({
      label: `${operationLabel(method, path)}${id === null ? '' : ` (${id})`}`,
      kind: 'operation',
      schema: null,
      field: null,
      replacement: parsed.replacement,
      endOfLife: parsed.endOfLife,
    });
  }
  return items;
}

function labelOf(
  kind: string,
  schema: string | null,
  field: string | null,
  value: unknown,
  location: string,
): string {
  if (kind === 'property' && schema !== null) return `${schema}.${field}`;
  if (kind === 'enum-value')
    return `${schema ?? readableLocation(location)} value ${JSON.stringify(value)}`;
  return readableLocation(location);
}

/** `paths["/a/{id}"].patch.parameters[0]` → `PATCH /a/{id} parameters[0]`. */
function readableLocation(location: string): string {
  const match =
    /^paths\["((?:[^"\\]|\\.)*)"\]\.(get|put|post|delete|options|head|patch|trace)(.*)$/.exec(
      location,
    );
  if (!match) return location;
  const rest = (match[3] ?? '').replace(/^\./, ' ');
  return `${operationLabel(match[2] ?? '', JSON.parse(`"${match[1]}"`))}${rest}`;
}

/**
 * Newly deprecated, no longer deprecated (still present in `after`), and end-of-life date
 * changes, from the `deprecatedItems` of both versions.
 */
export function diffDeprecations(
  itemsBefore: readonly DeprecatedItem[],
  itemsAfter: readonly DeprecatedItem[],
  after: JsonValue,
): DeprecationChange[] {
  const from = new Map(itemsBefore.map((item) => [item.label, item]));
  const to = new Map(itemsAfter.map((item) => [item.label, item]));
  const changes: DeprecationChange[] = [];
  for (const [label, item] of to) {
    const previous = from.get(label);
    if (previous === undefined) changes.push(newlyDeprecated(item));
    else if (previous.endOfLife !== item.endOfLife) changes.push(endOfLifeChanged(previous, item));
  }
  for (const [label, item] of from) {
    if (!to.has(label) && stillExists(after, item)) {
      changes.push({
        kind: 'undeprecated',
        severity: 'info',
        location: label,
        message: 'no longer deprecated',
      });
    }
  }
  return changes;
}

function newlyDeprecated(item: DeprecatedItem): DeprecationChange {
  const details = [
    item.replacement === null ? null : `use ${item.replacement}`,
    item.endOfLife === null ? null : `end of life ${item.endOfLife}`,
  ].filter((part) => part !== null);
  return {
    kind: 'deprecated',
    severity: 'notice',
    location: item.label,
    message: `newly deprecated${details.length > 0 ? ` (${details.join(', ')})` : ''}`,
    after: item.endOfLife,
  };
}

function endOfLifeChanged(previous: DeprecatedItem, item: DeprecatedItem): DeprecationChange {
  const [from, to] = [previous.endOfLife, item.endOfLife];
  const earlier = from !== null && to !== null && to < from;
  const severity: Severity = earlier
    ? 'breaking'
    : to !== null && from === null
      ? 'notice'
      : 'info';
  const verb = earlier
    ? 'moved earlier'
    : from === null
      ? 'set'
      : to === null
        ? 'removed'
        : 'moved later';
  return {
    kind: 'end-of-life-changed',
    severity,
    location: item.label,
    message: `end of life ${verb}: ${from ?? 'none'} → ${to ?? 'none'}`,
    before: from,
    after: to,
  };
}

/** Whether the item is still in the document (a removed item is reported as removed, not as undeprecated). */
function stillExists(document: JsonValue, item: DeprecatedItem): boolean {
  if (item.kind === 'operation') {
    return operationLabels(document).has(item.label);
  }
  if (item.schema === null) return true;
  const schema = objectAt(objectAt(document, 'components'), 'schemas')[item.schema];
  if (schema === undefined) return false;
  if (item.kind === 'enum-value') return hasEnumValue(schema, item.value ?? null);
  if (item.kind !== 'property' || item.field === null) return true;
  try {
    const properties = flattenSchema(document, schema, ['components', 'schemas', item.schema])
      .schema.properties;
    return isRecord(properties) && item.field in properties;
  } catch {
    return false;
  }
}

/** Whether any `enum` in the subtree lists the value. */
function hasEnumValue(node: JsonValue, value: JsonValue): boolean {
  const wanted = JSON.stringify(value);
  const stack: JsonValue[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (isRecord(current)) {
      const values = current.enum;
      if (Array.isArray(values) && values.some((entry) => JSON.stringify(entry) === wanted))
        return true;
      stack.push(...(Object.values(current) as JsonValue[]));
    }
  }
  return false;
}

function operationLabels(document: JsonValue): Set<string> {
  return new Set(
    listOperations(document).map(({ method, path, operation }) => {
      const id = operationIdOf(operation);
      return `${operationLabel(method, path)}${id === null ? '' : ` (${id})`}`;
    }),
  );
}

/** Deprecated items whose end of life is `today` or earlier, oldest first. */
export function pastEndOfLife(items: readonly DeprecatedItem[], today: string): PastEndOfLife[] {
  return items
    .filter((item): item is DeprecatedItem & { endOfLife: string } => item.endOfLife !== null)
    .filter((item) => item.endOfLife <= today)
    .map((item) => ({
      location: item.label,
      endOfLife: item.endOfLife,
      replacement: item.replacement,
      daysPast: daysBetween(item.endOfLife, today),
    }))
    .sort((a, b) => a.endOfLife.localeCompare(b.endOfLife) || a.location.localeCompare(b.location));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
