/**
 * The one client factory behind `createClient` (src/core.ts) and `createEmailSecurityClient`
 * (src/client.ts): it resolves the options once (src/options.ts) and gives every registered
 * operation the one request pipeline (src/pipeline.ts), as resource methods, `operations` and
 * `call`. No global state: credentials, logger, deprecation handler and middleware are per
 * client. Internal: the registry it gets is already checked (`mergeRegistries`, `givenEntries`)
 * and its entries carry the runtime of their kinds.
 */
import { describeAuth } from './auth.js';
import { compileOperation } from './compiled-operation.js';
import type { ClientCreation } from './errors.js';
import type { OperationMetadata } from './metadata.js';
import {
  type CoreClientOptions,
  type RequestOptions,
  readEnv,
  resolveClientOptions,
} from './options.js';
import { type ApiResponse, type CallInput, invoke as runPipeline } from './pipeline.js';
import type { RegistryEntry } from './registry.js';
import {
  createCall,
  createOperations,
  createResources,
  type RegisteredOperation,
} from './resources.js';

/**
 * The client of a registry already checked and merged by `mergeRegistries` (what
 * `createEmailSecurityClient` builds from the package's and a consumer's operations).
 */
export function clientOfRegistry(
  options: CoreClientOptions,
  registry: Readonly<Record<string, RegistryEntry>>,
  creation: ClientCreation,
): unknown {
  const registered: RegisteredOperation[] = Object.entries(registry).map(([name, entry]) => [
    name,
    entry.metadata as OperationMetadata,
    entry.resourceMethod,
  ]);
  const names = registered.map(([name]) => name);
  const settings = resolveClientOptions(
    options,
    readEnv(),
    registered.map(([, metadata]) => metadata),
    creation,
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
      registry[name] as RegistryEntry,
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
  };
}
