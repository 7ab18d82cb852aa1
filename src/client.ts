/**
 * `createEmailSecurityClient`: the client of every generated operation (`operationRegistry`),
 * plus a consumer's registry, merged and checked once, then wired by src/client-factory.ts (the
 * factory behind `createClient` too). For a bundle of a few operations only, use `createClient`
 * from src/core.ts.
 */
import { type OperationTypes, operationRegistry, type Resources } from '../generated/operations.js';
import { clientOfRegistry } from './client-factory.js';
import type { OperationCallOf } from './core.js';
import { CLIENT_CREATION } from './errors.js';
import { asLogging } from './logger.js';
import { asMiddlewares } from './middleware.js';
import type { EmailSecurityClientOptions } from './options.js';
import {
  mergeRegistries,
  type RegistryEntry,
  type RegistryOperationTypes,
  type RegistryResources,
  withKinds,
} from './registry.js';
import type { CallByOperationId, InputOf } from './resources.js';

export type { ApiResponse } from './pipeline.js';

export type OperationName = keyof OperationTypes & keyof typeof operationRegistry;

type Types<K extends OperationName> = OperationTypes[K];
/** Input of a generic operation call; `account_id` comes from the client (or per-call) options. */
export type OperationInput<K extends OperationName> = InputOf<Types<K>>;

export type OperationCall<K extends OperationName> = OperationCallOf<Types<K>>;

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
  const registry = mergeRegistries(
    operationRegistry as Record<string, RegistryEntry>,
    options.operations,
  );
  const { middleware, logger } = options;
  return clientOfRegistry(
    {
      ...options,
      middleware: middleware === undefined ? undefined : asMiddlewares(middleware),
      logger: logger ? asLogging(logger) : undefined,
    },
    withKinds(registry),
    CLIENT_CREATION,
  ) as EmailSecurityClient;
}
