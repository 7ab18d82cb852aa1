import { describeUnreadable, findUnreadableDeprecations } from '../codegen/deprecation-guard.js';
import { readDeprecationText } from '../codegen/deprecation-text.js';
import { collectDeprecations } from '../codegen/deprecations.js';
import { flattenSchema, isRecord } from '../codegen/refs.js';
import {
  type JsonObject,
  listOperations,
  objectAt,
  operationIdOf,
  operationLabel,
} from './operations.js';
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
  /** Whether the client refuses to send it ("cannot be used when creating or updating"). */
  readonly forbiddenOnWrite: boolean;
  /** The spec text the rule was read from. */
  readonly text: string;
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
      forbiddenOnWrite: item.forbiddenOnWrite,
      text: item.text,
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
      forbiddenOnWrite: false,
      text: typeof operation.description === 'string' ? operation.description : '',
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
 * Newly deprecated, no longer deprecated (still present in `after`), and changes of the rules the
 * client derives from a deprecation: end of life, replacement, "cannot be sent". Losing one of
 * those rules loosens what the client refuses to send, so it is breaking ("safety rule lost:
 * review"), naming the old rule and quoting the new text: a reworded sentence the reader no
 * longer understands must never pass as a harmless change.
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
    if (previous === undefined) {
      changes.push(newlyDeprecated(item));
      continue;
    }
    if (previous.endOfLife !== item.endOfLife) changes.push(endOfLifeChanged(previous, item));
    if (previous.replacement !== item.replacement) changes.push(replacementChanged(previous, item));
    if (previous.forbiddenOnWrite && !item.forbiddenOnWrite) {
      changes.push(
        ruleLost('write-rule-lost', previous, describeRule(previous, 'forbidden'), item.text),
      );
    }
  }
  for (const [label, item] of from) {
    if (!to.has(label) && stillExists(after, item)) changes.push(undeprecated(item, after));
  }
  return changes;
}

/**
 * Rules the new document states in words the reader cannot read (generate refuses it): each is
 * breaking, so the update is reviewed instead of vendoring a spec that drops a rule.
 */
export function diffUnreadable(before: JsonValue, after: JsonValue): DeprecationChange[] {
  const known = new Set(findUnreadableDeprecations(before).map(describeUnreadable));
  return findUnreadableDeprecations(after)
    .filter((rule) => !known.has(describeUnreadable(rule)))
    .map((rule) => ({
      kind: 'rule-unreadable',
      severity: 'breaking',
      location: rule.location,
      message: `safety rule cannot be read: review: ${describeUnreadable(rule).slice(rule.location.length + 2)} (npm run generate refuses this spec until it is reworded)`,
      after: rule.text,
    }));
}

