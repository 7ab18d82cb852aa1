import { isRecord, resolveRef } from '../codegen/refs.js';
import {
  arrayAt,
  type JsonObject,
  listOperations,
  type OperationEntry,
  operationIdOf,
  operationLabel,
} from './operations.js';
import type { Change, JsonValue, OperationChangeKind, SchemaChangeKind } from './report.js';
import { diffSchema } from './schema-diff.js';
import type { UsageContext } from './usage.js';

type OperationChange = Change<OperationChangeKind>;

/** Operations of both versions, paired by method + path (or by operationId when moved). */
export interface OperationPairing {
  readonly added: OperationEntry[];
  readonly removed: OperationEntry[];
  readonly moved: { before: OperationEntry; after: OperationEntry }[];
  readonly common: { before: OperationEntry; after: OperationEntry }[];
}

export function pairOperations(before: JsonValue, after: JsonValue): OperationPairing {
  const key = (entry: OperationEntry) => operationLabel(entry.method, entry.path);
  const afterByKey = new Map(listOperations(after).map((entry) => [key(entry), entry]));
  const beforeByKey = new Map(listOperations(before).map((entry) => [key(entry), entry]));
  const common = [...beforeByKey]
    .filter(([label]) => afterByKey.has(label))
    .map(([label, entry]) => ({ before: entry, after: afterByKey.get(label) as OperationEntry }));
  let removed = [...beforeByKey].filter(([label]) => !afterByKey.has(label)).map(([, e]) => e);
  let added = [...afterByKey].filter(([label]) => !beforeByKey.has(label)).map(([, e]) => e);
  const moved: OperationPairing['moved'] = [];
  for (const entry of removed) {
    const id = operationIdOf(entry.operation);
    const target = added.find(
      (candidate) => id !== null && operationIdOf(candidate.operation) === id,
    );
    if (target) moved.push({ before: entry, after: target });
  }
  removed = removed.filter((entry) => !moved.some((pair) => pair.before === entry));
  added = added.filter((entry) => !moved.some((pair) => pair.after === entry));
  return { added, removed, moved, common };
}

function labelOf(entry: OperationEntry): string {
  return operationLabel(entry.method, entry.path);
}

function idSuffix(entry: OperationEntry): string {
  const id = operationIdOf(entry.operation);
  return id === null ? '' : ` (${id})`;
}

/** Added, removed, moved and renamed operations, and changes to their parameters, bodies and responses. */
export function diffOperations(
  pairing: OperationPairing,
  before: JsonValue,
  after: JsonValue,
): { operations: OperationChange[]; schemas: Change<SchemaChangeKind>[] } {
  const operations: OperationChange[] = [];
  const schemas: Change<SchemaChangeKind>[] = [];
  for (const entry of pairing.removed) {
    operations.push({
      kind: 'operation-removed',
      severity: 'breaking',
      location: labelOf(entry),
      message: `operation removed${idSuffix(entry)}`,
      before: operationIdOf(entry.operation),
    });
  }
  for (const { before: from, after: to } of pairing.moved) {
    operations.push({
      kind: 'operation-moved',
      severity: 'breaking',
      location: labelOf(from),
      message: `operation${idSuffix(from)} moved to ${labelOf(to)}`,
      before: labelOf(from),
      after: labelOf(to),
    });
  }
  for (const entry of pairing.added) {
    operations.push({
      kind: 'operation-added',
      severity: 'info',
      location: labelOf(entry),
      message: `operation added${idSuffix(entry)}`,
      after: operationIdOf(entry.operation),
    });
  }
  for (const pair of [...pairing.common, ...pairing.moved]) {
    const sides = { before, after, from: pair.before, to: pair.after, label: labelOf(pair.after) };
    operations.push(...renamed(sides), ...parameterChanges(sides), ...requestBodyChanges(sides));
    operations.push(...responseChanges(sides));
    schemas.push(...inlineSchemaChanges(sides));
  }
  return { operations, schemas };
}

interface Sides {
  readonly before: JsonValue;
  readonly after: JsonValue;
  readonly from: OperationEntry;
  readonly to: OperationEntry;
  readonly label: string;
}

