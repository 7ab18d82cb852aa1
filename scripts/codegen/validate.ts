import { assertNoCompositionCycles } from './composition-cycles.js';
import { assertDeprecationsReadable } from './deprecation-guard.js';
import { CodegenError } from './errors.js';
import { assertRefsResolve, isRecord, type JsonObject } from './refs.js';
import { assertSafeDocument } from './untrusted-document.js';

/** An OpenAPI 3.x document as far as the generator relies on it. */
export interface OpenApiDocument extends JsonObject {
  readonly openapi: string;
  readonly paths: JsonObject;
  readonly components?: JsonObject;
}

/**
 * Checks that the parsed document is OpenAPI 3.x with a `paths` object, that it points only
 * inside itself (`assertSafeDocument`, also run by the loader), that every `$ref` resolves and
 * that no schema is composed of itself, and that every deprecation rule its text states can be
 * read (deprecation-guard.ts). Operation-level checks happen in the plan stage, for
 * the configured operations.
 */
export function validateDocument(document: unknown, file: string): OpenApiDocument {
  assertDocumentShape(document, file);
  assertSafeDocument(document, file);
  assertRefsResolve(document);
  assertNoCompositionCycles(document, file);
  assertDeprecationsReadable(document, file);
  return document;
}

/** The top level of an OpenAPI 3.x document: an object with a `paths` object. */
export function assertDocumentShape(
  document: unknown,
  file: string,
): asserts document is OpenApiDocument {
  if (!isRecord(document)) {
    throw new CodegenError(
      `"${file}" is not an OpenAPI document: its top level is ${Array.isArray(document) ? 'an array' : typeof document}, not an object.`,
      {
        hint: 'Pass the OpenAPI 3.x document itself with --spec.',
      },
    );
  }
  assertOpenApi3(document, file);
  if (!isRecord(document.paths)) {
    throw new CodegenError(`"${file}" has no \`paths\` object, so there is nothing to generate.`, {
      hint: 'Pass a document that declares its operations under `paths`.',
    });
  }
  if (document.components !== undefined && !isRecord(document.components)) {
    throw new CodegenError(`"${file}": \`components\` must be an object.`, {
      hint: 'Fix the spec.',
    });
  }
}

/** Refuses a Swagger 2 document and one whose `openapi` field is not 3.x. */
function assertOpenApi3(document: JsonObject, file: string): void {
  if (typeof document.swagger === 'string') {
    throw new CodegenError(`"${file}" is Swagger ${document.swagger}, not OpenAPI 3.x.`, {
      hint: 'Convert it to OpenAPI 3 first (for example with `npx swagger2openapi`), or pass the OpenAPI 3 document.',
    });
  }
  if (
    typeof document.openapi !== 'string' ||
    !/^3\.\d+(\.\d+)?(-[\w.]+)?$/.test(document.openapi)
  ) {
    const found =
      document.openapi === undefined
        ? 'it has no `openapi` field'
        : `its \`openapi\` field is ${JSON.stringify(document.openapi)}`;
    throw new CodegenError(`"${file}" is not an OpenAPI 3.x document: ${found}.`, {
      hint: 'The generator reads OpenAPI 3.0/3.1 documents (`"openapi": "3.0.3"`); pass one with --spec.',
    });
  }
}
