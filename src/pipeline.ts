/**
 * The request path: every call of every operation runs these steps, in this order, over one
 * `Call` object:
 *
 *   startCall → validate → migrateDeprecations → buildRequest → send → readBody → readEnvelope
 *
 * where `send` is: middleware `onRequest` → authenticate (credentials on a copy) → transport
 * (retrying) → middleware `onError` / `onResponse`. The middleware steps are skipped when the
 * client has none; nothing else depends on it. Nothing is sent before `transport`.
 */

import isNetworkError from 'is-network-error';
import { credentialHeaders, withCredentials } from './auth.js';
import { ACCOUNT_ID_PARAMETER, type CompiledOperation } from './compiled-operation.js';
import { deprecationEventsFromHeaders } from './deprecation-headers.js';
import {
  applyRequestDeprecations,
  applyResponseDeprecations,
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
import { noop } from './guards.js';
import {
  accountIdIssues,
  type CallOptions,
  type ClientSettings,
  type RequestOptions,
  resolveCallOptions,
} from './options.js';
import type { OperationKinds } from './registry.js';
import { buildRequest, type SendableRequest } from './request.js';
import { readBodyLimited, redactedCfRay, unwrapEnvelope } from './response.js';
import { sendWithRetries } from './retry.js';
import { snapshotInput } from './snapshot.js';
import { buildPath, validateRequest } from './validate.js';

/** What a caller passes for one operation; `account_id` comes from the options. */
export interface CallInput {
  readonly path?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
}

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
  /** A paged list's page facts (the envelope's `result_info`); absent for other operations. */
  readonly resultInfo?: unknown;
}

/** One call on its way through the steps. Each step reads what earlier ones set. */
export interface Call {
  readonly client: ClientSettings;
  readonly operation: CompiledOperation;
  /** The runtime of the operation's kinds, from its registry entry (src/registry.ts). */
  readonly kinds: OperationKinds;
  readonly options: CallOptions;
  /** Path parameters, the account id included. */
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown> | undefined;
  /** The body as the caller gave it (a batch's omitted arrays filled with `[]`). */
  readonly input: unknown;
  /** The request line, for errors: the path as it will be sent. */
  readonly context: RequestContext;
  /** The clock reading all of this call's deprecation decisions use. */
  readonly now: Date;
  /** The body to send, serialized (set by `migrateDeprecations`). */
  body: string | undefined;
  /** Deprecation events so far. */
  readonly events: DeprecationEvent[];
  /** Ends the last attempt's timer (see `TransportCall.release`). */
  release: () => void;
  /** Registers a stop for the last attempt's deadline or abort (see `TransportCall.onEnd`). */
  onEnd: (stop: (error: EmailSecurityError) => void) => void;
}

/** Runs one call through every step. */
export async function invoke(
  client: ClientSettings,
  operation: CompiledOperation,
  input: CallInput,
  requestOptions: RequestOptions | undefined,
  kinds: OperationKinds,
): Promise<ApiResponse<unknown>> {
  const call = startCall(client, operation, input, requestOptions, kinds);
  validate(call);
  migrateDeprecations(call);
  const request = buildRequest(call);
  let response: Response;
  let payload: string;
  try {
    response = await send(call, request);
    payload = await readBody(call, response);
  } finally {
    call.release();
  }
  return readEnvelope(call, response, payload);
}

/**
 * The call's options resolved; the caller's input read once into a plain-data snapshot (every
 * later step, validation and the body sent included, reads only the snapshot); the account id
 * filled in; the request line known.
 */
function startCall(
  client: ClientSettings,
  operation: CompiledOperation,
  input: CallInput,
  requestOptions: RequestOptions | undefined,
  kinds: OperationKinds,
): Call {
  const options = resolveCallOptions(client, requestOptions);
  // Until the path is read, the request line shows the path template.
  const snap = snapshotInput(input, operation.template);
  const path = operation.accountScoped
    ? { ...snap.path, [ACCOUNT_ID_PARAMETER]: options.accountId }
    : { ...snap.path };
  const context = requestContext(client, operation, path);
  if (options.signal?.aborted) {
    throw new AbortError('aborted before sending', context, { cause: options.signal.reason });
  }
  return {
    client,
    operation,
    kinds,
    options,
    path,
    query: snap.query,
    input: kinds.itemArrays ? kinds.itemArrays.fill(operation.metadata, snap.body) : snap.body,
    context,
    now: client.now(),
    body: undefined,
    events: [],
    release: noop,
    onEnd: noop,
  };
}

/** Everything wrong with a call, from the spec's rules and the call's options; nothing sent. */
function validate(call: Call): void {
  const { operation, path } = call;
  const request = { path, query: call.query, body: call.input };
  let issues = validateRequest(operation.metadata, request, { now: call.now });
  const scoped = operation.accountScoped;
  const accountIssues = scoped ? accountIdIssues(path[ACCOUNT_ID_PARAMETER]) : [];
  if (accountIssues.length > 0 || (scoped && issues.length > 0)) {
    // The account id comes from options, so report it there rather than as a path parameter.
    const at = `path.${ACCOUNT_ID_PARAMETER}`;
    issues = [...accountIssues, ...issues.filter((issue) => issue.at !== at)];
  }
  if (call.options.issues.length > 0) issues.push(...call.options.issues);
  if (issues.length > 0) throw new ValidationError(issues, call.context);
}

