import type { DeprecationMetadata } from '../../src/metadata.js';
import { HTTP_METHODS } from './http-methods.js';
import {
  flattenSchema,
  formatLocation,
  isRecord,
  type JsonObject,
  type Location,
  resolveRef,
  schemaComponentName,
} from './refs.js';

/** What a deprecation description says: the replacement and the dates (ISO `YYYY-MM-DD`). */
export interface ParsedDeprecationText {
  readonly replacement: string | null;
  readonly deprecatedSince: string | null;
  readonly endOfLife: string | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_PATTERNS: readonly {
  regex: RegExp;
  toParts: (m: RegExpExecArray) => [string, string, string];
}[] = [
  { regex: /^(\d{4})-(\d{1,2})-(\d{1,2})\b/, toParts: (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? ''] },
  {
    regex: new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[1]), m[2] ?? ''],
  },
  {
    regex: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[2]), m[1] ?? ''],
  },
];

function monthNumber(name: string | undefined): string {
  const key = (name ?? '').toLowerCase().replace('.', '');
  return String(MONTHS[key] ?? MONTHS[key.slice(0, 3)] ?? 0);
}

/** Parses a date at the start of `text` ("July 1, 2025", "1 July 2025", "2025-07-01") to ISO, or null. */
export function parseLeadingDate(text: string): string | null {
  for (const { regex, toParts } of DATE_PATTERNS) {
    const match = regex.exec(text);
    if (match) return isoDate(...toParts(match));
  }
  return null;
}

function isoDate(year: string, month: string, day: string): string | null {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const SINCE_MARKERS = /\bdeprecated\s+(?:as\s+of|since|on|from|starting(?:\s+on)?|effective)\s+/gi;
const END_OF_LIFE_MARKERS =
  /\b(?:end[\s-]+of[\s-]+life|eol|sunset(?:\s+date)?|removal\s+date|(?:will\s+be\s+)?removed\s+(?:on|after))\b\s*(?::|\bon\b|\bis\b|\bdate\b:?)?\s*/gi;
const REPLACEMENT_PATTERNS: readonly RegExp[] = [
  /\buse\s+`([^`\s]+)`/i,
  /\b(?:replaced|superseded)\s+by\s+`([^`\s]+)`/i,
  /\bin\s+favou?r\s+of\s+`([^`\s]+)`/i,
  /\buse\s+([A-Za-z_][\w.]*)\s+instead\b/i,
  /\b(?:replaced|superseded)\s+by\s+([A-Za-z_][\w.]*[A-Za-z0-9_])/i,
];

function dateAfter(markers: RegExp, text: string): string | null {
  for (const match of text.matchAll(markers)) {
    const date = parseLeadingDate(text.slice((match.index ?? 0) + match[0].length));
    if (date) return date;
  }
  return null;
}

/**
 * Reads a deprecation description such as
 * "Deprecated as of July 1, 2025. Use `is_exempt_recipient` instead. End of life: July 1, 2026."
 * Anything it cannot read becomes null; it never throws.
 */
export function parseDeprecationText(text: string | undefined): ParsedDeprecationText {
  if (typeof text !== 'string' || text.trim() === '') {
    return { replacement: null, deprecatedSince: null, endOfLife: null };
  }
  try {
    const oneLine = text.replace(/\s+/g, ' ');
    let replacement: string | null = null;
    for (const pattern of REPLACEMENT_PATTERNS) {
      const match = pattern.exec(oneLine);
      if (match?.[1]) {
        replacement = match[1].replace(/[.,;:]+$/, '');
        break;
      }
    }
    return {
      replacement,
      deprecatedSince: dateAfter(SINCE_MARKERS, oneLine),
      endOfLife: dateAfter(END_OF_LIFE_MARKERS, oneLine),
    };
  } catch {
    return { replacement: null, deprecatedSince: null, endOfLife: null };
  }
}

/** True when the text says the thing may not be sent ("cannot be used when creating or updating"). */
export function isForbiddenOnWrite(text: string | undefined): boolean {
  if (!text) return false;
  return /\b(?:cannot|can\s?not|must\s+not|may\s+not|can't)\s+be\s+(?:used|sent|set|specified|provided|written)\b[^.]*\b(?:creat|updat|writ|request|set)/i.test(
    text.replace(/\s+/g, ' '),
  );
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Enum values the schema's description calls deprecated ("UNKNOWN is deprecated …",
 * "`X` (deprecated)", "Deprecated values: X, Y"). Matching of the value is case-sensitive.
 */
export function deprecatedEnumValues(schema: JsonObject): (string | number | boolean | null)[] {
  if (!Array.isArray(schema.enum) || typeof schema.description !== 'string') return [];
  const text = schema.description.replace(/\s+/g, ' ');
  if (!/deprecated/i.test(text)) return [];
  return schema.enum.filter((value): value is string | number => {
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const v = escapeRegExp(String(value));
    const q = '[`\'"]?';
    return [
      new RegExp(
        `(?:^|[^\\w])${q}${v}${q}\\s+(?:is|are|has\\s+been|was)\\s+(?:now\\s+)?[Dd]eprecated\\b`,
      ),
      new RegExp(`(?:^|[^\\w])${q}${v}${q}\\s*\\([Dd]eprecated\\)`),
      new RegExp(
        `[Dd]eprecated\\s+(?:enum\\s+)?(?:values?|options?)\\s*(?::|are|is)?\\s*(?:[\`'"]?[\\w-]+[\`'"]?\\s*(?:,|and|or)\\s*)*${q}${v}${q}(?![\\w])`,
      ),
    ].some((regex) => regex.test(text));
  });
}

