import { CodegenError } from './errors.js';
import { type HeaderInput, tsHeader } from './header.js';
import { loadOpenapiTypescript } from './peer-modules.js';
import { withCommentSafeText } from './text-safety.js';
import { assertSafeDocument } from './untrusted-document.js';

/**
 * `generated/schema.ts`: openapi-typescript types for every path and component. With
 * `readWriteMarkers`, read-only properties are typed `$Read<…>`, which openapi-fetch's
 * `Writable<>` removes from request bodies and `Readable<>` unwraps in responses.
 */
export async function emitSchema(document: object, header: HeaderInput): Promise<string> {
  // openapi-typescript resolves `$ref`s against the working directory and the network: it must
  // only ever see a document that points inside itself, whoever calls this.
  assertSafeDocument(document, header.specFile);
  const { default: openapiTS, astToString } = loadOpenapiTypescript();
  try {
    // A copy (openapi-typescript may annotate the object it is given) with comment-safe texts.
    const ast = await openapiTS(withCommentSafeText(document) as Parameters<typeof openapiTS>[0], {
      readWriteMarkers: true,
      // A `default` must not make a property required: a request may omit it (the server fills it).
      defaultNonNullable: false,
      silent: true,
    });
    return `${tsHeader(header)}\n${astToString(ast)}`;
  } catch (error) {
    throw new CodegenError(
      `openapi-typescript could not convert the spec: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Fix the spec at the place named above (rerun with --debug for details).',
      },
    );
  }
}
