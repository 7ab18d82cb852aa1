import type { DeprecationMetadata } from '../../src/metadata.js';
import {
  deprecationRules,
  deprecationTextOf,
  type EnumValueDeprecation,
  enumDeprecations,
  isMarkedDeprecated,
} from './deprecation-markers.js';
import type { DeprecationText } from './deprecation-text.js';
import {
  flattenSchema,
  formatLocation,
  isRecord,
  type JsonObject,
  type Location,
  resolveRef,
  schemaComponentName,
} from './refs.js';

/**
 * Walking the document for deprecations: `deprecated: true` properties (through `$ref`, `allOf`,
 * `items`, …), deprecated enum values, parameters and operations, each with where it is declared.
 * What they mean for an operation or the document is decided in deprecations.ts.
 */

/** A deprecation as found in the document, before it is related to an operation. */
export interface FoundDeprecation {
  readonly kind: DeprecationMetadata['kind'];
  readonly schema: string | null;
  readonly field: string | null;
  readonly value?: string | number | boolean | null;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly text: string;
  /** Rules read from structure first, then the text (when the walker read them). */
  readonly rules?: DeprecationText;
  /** The description of the replacement property beside it (same object schema), when it has one. */
  readonly replacementDescription?: string;
  /** Where it is declared, e.g. `components.schemas["email-security_AllowPolicy"].properties.is_sender`. */
  readonly location: string;
}

/**
 * What walks of one document share: each `$ref` target walked with one set of flags (read-only,
 * write-only, request side), recorded as steps to replay, and what is read of single nodes (the
 * flattened view of a property schema, the deprecated values of an enum, whether anything can be
 * found below a `$ref` target, so that a walk skips one where nothing can). A recording holds the
 * deprecations found in the target itself and, in order, the `$ref`s it reaches; where they
 * carry the property the walk arrived with, a replay puts in its own, and it follows the `$ref`s
 * with its own state: a replay finds exactly what walking the target again would.
 */
export interface DeprecationIndex {
  readonly doc: unknown;
  readonly recorded: Map<string, readonly Step[]>;
  readonly views: Map<unknown, JsonObject>;
  readonly enums: Map<JsonObject, readonly EnumValueDeprecation[]>;
  /** Whether a walk can find anything below a node (`reading`: being read, as part of a cycle). */
  readonly findable: Map<unknown, boolean | 'reading'>;
  /** `mayBeMarked` of a node. */
  readonly marked: Map<JsonObject, boolean>;
}

/**
 * One step of a recorded walk: a deprecation found, or a `$ref` reached at a position. `arrived`:
 * its field (its position's property) is the property the walk arrived at the target with.
 */
type Step =
  | { readonly found: FoundDeprecation; readonly arrived: boolean }
  | { readonly ref: string; readonly at: Position };

/**
 * An index for walks of `doc` that must not see a change to it: build one per generation (the
 * plan and the document's deprecation list may share it).
 */
export function deprecationIndex(doc: unknown): DeprecationIndex {
  return {
    doc,
    recorded: new Map(),
    views: new Map(),
    enums: new Map(),
    findable: new Map(),
    marked: new Map(),
  };
}

/** `index` when given (it must be of `doc`), else a new one. */
export function indexOf(doc: unknown, index: DeprecationIndex | undefined): DeprecationIndex {
  if (index === undefined) return deprecationIndex(doc);
  if (index.doc !== doc) throw new Error('A DeprecationIndex was passed with another document.');
  return index;
}

/** One search of a document. Walks that share a scan skip `$ref`s already walked in it. */
export interface DeprecationScan {
  readonly index: DeprecationIndex;
  /** Walked `$ref`s, keyed with the walk's state (a walk of a component finds the same things every time). */
  readonly memo: Set<string>;
}

export function newScan(index: DeprecationIndex): DeprecationScan {
  return { index, memo: new Set() };
}

/** What one walk collects, and how. */
interface Walk {
  readonly scan: DeprecationScan;
  /** Request side: read-only properties are response-only, so they are not walked. */
  readonly skipReadOnly: boolean;
  readonly found: FoundDeprecation[];
  /** The recording of the `$ref` target being walked (every step is also taken live). */
  readonly steps: Step[];
}

