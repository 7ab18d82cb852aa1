import { CodegenError } from './errors.js';
import { type HeaderInput, tsHeader } from './header.js';

/**
 * `generated/schema.ts`: openapi-typescript types for every path and component. With
 * `readWriteMarkers`, read-only properties are typed `$Read<…>`, which openapi-fetch's
 * `Writable<>` removes from request bodies and `Readable<>` unwraps in responses.
 */
export async function emitSchema(document: object, header: HeaderInput): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  try {
    // openapi-typescript may annotate the object it is given; keep the caller's document intact.
    const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], {
      readWriteMarkers: true,
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
