/**
 * Operation registries: the package's own (generated/operations.ts) and the ones consumers
 * generate with `cfes generate` and pass as `createEmailSecurityClient({ operations })` or, checked,
 * as `createClient({ operations: checkedRegistry(operations) })`. A registry is data (per
 * operation, its metadata) plus, for the compiler only, the types of its operations and resource
 * methods; the package's own entries also carry the runtime of their kind (`OperationKinds`).
 */
import { batchItems, type ItemArrays } from './batch.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import type { OperationMetadata } from './metadata.js';
import { pagedMethod } from './pagination.js';
import { querySerializer } from './request.js';
import type { ResourceMethodBuilder } from './resources.js';

/** One operation of a registry, by its function name. */
export interface RegistryEntry extends OperationKinds {
  readonly metadata: OperationMetadata;
  /**
   * Set on the entries the package generated (from a validated spec) and on those
   * `checkedRegistry` checked: `createClient` takes only such entries, so that the checker of
   * untrusted registries is not in every bundle.
   */
  readonly checked?: true;
}

/**
 * The runtime of an operation's kind, carried by its entry so that a bundle holds only the kinds
 * of its entries: the package's generated entries have it, a registry `cfes generate` wrote is
 * data only (`checkedRegistry` adds it; `createEmailSecurityClient` does so itself).
 */
export interface OperationKinds {
  /** A paged list's resource method: `pagedMethod` (src/pagination.ts). */
  readonly resourceMethod?: ResourceMethodBuilder;
  /** A batch's item handling: `batchItems` (src/batch.ts). */
  readonly itemArrays?: ItemArrays;
  /** An operation with query parameters: openapi-fetch's serializer (`querySerializer`, src/request.ts). */
  readonly querySerializer?: (query: Record<string, unknown>) => string;
}

/** Which kinds' runtime an operation needs, from its metadata (what the generator gives its entry). */
export function neededKinds(metadata: OperationMetadata): Record<keyof OperationKinds, boolean> {
  const body = metadata.requestBody;
  return {
    resourceMethod: metadata.pagination !== undefined && metadata.resource !== undefined,
    itemArrays:
      !!body?.omittedAsEmpty?.length ||
      Object.values(body?.properties ?? {}).some((rule) => rule.items?.object !== undefined),
    querySerializer: metadata.parameters.some((parameter) => parameter.in === 'query'),
  };
}

const KIND_RUNTIME: Required<OperationKinds> = {
  resourceMethod: pagedMethod,
  itemArrays: batchItems,
  querySerializer,
};

/**
 * The entry with exactly the runtime its metadata calls for: what an untrusted entry carries
 * itself is not kept (a registry `cfes generate` wrote has none; the package's own are the same).
 */
function withKindsOf(entry: RegistryEntry): RegistryEntry {
  const completed: Record<string, unknown> = { ...entry };
  for (const [kind, needed] of Object.entries(neededKinds(entry.metadata))) {
    completed[kind] = needed ? KIND_RUNTIME[kind as keyof OperationKinds] : undefined;
  }
  return completed as unknown as RegistryEntry;
}

/** Every entry of a checked registry with the runtime of its kinds (`createEmailSecurityClient`). */
export function withKinds(
  registry: Readonly<Record<string, RegistryEntry>>,
): Record<string, RegistryEntry> {
  return Object.fromEntries(
    Object.entries(registry).map(([name, entry]) => [name, withKindsOf(entry)]),
  );
}

/**
 * A registry `cfes generate` wrote, checked (a registry is untrusted input: every entry must be
 * generated metadata, or a `ValidationError` names it) and given the runtime of its kinds (paged
 * lists, batches, query strings): what `createClient` from the `/core` entry takes
 * (`createClient({ operations: checkedRegistry(operations) })`).
 */
export function checkedRegistry<R>(registry: R): R {
  return Object.fromEntries(
    checkedEntries(registry).map(([key, entry]) => [key, { ...withKindsOf(entry), checked: true }]),
  ) as R;
}

/**
 * `createClient`'s registry: the given entries by function name (so the record's keys do not
 * matter). Each must be the package's own or one `checkedRegistry` checked; two operations under
 * one function name are refused (nothing is replaced silently).
 */
export function givenEntries(operations: unknown): Record<string, RegistryEntry> {
  const issues: ValidationIssue[] = [];
  const byName: Record<string, RegistryEntry> = {};
  for (const [key, value] of Object.entries(operations ?? {})) {
    const entry = value as RegistryEntry | null;
    const at = `options.operations.${key.slice(0, 64)}`;
    if (entry?.checked !== true) {
      issues.push({
        at,
        message:
          'is not an entry of this package: pass a `cfes generate` registry as checkedRegistry(operations) (from /core)',
      });
      continue;
    }
    const { operationId, functionName } = entry.metadata;
    const taken = byName[functionName];
    if (taken && taken.metadata.operationId !== operationId) {
      issues.push({
        at,
        message: `is ${operationId}, but ${taken.metadata.operationId} is given under the same name (${functionName}); regenerate one with another --prefix`,
      });
    } else {
      byName[functionName] = entry;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return byName;
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
  readonly checked?: true;
} & OperationKinds &
  RegistryTypes<Types, Resources>;

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
