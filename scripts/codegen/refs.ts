import { CodegenError } from './errors.js';
import { Remembered } from './remembered.js';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** A location inside the document, as object keys and array indexes from the root. */
export type Location = readonly (string | number)[];

/** A schema node (possibly a `$ref`) and where it is in the document. */
export interface SchemaAt {
  readonly node: unknown;
  readonly location: Location;
}

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Human-readable location, e.g. `paths["/accounts/{account_id}"].get.parameters[0]`. */
export function formatLocation(location: Location): string {
  if (location.length === 0) return '(document root)';
  return location
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment) && !segment.includes('-')) {
        return index === 0 ? segment : `.${segment}`;
      }
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** Splits a local `$ref` (`#/components/schemas/X`) into unescaped JSON-pointer tokens. */
export function refTokens(ref: string, usedAt?: Location): readonly string[] {
  return REF_TOKENS.get(ref, () => Object.freeze(parseRefTokens(ref, usedAt)));
}

const REF_TOKENS = new Remembered<readonly string[]>();
const COMPONENT_NAMES = new Remembered<string | null>();

function parseRefTokens(ref: string, usedAt?: Location): string[] {
  if (!ref.startsWith('#')) {
    throw new CodegenError(
      `Unsupported external $ref "${ref}"${usedAt ? ` used at ${formatLocation(usedAt)}` : ''}: only local references (starting with "#/") are supported.`,
      {
        hint: 'Bundle the spec into one file first (e.g. `npx @redocly/cli bundle`), then generate from the bundled file.',
      },
    );
  }
  const pointer = ref.slice(1);
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new CodegenError(`Malformed $ref "${ref}": a JSON pointer must start with "#/".`, {
      hint: 'Fix the reference in the spec.',
    });
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => safeDecode(token).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function safeDecode(token: string): string {
  if (!token.includes('%')) return token; // nothing to decode
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** Component name for `#/components/schemas/<name>`, otherwise null. */
export function schemaComponentName(ref: string): string | null {
  return COMPONENT_NAMES.get(ref, () => parseComponentName(ref));
}

function parseComponentName(ref: string): string | null {
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  return match?.[1] ? safeDecode(match[1]).replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/**
 * Resolves a local JSON-pointer `$ref` against the document. An unresolved reference is a
 * `CodegenError` naming the reference and, when given, where it is used.
 */
export function resolveRef(doc: unknown, ref: string, usedAt?: Location): unknown {
  let current: unknown = doc;
  for (const token of refTokens(ref, usedAt)) {
    if (Array.isArray(current) && /^\d+$/.test(token)) {
      current = current[Number(token)];
    } else if (isRecord(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      current = undefined;
    }
    if (current === undefined) throw unresolvedRef(ref, usedAt);
  }
  return current;
}

function unresolvedRef(ref: string, usedAt?: Location): CodegenError {
  const where = usedAt ? ` used at ${formatLocation(usedAt)}` : '';
  return new CodegenError(`Unresolved $ref "${ref}"${where}: nothing exists at that location.`, {
    hint: 'Add the missing component to the spec or fix the reference (names are case-sensitive).',
  });
}

/** The result of following `$ref`s: the target object and the last schema component on the way. */
export interface Dereferenced {
  readonly node: JsonObject;
  /** Name of the last `#/components/schemas/<name>` followed, or null if none. */
  readonly component: string | null;
  /** The `$ref` chain that was followed, in order. */
  readonly refs: readonly string[];
}

/** Follows `$ref` until a non-reference object (cycles are an error). Sibling keys of `$ref` are ignored, as in OpenAPI 3.0. */
export function deref(doc: unknown, node: unknown, usedAt: Location): Dereferenced {
  let current = node;
  let component: string | null = null;
  const refs: string[] = [];
  while (isRecord(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (refs.includes(ref)) {
      throw new CodegenError(
        `Circular $ref chain ${[...refs, ref].join(' → ')} at ${formatLocation(usedAt)}.`,
        {
          hint: 'Make one of the references point at a real schema.',
        },
      );
    }
    refs.push(ref);
    component = schemaComponentName(ref) ?? component;
    current = resolveRef(doc, ref, usedAt);
  }
  if (!isRecord(current)) {
    throw new CodegenError(
      `Expected an object at ${formatLocation(usedAt)}${refs.length ? ` (via ${refs.join(' → ')})` : ''}, found ${describe(current)}.`,
      { hint: 'Fix the spec so that this schema, parameter or response is an object.' },
    );
  }
  return { node: current, component, refs };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : typeof value;
}

/** A schema with its `$ref`s followed and its `allOf` members merged into one object. */
export interface FlatSchema {
  /** Merged keywords; `properties` holds the raw (unflattened) property schemas. */
  readonly schema: JsonObject;
  /** For each property: the component schema that declares it (null when inline). */
  readonly declaredIn: Readonly<Record<string, string | null>>;
  /** The component this schema itself came from, or null when inline. */
  readonly component: string | null;
}

const OR_KEYWORDS = new Set(['readOnly', 'writeOnly', 'deprecated']);

/**
 * Follows `$ref`s and merges `allOf` members: properties are merged, `required` lists are
 * united, `readOnly`/`writeOnly`/`deprecated` are true when any part says so, and the schema's
 * own keywords win over those of its members (e.g. a `description` next to `allOf`).
 */
export function flattenSchema(
  doc: unknown,
  node: unknown,
  usedAt: Location,
  seen: readonly string[] = [],
): FlatSchema {
  const { node: schema, component, refs } = deref(doc, node, usedAt);
  const chain = [...seen, ...refs];
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  const declaredIn: Record<string, string | null> = {};
  const required: string[] = [];
  const members = Array.isArray(schema.allOf) ? schema.allOf : [];
  members.forEach((member, index) => {
    const memberRef = isRecord(member) && typeof member.$ref === 'string' ? member.$ref : null;
    if (memberRef && chain.includes(memberRef)) return;
    const flat = flattenSchema(doc, member, [...usedAt, 'allOf', index], chain);
    mergeInto(merged, properties, declaredIn, required, flat);
  });
  const own: FlatSchema = {
    schema: withoutAllOf(schema),
    declaredIn: ownDeclarations(schema, component),
    component,
  };
  mergeInto(merged, properties, declaredIn, required, own, true);
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = required;
  return { schema: merged, declaredIn, component };
}

function withoutAllOf(schema: JsonObject): JsonObject {
  const { allOf: _allOf, ...rest } = schema;
  return rest;
}

function ownDeclarations(
  schema: JsonObject,
  component: string | null,
): Record<string, string | null> {
  const declared: Record<string, string | null> = {};
  if (isRecord(schema.properties)) {
    for (const name of Object.keys(schema.properties)) declared[name] = component;
  }
  return declared;
}

function mergeInto(
  merged: JsonObject,
  properties: JsonObject,
  declaredIn: Record<string, string | null>,
  required: string[],
  part: FlatSchema,
  own = false,
): void {
  for (const [key, value] of Object.entries(part.schema)) {
    if (key === 'properties' && isRecord(value)) {
      Object.assign(properties, value);
    } else if (key === 'required' && Array.isArray(value)) {
      for (const name of value)
        if (typeof name === 'string' && !required.includes(name)) required.push(name);
    } else if (OR_KEYWORDS.has(key)) {
      merged[key] = merged[key] === true || value === true;
    } else if (key === 'additionalProperties' && merged[key] === false) {
      // `false` anywhere in an allOf forbids extra properties.
    } else if (own || !(key in merged)) {
      merged[key] = value;
    }
  }
  Object.assign(declaredIn, part.declaredIn);
}

/** Every `$ref` in the document with the location that uses it, in document order. */
export function collectRefs(doc: unknown): { ref: string; usedAt: Location }[] {
  const found: { ref: string; usedAt: Location }[] = [];
  const stack: Visit[] = [{ value: doc, parent: null, key: null }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value } = visit;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) {
        stack.push({ value: value[index], parent: visit, key: index });
      }
    } else if (isRecord(value)) {
      if (typeof value.$ref === 'string')
        found.push({ ref: value.$ref, usedAt: locationOf(visit) });
      const keys = Object.keys(value);
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index] as string;
        const child = value[key];
        // `example` values are literal data: a "$ref" key inside one is not a reference.
        if (key === 'example') continue;
        if (typeof child === 'object' && child !== null)
          stack.push({ value: child, parent: visit, key });
      }
    }
  }
  return found;
}

/** A node of a search of the document, with the way there (for its location, built when needed). */
export interface Visit {
  readonly value: unknown;
  readonly parent: Visit | null;
  readonly key: string | number | null;
}

export function locationOf(visit: Visit): Location {
  const location: (string | number)[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) location.unshift(at.key);
  return location;
}

/** Throws a `CodegenError` for the first `$ref` that does not resolve (naming it and where it is used). */
export function assertRefsResolve(doc: unknown): void {
  const cache = new Map<string, boolean>();
  for (const { ref, usedAt } of collectRefs(doc)) {
    if (cache.get(ref) === true) continue;
    resolveRef(doc, ref, usedAt);
    cache.set(ref, true);
  }
}