function renamed({ from, to, label }: Sides): OperationChange[] {
  const [oldId, newId] = [operationIdOf(from.operation), operationIdOf(to.operation)];
  if (oldId === newId) return [];
  return [
    {
      kind: 'operation-renamed',
      severity: 'breaking',
      location: label,
      message: `operationId renamed from ${oldId ?? '(none)'} to ${newId ?? '(none)'} (generated names follow it)`,
      before: oldId,
      after: newId,
    },
  ];
}

interface ResolvedParameter {
  readonly key: string;
  readonly required: boolean;
  readonly node: JsonObject;
  readonly ref: string | null;
}

/** Effective parameters (path-level ones overridden by operation-level ones), keyed `in name`. */
function parametersOf(document: JsonValue, entry: OperationEntry): Map<string, ResolvedParameter> {
  const parameters = new Map<string, ResolvedParameter>();
  for (const raw of [
    ...arrayAt(entry.pathItem, 'parameters'),
    ...arrayAt(entry.operation, 'parameters'),
  ]) {
    const ref = isRecord(raw) && typeof raw.$ref === 'string' ? raw.$ref : null;
    const node = ref === null ? raw : resolveRef(document, ref);
    if (!isRecord(node) || typeof node.name !== 'string' || typeof node.in !== 'string') continue;
    const key = `${node.in} ${node.name}`;
    parameters.set(key, { key, required: node.required === true, node: node as JsonObject, ref });
  }
  return parameters;
}

function parameterChanges(sides: Sides): OperationChange[] {
  const changes: OperationChange[] = [];
  const from = parametersOf(sides.before, sides.from);
  const to = parametersOf(sides.after, sides.to);
  for (const [key, parameter] of from) {
    const next = to.get(key);
    if (next === undefined) {
      changes.push({
        kind: 'parameter-removed',
        severity: 'breaking',
        location: sides.label,
        message: `${key} parameter removed`,
        before: key,
      });
    } else if (next.required !== parameter.required) {
      changes.push({
        kind: 'parameter-required-changed',
        severity: next.required ? 'breaking' : 'info',
        location: sides.label,
        message: `${key} parameter ${next.required ? 'became required' : 'became optional'}`,
        before: parameter.required,
        after: next.required,
      });
    }
  }
  for (const [key, parameter] of to) {
    if (from.has(key)) continue;
    changes.push({
      kind: 'parameter-added',
      severity: parameter.required ? 'breaking' : 'info',
      location: sides.label,
      message: `${parameter.required ? 'required' : 'optional'} ${key} parameter added`,
      after: key,
    });
  }
  return changes;
}

function resolved(document: JsonValue, node: unknown): JsonObject | null {
  const target =
    isRecord(node) && typeof node.$ref === 'string' ? resolveRef(document, node.$ref) : node;
  return isRecord(target) ? (target as JsonObject) : null;
}

function mediaTypes(node: JsonObject | null): Map<string, JsonValue> {
  return new Map(Object.entries(node !== null && isRecord(node.content) ? node.content : {}));
}

function requestBodyChanges(sides: Sides): OperationChange[] {
  const from = resolved(sides.before, sides.from.operation.requestBody);
  const to = resolved(sides.after, sides.to.operation.requestBody);
  if (from === null && to === null) return [];
  if (from === null || to === null) {
    const required = to?.required === true;
    return [
      {
        kind: to === null ? 'request-body-removed' : 'request-body-added',
        severity: to === null || required ? 'breaking' : 'info',
        location: sides.label,
        message:
          to === null
            ? 'request body removed'
            : `${required ? 'required' : 'optional'} request body added`,
      },
    ];
  }
  const changes: OperationChange[] = [];
  if ((from.required === true) !== (to.required === true)) {
    changes.push({
      kind: 'request-body-required-changed',
      severity: to.required === true ? 'breaking' : 'info',
      location: sides.label,
      message: `request body ${to.required === true ? 'became required' : 'became optional'}`,
      before: from.required === true,
      after: to.required === true,
    });
  }
  changes.push(
    ...mediaTypeChanges(mediaTypes(from), mediaTypes(to), sides.label, 'request body', true),
  );
  return changes;
}

