import type { LocatedOperation } from './operations.js';
import type { Location } from './refs.js';
import type { OpenApiDocument } from './validate.js';

/**
 * What every plan step of one operation reads: the validated document and the operation, found
 * once. Steps take this one object (plus the node they work on), never the pieces positionally.
 */
export interface OperationContext extends LocatedOperation {
  readonly doc: OpenApiDocument;
  /** `['paths', path, method]`, the base of every location an error names. */
  readonly location: Location;
}

export function operationContext(
  doc: OpenApiDocument,
  located: LocatedOperation,
): OperationContext {
  return { ...located, doc, location: ['paths', located.path, located.method] };
}
