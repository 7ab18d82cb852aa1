/**
 * Bodies with arrays of described objects: a batch's `patches`, `posts`… (`ValueRule.items.object`
 * in src/metadata.ts). Arrays the caller left out that the endpoint requires are sent as `[]`, and
 * deprecation migration runs inside every item, naming it (`body.patches[3]`). Validation inside
 * items is the value rules' own (src/validate.ts).
 *
 * This reaches a client only through the registry entries of such operations (`itemArrays` in
 * generated/operations.ts, or `checkedRegistry` for a data-only registry), so a bundle without a batch
 * holds none of it.
 */
import { compileOperation } from './compiled-operation.js';
import {
  checkNow,
  type DeprecationEvent,
  migrateObject,
  type RequestDeprecationOptions,
} from './deprecations.js';
import { isPlainObject } from './guards.js';
import type { ObjectRule, OperationMetadata } from './metadata.js';

/** What an operation whose body has arrays of described objects needs on the request path. */
export interface ItemArrays {
  /** The body as sent, before validation: the required arrays the caller left out are `[]`. */
  fill(metadata: OperationMetadata, body: unknown): unknown;
  /** Deprecation migration inside every item (after the body's own; never mutating it). */
  migrate(
    metadata: OperationMetadata,
    body: Record<string, unknown>,
    options: RequestDeprecationOptions,
  ): { body: Record<string, unknown>; events: DeprecationEvent[] };
}

export const batchItems: ItemArrays = {
  fill: withOmittedArrays,
  migrate: applyItemDeprecations,
};

/**
 * The body as sent: a batch's arrays the caller left out (`omittedAsEmpty`) are `[]`, as the
 * endpoint requires. Anything but a plain object is returned as given (validation reports it).
 */
export function withOmittedArrays(metadata: OperationMetadata, body: unknown): unknown {
  const names = metadata.requestBody?.omittedAsEmpty;
  if (!names?.length || !isPlainObject(body) || names.every((name) => body[name] !== undefined)) {
    return body;
  }
  const filled: Record<string, unknown> = { ...body };
  for (const name of names) filled[name] ??= [];
  return filled;
}

/** The body's arrays of described objects: property name and the items' rule. */
export function itemObjectsOf(metadata: OperationMetadata): [string, ObjectRule][] {
  return Object.entries(metadata.requestBody?.properties ?? {}).flatMap(([name, rule]) =>
    rule.items?.object ? [[name, rule.items.object] as [string, ObjectRule]] : [],
  );
}

/**
 * Deprecations applied inside every item of the body's arrays of objects, with the item's own
 * properties: `body.patches[3]` in errors and events. A conflicting item refuses the whole body.
 */
export function applyItemDeprecations(
  metadata: OperationMetadata,
  body: Record<string, unknown>,
  options: RequestDeprecationOptions,
): { body: Record<string, unknown>; events: DeprecationEvent[] } {
  const time = checkNow(options.now);
  const { deprecations } = compileOperation(metadata);
  const events: DeprecationEvent[] = [];
  let out = body;
  for (const [name, item] of itemObjectsOf(metadata)) {
    const list = out[name];
    if (!Array.isArray(list) || list.length === 0) continue;
    const applicable = deprecations.filter(
      ({ deprecation: d }) =>
        (d.kind === 'property' || d.kind === 'enum-value') &&
        d.field !== null &&
        Object.hasOwn(item.properties, d.field),
    );
    if (applicable.length === 0) continue;
    const scope = { metadata, time, options, events, properties: item.properties };
    const migrated = list.map((entry: unknown, index) =>
      isPlainObject(entry)
        ? migrateObject({ ...scope, at: `body.${name}[${index}]` }, applicable, entry)
        : entry,
    );
    out = { ...out, [name]: migrated };
  }
  return { body: out, events };
}
