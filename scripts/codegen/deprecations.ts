import type { DeprecationMetadata } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import { readDeprecationText } from './deprecation-text.js';
import {
  type DeprecationIndex,
  type DeprecationScan,
  deprecationIndex,
  type FoundDeprecation,
  indexOf,
  newScan,
  operationDeprecation,
  parameterDeprecations,
  schemaDeprecations,
} from './deprecation-walk.js';
import { HTTP_METHODS } from './http-methods.js';
import { compareText } from './json-values.js';
import { isRecord, type JsonObject, type Location, resolveRef, type SchemaAt } from './refs.js';

/**
 * Collecting deprecations: for the whole document (what `generated/deprecations.md` and README
 * list) and for one operation (its `deprecations` metadata, with the side each applies to).
 */

/** A deprecation of the whole spec (what `generated/deprecations.md` lists). */
export type SpecDeprecation = DeprecationMetadata & {
  readonly schema: string | null;
  readonly text: string;
  readonly location: string;
};

/** What identifies and orders a deprecation (found, spec-wide or per operation). */
interface DeprecationKeyFields {
  kind: string;
  schema: string | null;
  field: string | null;
  value?: unknown;
  location?: string;
}

/** Builds the public metadata of one deprecation from what was found. */
function toDeprecationMetadata(
  found: FoundDeprecation,
  appliesTo: DeprecationMetadata['appliesTo'],
): DeprecationMetadata & { readonly schema: string | null; readonly text: string } {
  const read = found.rules ?? readDeprecationText(found.text);
  return {
    kind: found.kind,
    schema: found.schema,
    field: found.field,
    ...(found.kind === 'enum-value' ? { value: found.value ?? null } : {}),
    appliesTo,
    readOnly: found.readOnly,
    replacement: read.replacement,
    ...(found.replacementDescription === undefined
      ? {}
      : { replacementDescription: found.replacementDescription }),
    deprecatedSince: read.deprecatedSince,
    endOfLife: read.endOfLife,
    forbiddenOnWrite: read.forbiddenOnWrite,
    text: found.text,
  };
}

/** Identity of a deprecation, for de-duplication (the same property reached through several `$ref`s). */
function deprecationKey(item: DeprecationKeyFields): string {
  return JSON.stringify([
    item.kind,
    item.schema,
    item.field,
    item.kind === 'enum-value' ? (item.value ?? null) : null,
    // Operations and inline parameters have no component to tell them apart: their place does.
    item.schema === null && item.kind !== 'enum-value' ? (item.location ?? null) : null,
  ]);
}

/** Stable order: schema, field, kind, value, location. */
function compareDeprecations(a: DeprecationKeyFields, b: DeprecationKeyFields): number {
  const left = [a.schema ?? '', a.field ?? '', a.kind, String(a.value ?? ''), a.location ?? ''];
  const right = [b.schema ?? '', b.field ?? '', b.kind, String(b.value ?? ''), b.location ?? ''];
  for (let index = 0; index < left.length; index += 1) {
    const order = compareText(left[index] as string, right[index] as string);
    if (order !== 0) return order;
  }
  return 0;
}