/** Where a walk is: the enclosing component and property, and what the way there implies. */
interface Position {
  readonly component: string | null;
  readonly property: string | null;
  readonly location: Location;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly seen: readonly string[];
  /** `property` is the one the walk arrived at the recorded `$ref` target with (none of its own yet). */
  readonly arrived: boolean;
}

/** Collects deprecated properties and enum values reachable from a schema (through `$ref`, `allOf`, `items`, …). */
export function schemaDeprecations(
  scan: DeprecationScan,
  node: unknown,
  start: {
    component?: string | null;
    property?: string | null;
    location: Location;
    skipReadOnly?: boolean;
  },
): FoundDeprecation[] {
  if (!worthWalking(scan.index, node)) return [];
  const walk: Walk = { scan, skipReadOnly: start.skipReadOnly ?? false, found: [], steps: [] };
  walkSchema(walk, node, {
    component: start.component ?? null,
    property: start.property ?? null,
    location: start.location,
    readOnly: false,
    writeOnly: false,
    seen: [],
    arrived: false,
  });
  return walk.found;
}

function walkSchema(walk: Walk, node: unknown, at: Position): void {
  if (!isRecord(node)) return;
  if (typeof node.$ref === 'string') {
    walk.steps.push({ ref: node.$ref, at });
    walkRef(walk, node.$ref, at);
    return;
  }
  for (const { value, text, rules } of enumsOf(walk.scan.index, node)) {
    record(
      walk,
      {
        kind: 'enum-value',
        schema: at.component,
        field: at.property,
        value,
        readOnly: at.readOnly,
        writeOnly: at.writeOnly,
        text,
        rules,
        location: formatLocation(at.location),
      },
      at.arrived,
    );
  }
  if (isRecord(node.properties)) walkProperties(walk, node.properties, at);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = node[keyword];
    if (Array.isArray(members)) {
      members.forEach((member, index) => {
        walkSchema(walk, member, { ...at, location: [...at.location, keyword, index] });
      });
    }
  }
  if (isRecord(node.items))
    walkSchema(walk, node.items, { ...at, location: [...at.location, 'items'] });
  if (isRecord(node.additionalProperties)) {
    walkSchema(walk, node.additionalProperties, {
      ...at,
      location: [...at.location, 'additionalProperties'],
    });
  }
}

/** `arrived`: the found field is the property the walk arrived with (see `Step`). */
function record(walk: Walk, found: FoundDeprecation, arrived = false): void {
  walk.found.push(found);
  walk.steps.push({ found, arrived });
}

function flagsOf(walk: Walk, at: Position): string {
  return `${Number(at.readOnly)}${Number(at.writeOnly)}${Number(walk.skipReadOnly)}`;
}

/** The walk's state on arriving at `ref`: what walking its target finds depends on nothing else. */
function arrivalKey(walk: Walk, ref: string, at: Position): string {
  // The length ends the property name, so no name or `$ref` can make two states one key.
  const property = at.property === null ? '-' : `${at.property.length}:${at.property}`;
  return `${flagsOf(walk, at)}${property}${ref}`;
}

/** `seen`: the `$ref`s being walked around this one (a replay passes its own). */
function walkRef(walk: Walk, ref: string, at: Position, seen = at.seen): void {
  const memoKey = arrivalKey(walk, ref, at);
  if (seen.includes(ref) || walk.scan.memo.has(memoKey)) return;
  walk.scan.memo.add(memoKey);
  const { index } = walk.scan;
  if (!findableBelow(index, ref)) return;
  const component = schemaComponentName(ref);
  const below = [...seen, ref];
  // Below a component the walk's position starts afresh; below any other target it goes on.
  const recordKey = `${component ? '' : JSON.stringify([at.component, at.location])}${flagsOf(walk, at)}${ref}`;
  const recorded = index.recorded.get(recordKey);
  if (recorded) {
    replay(walk, recorded, below, at.property);
    return;
  }
  const steps: Step[] = [];
  walkSchema({ ...walk, steps }, resolveRef(index.doc, ref, at.location), {
    ...at,
    component: component ?? at.component,
    location: component ? ['components', 'schemas', component] : at.location,
    seen: below,
    arrived: true,
  });
  index.recorded.set(recordKey, steps);
}

