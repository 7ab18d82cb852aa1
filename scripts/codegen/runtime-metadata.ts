/**
 * The metadata as it is emitted into generated/operations.ts: what src/ reads. The plan's
 * documentation-only text (the operation's summary, description and tags, each deprecation's
 * raw text) goes into the emitted JSDoc and generated/deprecations.md instead, so an
 * application's bundle carries no prose that no code reads.
 */
import type { OperationMetadata } from '../../src/metadata.js';

export function runtimeMetadata(metadata: OperationMetadata): OperationMetadata {
  return {
    ...metadata,
    summary: undefined,
    description: undefined,
    tags: undefined,
    deprecations: metadata.deprecations.map((deprecation) => ({ ...deprecation, text: undefined })),
  };
}
