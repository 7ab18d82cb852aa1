/**
 * User middleware, run with openapi-fetch 0.17's semantics (its `coreFetch`), on openapi-fetch's
 * own `Middleware` type:
 *
 * - `onRequest`, in the given order, may return a `Request` (it replaces the request for the
 *   next hooks and for sending) or a `Response` (the call is answered: nothing is sent and no
 *   `onResponse` runs); any other truthy value is an error.
 * - `onError`, in reverse order, when sending failed (after every retry): a `Response` recovers
 *   (later `onError` hooks are skipped), an `Error` replaces the error for the next hooks.
 * - `onResponse`, in reverse order, may return a new `Response`.
 * - A hook that throws ends the call with its own error.
 *
 * Every hook gets `{ request, schemaPath, params, options, id }`. `request` never carries
 * credentials: they are added to a copy after the last `onRequest` (src/auth.ts), and the hooks
 * after sending get the request as middleware left it.
 */
import {
  defaultBodySerializer,
  defaultPathSerializer,
  type MergedOptions,
  type Middleware,
  type MiddlewareRequestParams,
} from 'openapi-fetch';
import type { ValidationIssue } from './errors.js';
import { querySerializer, type SendableRequest, toRequest } from './request.js';
import type { FetchLike } from './retry.js';

/**
 * One call's middleware state. The `Request` hooks see is made from the built request the first
 * time a hook reads `request` (a hook that never reads it costs no `Request`), and replaced by
 * each `Request` an `onRequest` hook returns.
 */
export interface HookState {
  readonly built: SendableRequest;
  /** The `Request` made from `built`, once a hook read it. */
  made: Request | undefined;
  /** The request in play: `made`, or the last replacement. */
  current: Request | undefined;
  readonly schemaPath: string;
  readonly params: MiddlewareRequestParams;
  readonly options: MergedOptions;
  readonly id: string;
}

export function startHooks(
  built: SendableRequest,
  schemaPath: string,
  params: MiddlewareRequestParams,
  options: MergedOptions,
): HookState {
  return {
    built,
    made: undefined,
    current: undefined,
    schemaPath,
    params,
    options,
    id: randomId(),
  };
}

/** A per-call id like openapi-fetch's (its `randomID` is not in its type declarations). */
function randomId(): string {
  return Math.random().toString(36).slice(2, 11);
}

function currentRequest(state: HookState): Request {
  if (state.current === undefined) {
    state.made = toRequest(state.built);
    state.current = state.made;
  }
  return state.current;
}

/**
 * openapi-fetch's `MiddlewareCallbackParams` for one hook, plus `response` or `error` for the
 * hooks after sending. `request` is an accessor (on the prototype: an object literal with one is
 * far slower to create), so reading it is what makes the `Request`; assigning it changes only
 * this object, as assigning a property of openapi-fetch's does.
 */
class HookParams {
  readonly schemaPath: string;
  readonly params: MiddlewareRequestParams;
  readonly options: MergedOptions;
  readonly id: string;
  #state: HookState;
  #assigned: Request | undefined;

  constructor(state: HookState, extra?: { response: Response } | { error: unknown }) {
    this.#state = state;
    this.schemaPath = state.schemaPath;
    this.params = state.params;
    this.options = state.options;
    this.id = state.id;
    if (extra) Object.assign(this, extra);
  }

  get request(): Request {
    return this.#assigned ?? currentRequest(this.#state);
  }

  set request(value: Request) {
    this.#assigned = value;
  }
}

/**
 * The request to send once every `onRequest` hook ran: the built one as it was when no hook read
 * it; the made `Request`'s headers (hooks may have changed them) with the built body; or a
 * replacement, whose body is read once here so that every attempt can re-send it.
 */
export function requestToSend(state: HookState): SendableRequest | Promise<SendableRequest> {
  const { built, made, current } = state;
  if (current === undefined) return built;
  if (current === made) return { ...built, headers: current.headers };
  const { url, method, headers } = current;
  if (!current.body) return { url, method, headers, body: undefined };
  return current.arrayBuffer().then((body) => ({ url, method, headers, body }));
}

/**
 * Middleware as a client takes it: the hooks, the problems with them (reported with the client's
 * other options), and `forClient`, which binds them to a client. `createClient` (`/core`) takes
 * middleware only as `withMiddleware([…])`, so that a bundle without middleware holds none of this
 * module; `createEmailSecurityClient` turns its `middleware` array into this itself.
 */
export interface Middlewares {
  readonly issues: readonly ValidationIssue[];
  /** The hooks bound to one client (the `options` they receive); none without usable hooks. */
  forClient(baseUrl: string, fetch: FetchLike | undefined): MiddlewareRunner | undefined;
}

/** One client's middleware, put around the pipeline's sending of one call. */
export interface MiddlewareRunner {
  run(
    built: SendableRequest,
    schemaPath: string,
    params: MiddlewareRequestParams,
    authenticate: (request: SendableRequest) => SendableRequest | Promise<SendableRequest>,
    transport: (request: SendableRequest) => Promise<Response>,
  ): Promise<Response>;
}

