/**
 * The metadata as it is emitted into generated/operations.ts: what src/ reads. The plan's
 * documentation-only facts (the operation's summary, description and tags; each deprecation's
 * raw text and schema; the body's schema name and media type; parameters' deprecated flags) go
 * into the emitted JSDoc and generated/deprecations.md instead, and the replacements'
 * descriptions into `replacementDescriptions`, so an application's bundle carries no prose that
 * no request reads.
 */
import type { OperationMetadata } from '../../src/metadata.js';

export function runtimeMetadata(metadata: OperationMetadata): OperationMetadata {
  return {
    ...metadata,
    summary: undefined,
    description: undefined,
    tags: undefined,
    parameters: metadata.parameters.map((parameter) => ({ ...parameter, deprecated: undefined })),
    requestBody: metadata.requestBody && {
      ...metadata.requestBody,
      schema: undefined,
      contentType: undefined,
    },
    // The replacement's description goes into `replacementDescriptions` (emit-operations.ts).
    deprecations: metadata.deprecations.map((deprecation) => ({
      ...deprecation,
      text: undefined,
      schema: undefined,
      replacementDescription: undefined,
    })),
  };
}
