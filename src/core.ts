/**
 * `createClient({ operations })`: a client of exactly the operations it is given, for bundles that
 * must carry only those (`import { createClient, updateAllowPolicyOperation } from '…/core'`).
 * Each generated operation is exported alone as `<functionName>Operation`; nothing here imports
 * the package's whole registry, so a bundler keeps only the entries the application names.
 * `createEmailSecurityClient()` (src/client.ts) is this factory over every generated operation.
 *
 * It resolves the options once (src/options.ts) and gives every registered operation the one
 * request pipeline (src/pipeline.ts). No global state: credentials, logger, deprecation handler
 * and middleware are per client.
 */
import { describeAuth } from './auth.js';
import { compileOperation } from './compiled-operation.js';
import type { OperationMetadata } from './metadata.js';
import {
  type EmailSecurityClientOptions,
  type RequestOptions,
  readEnv,
  resolveClientOptions,
} from './options.js';
import { type ApiResponse, type CallInput, invoke as runPipeline } from './pipeline.js';
import {
  mergeRegistries,
  type RegistryEntry,
  type RegistryOperationTypes,
  type RegistryResources,
} from './registry.js';
import {
  type CallByOperationId,
  createCall,
  createOperations,
  createResources,
  type InputOf,
  type OperationTypesEntry,
  type RegisteredOperation,
} from './resources.js';

export * from '../generated/operations.js';
export type { OperationEntry } from './registry.js';

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
  options: EmailSecurityClientOptions & { readonly operations: R },
): ClientOf<R> {
  const registry: Record<string, RegistryEntry> = mergeRegistries({}, options.operations);
  const registered: RegisteredOperation[] = Object.entries(registry).map(([name, entry]) => [
    name,
    entry.metadata as OperationMetadata,
  ]);
  const names = registered.map(([name]) => name);
  const settings = resolveClientOptions(
    options,
    readEnv(),
    registered.map(([, metadata]) => metadata),
  );
  /** The pipeline's entry, per client: one operation by name. */
  const invoke = (
    name: string,
    input: CallInput,
    callOptions?: RequestOptions,
  ): Promise<ApiResponse<unknown>> =>
    runPipeline(
      settings,
      compileOperation(registry[name]?.metadata as OperationMetadata),
      input,
      callOptions,
    );
  const operations = createOperations(registered, invoke);

  const accountId = settings.callDefaults.accountId;
  const summary = () => ({
    accountId,
    baseUrl: settings.baseUrl,
    auth: describeAuth(settings.auth),
    operations: names,
  });
  const base = { accountId, baseUrl: settings.baseUrl, operations };
  const resources = createResources(registered, invoke, [
    ...Object.keys(base),
    'call',
    'then',
    'toJSON',
  ]);
  return {
    ...resources,
    ...base,
    call: createCall(registered, invoke),
    toJSON: summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => ({ EmailSecurityClient: summary() }),
  } as unknown as ClientOf<R>;
}