/** Deprecated request fields migrated, passed through or refused (pure); the body serialized. */
function migrateDeprecations(call: Call): void {
  const { client, operation } = call;
  const items = call.kinds.itemArrays;
  const body = call.input as Record<string, unknown> | undefined;
  const { alwaysMigrate, requestTriggers } = operation;
  const touched = body !== undefined && requestTriggers.some((t) => touches(body, t));
  if (!alwaysMigrate && !touched && !items) {
    call.body = body === undefined ? undefined : JSON.stringify(body);
    return;
  }
  const options = {
    now: call.now,
    policy: client.deprecations,
    parameters: { ...call.path, ...call.query },
    context: call.context,
  };
  const migrated = applyRequestDeprecations(operation.metadata, body ?? {}, options);
  const inItems = items?.migrate(operation.metadata, migrated.body, options);
  const events = inItems ? [...migrated.events, ...inItems.events] : migrated.events;
  for (const event of events) client.onDeprecation(event);
  call.events.push(...events);
  call.body = body === undefined ? undefined : JSON.stringify(inItems?.body ?? migrated.body);
}

/**
 * Middleware `onRequest` → auth → retrying transport → middleware `onError`/`onResponse` (src/
 * middleware.ts puts the hooks around auth and the transport). Without middleware only auth and
 * the transport run.
 */
async function send(call: Call, built: SendableRequest): Promise<Response> {
  const { middleware } = call.client;
  if (middleware) {
    return middleware.run(
      built,
      call.operation.metadata.path,
      hookParams(call),
      (request) => authenticate(call, request),
      (request) => sendWithRetries(request, call),
    );
  }
  let authenticated = authenticate(call, built);
  if (authenticated instanceof Promise) authenticated = await authenticated;
  return sendWithRetries(authenticated, call);
}

/**
 * The credentials' headers on a copy of the request, after every `onRequest` hook ran: no hook
 * ever holds a request that carries them.
 */
function authenticate(
  call: Call,
  request: SendableRequest,
): SendableRequest | Promise<SendableRequest> {
  const credentials = credentialHeaders(call.client.auth, call.operation.metadata, call.context);
  return credentials instanceof Promise
    ? credentials.then((headers) => withCredentials(request, headers))
    : withCredentials(request, credentials);
}

/** openapi-fetch's `params` for middleware: the path (account id included) and query. */
function hookParams(call: Call) {
  return call.query ? { path: call.path, query: call.query } : { path: call.path };
}

/**
 * The body text, at most `maxResponseBytes` of it, under the last attempt's timer (raced, so a
 * body that ignores the signal still ends); a connection lost meanwhile is a ConnectionError.
 */
function readBody(call: Call, response: Response): Promise<string> {
  const { maxResponseBytes } = call.client;
  return readBodyLimited(response, maxResponseBytes, call.context, call.onEnd).catch(
    (error: unknown) => {
      if (error instanceof EmailSecurityError || !isNetworkError(error)) throw error;
      throw new ConnectionError(
        `connection failed while reading the response (${error.message})`,
        call.context,
        { cause: error },
      );
    },
  );
}

/** The envelope's result or a typed error; response deprecations reported (and added to the call's). */
function readEnvelope(call: Call, response: Response, payload: string): ApiResponse<unknown> {
  const { client, operation, now } = call;
  const { metadata } = operation;
  const headerEvents = deprecationEventsFromHeaders(metadata, response.headers, { now });
  const unwrapped = unwrapEnvelope(response, payload, {
    request: call.context,
    permissionGroups: metadata.permissionGroups,
    resultRule: metadata.resultRule,
    secrets: client.secrets,
  });
  const shimmed =
    call.options.responseDeprecations === 'as-sent'
      ? { result: unwrapped.result, events: [] }
      : applyResponseDeprecations(metadata, unwrapped.result, { now });
  const late =
    headerEvents.length + shimmed.events.length === 0 ? [] : [...headerEvents, ...shimmed.events];
  if (late.length > 0) {
    call.events.push(...late);
    reportAfterSending(call, late);
  }
  const { pagination } = metadata;
  return {
    result: shimmed.result,
    response,
    messages: unwrapped.messages,
    cfRay: redactedCfRay(response, client.secrets),
    deprecations: call.events,
    ...(pagination && { resultInfo: unwrapped.envelope?.[pagination.infoProperty] }),
  };
}

/** The API already applied the change: a throwing handler must not hide the result. */
function reportAfterSending(call: Call, events: readonly DeprecationEvent[]): void {
  try {
    for (const event of events) call.client.onDeprecation(event);
  } catch (error) {
    call.client.log?.('error', 'onDeprecation threw while reporting response deprecations', {
      error: String(error),
    });
  }
}

/** Whether a body uses a deprecated field (or, for an enum value, that value). */
function touches(body: Record<string, unknown>, trigger: readonly [string, unknown?]): boolean {
  const value = body[trigger[0]];
  return trigger.length === 1 ? value !== undefined : value === trigger[1];
}

/**
 * The request line for errors: the path as it will be sent (ids percent-encoded), with any id
 * that is a credential (a token pasted as the policy id) redacted.
 */
function requestContext(
  client: ClientSettings,
  operation: CompiledOperation,
  path: Record<string, unknown>,
): RequestContext {
  const { metadata } = operation;
  let built: string;
  try {
    built = buildPath(metadata.path, path);
  } catch {
    built = metadata.path; // invalid ids: validation reports them with this template as the path
  }
  return {
    operationId: metadata.operationId,
    method: operation.method,
    path: mayHoldCredential(client, path) ? client.secrets.redact(built) : built,
  };
}

/** Whether a path value is long enough to be a credential (the usual ids are shorter). */
function mayHoldCredential(client: ClientSettings, path: Record<string, unknown>): boolean {
  const shortest = client.secrets.shortest;
  for (const key in path) {
    const value = path[key];
    if (typeof value === 'string' && value.length >= shortest) return true;
  }
  return false;
}