/** Removes duplicates, and enum values found without a field when the same value was found with one. */
function dedupeFound(found: readonly FoundDeprecation[]): FoundDeprecation[] {
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

// ---------------------------------------------------------------- one operation

/**
 * The deprecations an operation touches: the operation itself, its parameters, its request body
 * (read-only properties are not sent) and its success response, each marked request, response
 * or both. Operations of one document share `index` (one per plan).
 */
export function operationDeprecations(
  ctx: OperationContext,
  schemas: { readonly request: SchemaAt | null; readonly response: SchemaAt | null },
  index: DeprecationIndex = deprecationIndex(ctx.doc),
): DeprecationMetadata[] {
  const request = requestDeprecations(ctx, schemas.request, index);
  const response = schemas.response
    ? schemaDeprecations(newScan(index), schemas.response.node, {
        location: schemas.response.location,
      })
    : [];
  const requestKeys = new Set(request.map(deprecationKey));
  const responseKeys = new Set(response.map(deprecationKey));
  const all = dedupeFound([
    ...(ctx.operation.deprecated === true
      ? [operationDeprecation(ctx.operation, ctx.location)]
      : []),
    ...request,
    ...response,
  ]);
  return all.sort(compareDeprecations).map((item) => {
    const key = deprecationKey(item);
    const appliesTo =
      item.kind === 'operation' || (requestKeys.has(key) && responseKeys.has(key))
        ? 'both'
        : requestKeys.has(key)
          ? 'request'
          : 'response';
    return toDeprecationMetadata(item, appliesTo);
  });
}

/** Parameters (of the path item, then the operation) and the request body's writable side. */
function requestDeprecations(
  ctx: OperationContext,
  body: SchemaAt | null,
  index: DeprecationIndex,
): FoundDeprecation[] {
  const pathItemParameters: Location = ['paths', ctx.path, 'parameters'];
  return [
    ...parameterDeprecations(newScan(index), ctx.pathItem.parameters, pathItemParameters),
    ...parameterDeprecations(newScan(index), ctx.operation.parameters, [
      ...ctx.location,
      'parameters',
    ]),
    ...(body
      ? schemaDeprecations(newScan(index), body.node, {
          location: body.location,
          skipReadOnly: true,
        })
      : []),
  ];
}

// ---------------------------------------------------------------- the document

function specAppliesTo(found: FoundDeprecation): DeprecationMetadata['appliesTo'] {
  if (found.kind === 'parameter' || found.kind === 'operation') return 'request';
  if (found.readOnly) return 'response';
  return found.writeOnly ? 'request' : 'both';
}

/**
 * Every deprecation in the document: `deprecated: true` properties (through `$ref`/`allOf`),
 * deprecated enum values, deprecated operations and parameters. Sorted and de-duplicated.
 * `index`: what walks of `doc` have read already (the plan's), else it is read anew.
 */
export function collectDeprecations(doc: unknown, index?: DeprecationIndex): SpecDeprecation[] {
  const scan = newScan(indexOf(doc, index));
  const found: FoundDeprecation[] = [];
  const root = isRecord(doc) ? doc : {};
  const components = isRecord(root.components) ? root.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    found.push(
      ...schemaDeprecations(scan, schema, {
        component: name,
        location: ['components', 'schemas', name],
      }),
    );
  }
  found.push(...pathDeprecations(scan, root));
  return dedupeFound(found)
    .sort(compareDeprecations)
    .map((item) => ({
      ...toDeprecationMetadata(item, specAppliesTo(item)),
      location: item.location,
    }));
}

function pathDeprecations(scan: DeprecationScan, root: JsonObject): FoundDeprecation[] {
  const found: FoundDeprecation[] = [];
  const paths = isRecord(root.paths) ? root.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isRecord(pathItem)) continue;
    const pathLocation = ['paths', path];
    found.push(
      ...parameterDeprecations(scan, pathItem.parameters, [...pathLocation, 'parameters']),
    );
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const location = [...pathLocation, method];
      if (operation.deprecated === true) found.push(operationDeprecation(operation, location));
      found.push(...parameterDeprecations(scan, operation.parameters, [...location, 'parameters']));
      for (const schema of operationSchemas(scan, operation, location)) {
        found.push(...schemaDeprecations(scan, schema.node, { location: schema.location }));
      }
    }
  }
  return found;
}

/** Every schema of an operation's request body and responses, in every media type. */
function operationSchemas(
  scan: DeprecationScan,
  operation: JsonObject,
  location: Location,
): SchemaAt[] {
  const schemas: SchemaAt[] = [];
  const addContent = (owner: unknown, ownerLocation: Location) => {
    const resolved =
      isRecord(owner) && typeof owner.$ref === 'string'
        ? resolveRef(scan.index.doc, owner.$ref, ownerLocation)
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
