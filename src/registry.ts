/**
 * Operation registries: the package's own (generated/operations.ts) and the ones consumers
 * generate with `cfes generate` and pass as `createEmailSecurityClient({ operations })`. A
 * registry is data (per operation, its metadata) plus, for the compiler only, the types of its
 * operations and resource methods.
 */
import { batchItems, type ItemArrays } from './batch.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import type { OperationMetadata } from './metadata.js';
import { pagedMethod } from './pagination.js';
import type { ResourceMethodBuilder } from './resources.js';

/** One operation of a registry, by its function name. */
export interface RegistryEntry extends OperationKinds {
  readonly metadata: OperationMetadata;
}

/**
 * The runtime of an operation's kind, carried by its entry so that a bundle holds only the kinds
 * of its entries: the package's generated entries have it, a registry `cfes generate` wrote is
 * data only (`withKinds` adds it; `createEmailSecurityClient` does so itself).
 */
export interface OperationKinds {
  /** A paged list's resource method: `pagedMethod` (src/pagination.ts). */
  readonly resourceMethod?: ResourceMethodBuilder;
  /** A batch's item handling: `batchItems` (src/batch.ts). */
  readonly itemArrays?: ItemArrays;
}

/** Which kinds' runtime an operation needs, from its metadata (what the generator gives its entry). */
export function neededKinds(metadata: OperationMetadata): Record<keyof OperationKinds, boolean> {
  const body = metadata.requestBody;
  return {
    resourceMethod: metadata.pagination !== undefined && metadata.resource !== undefined,
    itemArrays:
      !!body?.omittedAsEmpty?.length ||
      Object.values(body?.properties ?? {}).some((rule) => rule.items?.object !== undefined),
  };
}

const KIND_RUNTIME: Required<OperationKinds> = {
  resourceMethod: pagedMethod,
  itemArrays: batchItems,
};

const KIND_NAMES: Record<keyof OperationKinds, string> = {
  resourceMethod: 'a paged list',
  itemArrays: 'a batch',
};

/**
 * The registry with its entries given the kinds' runtime they need and lack: what a registry
 * `cfes generate` wrote (data only) needs for `createClient` from the `/core` entry
 * (`createClient({ operations: withKinds(operations) })`). Anything that is not an entry is left
 * as it is, for the registry check to report.
 */
export function withKinds<R>(registry: R): R {
  if (typeof registry !== 'object' || registry === null) return registry;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(registry)) {
    const metadata = (entry as Partial<RegistryEntry> | null)?.metadata;
    let completed = entry;
    if (typeof metadata === 'object' && metadata !== null) {
      for (const [kind, needed] of Object.entries(neededKinds(metadata))) {
        const name = kind as keyof OperationKinds;
        if (needed && completed[name] === undefined) {
          completed = { ...completed, [name]: KIND_RUNTIME[name] };
        }
      }
    }
    out[key] = completed;
  }
  return out as R;
}

/** Entries that lack the runtime of their kind, each named with the fix. */
export function missingKinds(registry: Readonly<Record<string, RegistryEntry>>): ValidationIssue[] {
  return Object.entries(registry).flatMap(([name, entry]) =>
    Object.entries(neededKinds(entry.metadata))
      .filter(([kind, needed]) => needed && entry[kind as keyof OperationKinds] === undefined)
      .map(([kind]) => ({
        at: 'options.operations',
        message: `${name} (${entry.metadata.operationId}) is ${KIND_NAMES[kind as keyof OperationKinds]}, and its entry lacks that runtime (a \`cfes generate\` registry is data only): pass withKinds(operations) (from /core), or use createEmailSecurityClient`,
      })),
  );
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
> = { readonly metadata: Metadata } & OperationKinds & RegistryTypes<Types, Resources>;

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
  const metadata = (entry as { metadata?: unknown } | null)?.metadata as
    | Record<string, unknown>
    | undefined;
  if (typeof metadata !== 'object' || metadata === null) {
    return 'has no `metadata`: pass a registry generated by `cfes generate`';
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
