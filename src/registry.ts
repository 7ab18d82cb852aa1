/**
 * Operation registries: the package's own (generated/operations.ts) and the ones consumers
 * generate with `cfes generate` and pass as `createEmailSecurityClient({ operations })`. A
 * registry is data (per operation, its metadata) plus, for the compiler only, the types of its
 * operations and resource methods.
 */
import { ValidationError } from './errors.js';
import type { OperationMetadata } from './metadata.js';
import type { ResourceMethodBuilder } from './resources.js';

/** One operation of a registry, by its function name. */
export interface RegistryEntry {
  readonly metadata: OperationMetadata;
  /** How its resource method is built when it is not a plain call (a paged list: `pagedMethod`). */
  readonly resourceMethod?: ResourceMethodBuilder;
}

/**
 * What `cfes generate` declares on a registry for the compiler only (never present at run time):
 * the parameter, body and result types of its operations and its resource methods.
 */
export interface RegistryTypes<Types, Resources> {
  readonly '~types'?: { readonly operations: Types; readonly resources: Resources };
}

/**
 * One operation as a registry entry, with its own types: what generated/operations.ts exports per
 * operation (`updateAllowPolicyOperation`), so that `createClient({ operations: { … } })` is
 * typed from, and bundles, only the entries it is given.
 */
export type OperationEntry<
  Types,
  Resources,
  Metadata extends OperationMetadata = OperationMetadata,
> = {
  readonly metadata: Metadata;
  readonly resourceMethod?: ResourceMethodBuilder;
} & RegistryTypes<Types, Resources>;

/** No members: what a registry without `~types` adds to the client's type. */
type Nothing = Record<never, never>;

type Declared<T> = unknown extends T ? Nothing : T;

type UnionToIntersection<U> = (U extends unknown ? (from: U) => void : never) extends (
  from: infer I,
) => void
  ? I
  : never;

type Part = 'operations' | 'resources';

/** What the registry declares as a whole (a `cfes generate` registry). */
type WholeTypes<R, P extends Part> = R extends {
  readonly '~types'?: { readonly [Q in P]: infer T };
}
  ? Declared<T>
  : Nothing;

/** What its entries declare one by one (`OperationEntry`s), merged. */
type EntryTypes<R, P extends Part> = UnionToIntersection<
  {
    [K in Exclude<keyof R, '~types'>]: R[K] extends {
      readonly '~types'?: { readonly [Q in P]: infer T };
    }
      ? Declared<T>
      : Nothing;
  }[Exclude<keyof R, '~types'>]
>;

/** The operation types a registry declares, as a whole or per entry (none when it declares none). */
export type RegistryOperationTypes<R> = WholeTypes<R, 'operations'> & EntryTypes<R, 'operations'>;

/** The resource methods a registry declares, as a whole or per entry (none when it declares none). */
export type RegistryResources<R> = WholeTypes<R, 'resources'> & EntryTypes<R, 'resources'>;

/**
 * The package's operations (or none) plus a consumer's, by function name (the metadata's, so that
 * `{ updateAllowPolicyOperation }` registers `updateAllowPolicy`). Where an operationId is in
 * both, the consumer's entry wins (a newer spec slice overrides the shipped one). Two different
 * operations under one function name, or an entry that is not generated metadata, are refused:
 * nothing is replaced silently.
 */
export function mergeRegistries(
  own: Readonly<Record<string, RegistryEntry>>,
  extra: unknown,
): Record<string, RegistryEntry> {
  if (extra === undefined) return { ...own };
  const entries = checkedEntries(extra);
  const overridden = new Set(entries.map(([, entry]) => entry.metadata.operationId));
  const merged: Record<string, RegistryEntry> = {};
  for (const [name, entry] of Object.entries(own)) {
    if (!overridden.has(entry.metadata.operationId)) merged[name] = entry;
  }
  const issues: { at: string; message: string }[] = [];
  for (const [key, entry] of entries) {
    const name = entry.metadata.functionName;
    const taken = merged[name];
    if (taken && taken.metadata.operationId !== entry.metadata.operationId) {
      issues.push({
        at: `operations.${key}`,
        message: `is ${entry.metadata.operationId}, but the package already has ${taken.metadata.operationId} under that name; regenerate with another --prefix`,
      });
      continue;
    }
    merged[name] = entry;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return merged;
}

/** The registry's entries, each checked to be generated metadata (a registry is untrusted input). */
function checkedEntries(extra: unknown): [string, RegistryEntry][] {
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new ValidationError([
      {
        at: 'options.operations',
        message:
          'must be the `operations` registry that `cfes generate` wrote (import { operations } from "./<dir>/operations.js")',
      },
    ]);
  }
  const issues: { at: string; message: string }[] = [];
  const entries: [string, RegistryEntry][] = [];
  for (const [name, entry] of Object.entries(extra)) {
    const problem = entryProblem(entry);
    if (problem) issues.push({ at: `options.operations.${name.slice(0, 64)}`, message: problem });
    else entries.push([name, entry as RegistryEntry]);
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return entries;
}

function entryProblem(entry: unknown): string | null {
  const { metadata, resourceMethod } = (entry ?? {}) as {
    metadata?: Record<string, unknown> | null;
    resourceMethod?: unknown;
  };
  if (typeof metadata !== 'object' || metadata === null) {
    return 'has no `metadata`: pass a registry generated by `cfes generate`';
  }
  if (resourceMethod !== undefined && typeof resourceMethod !== 'function') {
    return 'has a `resourceMethod` that is not a function: pass the entry as generated';
  }
  const missing = ['operationId', 'functionName', 'method', 'path'].filter(
    (key) => typeof metadata[key] !== 'string' || metadata[key] === '',
  );
  const lists = ['security', 'parameters', 'deprecations', 'permissionGroups'].filter(
    (key) => !Array.isArray(metadata[key]),
  );
  if (missing.length + lists.length === 0) return null;
  return `is not generated operation metadata (missing or invalid: ${[...missing, ...lists].join(', ')}); regenerate it with \`cfes generate\``;
}
