/**
 * `createEmailSecurityClient`: resolves the options once (src/options.ts) and gives every
 * generated operation (from `operationRegistry`) the one request pipeline (src/pipeline.ts).
 * No global state: credentials, logger, deprecation handler and middleware are per client.
 */
import { type OperationTypes, operationRegistry, type Resources } from '../generated/operations.js';
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
  type RegisteredOperation,
} from './resources.js';

export type { ApiResponse } from './pipeline.js';

export type OperationName = keyof OperationTypes & keyof typeof operationRegistry;

type Types<K extends OperationName> = OperationTypes[K];
/** Input of a generic operation call; `account_id` comes from the client (or per-call) options. */
export type OperationInput<K extends OperationName> = InputOf<Types<K>>;

export interface OperationCall<K extends OperationName> {
  (input: OperationInput<K>, options?: RequestOptions): Promise<Types<K>['result']>;
  withResponse(
    input: OperationInput<K>,
    options?: RequestOptions,
  ): Promise<ApiResponse<Types<K>['result']>>;
}

export type Operations = { readonly [K in OperationName]: OperationCall<K> };

/** Resource methods (`client.allowPolicies.update(…)`, from generated/) plus the generic entries. */
export interface EmailSecurityClient extends Resources {
  readonly accountId: string | undefined;
  readonly baseUrl: string;
  /** Every generated operation, by function name, with the same auth/validation/retries. */
  readonly operations: Operations;
  /** Every generated operation by its operationId: `call('email_security_update_allow_policy', { path, body })`. */
  readonly call: CallByOperationId;
}

/**
 * The client with a consumer's registry (`cfes generate`): its resource methods and operationIds
 * besides the package's, typed from the registry.
 */
export type EmailSecurityClientWith<R> = Omit<EmailSecurityClient, 'call'> &
  RegistryResources<R> & {
    readonly call: CallByOperationId<OperationTypes & RegistryOperationTypes<R>>;
  };

export function createEmailSecurityClient(
  options?: EmailSecurityClientOptions,
): EmailSecurityClient;
/**
 * With `operations`, a registry written by `cfes generate`: its operations are added to the
 * package's (where an operationId is in both, the registry's wins) and get the same pipeline,
 * resource methods and `client.call`.
 */
export function createEmailSecurityClient<R extends object>(
  options: EmailSecurityClientOptions & { readonly operations: R },
): EmailSecurityClientWith<R>;
export function createEmailSecurityClient(
  options: EmailSecurityClientOptions & { readonly operations?: unknown } = {},
): EmailSecurityClient {
  const registry: Record<string, RegistryEntry> = mergeRegistries(
    operationRegistry as Record<string, RegistryEntry>,
    options.operations,
  );
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
  } as unknown as EmailSecurityClient;
}
