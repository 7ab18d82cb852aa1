import { CodegenError } from '../codegen/errors.js';
import { isRecord } from '../codegen/refs.js';
import type { JsonObject } from './operations.js';

/** The document as an object, after checking it declares OpenAPI 3.x (`openapi: 3.0.3`, `3.1.0`…). */
export function assertOpenApi3(document: unknown, source: string): JsonObject {
  if (!isRecord(document)) {
    throw notOpenApi3(source, `its top level is ${describeValue(document)}, not an object`);
  }
  const version = document.openapi;
  // Parsed JSON or YAML: every value in it is a JSON value.
  if (typeof version === 'string' && /^3\.\d+(\.\d+)?$/.test(version))
    return document as JsonObject;
  if (typeof document.swagger === 'string') {
    throw notOpenApi3(source, `it is Swagger ${document.swagger} (OpenAPI 2)`);
  }
  const found =
    version === undefined ? 'it has no "openapi" field' : `"openapi" is ${JSON.stringify(version)}`;
  throw notOpenApi3(source, found);
}

function notOpenApi3(source: string, reason: string): CodegenError {
  return new CodegenError(
    `${source} is not an OpenAPI 3.x document: ${reason}. Nothing was written.`,
    {
      hint: "Pass Cloudflare's full document (cloudflare/api-schemas openapi.json or openapi.yaml, `openapi: 3.0.x`).",
    },
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