/**
 * Whether a walk of the target of `ref` (of a node, `worthWalking`) can find anything, whatever
 * its state: false only when no schema below it (through `$ref`s too) has deprecated enum values or a property marked
 * deprecated, and reading it all raised no error (a walk of it would then find nothing and raise
 * nothing). A schema still being read, in a cycle, counts as one that can.
 */
function findableBelow(index: DeprecationIndex, ref: string): boolean {
  let target: unknown;
  try {
    target = resolveRef(index.doc, ref);
  } catch {
    return true; // the walk raises the error, where it is
  }
  return worthWalking(index, target);
}

/** `findable`, true when reading fails (the walk raises the error, where it is). */
function worthWalking(index: DeprecationIndex, node: unknown): boolean {
  try {
    return findable(index, node);
  } catch {
    return true;
  }
}

function findable(index: DeprecationIndex, node: unknown): boolean {
  if (!isRecord(node)) return false;
  const known = index.findable.get(node);
  if (known !== undefined) return known !== false;
  index.findable.set(node, 'reading');
  let found = true;
  try {
    found = findsIn(index, node);
  } finally {
    index.findable.set(node, found);
  }
  return found;
}

/** What `walkSchema` reads of a node, without a position: true as soon as something would be found. */
function findsIn(index: DeprecationIndex, node: JsonObject): boolean {
  if (typeof node.$ref === 'string') return findable(index, resolveRef(index.doc, node.$ref));
  if (enumsOf(index, node).length > 0) return true;
  if (isRecord(node.properties)) {
    for (const propertySchema of Object.values(node.properties)) {
      if (
        mayBeMarked(index, propertySchema, []) &&
        isMarkedDeprecated(propertyView(index, propertySchema, []))
      )
        return true;
      if (findable(index, propertySchema)) return true;
    }
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = node[keyword];
    if (Array.isArray(members) && members.some((member) => findable(index, member))) return true;
  }
  return findable(index, node.items) || findable(index, node.additionalProperties);
}

/**
 * Whether a schema that `flattenSchema` merges into the view of `node` (through `$ref`s and
 * `allOf`) is marked deprecated, or flattening it could fail: when not, the view is not marked
 * (each marker of a view comes from one of the schemas merged), and need not be built.
 */
function mayBeMarked(index: DeprecationIndex, node: unknown, seen: readonly string[]): boolean {
  if (!isRecord(node)) return true;
  const known = index.marked.get(node);
  if (known !== undefined) return known;
  const marked = partMarked(index, node, seen);
  index.marked.set(node, marked);
  return marked;
}

function partMarked(index: DeprecationIndex, node: JsonObject, seen: readonly string[]): boolean {
  if (isMarkedDeprecated(node)) return true;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) return true;
    return mayBeMarked(index, resolveRef(index.doc, node.$ref), [...seen, node.$ref]);
  }
  return Array.isArray(node.allOf) && node.allOf.some((member) => mayBeMarked(index, member, seen));
}

function enumsOf(index: DeprecationIndex, node: JsonObject): readonly EnumValueDeprecation[] {
  let found = index.enums.get(node);
  if (found === undefined) {
    found = enumDeprecations(node);
    index.enums.set(node, found);
  }
  return found;
}

function replay(
  walk: Walk,
  steps: readonly Step[],
  seen: readonly string[],
  property: string | null,
): void {
  for (const step of steps) {
    if ('found' in step) {
      const { found } = step;
      walk.found.push(
        step.arrived && found.field !== property ? { ...found, field: property } : found,
      );
    } else {
      walkRef(walk, step.ref, step.at.arrived ? { ...step.at, property } : step.at, seen);
    }
  }
}

