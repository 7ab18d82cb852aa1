import { listOperations as listPathOperations, type PathOperation } from '../codegen/operations.js';
import { isRecord } from '../codegen/refs.js';
import type { JsonValue } from './report.js';

/** A JSON object (the only kind of node that can hold OpenAPI fields). */
export type JsonObject = { [key: string]: JsonValue };

/** One operation of a document, with the path item it belongs to. */
export type OperationEntry = PathOperation<JsonObject>;

/** The object at `value[key]`, or an empty object when it is missing or not an object. */
export function objectAt(value: JsonValue | undefined, key: string): JsonObject {
  if (!isRecord(value)) return {};
  const child = value[key];
  return isRecord(child) ? child : {};
}

/** The array at `value[key]`, or an empty array. */
export function arrayAt(value: JsonValue | undefined, key: string): JsonValue[] {
  if (!isRecord(value)) return [];
  const child = value[key];
  return Array.isArray(child) ? child : [];
}

/** `GET /accounts/{account_id}/…`: how operations are named throughout the report. */
export function operationLabel(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Every operation of `document.paths`, in document order. */
export const listOperations: (document: JsonValue) => OperationEntry[] = listPathOperations;

/** The `operationId`, or null when it is missing. */
export function operationIdOf(operation: JsonObject): string | null {
  return typeof operation.operationId === 'string' ? operation.operationId : null;
}

/** String elements of an array field (e.g. `tags`, `x-api-token-group`). */
export function stringsAt(value: JsonValue | undefined, key: string): string[] {
  return arrayAt(value, key).filter((item): item is string => typeof item === 'string');
}