/** A deprecation as found in the document, before it is related to an operation. */
export interface FoundDeprecation {
  readonly kind: DeprecationMetadata['kind'];
  readonly schema: string | null;
  readonly field: string | null;
  readonly value?: string | number | boolean | null;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly text: string;
  /** Where it is declared, e.g. `components.schemas["email-security_AllowPolicy"].properties.is_sender`. */
  readonly location: string;
}

/** A deprecation of the whole spec (what `generated/deprecations.md` lists). */
export type SpecDeprecation = DeprecationMetadata & { readonly location: string };

interface WalkContext {
  readonly component: string | null;
  readonly property: string | null;
  readonly location: Location;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly seen: readonly string[];
  /** Request side: read-only properties are response-only, so they are not walked. */
  readonly skipReadOnly: boolean;
  /** `$ref`s already walked in the same context (a walk of a component finds the same things every time). */
  readonly memo: Set<string>;
}

/** Collects deprecated properties and enum values reachable from a schema (through `$ref`, `allOf`, `items`, …). */
export function schemaDeprecations(
  doc: unknown,
  node: unknown,
  start: {
    component?: string | null;
    property?: string | null;
    location: Location;
    skipReadOnly?: boolean;
    memo?: Set<string>;
  },
): FoundDeprecation[] {
  const found: FoundDeprecation[] = [];
  walkSchema(
    doc,
    node,
    {
      component: start.component ?? null,
      property: start.property ?? null,
      location: start.location,
      readOnly: false,
      writeOnly: false,
      seen: [],
      skipReadOnly: start.skipReadOnly ?? false,
      memo: start.memo ?? new Set(),
    },
    found,
  );
  return found;
}

function walkSchema(
  doc: unknown,
  node: unknown,
  ctx: WalkContext,
  found: FoundDeprecation[],
): void {
  if (!isRecord(node)) return;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const memoKey = JSON.stringify([
      ref,
      ctx.property,
      ctx.readOnly,
      ctx.writeOnly,
      ctx.skipReadOnly,
    ]);
    if (ctx.seen.includes(ref) || ctx.memo.has(memoKey)) return;
    ctx.memo.add(memoKey);
    const target = resolveRef(doc, ref, ctx.location);
    const component = schemaComponentName(ref);
    walkSchema(
      doc,
      target,
      {
        ...ctx,
        component: component ?? ctx.component,
        location: component ? ['components', 'schemas', component] : ctx.location,
        seen: [...ctx.seen, ref],
      },
      found,
    );
    return;
  }
  for (const value of deprecatedEnumValues(node)) {
    found.push({
      kind: 'enum-value',
      schema: ctx.component,
      field: ctx.property,
      value,
      readOnly: ctx.readOnly,
      writeOnly: ctx.writeOnly,
      text: String(node.description),
      location: formatLocation(ctx.location),
    });
  }
  if (isRecord(node.properties)) walkProperties(doc, node.properties, ctx, found);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = node[keyword];
    if (Array.isArray(members)) {
      members.forEach((member, index) => {
        walkSchema(doc, member, { ...ctx, location: [...ctx.location, keyword, index] }, found);
      });
    }
  }
  if (isRecord(node.items))
    walkSchema(doc, node.items, { ...ctx, location: [...ctx.location, 'items'] }, found);
  if (isRecord(node.additionalProperties)) {
    walkSchema(
      doc,
      node.additionalProperties,
      { ...ctx, location: [...ctx.location, 'additionalProperties'] },
      found,
    );
  }
}

