/**
 * `createClient({ operations })`: a client of exactly the operations it is given, for bundles that
 * must carry only those (`import { createClient, updateAllowPolicyOperation } from '…/core'`).
 * Each generated operation is exported alone as `<functionName>Operation`; nothing here imports
 * the package's whole registry, so a bundler keeps only the entries the application names.
 * `createEmailSecurityClient()` (src/client.ts) is this factory over every generated operation.
 *
 * The wiring (options resolved once, one pipeline for every operation) is src/client-factory.ts.
 */
import { clientOfRegistry } from './client-factory.js';
import { CORE_CLIENT_CREATION } from './errors.js';
import type { CoreClientOptions, RequestOptions } from './options.js';
import type { ApiResponse } from './pipeline.js';
import { givenEntries, type RegistryOperationTypes, type RegistryResources } from './registry.js';
import type { CallByOperationId, InputOf, OperationTypesEntry } from './resources.js';

export * from '../generated/operations.js';
export { type Logging, withLogger } from './logger.js';
export { type Middlewares, withMiddleware } from './middleware.js';
export { checkedRegistry, type OperationEntry } from './registry.js';

/** One operation by function name: `(input, options?)` and its `withResponse` twin. */
export interface OperationCallOf<E extends OperationTypesEntry> {
  (input: InputOf<E>, options?: RequestOptions): Promise<E['result']>;
  withResponse(input: InputOf<E>, options?: RequestOptions): Promise<ApiResponse<E['result']>>;
}

/** The client's members besides the resource methods, typed from operation types `T`. */
export interface ClientCore<T> {
  readonly accountId: string | undefined;
  readonly baseUrl: string;
  /** Every registered operation, by function name, with the same auth/validation/retries. */
  readonly operations: {
    readonly [K in keyof T]: T[K] extends OperationTypesEntry ? OperationCallOf<T[K]> : never;
  };
  /** Every registered operation by its operationId: `call('email_security_update_allow_policy', { path, body })`. */
  readonly call: CallByOperationId<T>;
}

/** The client of `createClient({ operations: R })`: resource methods and members of R's entries only. */
export type ClientOf<R> = RegistryResources<R> & ClientCore<RegistryOperationTypes<R>>;

/**
 * A client of the given operations only (`{ updateAllowPolicyOperation, … }`, or a registry
 * `cfes generate` wrote), typed from them, with the same pipeline, resource methods, pagination
 * and `client.call` as `createEmailSecurityClient`.
 */
export function createClient<R extends object>(
  options: CoreClientOptions & { readonly operations: R },
): ClientOf<R> {
  return clientOfRegistry(
    options,
    givenEntries(options.operations),
    CORE_CLIENT_CREATION,
  ) as ClientOf<R>;
}
