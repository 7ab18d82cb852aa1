import type { HttpMethod } from '../../src/metadata.js';
import { editDistance } from '../../src/suggest.js';
import { CodegenError } from './errors.js';
import { HTTP_METHODS } from './http-methods.js';
import { compareText } from './json-values.js';
import { isRecord, type JsonObject } from './refs.js';
import { printableText } from './text-safety.js';
import type { OpenApiDocument } from './validate.js';

/** Finding the configured operations in the document by operationId (names come from names.ts). */

/** Removed from operationIds to name functions unless configured otherwise. */
export const DEFAULT_OPERATION_ID_PREFIX = 'email_security_';

/** One operation of a document, with the path item it belongs to. */
export interface PathOperation<Node extends object = JsonObject> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathItem: Node;
  readonly operation: Node;
}

/** An operation with its operationId, as the generator wraps it. */
export interface LocatedOperation extends PathOperation {
  readonly operationId: string;
}

/**
 * Every operation of `document.paths` (each HTTP method of each path item that is an object), in
 * document order. `Node` is how the caller types JSON objects (the spec tools type them as JSON
 * values); the nodes are the document's own.
 */
export function listOperations<Node extends object = JsonObject>(
  document: unknown,
): PathOperation<Node>[] {
  const entries: PathOperation<Node>[] = [];
  const paths = isRecord(document) && isRecord(document.paths) ? document.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isRecord(operation)) {
        entries.push({ method, path, pathItem: pathItem as Node, operation: operation as Node });
      }
    }
  }
  return entries;
}

/**
 * Refuses an HTTP method of a path item whose value is not an object (`listOperations` skips
 * one; openapi-typescript's `openapiTS()` trips on it).
 */
export function assertOperationsAreObjects(document: OpenApiDocument, file: string): void {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation !== undefined && !isRecord(operation)) {
        throw new CodegenError(
          `"${file}": the ${method.toUpperCase()} operation of ${printableText(JSON.stringify(path))} is ${operation === null ? 'null' : typeof operation}, not an object.`,
          { hint: 'Fix the spec: an operation is an object (remove the method to declare none).' },
        );
      }
    }
  }
}

/** Every operation with an operationId, in document order. Duplicate operationIds are an error. */
export function locateOperations(doc: OpenApiDocument): LocatedOperation[] {
  const found: LocatedOperation[] = [];
  for (const entry of listOperations(doc)) {
    const { operationId } = entry.operation;
    if (typeof operationId !== 'string') continue;
    const duplicate = found.find((other) => other.operationId === operationId);
    if (duplicate) {
      throw new CodegenError(
        `operationId "${operationId}" is used twice: ${duplicate.method.toUpperCase()} ${duplicate.path} and ${entry.method.toUpperCase()} ${entry.path}.`,
        { hint: 'operationIds must be unique; fix the spec.' },
      );
    }
    found.push({ ...entry, operationId });
  }
  return found;
}

/** The operation with this operationId; a `CodegenError` with the nearest ids when there is none. */
export function findOperation(all: readonly LocatedOperation[], id: string): LocatedOperation {
  const located = all.find((entry) => entry.operationId === id);
  if (located) return located;
  const nearest = nearestOperationIds(
    id,
    all.map((entry) => entry.operationId),
  );
  const suggestion = nearest.length
    ? ` Did you mean ${nearest.map((name) => `"${name}"`).join(', ')}?`
    : '';
  throw new CodegenError(
    `The configured operationId "${id}" does not exist in the spec.${suggestion}`,
    {
      hint: 'Fix the `operations` list in openapi/codegen.config.ts (operationIds are case-sensitive).',
    },
  );
}

/** Up to three operationIds closest to `id` by edit distance (close enough to be a typo or a rename). */
export function nearestOperationIds(id: string, candidates: readonly string[]): string[] {
  const limit = Math.max(3, Math.ceil(id.length / 2));
  const scored = candidates
    .map((candidate) => ({
      candidate,
      distance: editDistance(id.toLowerCase(), candidate.toLowerCase(), limit),
    }))
    .sort((a, b) => a.distance - b.distance || compareText(a.candidate, b.candidate));
  return scored
    .filter((entry) => entry.distance <= limit)
    .slice(0, 3)
    .map((entry) => entry.candidate);
}