function walkProperties(
  doc: unknown,
  properties: JsonObject,
  ctx: WalkContext,
  found: FoundDeprecation[],
): void {
  for (const [name, propertySchema] of Object.entries(properties)) {
    const location = [...ctx.location, 'properties', name];
    const view = flattenSchema(doc, propertySchema, location).schema;
    const readOnly = ctx.readOnly || view.readOnly === true;
    const writeOnly = ctx.writeOnly || view.writeOnly === true;
    if (ctx.skipReadOnly && readOnly) continue;
    if (view.deprecated === true) {
      found.push({
        kind: 'property',
        schema: ctx.component,
        field: name,
        readOnly,
        writeOnly,
        text: typeof view.description === 'string' ? view.description : '',
        location: formatLocation(location),
      });
    }
    walkSchema(
      doc,
      propertySchema,
      { ...ctx, property: name, location, readOnly, writeOnly },
      found,
    );
  }
}

/** Builds the public metadata of one deprecation from what was found. */
export function toDeprecationMetadata(
  found: FoundDeprecation,
  appliesTo: DeprecationMetadata['appliesTo'],
): DeprecationMetadata {
  const parsed = parseDeprecationText(found.text);
  return {
    kind: found.kind,
    schema: found.schema,
    field: found.field,
    ...(found.kind === 'enum-value' ? { value: found.value ?? null } : {}),
    appliesTo,
    readOnly: found.readOnly,
    replacement: parsed.replacement,
    deprecatedSince: parsed.deprecatedSince,
    endOfLife: parsed.endOfLife,
    forbiddenOnWrite: isForbiddenOnWrite(found.text),
    text: found.text,
  };
}

/** Identity of a deprecation, for de-duplication (the same property reached through several `$ref`s). */
export function deprecationKey(item: {
  kind: string;
  schema: string | null;
  field: string | null;
  value?: unknown;
  location?: string;
}): string {
  return JSON.stringify([
    item.kind,
    item.schema,
    item.field,
    item.kind === 'enum-value' ? (item.value ?? null) : null,
    // Operations and inline parameters have no component to tell them apart: their place does.
    item.schema === null && item.kind !== 'enum-value' ? (item.location ?? null) : null,
  ]);
}

/** What `compareDeprecations` orders by. */
interface DeprecationSortKey {
  kind: string;
  schema: string | null;
  field: string | null;
  value?: unknown;
  location?: string;
}

/** Stable order: schema, field, kind, value. */
export function compareDeprecations(a: DeprecationSortKey, b: DeprecationSortKey): number {
  const left = [a.schema ?? '', a.field ?? '', a.kind, String(a.value ?? ''), a.location ?? ''];
  const right = [b.schema ?? '', b.field ?? '', b.kind, String(b.value ?? ''), b.location ?? ''];
  for (let index = 0; index < left.length; index += 1) {
    const order =
      (left[index] as string) < (right[index] as string)
        ? -1
        : (left[index] as string) > (right[index] as string)
          ? 1
          : 0;
    if (order !== 0) return order;
  }
  return 0;
}

/** Removes duplicates, and enum values found without a field when the same value was found with one. */
export function dedupeFound(found: readonly FoundDeprecation[]): FoundDeprecation[] {
  const byKey = new Map<string, FoundDeprecation>();
  for (const item of found)
    if (!byKey.has(deprecationKey(item))) byKey.set(deprecationKey(item), item);
  const items = [...byKey.values()];
  return items.filter(
    (item) =>
      !(item.kind === 'enum-value' && item.field === null) ||
      !items.some(
        (other) =>
          other.kind === 'enum-value' &&
          other.field !== null &&
          other.schema === item.schema &&
          other.value === item.value,
      ),
  );
}

