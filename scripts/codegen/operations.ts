import type { HttpMethod } from '../../src/metadata.js';
import { editDistance } from '../../src/suggest.js';
import { CodegenError } from './errors.js';
import { HTTP_METHODS } from './http-methods.js';
import { compareText } from './json-values.js';
import { isRecord, type JsonObject } from './refs.js';
import type { OpenApiDocument } from './validate.js';

/** Finding the configured operations in the document by operationId (names come from names.ts). */

/** Removed from operationIds to name functions unless configured otherwise. */
export const DEFAULT_OPERATION_ID_PREFIX = 'email_security_';

/** An operation as found in the document. */
export interface LocatedOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathItem: JsonObject;
  readonly operation: JsonObject;
}

/** Every operation with an operationId, in document order. Duplicate operationIds are an error. */
export function listOperations(doc: OpenApiDocument): LocatedOperation[] {
  const found: LocatedOperation[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation) || typeof operation.operationId !== 'string') continue;
      const duplicate = found.find((entry) => entry.operationId === operation.operationId);
      if (duplicate) {
        throw new CodegenError(
          `operationId "${operation.operationId}" is used twice: ${duplicate.method.toUpperCase()} ${duplicate.path} and ${method.toUpperCase()} ${path}.`,
          { hint: 'operationIds must be unique; fix the spec.' },
        );
      }
      found.push({ operationId: operation.operationId, method, path, pathItem, operation });
    }
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
  const scored = candidates
    .map((candidate) => ({
      candidate,
      distance: editDistance(id.toLowerCase(), candidate.toLowerCase()),
    }))
    .sort((a, b) => a.distance - b.distance || compareText(a.candidate, b.candidate));
  const limit = Math.max(3, Math.ceil(id.length / 2));
  return scored
    .filter((entry) => entry.distance <= limit)
    .slice(0, 3)
    .map((entry) => entry.candidate);
}
