/**
 * `createEmailSecurityClient`: every generated operation (from `operationRegistry`) gets the same
 * pipeline, in this order:
 *
 *   1. checks and deprecation migration — pure, before anything is built (ValidationError,
 *      DeprecationConflictError, DeprecatedFieldError: nothing sent)
 *   2. the request is built (src/send.ts): directly when there is no user middleware (nothing
 *      can observe it; same URL, headers and body as openapi-fetch would build, without its
 *      per-call cost), otherwise by openapi-fetch, which then runs
 *        3. user middleware (`options.middleware`, in order) — sees the request WITHOUT credentials
 *        4. auth middleware (last on the request path) — headers from the operation's `security`
 *   5. retrying fetch — per-attempt timeout, backoff, same body re-sent; middleware sees one
 *      logical request and the final response
 *   6. envelope → result, or a typed error; response deprecations (shim + headers) reported
 *
 * No global state: credentials, logger, deprecation handler and middleware are per client.
 */
import type { Middleware } from 'openapi-fetch';
import { type OperationTypes, operationRegistry } from '../generated/operations.js';
import {
  type AuthState,
  createAuthMiddleware,
  createAuthState,
  createCredentialHeaders,
  headerValueProblem,
  resolveAuth,
  securityHeaderNames,
} from './auth.js';
import { deprecationEventsFromHeaders } from './deprecation-headers.js';
import {
  applyRequestDeprecations,
  applyResponseDeprecations,
  createDefaultDeprecationHandler,
  type DeprecationEvent,
} from './deprecations.js';
import {
  AbortError,
  type CloudflareMessage,
  ConnectionError,
  EmailSecurityError,
  type RequestContext,
  ValidationError,
} from './errors.js';
import { createLog, type Log } from './logger.js';
import type { OperationMetadata } from './metadata.js';
import { planFor } from './operation-plan.js';
import {
  accountIdIssues,
  type EmailSecurityClientOptions,
  numberIssues,
  type RequestOptions,
  readEnv,
  resolveOptions,
} from './options.js';
import { unwrapEnvelope } from './response.js';
import type { AttemptPlan, AttemptScope } from './retry.js';
import {
  type CheckedCall,
  createDirectSender,
  createOpenapiFetchSender,
  type Sent,
} from './send.js';
import { buildPath, validateRequest } from './validate.js';

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

/** The unwrapped result plus what came with it. */
export interface ApiResponse<T> {
  readonly result: T;
  /** The raw response (its body has been read). */
  readonly response: Response;
  /** The envelope's `messages`. */
  readonly messages: readonly CloudflareMessage[];
  /** The `cf-ray` header: quote it when contacting Cloudflare support. */
  readonly cfRay: string | null;
  /** Deprecation events of this call (also passed to `onDeprecation`). */
  readonly deprecations: readonly DeprecationEvent[];
}

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

/** Per client, per operation: derived once from the metadata. */
interface Prepared {
  readonly metadata: OperationMetadata;
  readonly scoped: boolean;
  /** Sends a checked call: directly, or through openapi-fetch when there is user middleware. */
  readonly send: (call: CheckedCall) => Promise<Sent>;
}

type AnyInput = { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };

