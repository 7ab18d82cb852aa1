/**
 * Resource methods (`client.allowPolicies.update(policyId, patch, options?)`) and
 * `client.call(operationId, input, options?)`, built generically from each registered
 * operation's `resource` metadata (src/metadata.ts): src/ names no resource, method or
 * parameter. The generator emits only the data and the method types (generated/operations.ts).
 */
import type { OperationTypes } from '../generated/operations.js';
import { ValidationError } from './errors.js';
import type { OperationMetadata, ResourceMethodMetadata } from './metadata.js';
import type { RequestOptions } from './options.js';
import type { ApiResponse, CallInput } from './pipeline.js';
import { suggest } from './suggest.js';

export type { RequestOptions } from './options.js';
export type { PagedList, PageResponse, PagingOptions } from './pagination.js';
// What generated/operations.ts imports to type the methods it declares.
export type { ApiResponse } from './pipeline.js';
export type { OperationEntry, RegistryTypes } from './registry.js';
export type { Uuid, UuidArg } from './uuid.js';

/**
 * A request item type with properties put back that a shared schema marks read-only but the item
 * makes writable (a batch patch's `id`, read-only in the policy schema): openapi-typescript's
 * `Writable<>` removes them, the generator restores them from the item's rule.
 */
export type WithWritable<Item, Restored> = Omit<Item, keyof Restored> & Restored;

/** The client's one entry into the request path. */
export type Invoke = (
  name: string,
  input: CallInput,
  options?: RequestOptions,
) => Promise<ApiResponse<unknown>>;

/** A method and its `withResponse` twin, taking the same arguments. */
export interface Callable {
  (...args: unknown[]): Promise<unknown>;
  withResponse(...args: unknown[]): Promise<ApiResponse<unknown>>;
}

function callable(run: (args: unknown[]) => Promise<ApiResponse<unknown>>): Callable {
  const method = ((...args: unknown[]) => run(args).then(resultOf)) as Callable;
  method.withResponse = (...args: unknown[]) => run(args);
  return method;
}

const resultOf = <T>(response: ApiResponse<T>) => response.result;

/** `client.operations`: every registered operation by function name, `(input, options?)`. */
export function createOperations(
  operations: readonly RegisteredOperation[],
  invoke: Invoke,
): Record<string, Callable> {
  return Object.fromEntries(
    operations.map(([name]) => [
      name,
      callable(([input, options]) =>
        invoke(name, input as CallInput, options as RequestOptions | undefined),
      ),
    ]),
  );
}

/** `(...positional, input?, options?)` → the request path's input and options. */
export function resourceArguments(
  resource: ResourceMethodMetadata,
  args: readonly unknown[],
): [CallInput, RequestOptions | undefined] {
  const path = Object.fromEntries(resource.positional.map((name, index) => [name, args[index]]));
  const next = resource.positional.length;
  if (resource.input === null) return [{ path }, args[next] as RequestOptions | undefined];
  return [{ path, [resource.input]: args[next] }, args[next + 1] as RequestOptions | undefined];
}

/**
 * Builds an operation's resource method when it is not a plain call: `pagedMethod`
 * (src/pagination.ts) for a paged list. It comes with the registry entry (`resourceMethod`), so a
 * client bundles only the kinds of method its entries need.
 */
export type ResourceMethodBuilder = (
  name: string,
  metadata: OperationMetadata,
  resource: ResourceMethodMetadata,
  invoke: Invoke,
) => Callable;

export type RegisteredOperation = readonly [
  name: string,
  metadata: OperationMetadata,
  resourceMethod?: ResourceMethodBuilder,
];

/**
 * One object per resource, one method per operation with `resource` metadata. Two operations on
 * the same method, or a resource named like a client member (`taken`), are refused: a registry
 * must never replace a method silently.
 */
