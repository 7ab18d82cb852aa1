import type { HttpMethod } from '../../src/metadata.js';
import { HTTP_METHODS } from '../codegen/http-methods.js';
import type { JsonValue } from './report.js';

/** A JSON object (the only kind of node that can hold OpenAPI fields). */
export type JsonObject = { [key: string]: JsonValue };

/** One operation of a document, with the path item it belongs to. */
export interface OperationEntry {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: JsonObject;
  readonly pathItem: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value[key]`, or an empty object when it is missing or not an object. */
export function objectAt(value: JsonValue | undefined, key: string): JsonObject {
  if (!isJsonObject(value)) return {};
  const child = value[key];
  return isJsonObject(child) ? child : {};
}

/** The array at `value[key]`, or an empty array. */
export function arrayAt(value: JsonValue | undefined, key: string): JsonValue[] {
  if (!isJsonObject(value)) return [];
  const child = value[key];
  return Array.isArray(child) ? child : [];
}

/** `GET /accounts/{account_id}/…`: how operations are named throughout the report. */
export function operationLabel(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Every operation of `document.paths`, in document order. */
export function listOperations(document: JsonValue): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, pathItem] of Object.entries(objectAt(document, 'paths'))) {
    if (!isJsonObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isJsonObject(operation)) entries.push({ method, path, operation, pathItem });
    }
  }
  return entries;
}

/** The `operationId`, or null when it is missing. */
export function operationIdOf(operation: JsonObject): string | null {
  return typeof operation.operationId === 'string' ? operation.operationId : null;
}

/** String elements of an array field (e.g. `tags`, `x-api-token-group`). */
export function stringsAt(value: JsonValue | undefined, key: string): string[] {
  return arrayAt(value, key).filter((item): item is string => typeof item === 'string');
}