/**
 * What the walk reads of a property schema (`readOnly`, `writeOnly`, the deprecation markers and
 * texts): a plain schema (no `$ref`, no `allOf`) says it itself, flattening would only copy it.
 */
function propertyView(
  index: DeprecationIndex,
  propertySchema: unknown,
  location: Location,
): JsonObject {
  if (isRecord(propertySchema) && propertySchema.$ref === undefined && !('allOf' in propertySchema))
    return propertySchema;
  return flatView(index, propertySchema, location);
}

/** `flattenSchema(…).schema`, once per node of the index's document (a failure is not kept). */
function flatView(index: DeprecationIndex, node: unknown, location: Location): JsonObject {
  const known = index.views.get(node);
  if (known) return known;
  const view = flattenSchema(index.doc, node, location).schema;
  if (typeof node === 'object' && node !== null) index.views.set(node, view);
  return view;
}

function walkProperties(walk: Walk, properties: JsonObject, at: Position): void {
  for (const [name, propertySchema] of Object.entries(properties)) {
    const location = [...at.location, 'properties', name];
    const view = propertyView(walk.scan.index, propertySchema, location);
    const readOnly = at.readOnly || view.readOnly === true;
    const writeOnly = at.writeOnly || view.writeOnly === true;
    if (walk.skipReadOnly && readOnly) continue;
    if (isMarkedDeprecated(view)) {
      const rules = deprecationRules(view);
      const replacementDescription = siblingDescription(walk, properties, rules.replacement, at);
      record(walk, {
        kind: 'property',
        schema: at.component,
        field: name,
        readOnly,
        writeOnly,
        text: deprecationTextOf(view),
        rules,
        ...(replacementDescription === null ? {} : { replacementDescription }),
        location: formatLocation(location),
      });
    }
    walkSchema(walk, propertySchema, {
      ...at,
      property: name,
      location,
      readOnly,
      writeOnly,
      arrived: false,
    });
  }
}

/** The `description` of property `name` of the same object schema, or null. */
function siblingDescription(
  walk: Walk,
  properties: JsonObject,
  name: string | null,
  at: Position,
): string | null {
  if (name === null || !Object.hasOwn(properties, name)) return null;
  const location = [...at.location, 'properties', name];
  const { description } = flatView(walk.scan.index, properties[name], location);
  return typeof description === 'string' && description.trim() !== '' ? description : null;
}

/** The deprecation of a whole operation (`deprecated: true` on the operation object). */
export function operationDeprecation(operation: JsonObject, location: Location): FoundDeprecation {
  const id = typeof operation.operationId === 'string' ? ` (${operation.operationId})` : '';
  return {
    kind: 'operation',
    schema: null,
    field: null,
    readOnly: false,
    writeOnly: false,
    text: typeof operation.description === 'string' ? operation.description : '',
    location: `${formatLocation(location)}${id}`,
  };
}

/** Deprecated parameters and deprecated enum values of parameter schemas. */
export function parameterDeprecations(
  scan: DeprecationScan,
  parameters: unknown,
  location: Location,
): FoundDeprecation[] {
  if (!Array.isArray(parameters)) return [];
  const found: FoundDeprecation[] = [];
  parameters.forEach((entry, index) => {
    const parameterLocation = [...location, index];
    const parameter =
      isRecord(entry) && typeof entry.$ref === 'string'
        ? resolveRef(scan.index.doc, entry.$ref, parameterLocation)
        : entry;
    if (!isRecord(parameter) || typeof parameter.name !== 'string') return;
    if (isMarkedDeprecated(parameter)) {
      found.push({
        kind: 'parameter',
        schema: null,
        field: parameter.name,
        readOnly: false,
        writeOnly: false,
        text: deprecationTextOf(parameter),
        rules: deprecationRules(parameter),
        location: formatLocation(parameterLocation),
      });
    }
    if (parameter.schema !== undefined) {
      found.push(
        ...schemaDeprecations(scan, parameter.schema, {
          property: parameter.name,
          location: [...parameterLocation, 'schema'],
        }),
      );
    }
  });
  return found;
}
