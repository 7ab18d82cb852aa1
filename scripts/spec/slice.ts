import { CodegenError } from '../codegen/errors.js';
import { HTTP_METHODS } from '../codegen/http-methods.js';
import { nearestOperationIds } from '../codegen/operations.js';
import {
  collectRefs,
  formatLocation,
  isRecord,
  type Location,
  refTokens,
  resolveRef,
} from '../codegen/refs.js';
import { assertOpenApi3 } from './openapi-version.js';
import { type JsonObject, listOperations, objectAt, operationIdOf } from './operations.js';
import type { JsonValue } from './report.js';
import {
  DEFAULT_SELECTION,
  describeSelection,
  type PathSelection,
  selectPaths,
} from './selection.js';

/** Top-level fields copied from the source document (everything else is product-specific). */
const KEPT_TOP_LEVEL = new Set(['openapi', 'info', 'servers', 'externalDocs', 'security']);

export interface SliceOptions {
  readonly selection?: PathSelection;
  /** Names the source in error messages (a file path or URL). */
  readonly source?: string;
}

/**
 * Extracts the selected paths of a (large, multi-product) OpenAPI 3.x document with the
 * transitive closure of every component they reference, upstream names kept.
 *
 * Key order is the source document's, filtered: slicing is deterministic, and slicing the
 * vendored file embedded in the full document gives back the vendored file byte for byte.
 * `components.securitySchemes` is kept whole: it is API-wide (four schemes upstream), tiny, and
 * the vendored file carries all of it. Top-level `tags` keeps only the tags the slice uses.
 * Only the selected paths and reachable components are visited, never the rest of the document.
 */
export function sliceDocument(document: unknown, options: SliceOptions = {}): JsonObject {
  const source = options.source ?? 'the document';
  const selection = options.selection ?? DEFAULT_SELECTION;
  const root = assertOpenApi3(document, source);
  const paths = selectPaths(root, selection);
  if (Object.keys(paths).length === 0) throw noPathsError(source, selection, root);
  return sliceToPaths(root, paths, source);
}

/**
 * The same slice for a list of operationIds (`cfes generate`): each path item keeps only the
 * selected operations (and its path-level fields such as `parameters`), plus every component they
 * reference. Unknown operationIds are an error naming the nearest ones. The unselected rest of a
 * (large, untrusted) document is never visited.
 */
export function sliceOperations(
  document: unknown,
  operationIds: readonly string[],
  options: { readonly source?: string } = {},
): JsonObject {
  const source = options.source ?? 'the document';
  const root = assertOpenApi3(document, source);
  const wanted = new Set(operationIds);
  const found = new Set<string>();
  const methods = new Set<string>(HTTP_METHODS);
  const paths: JsonObject = {};
  for (const { method, path, operation, pathItem } of listOperations(root)) {
    const id = operationIdOf(operation);
    if (id === null || !wanted.has(id)) continue;
    found.add(id); // twice in the document: both are kept, the plan stage reports the duplicate
    const existing = paths[path];
    const kept: JsonObject = isRecord(existing)
      ? existing
      : Object.fromEntries(Object.entries(pathItem).filter(([key]) => !methods.has(key)));
    paths[path] = kept;
    kept[method] = operation;
  }
  const missing = operationIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw unknownOperationsError(missing, root, source);
  return sliceToPaths(root, paths, source);
}

function sliceToPaths(root: JsonObject, paths: JsonObject, source: string): JsonObject {
  const reachable = collectReachableComponents(root, paths, source);
  assertSecuritySchemesDefined(root, paths, source);
  return assembleSlice(root, paths, reachable);
}

function unknownOperationsError(
  missing: readonly string[],
  root: JsonObject,
  source: string,
): CodegenError {
  const all = listOperations(root).flatMap(({ operation }) => operationIdOf(operation) ?? []);
  const described = missing.map((id) => {
    const nearest = nearestOperationIds(id, all);
    return nearest.length > 0
      ? `"${id}" (did you mean ${nearest.map((n) => `"${n}"`).join(' or ')}?)`
      : `"${id}"`;
  });
  return new CodegenError(
    `${source} has no operation with the operationId ${described.join(', ')} (it has ${all.length} operations). Nothing was written.`,
    {
      hint: 'operationIds are case-sensitive; look them up in the document (each operation\'s "operationId").',
    },
  );
}

function noPathsError(source: string, selection: PathSelection, root: JsonObject): CodegenError {
  const total = Object.keys(objectAt(root, 'paths')).length;
  return new CodegenError(
    `No Email Security paths in ${source}: none of its ${total} paths matches ${describeSelection(selection)}. Nothing was written.`,
    {
      hint: "Pass Cloudflare's full document (cloudflare/api-schemas openapi.json or openapi.yaml), or adjust --prefix / --tag.",
    },
  );
}