function specAppliesTo(found: FoundDeprecation): DeprecationMetadata['appliesTo'] {
  if (found.kind === 'parameter' || found.kind === 'operation') return 'request';
  if (found.readOnly) return 'response';
  return found.writeOnly ? 'request' : 'both';
}

/**
 * Every deprecation in the document: `deprecated: true` properties (through `$ref`/`allOf`),
 * deprecated enum values, deprecated operations and parameters. Sorted and de-duplicated.
 */
export function collectDeprecations(doc: unknown): SpecDeprecation[] {
  const found: FoundDeprecation[] = [];
  const root = isRecord(doc) ? doc : {};
  const components = isRecord(root.components) ? root.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  const memo = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    found.push(
      ...schemaDeprecations(doc, schema, {
        component: name,
        location: ['components', 'schemas', name],
        memo,
      }),
    );
  }
  found.push(...pathDeprecations(doc, root, memo));
  return dedupeFound(found)
    .sort(compareDeprecations)
    .map((item) => ({
      ...toDeprecationMetadata(item, specAppliesTo(item)),
      location: item.location,
    }));
}

function pathDeprecations(doc: unknown, root: JsonObject, memo: Set<string>): FoundDeprecation[] {
  const found: FoundDeprecation[] = [];
  const paths = isRecord(root.paths) ? root.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isRecord(pathItem)) continue;
    const pathLocation = ['paths', path];
    found.push(
      ...parameterDeprecations(doc, pathItem.parameters, [...pathLocation, 'parameters'], memo),
    );
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const location = [...pathLocation, method];
      if (operation.deprecated === true) found.push(operationDeprecation(operation, location));
      found.push(
        ...parameterDeprecations(doc, operation.parameters, [...location, 'parameters'], memo),
      );
      for (const { node, location: schemaLocation } of operationSchemas(doc, operation, location)) {
        found.push(...schemaDeprecations(doc, node, { location: schemaLocation, memo }));
      }
    }
  }
  return found;
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
  doc: unknown,
  parameters: unknown,
  location: Location,
  memo: Set<string> = new Set(),
): FoundDeprecation[] {
  if (!Array.isArray(parameters)) return [];
  const found: FoundDeprecation[] = [];
  parameters.forEach((entry, index) => {
    const parameterLocation = [...location, index];
    const parameter =
      isRecord(entry) && typeof entry.$ref === 'string'
        ? resolveRef(doc, entry.$ref, parameterLocation)
        : entry;
    if (!isRecord(parameter) || typeof parameter.name !== 'string') return;
    if (parameter.deprecated === true) {
      found.push({
        kind: 'parameter',
        schema: null,
        field: parameter.name,
        readOnly: false,
        writeOnly: false,
        text: typeof parameter.description === 'string' ? parameter.description : '',
        location: formatLocation(parameterLocation),
      });
    }
    if (parameter.schema !== undefined) {
      found.push(
        ...schemaDeprecations(doc, parameter.schema, {
          property: parameter.name,
          location: [...parameterLocation, 'schema'],
          memo,
        }),
      );
    }
  });
  return found;
}

function operationSchemas(
  doc: unknown,
  operation: JsonObject,
  location: Location,
): { node: unknown; location: Location }[] {
  const schemas: { node: unknown; location: Location }[] = [];
  const addContent = (owner: unknown, ownerLocation: Location) => {
    const resolved =
      isRecord(owner) && typeof owner.$ref === 'string'
        ? resolveRef(doc, owner.$ref, ownerLocation)
        : owner;
    if (!isRecord(resolved) || !isRecord(resolved.content)) return;
    for (const [mediaType, media] of Object.entries(resolved.content)) {
      if (isRecord(media) && media.schema !== undefined) {
        schemas.push({
          node: media.schema,
          location: [...ownerLocation, 'content', mediaType, 'schema'],
        });
      }
    }
  };
  addContent(operation.requestBody, [...location, 'requestBody']);
  if (isRecord(operation.responses)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      addContent(response, [...location, 'responses', status]);
    }
  }
  return schemas;
}
