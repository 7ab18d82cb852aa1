/**
 * The metadata as it is emitted into generated/operations.ts: what src/ reads. The plan's
 * documentation-only text (the operation's summary, description and tags, each deprecation's
 * raw text) goes into the emitted JSDoc and generated/deprecations.md instead, and the
 * replacements' descriptions into `replacementDescriptions`, so an application's bundle carries
 * no prose that no request reads.
 */
import type { OperationMetadata } from '../../src/metadata.js';

export function runtimeMetadata(metadata: OperationMetadata): OperationMetadata {
  return {
    ...metadata,
    summary: undefined,
    description: undefined,
    tags: undefined,
    // The replacement's description goes into `replacementDescriptions` (emit-operations.ts).
    deprecations: metadata.deprecations.map((deprecation) => ({
      ...deprecation,
      text: undefined,
      replacementDescription: undefined,
    })),
  };
}