/**
 * openapi-fetch middleware for a client: `createClient({ operations, middleware:
 * withMiddleware([logging]) })`. `onRequest` hooks → credentials on a copy (`authenticate`) →
 * the retrying `transport`, whose final failure `onError` hooks may recover → `onResponse` hooks.
 */
export function withMiddleware(middleware: readonly Middleware[]): Middlewares {
  const issues = middlewareIssues(middleware);
  const hooks = issues.length > 0 ? [] : usableMiddleware(middleware);
  return {
    issues,
    forClient(baseUrl, fetch) {
      if (hooks.length === 0) return undefined;
      const options = hookOptions(baseUrl, fetch);
      return {
        async run(built, schemaPath, params, authenticate, transport) {
          const state = startHooks(built, schemaPath, params, options);
          const answered = await runOnRequest(hooks, state);
          if (answered) return answered;
          const authenticated = await authenticate(await requestToSend(state));
          const response = await transport(authenticated).catch((error: unknown) =>
            runOnError(hooks, state, error),
          );
          return runOnResponse(hooks, state, response);
        },
      };
    },
  };
}

/** The `middleware` option of `createEmailSecurityClient`: an array (checked), or `withMiddleware`'s. */
export function asMiddlewares(middleware: readonly Middleware[] | Middlewares): Middlewares {
  return typeof (middleware as Partial<Middlewares>).forClient === 'function'
    ? (middleware as Middlewares)
    : withMiddleware(middleware as readonly Middleware[]);
}

/** The read-only `options` hooks receive, made once per client. */
export function hookOptions(baseUrl: string, fetch: FetchLike | undefined): MergedOptions {
  return Object.freeze({
    baseUrl,
    fetch: (fetch ?? globalThis.fetch) as typeof globalThis.fetch,
    parseAs: 'text',
    querySerializer,
    bodySerializer: defaultBodySerializer,
    pathSerializer: defaultPathSerializer,
  } as MergedOptions);
}

/** Problems with the `middleware` option (openapi-fetch's `use()` rules; empty entries are skipped). */
export function middlewareIssues(middleware: unknown): ValidationIssue[] {
  if (middleware === undefined) return [];
  if (!Array.isArray(middleware)) {
    return [{ at: 'options.middleware', message: 'must be an array of openapi-fetch middleware' }];
  }
  return middleware.flatMap((m, i) =>
    !m || (typeof m === 'object' && ('onRequest' in m || 'onResponse' in m || 'onError' in m))
      ? []
      : [
          {
            at: `options.middleware[${i}]`,
            message: 'must be an object with onRequest, onResponse or onError',
          },
        ],
  );
}

/** The given middleware without empty entries (as openapi-fetch's `use()` keeps them). */
export function usableMiddleware(middleware: readonly Middleware[] | undefined): Middleware[] {
  return (middleware ?? []).filter(Boolean);
}

/** Runs `onRequest` hooks in order; resolves to a `Response` when one answered the call. */
export async function runOnRequest(
  middleware: readonly Middleware[],
  hooks: HookState,
): Promise<Response | undefined> {
  for (const m of middleware) {
    if (typeof m.onRequest !== 'function') continue;
    const result = await m.onRequest(new HookParams(hooks));
    if (!result) continue;
    if (result instanceof Request) hooks.current = result;
    else if (result instanceof Response) return result;
    else {
      throw new Error(
        'onRequest: must return new Request() or Response() when modifying the request',
      );
    }
  }
  return undefined;
}

/** Runs `onError` hooks in reverse order: resolves to a recovering `Response`, or throws. */
export async function runOnError(
  middleware: readonly Middleware[],
  hooks: HookState,
  error: unknown,
): Promise<Response> {
  let current = error;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const m = middleware[i] as Middleware;
    if (typeof m.onError !== 'function') continue;
    const params = new HookParams(hooks, { error: current }) as HookParams & { error: unknown };
    const result = await m.onError(params);
    if (!result) continue;
    if (result instanceof Response) return result;
    if (result instanceof Error) {
      current = result;
      continue;
    }
    throw new Error('onError: must return new Response() or instance of Error');
  }
  throw current;
}

/** Runs `onResponse` hooks in reverse order; each may replace the response. */
export function runOnResponse(
  middleware: readonly Middleware[],
  hooks: HookState,
  response: Response,
): Response | Promise<Response> {
  if (!middleware.some((m) => typeof m.onResponse === 'function')) return response;
  return onResponseLoop(middleware, hooks, response);
}

async function onResponseLoop(
  middleware: readonly Middleware[],
  hooks: HookState,
  response: Response,
): Promise<Response> {
  let current = response;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const m = middleware[i] as Middleware;
    if (typeof m.onResponse !== 'function') continue;
    const params = new HookParams(hooks, { response: current }) as HookParams & {
      response: Response;
    };
    const result = await m.onResponse(params);
    if (!result) continue;
    if (!(result instanceof Response)) {
      throw new Error('onResponse: must return new Response() when modifying the response');
    }
    current = result;
  }
  return current;
}