export function createEmailSecurityClient(
  options: EmailSecurityClientOptions = {},
): EmailSecurityClient {
  const env = readEnv();
  const config = resolveOptions(options, env);
  const secrets = () => auth.secrets;
  const log = createLog(options.logger, options.logLevel ?? 'info', secrets);
  const auth: AuthState = createAuthState(resolveAuth(options.auth, env), () =>
    legacyKeyAdvisory(log),
  );
  const onDeprecation = options.onDeprecation ?? createDefaultDeprecationHandler();
  const allMetadata = Object.values(operationRegistry).map((e) => e.metadata as OperationMetadata);
  const sensitiveHeaders = securityHeaderNames(allMetadata);
  const userMiddleware = options.middleware ?? [];
  const sendDirect = createDirectSender(config);
  const sendThroughOpenapiFetch =
    userMiddleware.length > 0 ? createOpenapiFetchSender(config, userMiddleware) : undefined;
  const prepared = new Map<OperationName, Prepared>();
  const prepare = (name: OperationName): Prepared => {
    let entry = prepared.get(name);
    if (!entry) {
      const metadata = operationRegistry[name].metadata as OperationMetadata;
      entry = {
        metadata,
        scoped: metadata.path.includes('{account_id}'),
        send: sendThroughOpenapiFetch
          ? sendVia(
              sendThroughOpenapiFetch,
              createAuthMiddleware(metadata, auth, contextOf(metadata)),
            )
          : sendWith(sendDirect, createCredentialHeaders(metadata, auth)),
      };
      prepared.set(name, entry);
    }
    return entry;
  };
  /** The request line of a Request that openapi-fetch built (for auth errors). */
  const contextOf = (metadata: OperationMetadata) => {
    const basePath = new URL(config.baseUrl).pathname;
    return (request: Request): RequestContext => ({
      operationId: metadata.operationId,
      method: request.method,
      path: new URL(request.url).pathname.slice(basePath.length),
    });
  };

  const report = (events: readonly DeprecationEvent[]) => {
    for (const event of events) onDeprecation(event);
  };

  /** Checks and migration (pure, nothing sent): the body to send and the events so far. */
  const prepareBody = (
    op: Prepared,
    path: Record<string, unknown>,
    input: AnyInput,
    context: RequestContext,
    now: Date,
  ): { body: string | undefined; events: DeprecationEvent[] } => {
    const { metadata } = op;
    const { alwaysMigrate, requestTriggers } = planFor(metadata);
    const body = input.body as Record<string, unknown> | undefined;
    if (!alwaysMigrate && !(body && requestTriggers.some((t) => touches(body, t)))) {
      return { body: body === undefined ? undefined : JSON.stringify(body), events: [] };
    }
    const migrated = applyRequestDeprecations(metadata, body ?? {}, {
      now,
      policy: config.deprecations,
      parameters: { ...path, ...input.query },
      context,
    });
    report(migrated.events);
    return {
      body: body === undefined ? undefined : JSON.stringify(migrated.body),
      events: migrated.events,
    };
  };

  /** Everything wrong with a call, from the spec's rules and the per-call options; nothing sent. */
  const checkCall = (
    op: Prepared,
    path: Record<string, unknown>,
    input: AnyInput,
    callOptions: RequestOptions,
    context: RequestContext,
    now: Date,
  ) => {
    const request = { path, query: input.query, body: input.body };
    let issues = validateRequest(op.metadata, request, { now });
    const accountIssues = op.scoped ? accountIdIssues(path.account_id) : [];
    if (accountIssues.length > 0 || (op.scoped && issues.length > 0)) {
      // The account id comes from options, so report it there rather than as path.account_id.
      issues = [...accountIssues, ...issues.filter((issue) => issue.at !== 'path.account_id')];
    }
    const { timeoutMs, maxRetries, headers } = callOptions;
    if (timeoutMs !== undefined || maxRetries !== undefined) {
      issues.push(
        ...numberIssues(
          'requestOptions',
          timeoutMs ?? config.timeoutMs,
          maxRetries ?? config.maxRetries,
        ),
      );
    }
    if (headers) issues.push(...headerIssues(headers));
    if (issues.length > 0) throw new ValidationError(issues, context);
  };

  /** The envelope's result or a typed error; response deprecations reported (and added to `events`). */
  const readResponse = (
    metadata: OperationMetadata,
    { response, payload }: Sent,
    context: RequestContext,
    now: Date,
    events: DeprecationEvent[],
  ): ApiResponse<unknown> => {
    const headerEvents = deprecationEventsFromHeaders(metadata, response.headers, { now });
    const unwrapped = unwrapEnvelope(response, payload, {
      request: context,
      permissionGroups: metadata.permissionGroups,
      secrets: auth.secrets,
    });
    const shimmed = applyResponseDeprecations(metadata, unwrapped.result, { now });
    const late =
      headerEvents.length + shimmed.events.length === 0 ? [] : [...headerEvents, ...shimmed.events];
    if (late.length > 0) {
      events.push(...late);
      reportSafely(report, late, log);
    }
    return {
      result: shimmed.result,
      response,
      messages: unwrapped.messages,
      cfRay: response.headers.get('cf-ray'),
      deprecations: events,
    };
  };

  async function invoke(
    name: OperationName,
    input: AnyInput,
    callOptions: RequestOptions = {},
  ): Promise<ApiResponse<unknown>> {
    const op = prepare(name);
    const { metadata, scoped } = op;
    const accountId = callOptions.accountId ?? config.accountId;
    const path = scoped ? { ...input.path, account_id: accountId } : { ...input.path };
    const context = contextFor(metadata, path);
    const { signal } = callOptions;
    if (signal?.aborted) {
      throw new AbortError('aborted before sending', context, { cause: signal.reason });
    }
    const now = config.now();
    checkCall(op, path, input, callOptions, context, now);
    const { body, events } = prepareBody(op, path, input, context, now);
    const scope: AttemptScope = { release: noop };
    const plan: AttemptPlan = {
      fetch: config.fetch,
      maxRetries: callOptions.maxRetries ?? config.maxRetries,
      timeoutMs: callOptions.timeoutMs ?? config.timeoutMs,
      timing: config.timing,
      context,
      signal,
      body,
      log,
      sensitiveHeaders,
      secrets,
    };
    let sent: Sent;
    try {
      sent = await op.send({
        metadata,
        path,
        query: input.query,
        headers: callOptions.headers,
        plan,
        scope,
      });
    } catch (error) {
      throw libraryError(error, context);
    } finally {
      scope.release();
    }
    return readResponse(metadata, sent, context, now, events);
  }

  const operations = {} as Record<string, OperationCall<OperationName>>;
  for (const name of Object.keys(operationRegistry) as OperationName[]) {
    const call = ((input: AnyInput, o?: RequestOptions) =>
      invoke(name, input, o).then(resultOf)) as unknown as OperationCall<OperationName>;
    call.withResponse = ((input: AnyInput, o?: RequestOptions) =>
      invoke(name, input, o)) as OperationCall<OperationName>['withResponse'];
    operations[name] = call;
  }

  const updateInput = (policyId: string, patch: unknown): AnyInput => ({
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

  const summary = () => ({
    accountId: config.accountId,
    baseUrl: config.baseUrl,
    auth: describeAuth(auth),
    operations: Object.keys(operations),
  });
  return {
    accountId: config.accountId,
    baseUrl: config.baseUrl,
    allowPolicies: { update },
    operations: operations as unknown as Operations,
    toJSON: summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => ({ EmailSecurityClient: summary() }),
  } as EmailSecurityClient;
}

const noop = () => undefined;

/** Direct sending with the operation's credentials (a provider is awaited once per call). */
function sendWith(
  send: ReturnType<typeof createDirectSender>,
  credentialHeaders: ReturnType<typeof createCredentialHeaders>,
): Prepared['send'] {
  return (call) => {
    const credentials = credentialHeaders(() => call.plan.context);
    return credentials instanceof Promise
      ? credentials.then((headers) => send(headers, call))
      : send(credentials, call);
  };
}

/** Through openapi-fetch, with the operation's auth middleware after the user's. */
function sendVia(
  send: ReturnType<typeof createOpenapiFetchSender>,
  authMiddleware: Middleware,
): Prepared['send'] {
  return (call) => send(authMiddleware, call);
}

/** Per-call headers must be sendable as they are (no CR/LF injection, printable ASCII). */
function headerIssues(headers: Record<string, string>) {
  return Object.entries(headers).flatMap(([name, value]) => {
    const at = `requestOptions.headers.${name.slice(0, 64)}`;
    if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) return [{ at, message: 'is not a valid header name' }];
    const problem = headerValueProblem(value);
    return problem ? [{ at, message: problem }] : [];
  });
}

/** Whether a body uses a deprecated field (or, for an enum value, that value). */
function touches(body: Record<string, unknown>, trigger: readonly [string, unknown?]): boolean {
  const value = body[trigger[0]];
  return trigger.length === 1 ? value !== undefined : value === trigger[1];
}

const resultOf = <T>(response: ApiResponse<T>) => response.result;

/** The request line for errors: the path as it will be sent (ids percent-encoded). */
function contextFor(metadata: OperationMetadata, path: Record<string, unknown>): RequestContext {
  const method = metadata.method.toUpperCase();
  let built: string;
  try {
    built = buildPath(metadata.path, path);
  } catch {
    built = metadata.path; // invalid ids: validation reports them with this template as the path
  }
  return { operationId: metadata.operationId, method, path: built };
}

/** Errors from the request pipeline as library errors; the user's own middleware errors pass through. */
function libraryError(error: unknown, context: RequestContext): unknown {
  if (error instanceof EmailSecurityError) return error;
  if (error instanceof TypeError && /terminated|fetch failed|socket/i.test(error.message)) {
    return new ConnectionError(
      `connection failed while reading the response (${error.message})`,
      context,
      {
        cause: error,
      },
    );
  }
  return error;
}

function reportSafely(
  report: (events: readonly DeprecationEvent[]) => void,
  events: readonly DeprecationEvent[],
  log: Log | undefined,
) {
  // The API already applied the change: a throwing handler must not hide the result.
  try {
    report(events);
  } catch (error) {
    log?.('error', 'onDeprecation threw while reporting response deprecations', {
      error: String(error),
    });
  }
}

function describeAuth(auth: AuthState): string {
  if (typeof auth.source === 'function') return 'credentials provider';
  return Object.keys(auth.source).join(' + ');
}

/** `code` of the once-per-client Node warning advising API tokens over the Global API key. */
export const API_KEY_ADVISORY_CODE = 'CFES_API_KEY_ADVISORY';

const ADVISORY =
  'Authenticating with the Global API key (apiEmail + apiKey). Cloudflare recommends API tokens: ' +
  'scoped to the permissions an operation needs and revocable. Use auth: { apiToken } or ' +
  'CLOUDFLARE_API_TOKEN.';

function legacyKeyAdvisory(log: Log | undefined) {
  if (log) return log('warn', ADVISORY);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } })
    .process;
  if (proc?.emitWarning) proc.emitWarning(ADVISORY, { code: API_KEY_ADVISORY_CODE });
  else console.warn(ADVISORY);
}
