import { flattenSchema, isRecord, schemaComponentName } from '../codegen/refs.js';
import type { Change, JsonValue, SchemaChangeKind, Severity } from './report.js';
import type { UsageContext } from './usage.js';

/** What a schema comparison needs to judge severity: both documents and where the schema is used. */
export interface SchemaDiffScope {
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly contexts: ReadonlySet<UsageContext>;
}

type SchemaChange = Change<SchemaChangeKind>;
type Node = Record<string, unknown>;

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;

/**
 * Compares two versions of one schema (a component or an operation's inline schema) and lists
 * what changed at `location` and below. `$ref`s are compared by target, not followed: each
 * component is compared once, under its own name.
 */
export function diffSchema(
  before: unknown,
  after: unknown,
  location: string,
  scope: SchemaDiffScope,
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  compareNode(asNode(before), asNode(after), location, scope, changes);
  return changes;
}

function asNode(value: unknown): Node {
  return isRecord(value) ? value : {};
}

function compareNode(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  if (typeof before.$ref === 'string' || typeof after.$ref === 'string') {
    if (before.$ref !== after.$ref) changes.push(typeChanged(before, after, location));
    return;
  }
  if (typeSignature(before) !== typeSignature(after)) {
    changes.push(typeChanged(before, after, location));
  }
  compareFlag('nullable', isNullable(before), isNullable(after), location, scope, changes);
  compareFlag(
    'readOnly',
    before.readOnly === true,
    after.readOnly === true,
    location,
    scope,
    changes,
  );
  compareEnums(before, after, location, scope, changes);
  compareConstraints(before, after, location, scope, changes);
  compareCompositions(before, after, location, scope, changes);
  compareProperties(before, after, location, scope, changes);
  compareRequired(before, after, location, scope, changes);
  compareChild(before.items, after.items, `${location}[]`, scope, changes);
  compareChild(
    before.additionalProperties,
    after.additionalProperties,
    `${location}{}`,
    scope,
    changes,
  );
}

function compareChild(
  before: unknown,
  after: unknown,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  if (isRecord(before) && isRecord(after)) compareNode(before, after, location, scope, changes);
  else if (isRecord(before) !== isRecord(after)) {
    changes.push(typeChanged(asNode(before), asNode(after), location));
  }
}

/** `string (uuid)`, `integer`, `email-security_AllowPolicyId`, `allOf(A, object)`, `any`. */
export function describeSchema(node: unknown): string {
  if (!isRecord(node)) return 'none';
  if (typeof node.$ref === 'string') return schemaComponentName(node.$ref) ?? node.$ref;
  const signature = typeSignature(node);
  if (signature !== '') return signature;
  for (const keyword of COMPOSITIONS) {
    const members = node[keyword];
    if (Array.isArray(members)) return `${keyword}(${members.map(describeSchema).join(', ')})`;
  }
  return isRecord(node.properties) ? 'object' : 'any';
}

function typeSignature(node: Node): string {
  const types = (Array.isArray(node.type) ? node.type : [node.type])
    .filter((type): type is string => typeof type === 'string' && type !== 'null')
    .sort();
  const type = types.join(' | ');
  return typeof node.format === 'string' ? `${type} (${node.format})` : type;
}

function isNullable(node: Node): boolean {
  return node.nullable === true || (Array.isArray(node.type) && node.type.includes('null'));
}

function typeChanged(before: Node, after: Node, location: string): SchemaChange {
  const [from, to] = [describeSchema(before), describeSchema(after)];
  return {
    kind: 'type-changed',
    severity: 'breaking',
    location,
    message: `type changed from ${from} to ${to}`,
    before: from,
    after: to,
  };
}

function compareFlag(
  flag: 'nullable' | 'readOnly',
  before: boolean,
  after: boolean,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  if (before === after) return;
  const { severity, effect } =
    flag === 'nullable' ? nullableEffect(after, scope) : readOnlyEffect(after, scope);
  changes.push({
    kind: flag === 'nullable' ? 'nullable-changed' : 'readonly-changed',
    severity,
    location,
    message: `${after ? 'now' : 'no longer'} ${flag}${effect ? `: ${effect}` : ''}`,
    before,
    after,
  });
}

function nullableEffect(
  after: boolean,
  scope: SchemaDiffScope,
): { severity: Severity; effect: string } {
  if (after && scope.contexts.has('response')) {
    return { severity: 'breaking', effect: 'responses may now contain null' };
  }
  if (!after && scope.contexts.has('request')) {
    return { severity: 'breaking', effect: 'requests may no longer send null' };
  }
  return { severity: 'info', effect: '' };
}