/** `safety rule lost: review: <old rule>; the spec now says: "<new text>"`. */
function ruleLost(
  kind: DeprecationChangeKind,
  previous: DeprecatedItem,
  rule: string,
  newText: string | null,
): DeprecationChange {
  const quoted =
    newText === null || newText.trim() === '' ? 'nothing about it' : `"${oneLine(newText)}"`;
  return {
    kind,
    severity: 'breaking',
    location: previous.label,
    message: `safety rule lost: review: ${rule}; the spec now says: ${quoted}`,
    before: rule,
    after: newText,
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** What the client did because of the deprecation, in words. */
function describeRule(
  item: DeprecatedItem,
  part: 'all' | 'forbidden' | 'end-of-life' | 'replacement',
): string {
  const rules = [
    (part === 'all' || part === 'forbidden') && item.forbiddenOnWrite
      ? 'the client refused to send it ("cannot be sent in requests")'
      : '',
    (part === 'all' || part === 'end-of-life') && item.endOfLife !== null
      ? `end of life ${item.endOfLife} (never sent after it)`
      : '',
    (part === 'all' || part === 'replacement') && item.replacement !== null
      ? `migrated to ${item.replacement}`
      : '',
  ].filter(Boolean);
  return rules.length > 0 ? `it was deprecated: ${rules.join(', ')}` : 'it was deprecated';
}

function undeprecated(item: DeprecatedItem, after: JsonValue): DeprecationChange {
  const text = textAbout(after, item);
  const hadRule = item.forbiddenOnWrite || item.endOfLife !== null || item.replacement !== null;
  const stillSaysDeprecated = text !== null && mentionsDeprecationOf(text, item);
  if (hadRule || stillSaysDeprecated) {
    const rule = describeRule(item, 'all');
    return ruleLost(
      'undeprecated',
      item,
      stillSaysDeprecated
        ? `${rule}, and the text still says deprecated but no rule can be read from it`
        : rule,
      text,
    );
  }
  return {
    kind: 'undeprecated',
    severity: 'notice',
    location: item.label,
    message: 'no longer deprecated',
  };
}

function newlyDeprecated(item: DeprecatedItem): DeprecationChange {
  const details = [
    item.replacement === null ? null : `use ${item.replacement}`,
    item.endOfLife === null ? null : `end of life ${item.endOfLife}`,
    item.forbiddenOnWrite ? 'cannot be sent in requests' : null,
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
  if (from !== null && to === null) {
    return ruleLost(
      'end-of-life-changed',
      previous,
      describeRule(previous, 'end-of-life'),
      item.text,
    );
  }
  const earlier = from !== null && to !== null && to < from;
  const severity: Severity = earlier ? 'breaking' : from === null ? 'notice' : 'info';
  const verb = earlier ? 'moved earlier' : from === null ? 'set' : 'moved later';
  return {
    kind: 'end-of-life-changed',
    severity,
    location: item.label,
    message: `end of life ${verb}: ${from ?? 'none'} → ${to ?? 'none'}`,
    before: from,
    after: to,
  };
}

function replacementChanged(previous: DeprecatedItem, item: DeprecatedItem): DeprecationChange {
  const [from, to] = [previous.replacement, item.replacement];
  if (from !== null && to === null) {
    return ruleLost(
      'replacement-changed',
      previous,
      describeRule(previous, 'replacement'),
      item.text,
    );
  }
  return {
    kind: 'replacement-changed',
    severity: from === null ? 'notice' : 'breaking',
    location: item.label,
    message:
      from === null
        ? `replacement set: ${to}`
        : `replacement changed: ${from} → ${to} (deprecated values are now migrated to ${to}: review)`,
    before: from,
    after: to,
  };
}

/** Whether `text` says the item is deprecated: the word near its name, or anywhere in a property's own text. */
function mentionsDeprecationOf(text: string, item: DeprecatedItem): boolean {
  if (!/deprecat|obsolete|sunset|end[\s-]of[\s-]life|no longer (?:supported|used)/i.test(text))
    return false;
  if (item.kind !== 'enum-value') return true;
  const name = String(item.value);
  const flat = text.replace(/\s+/g, ' ');
  for (let at = flat.indexOf(name); at !== -1; at = flat.indexOf(name, at + 1)) {
    const window = flat.slice(Math.max(0, at - 120), at + name.length + 120);
    if (/deprecat|obsolete|sunset|end[\s-]of[\s-]life|no longer (?:supported|used)/i.test(window))
      return true;
  }
  return false;
}

/** The current description of the item in `document`: the property's own, or that of the schema listing the value. */
function textAbout(document: JsonValue, item: DeprecatedItem): string | null {
  if (item.schema === null) return null;
  const schema = objectAt(objectAt(document, 'components'), 'schemas')[item.schema];
  if (schema === undefined) return null;
  try {
    const flat = flattenSchema(document, schema, ['components', 'schemas', item.schema]).schema;
    if (item.kind === 'property' && item.field !== null && isRecord(flat.properties)) {
      const property = flat.properties[item.field];
      const own = flattenSchema(document, property, []).schema.description;
      return typeof own === 'string' ? own : null;
    }
  } catch {
    return null;
  }
  return item.kind === 'enum-value' ? enumDescription(schema, item.value ?? null) : null;
}

/** The description next to the `enum` that lists `value` (first found). */
function enumDescription(node: JsonValue, value: JsonValue): string | null {
  const holder = enumHolder(node, value);
  return typeof holder?.description === 'string' ? holder.description : null;
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
  return enumHolder(node, value) !== null;
}

/** The first schema in the subtree whose `enum` lists `value`. */
function enumHolder(node: JsonValue, value: JsonValue): JsonObject | null {
  const wanted = JSON.stringify(value);
  const stack: JsonValue[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (isRecord(current)) {
      const values = current.enum;
      if (Array.isArray(values) && values.some((entry) => JSON.stringify(entry) === wanted))
        return current;
      stack.push(...(Object.values(current) as JsonValue[]));
    }
  }
  return null;
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
