import type { GlobalContext, OpenAPI3, OpenAPITSOptions } from 'openapi-typescript';
import { CodegenError } from './errors.js';
import { type HeaderInput, tsHeader } from './header.js';
import { assertOperationsAreObjects, locateOperations } from './operations.js';
import {
  loadOpenapiTypescript,
  loadOpenapiTypescriptTransform,
  type OpenapiTypescriptTransform,
} from './peer-modules.js';
import { assertRefsResolve } from './refs.js';
import { withCommentSafeText } from './text-safety.js';
import { assertSafeDocument } from './untrusted-document.js';
import { assertDocumentShape, type OpenApiDocument } from './validate.js';

/**
 * How `emitSchema` runs openapi-typescript:
 * - `openapiTS`: its public entry, which lints the document with redocly, bundles it with
 *   redocly, then converts it;
 * - `transform`: the conversion alone, on a verified release (peer-modules.ts). What the lint
 *   and the bundle refuse is refused here by the generator's own checks instead: openapiTS()
 *   configures the lint with one rule, unique operationIds, and the bundle refuses a `$ref`
 *   that does not resolve (one that leaves the document is refused before either, by
 *   `assertSafeDocument`). Both walks resolve every reference of the document, which costs more
 *   than converting it; they find nothing to change in a document that passed these checks.
 */
export type SchemaConversion = 'openapiTS' | 'transform';

/** `transform` when the installed openapi-typescript is one it was verified against. */
export function schemaConversion(): SchemaConversion {
  return loadOpenapiTypescriptTransform() ? 'transform' : 'openapiTS';
}

export const OPENAPI_TS_OPTIONS = {
  // With the markers, read-only properties are typed `$Read<…>`, which openapi-fetch's
  // `Writable<>` removes from request bodies and `Readable<>` unwraps in responses.
  readWriteMarkers: true,
  // A `default` must not make a property required: a request may omit it (the server fills it).
  defaultNonNullable: false,
  silent: true,
} as const satisfies OpenAPITSOptions;

/** `generated/schema.ts`: openapi-typescript types for every path and component. */
export async function emitSchema(
  document: object,
  header: HeaderInput,
  conversion: SchemaConversion = 'openapiTS',
): Promise<string> {
  return convertSchema(schemaInput(document, header.specFile), header, conversion);
}

/** A document checked and copied as openapi-typescript may see it (`schemaInput`). */
export interface SchemaInput {
  readonly schema: OpenAPI3;
}

/**
 * The first half of `emitSchema`, which needs neither openapi-typescript nor TypeScript: the
 * checks, and a copy (openapi-typescript may annotate the object it is given) with comment-safe
 * texts. The pipeline runs it before it hands the input to the TypeScript worker.
 */
export function schemaInput(document: unknown, file: string): SchemaInput {
  assertDocumentShape(document, file);
  // openapi-typescript resolves `$ref`s against the working directory and the network: it must
  // only ever see a document that points inside itself, whoever calls this.
  assertSafeDocument(document, file);
  assertConvertible(document, file);
  return { schema: withCommentSafeText(document) as unknown as OpenAPI3 };
}

/**
 * The second half of `emitSchema`: the conversion (by default the one the installed
 * openapi-typescript allows), printed, under the file's header.
 */
export async function convertSchema(
  { schema }: SchemaInput,
  header: HeaderInput,
  conversion: SchemaConversion = schemaConversion(),
): Promise<string> {
  const transform = conversion === 'transform' ? loadOpenapiTypescriptTransform() : null;
  if (conversion === 'transform' && !transform) {
    throw new Error('emitSchema: the transform conversion needs a verified openapi-typescript');
  }
  try {
    if (transform) return `${tsHeader(header)}\n${converted(transform, schema)}`;
    const { default: openapiTS, astToString } = loadOpenapiTypescript();
    return `${tsHeader(header)}\n${astToString(await openapiTS(schema, OPENAPI_TS_OPTIONS))}`;
  } catch (error) {
    throw conversionFailed(error);
  }
}

/**
 * What openapiTS() itself refuses before it converts (and the `transform` conversion skips),
 * beyond a document that is not OpenAPI 3.x: a `$ref` that does not resolve (its bundle), a duplicate
 * operationId (the one rule it lints with), and an operation that is not an object (which its
 * lint trips on). Checked for either conversion, so both refuse the same documents first.
 */
function assertConvertible(document: OpenApiDocument, file: string): void {
  assertRefsResolve(document);
  locateOperations(document);
  assertOperationsAreObjects(document, file);
}

/** What `openapiTS(schema, OPENAPI_TS_OPTIONS)` converts after its lint and bundle, printed. */
function converted(transform: OpenapiTypescriptTransform, schema: OpenAPI3): string {
  const ctx: GlobalContext = {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: OPENAPI_TS_OPTIONS.defaultNonNullable,
    discriminators: transform.scanDiscriminators(schema, OPENAPI_TS_OPTIONS),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    // openapiTS passes its redocly config; no transform reads it.
    redoc: undefined as unknown as GlobalContext['redoc'],
    silent: OPENAPI_TS_OPTIONS.silent,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: OPENAPI_TS_OPTIONS.readWriteMarkers,
    resolve: ($ref) => transform.resolveRef(schema, $ref, { silent: OPENAPI_TS_OPTIONS.silent }),
  };
  return transform.astToString(transform.transformSchema(schema, ctx));
}

/** How a failure of openapi-typescript (its lint included) is reported. */
function conversionFailed(error: unknown): CodegenError {
  return new CodegenError(
    `openapi-typescript could not convert the spec: ${(error as Error).message}`,
    {
      cause: error,
      hint: 'Fix the spec at the place named above (rerun with --debug for details).',
    },
  );
}