function readOnlyEffect(
  after: boolean,
  scope: SchemaDiffScope,
): { severity: Severity; effect: string } {
  if (after && scope.contexts.has('request')) {
    return { severity: 'breaking', effect: 'requests may no longer send it' };
  }
  if (!after && scope.contexts.has('request')) {
    return {
      severity: 'breaking',
      effect: `${SAFETY_RULE_LOST}: the client refused to send it (readOnly); requests may now send it`,
    };
  }
  return { severity: 'info', effect: after ? '' : 'requests may now send it' };
}

/** How every loosening of what the client refuses to send starts: it must be reviewed. */
export const SAFETY_RULE_LOST = 'safety rule lost: review';

function compareEnums(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  if (!Array.isArray(before.enum) && !Array.isArray(after.enum)) return;
  const [from, to] = [enumValues(before), enumValues(after)];
  for (const [key, value] of from) {
    if (!to.has(key)) {
      changes.push({
        kind: 'enum-value-removed',
        severity: 'breaking',
        location,
        message: `enum value ${key} removed`,
        before: value,
      });
    }
  }
  const widened = Array.isArray(before.enum) && !Array.isArray(after.enum);
  if (widened && scope.contexts.has('request')) {
    changes.push({
      kind: 'constraint-changed',
      severity: 'breaking',
      location,
      message: `${SAFETY_RULE_LOST}: enum removed (requests were limited to ${[...from.keys()].join(', ')}; now any value)`,
      before: [...from.values()],
      after: null,
    });
    return;
  }
  for (const [key, value] of to) {
    if (from.has(key)) continue;
    const inResponses = scope.contexts.has('response');
    const inRequests = scope.contexts.has('request');
    const effects = [
      inRequests ? `the client now lets requests send ${key}` : '',
      inResponses ? 'responses may return it: check exhaustive switches' : '',
    ].filter(Boolean);
    changes.push({
      kind: 'enum-value-added',
      severity: inRequests ? 'breaking' : inResponses ? 'notice' : 'info',
      location,
      message: `${inRequests ? `${SAFETY_RULE_LOST}: ` : ''}enum value ${key} added${effects.length ? ` (${effects.join('; ')})` : ''}`,
      after: value,
    });
  }
}

/** Upper bounds: a larger value (or none) allows more. */
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
/** Lower bounds: a smaller value (or none) allows more. */
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
/** Keywords whose change cannot be ordered: any change may allow more and refuse more. */
const EXACT = ['pattern', 'multipleOf', 'uniqueItems', 'const'] as const;

/**
 * Validation keywords the client enforces before sending. On a schema used in requests, a
 * looser one is a safety rule lost and a stricter one refuses requests that passed before: both
 * breaking. In responses only they do not change what callers send (info).
 */
function compareConstraints(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  const push = (keyword: string, direction: 'looser' | 'stricter' | 'changed') => {
    const [from, to] = [before[keyword], after[keyword]];
    const shown = (value: unknown) => (value === undefined ? 'none' : JSON.stringify(value));
    const request = scope.contexts.has('request');
    const effect = !request
      ? ''
      : direction === 'stricter'
        ? ': requests that passed before may now be refused'
        : direction === 'looser'
          ? ''
          : ': the client may now send values it refused, and refuse values it sent';
    changes.push({
      kind: 'constraint-changed',
      severity: request ? 'breaking' : 'info',
      location,
      message: `${request && direction !== 'stricter' ? `${SAFETY_RULE_LOST}: ` : ''}${keyword} ${direction === 'changed' ? 'changed' : `${direction === 'looser' ? 'loosened' : 'tightened'}`}: ${shown(from)} → ${shown(to)}${effect}`,
      before: (from ?? null) as JsonValue,
      after: (to ?? null) as JsonValue,
    });
  };
  for (const keyword of UPPER) {
    const [from, to] = [numberOrNull(before[keyword]), numberOrNull(after[keyword])];
    if (from === to) continue;
    push(keyword, from !== null && (to === null || to > from) ? 'looser' : 'stricter');
  }
  for (const keyword of LOWER) {
    const [from, to] = [numberOrNull(before[keyword]), numberOrNull(after[keyword])];
    if (from === to) continue;
    push(keyword, from !== null && (to === null || to < from) ? 'looser' : 'stricter');
  }
  for (const keyword of EXACT) {
    if (JSON.stringify(before[keyword]) === JSON.stringify(after[keyword])) continue;
    push(
      keyword,
      after[keyword] === undefined
        ? 'looser'
        : before[keyword] === undefined
          ? 'stricter'
          : 'changed',
    );
  }
  const closed = (node: Node) => node.additionalProperties === false;
  if (closed(before) !== closed(after))
    push('additionalProperties', closed(before) ? 'looser' : 'stricter');
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null;
}