/** `section/name` keys of every component reachable from the selected paths. */
function collectReachableComponents(
  root: JsonObject,
  paths: JsonObject,
  source: string,
): Set<string> {
  const reachable = new Set<string>();
  const pending: { node: unknown; at: Location }[] = Object.entries(paths).map(([path, item]) => ({
    node: item,
    at: ['paths', path],
  }));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const { ref, usedAt } of collectRefs(next.node)) {
      const at = [...next.at, ...usedAt];
      const [section, name] = componentOf(ref, at, source);
      const key = `${section}/${name}`;
      if (reachable.has(key)) continue;
      const definition = resolveOrExplain(root, ref, at, source);
      reachable.add(key);
      pending.push({ node: definition, at: ['components', section, name] });
    }
  }
  return reachable;
}

/** `[section, name]` of a `#/components/<section>/<name>[/…]` reference; other targets cannot be sliced. */
function componentOf(ref: string, at: Location, source: string): [string, string] {
  const [root, section, name] = refTokens(ref, at);
  if (root !== 'components' || section === undefined || name === undefined) {
    throw new CodegenError(
      `Unsupported $ref "${ref}" at ${formatLocation(at)} in ${source}: only references into #/components/… can be sliced. Nothing was written.`,
      { hint: 'Report it: the slicer needs to learn this kind of reference.' },
    );
  }
  return [section, name];
}

function resolveOrExplain(root: JsonObject, ref: string, at: Location, source: string): unknown {
  try {
    return resolveRef(root, ref, at);
  } catch (error) {
    throw new CodegenError(
      `Dangling $ref in ${source}: ${formatLocation(at)} references "${ref}", which the document does not define. Nothing was written.`,
      {
        cause: error,
        hint: 'The upstream document is incomplete or corrupted: download it again (or fix the reference).',
      },
    );
  }
}

function assertSecuritySchemesDefined(root: JsonObject, paths: JsonObject, source: string): void {
  const defined = objectAt(objectAt(root, 'components'), 'securitySchemes');
  const uses: { scheme: string; where: string }[] = [];
  for (const requirement of securityRequirements(root.security)) {
    for (const scheme of Object.keys(requirement))
      uses.push({ scheme, where: 'the root security' });
  }
  for (const { method, path, operation } of listOperations({ paths })) {
    for (const requirement of securityRequirements(operation.security)) {
      for (const scheme of Object.keys(requirement)) {
        uses.push({ scheme, where: `${method.toUpperCase()} ${path}` });
      }
    }
  }
  const missing = uses.find(({ scheme }) => defined[scheme] === undefined);
  if (missing) {
    throw new CodegenError(
      `Undefined security scheme in ${source}: ${missing.where} requires "${missing.scheme}", which components.securitySchemes does not define. Nothing was written.`,
      { hint: 'The upstream document is incomplete or corrupted: download it again.' },
    );
  }
}

function securityRequirements(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter((entry): entry is JsonObject => isRecord(entry)) : [];
}

function assembleSlice(root: JsonObject, paths: JsonObject, reachable: Set<string>): JsonObject {
  const slice: JsonObject = {};
  for (const [key, value] of Object.entries(root)) {
    if (KEPT_TOP_LEVEL.has(key)) slice[key] = value;
    else if (key === 'paths') slice.paths = paths;
    else if (key === 'components')
      addIfNotEmpty(slice, 'components', keptComponents(value, reachable));
    else if (key === 'tags') addIfNotEmpty(slice, 'tags', usedTags(value, paths));
  }
  return slice;
}

function addIfNotEmpty(target: JsonObject, key: string, value: JsonObject | JsonValue[]): void {
  if (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0) target[key] = value;
}

function keptComponents(components: JsonValue, reachable: Set<string>): JsonObject {
  const kept: JsonObject = {};
  for (const [section, entries] of Object.entries(isRecord(components) ? components : {})) {
    if (!isRecord(entries)) continue;
    if (section === 'securitySchemes') {
      addIfNotEmpty(kept, section, entries);
      continue;
    }
    const keptEntries: JsonObject = {};
    for (const [name, definition] of Object.entries(entries)) {
      if (reachable.has(`${section}/${name}`)) keptEntries[name] = definition;
    }
    addIfNotEmpty(kept, section, keptEntries);
  }
  return kept;
}

function usedTags(tags: JsonValue, paths: JsonObject): JsonValue[] {
  const used = new Set(
    listOperations({ paths }).flatMap(({ operation }) =>
      Array.isArray(operation.tags) ? operation.tags : [],
    ),
  );
  return Array.isArray(tags)
    ? tags.filter((tag) => isRecord(tag) && typeof tag.name === 'string' && used.has(tag.name))
    : [];
}