export function createResources(
  operations: readonly RegisteredOperation[],
  invoke: Invoke,
  taken: readonly string[],
): Record<string, Record<string, Callable>> {
  const resources: Record<string, Record<string, Callable>> = Object.create(null);
  const owners = new Map<string, string>();
  for (const [name, metadata, resourceMethod] of operations) {
    const { resource } = metadata;
    if (!resource) continue;
    const key = `${resource.name}.${resource.method}`;
    const owner = owners.get(key);
    if (owner !== undefined || taken.includes(resource.name)) {
      throw new TypeError(
        owner !== undefined
          ? `Operations "${owner}" and "${metadata.operationId}" both map to client.${key}; register only one of them.`
          : `Operation "${metadata.operationId}" maps to client.${resource.name}, which is a member of the client itself; regenerate its registry.`,
      );
    }
    owners.set(key, metadata.operationId);
    resources[resource.name] ??= Object.create(null) as Record<string, Callable>;
    Object.defineProperty(resources[resource.name], resource.method, {
      value: (resourceMethod ?? plainMethod)(name, metadata, resource, invoke),
      enumerable: true,
    });
  }
  return resources;
}

/** One request per call: `(...positional, input?, options?)`. */
const plainMethod: ResourceMethodBuilder = (name, _metadata, resource, invoke) =>
  callable((args) => invoke(name, ...resourceArguments(resource, args)));

/** Every registered operation by its operationId. */
export function createCall(operations: readonly RegisteredOperation[], invoke: Invoke): Callable {
  const byOperationId = new Map(
    operations.map(([name, metadata]) => [metadata.operationId, name] as const),
  );
  return callable(async ([operationId, input, options]) => {
    const name = typeof operationId === 'string' ? byOperationId.get(operationId) : undefined;
    if (name === undefined) throw unknownOperation(operationId, [...byOperationId.keys()]);
    return invoke(name, (input ?? {}) as CallInput, options as RequestOptions | undefined);
  });
}

function unknownOperation(operationId: unknown, known: readonly string[]): ValidationError {
  const given = typeof operationId === 'string' ? operationId : String(typeof operationId);
  const near = typeof operationId === 'string' ? suggest(operationId, known) : undefined;
  const hint = near ? `did you mean "${near}"?` : `registered: ${known.join(', ') || 'none'}`;
  return new ValidationError([
    {
      at: 'operationId',
      message: `"${given.slice(0, 200)}" is not a registered operation (${hint})`,
    },
  ]);
}

// ---------------------------------------------------------------- types

/** One row of a registry's `OperationTypes`: what a call of that operation takes and gives. */
export interface OperationTypesEntry {
  readonly operationId: string;
  readonly path: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly result: unknown;
}

type WithoutAccount<P> = Omit<P, 'account_id'>;
type PathInput<P> = [P] extends [never]
  ? { path?: never }
  : keyof WithoutAccount<P> extends never
    ? { path?: WithoutAccount<P> }
    : { path: WithoutAccount<P> };
type QueryInput<Q> = [Q] extends [never]
  ? { query?: never }
  : object extends Q
    ? { query?: Q }
    : { query: Q };
type BodyInput<B> = [B] extends [never] ? { body?: never } : { body: B };

/** `{ path?, query?, body? }` of one operation; `account_id` comes from the client (or per-call) options. */
export type InputOf<E extends OperationTypesEntry> = PathInput<E['path']> &
  QueryInput<E['query']> &
  BodyInput<E['body']>;

/** A registered operationId, e.g. `'email_security_update_allow_policy'`. */
export type OperationId<T = OperationTypes> = {
  [K in keyof T]: T[K] extends OperationTypesEntry ? T[K]['operationId'] : never;
}[keyof T];

/** The types row registered for an operationId. */
type EntryOf<T, Id> = {
  [K in keyof T]: T[K] extends OperationTypesEntry
    ? Id extends T[K]['operationId']
      ? T[K]
      : never
    : never;
}[keyof T];

type CallArguments<E extends OperationTypesEntry> =
  object extends InputOf<E>
    ? [input?: InputOf<E>, options?: RequestOptions]
    : [input: InputOf<E>, options?: RequestOptions];

/**
 * `client.call(operationId, { path?, query?, body? }, options?)`, typed per operationId from the
 * registry's types `T` (the package's, plus a consumer registry's when one is given).
 */
export interface CallByOperationId<T = OperationTypes> {
  <Id extends OperationId<T>>(
    operationId: Id,
    ...args: CallArguments<EntryOf<T, Id>>
  ): Promise<EntryOf<T, Id>['result']>;
  /** The same call; resolves to the result with the raw `Response`, `messages`, `cfRay` and deprecation events. */
  withResponse<Id extends OperationId<T>>(
    operationId: Id,
    ...args: CallArguments<EntryOf<T, Id>>
  ): Promise<ApiResponse<EntryOf<T, Id>['result']>>;
}