/** An absent `enum` allows every value; it is compared as an empty list only when the other side has one. */
function enumValues(node: Node): Map<string, JsonValue> {
  const values = Array.isArray(node.enum) ? (node.enum as JsonValue[]) : [];
  return new Map(values.map((value) => [JSON.stringify(value), value]));
}

function compareCompositions(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  for (const keyword of COMPOSITIONS) {
    const [from, to] = [before[keyword], after[keyword]];
    if (from === undefined && to === undefined) continue;
    if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
      from.forEach((member, index) => {
        compareChild(member, to[index], `${location}.${keyword}[${index}]`, scope, changes);
      });
    } else {
      changes.push({
        kind: 'type-changed',
        severity: 'breaking',
        location,
        message: `${keyword} changed from ${describeMembers(from)} to ${describeMembers(to)}`,
        before: describeMembers(from),
        after: describeMembers(to),
      });
    }
  }
}

function describeMembers(members: unknown): string {
  return Array.isArray(members) ? `[${members.map(describeSchema).join(', ')}]` : 'none';
}

function compareProperties(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  const [from, to] = [asNode(before.properties), asNode(after.properties)];
  for (const [name, schema] of Object.entries(from)) {
    if (name in to) compareChild(schema, to[name], `${location}.${name}`, scope, changes);
    else changes.push(propertyRemoved(`${location}.${name}`, schema));
  }
  for (const [name, schema] of Object.entries(to)) {
    if (!(name in from))
      changes.push(propertyAdded(after, name, schema, `${location}.${name}`, scope));
  }
}

function propertyRemoved(location: string, schema: unknown): SchemaChange {
  return {
    kind: 'property-removed',
    severity: 'breaking',
    location,
    message: 'property removed',
    before: describeSchema(schema),
  };
}

function propertyAdded(
  owner: Node,
  name: string,
  schema: unknown,
  location: string,
  scope: SchemaDiffScope,
): SchemaChange {
  const required = requiredNames(owner).has(name);
  const readOnly = isRecord(schema) && schema.readOnly === true;
  const breaking = required && !readOnly && scope.contexts.has('request');
  return {
    kind: 'property-added',
    severity: breaking ? 'breaking' : 'info',
    location,
    message: `${required ? 'required' : 'optional'} property added${breaking ? ': requests must now send it' : ''}`,
    after: describeSchema(schema),
  };
}

function requiredNames(node: Node): Set<string> {
  return new Set(
    Array.isArray(node.required) ? node.required.filter((n) => typeof n === 'string') : [],
  );
}

function compareRequired(
  before: Node,
  after: Node,
  location: string,
  scope: SchemaDiffScope,
  changes: SchemaChange[],
): void {
  const [from, to] = [requiredNames(before), requiredNames(after)];
  const [ownBefore, ownAfter] = [asNode(before.properties), asNode(after.properties)];
  for (const name of to) {
    if (from.has(name) || (name in ownAfter && !(name in ownBefore))) continue;
    changes.push(requiredAdded(after, name, `${location}.${name}`, scope));
  }
  for (const name of from) {
    if (to.has(name) || (name in ownBefore && !(name in ownAfter))) continue;
    changes.push(requiredRemoved(before, name, `${location}.${name}`, scope));
  }
}

function requiredAdded(
  owner: Node,
  name: string,
  location: string,
  scope: SchemaDiffScope,
): SchemaChange {
  const readOnly = propertyFlag(scope.after, owner, name, 'readOnly');
  const breaking = !readOnly && scope.contexts.has('request');
  return {
    kind: 'required-added',
    severity: breaking ? 'breaking' : 'info',
    location,
    message: breaking
      ? 'became required: requests must now send it'
      : `became required${readOnly ? ' (read-only: responses only)' : ''}`,
  };
}

function requiredRemoved(
  owner: Node,
  name: string,
  location: string,
  scope: SchemaDiffScope,
): SchemaChange {
  const writeOnly = propertyFlag(scope.before, owner, name, 'writeOnly');
  const breaking = !writeOnly && scope.contexts.has('response');
  return {
    kind: 'required-removed',
    severity: breaking ? 'breaking' : 'info',
    location,
    message: breaking ? 'no longer required: responses may omit it' : 'no longer required',
  };
}

/** Whether a property of `owner` (declared on it or on an `allOf` member) has the flag. */
function propertyFlag(
  document: JsonValue,
  owner: Node,
  name: string,
  flag: 'readOnly' | 'writeOnly',
): boolean {
  try {
    const property = asNode(flattenSchema(document, owner, []).schema.properties)[name];
    return property !== undefined && flattenSchema(document, property, []).schema[flag] === true;
  } catch {
    return false;
  }
}
