/**
 * `createEmailSecurityClient`: resolves the options once (src/options.ts) and gives every
 * generated operation (from `operationRegistry`) the one request pipeline (src/pipeline.ts).
 * No global state: credentials, logger, deprecation handler and middleware are per client.
 */
import { type OperationTypes, operationRegistry } from '../generated/operations.js';
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

export type { ApiResponse } from './pipeline.js';

export type OperationName = keyof OperationTypes & keyof typeof operationRegistry;

type Types<K extends OperationName> = OperationTypes[K];
type WithoutAccount<P> = Omit<P, 'account_id'>;
type PathInput<P> = keyof WithoutAccount<P> extends never
  ? { path?: WithoutAccount<P> }
  : { path: WithoutAccount<P> };
type QueryInput<Q> = [Q] extends [never]
  ? { query?: never }
  : object extends Q
    ? { query?: Q }
    : { query: Q };
type BodyInput<B> = [B] extends [never] ? { body?: never } : { body: B };

/** Input of a generic operation call; `account_id` comes from the client (or per-call) options. */
export type OperationInput<K extends OperationName> = PathInput<Types<K>['path']> &
  QueryInput<Types<K>['query']> &
  BodyInput<Types<K>['body']>;

export interface OperationCall<K extends OperationName> {
  (input: OperationInput<K>, options?: RequestOptions): Promise<Types<K>['result']>;
  withResponse(
    input: OperationInput<K>,
    options?: RequestOptions,
  ): Promise<ApiResponse<Types<K>['result']>>;
}

export type Operations = { readonly [K in OperationName]: OperationCall<K> };

export interface AllowPolicyUpdate {
  /** PATCH one allow policy: only the given fields change. Resolves to the updated policy. */
  (
    policyId: string,
    patch: Types<'updateAllowPolicy'>['body'],
    options?: RequestOptions,
  ): Promise<Types<'updateAllowPolicy'>['result']>;
  /** Same call; also gives the raw `Response`, `messages` and `cfRay`. */
  withResponse(
    policyId: string,
    patch: Types<'updateAllowPolicy'>['body'],
    options?: RequestOptions,
  ): Promise<ApiResponse<Types<'updateAllowPolicy'>['result']>>;
}

export interface EmailSecurityClient {
  readonly accountId: string | undefined;
  readonly baseUrl: string;
  readonly allowPolicies: { readonly update: AllowPolicyUpdate };
  /** Every generated operation, by function name, with the same auth/validation/retries. */
  readonly operations: Operations;
}

export function createEmailSecurityClient(
  options: EmailSecurityClientOptions = {},
): EmailSecurityClient {
  const registry = operationRegistry as Record<OperationName, { metadata: unknown }>;
  const names = Object.keys(registry) as OperationName[];
  const settings = resolveClientOptions(
    options,
    readEnv(),
    names.map((name) => registry[name].metadata as OperationMetadata),
  );
  /** The pipeline's entry, per client: one operation by name. */
  const invoke = (
    name: OperationName,
    input: CallInput,
    callOptions?: RequestOptions,
  ): Promise<ApiResponse<unknown>> =>
    runPipeline(
      settings,
      compileOperation(registry[name].metadata as OperationMetadata),
      input,
      callOptions,
    );

  const operations = {} as Record<string, OperationCall<OperationName>>;
  for (const name of names) {
    const call = ((input: CallInput, o?: RequestOptions) =>
      invoke(name, input, o).then(resultOf)) as unknown as OperationCall<OperationName>;
    call.withResponse = ((input: CallInput, o?: RequestOptions) =>
      invoke(name, input, o)) as OperationCall<OperationName>['withResponse'];
    operations[name] = call;
  }

  const updateInput = (policyId: string, patch: unknown): CallInput => ({
    path: { policy_id: policyId },
    body: patch,
  });
  const update = ((policyId: string, patch: unknown, o?: RequestOptions) =>
    invoke('updateAllowPolicy', updateInput(policyId, patch), o).then(
      resultOf,
    )) as AllowPolicyUpdate;
  update.withResponse = ((policyId: string, patch: unknown, o?: RequestOptions) =>
    invoke(
      'updateAllowPolicy',
      updateInput(policyId, patch),
      o,
    )) as AllowPolicyUpdate['withResponse'];

  const accountId = settings.callDefaults.accountId;
  const summary = () => ({
    accountId,
    baseUrl: settings.baseUrl,
    auth: describeAuth(settings.auth),
    operations: names,
  });
  return {
    accountId,
    baseUrl: settings.baseUrl,
    allowPolicies: { update },
    operations: operations as unknown as Operations,
    toJSON: summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => ({ EmailSecurityClient: summary() }),
  } as EmailSecurityClient;
}

const resultOf = <T>(response: ApiResponse<T>) => response.result;