function mediaTypeChanges(
  from: Map<string, JsonValue>,
  to: Map<string, JsonValue>,
  location: string,
  owner: string,
  breakingWhenRemoved: boolean,
): OperationChange[] {
  const changes: OperationChange[] = [];
  for (const type of from.keys()) {
    if (to.has(type)) continue;
    changes.push({
      kind: 'media-type-removed',
      severity: breakingWhenRemoved ? 'breaking' : 'info',
      location,
      message: `${owner} media type ${type} removed`,
      before: type,
    });
  }
  for (const type of to.keys()) {
    if (from.has(type)) continue;
    changes.push({
      kind: 'media-type-added',
      severity: 'info',
      location,
      message: `${owner} media type ${type} added`,
      after: type,
    });
  }
  return changes;
}

function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

function responseChanges(sides: Sides): OperationChange[] {
  const changes: OperationChange[] = [];
  const from = isRecord(sides.from.operation.responses) ? sides.from.operation.responses : {};
  const to = isRecord(sides.to.operation.responses) ? sides.to.operation.responses : {};
  for (const status of Object.keys(from)) {
    if (status in to) {
      const [old, next] = [resolved(sides.before, from[status]), resolved(sides.after, to[status])];
      const owner = `response ${status}`;
      changes.push(
        ...mediaTypeChanges(
          mediaTypes(old),
          mediaTypes(next),
          sides.label,
          owner,
          isSuccess(status),
        ),
      );
      continue;
    }
    changes.push({
      kind: 'response-removed',
      severity: isSuccess(status) ? 'breaking' : 'info',
      location: sides.label,
      message: `response ${status} removed`,
      before: status,
    });
  }
  for (const status of Object.keys(to)) {
    if (status in from) continue;
    changes.push({
      kind: 'response-added',
      severity: 'info',
      location: sides.label,
      message: `response ${status} added`,
      after: status,
    });
  }
  return changes;
}

/**
 * Inline schemas of the operation (inline parameters, bodies and responses). Those behind a
 * component `$ref` are compared once, as components.
 */
function inlineSchemaChanges(sides: Sides): Change<SchemaChangeKind>[] {
  const changes: Change<SchemaChangeKind>[] = [];
  const compare = (before: unknown, after: unknown, location: string, context: UsageContext) => {
    const scope = { before: sides.before, after: sides.after, contexts: new Set([context]) };
    changes.push(...diffSchema(before, after, location, scope));
  };
  const to = parametersOf(sides.after, sides.to);
  for (const [key, parameter] of parametersOf(sides.before, sides.from)) {
    const next = to.get(key);
    if (next === undefined || (parameter.ref !== null && parameter.ref === next.ref)) continue;
    compare(parameter.node.schema, next.node.schema, `${sides.label} ${key} parameter`, 'request');
  }
  const bodies = [sides.from.operation.requestBody, sides.to.operation.requestBody];
  if (!sameRef(bodies[0], bodies[1])) {
    compareContent(sides, bodies[0], bodies[1], `${sides.label} request body`, 'request', compare);
  }
  const [from, to2] = [sides.from.operation.responses, sides.to.operation.responses];
  for (const [status, response] of Object.entries(isRecord(from) ? from : {})) {
    const next = isRecord(to2) ? to2[status] : undefined;
    if (next === undefined || sameRef(response, next)) continue;
    compareContent(sides, response, next, `${sides.label} response ${status}`, 'response', compare);
  }
  return changes;
}

function sameRef(before: unknown, after: unknown): boolean {
  return (
    isRecord(before) &&
    isRecord(after) &&
    typeof before.$ref === 'string' &&
    before.$ref === after.$ref
  );
}

function compareContent(
  sides: Sides,
  before: unknown,
  after: unknown,
  location: string,
  context: UsageContext,
  compare: (before: unknown, after: unknown, location: string, context: UsageContext) => void,
): void {
  const from = mediaTypes(resolved(sides.before, before));
  const to = mediaTypes(resolved(sides.after, after));
  for (const [type, media] of from) {
    const next = to.get(type);
    if (isRecord(media) && isRecord(next))
      compare(media.schema, next.schema, `${location} (${type})`, context);
  }
}
