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
 * openapi-fetch's `MiddlewareCallbackParams` for one hook. `request` reads the request in play;
 * assigning it changes only this object, as assigning a property of openapi-fetch's does.
 */
function paramsFor(state: HookState) {
  let assigned: Request | undefined;
  return {
    get request(): Request {
      return assigned ?? currentRequest(state);
    },
    set request(value: Request) {
      assigned = value;
    },
    schemaPath: state.schemaPath,
    params: state.params,
    options: state.options,
    id: state.id,
  };
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
    const result = await m.onRequest(paramsFor(hooks));
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
    const result = await m.onError(Object.assign(paramsFor(hooks), { error: current }));
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
export async function runOnResponse(
  middleware: readonly Middleware[],
  hooks: HookState,
  response: Response,
): Promise<Response> {
  let current = response;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const m = middleware[i] as Middleware;
    if (typeof m.onResponse !== 'function') continue;
    const result = await m.onResponse(Object.assign(paramsFor(hooks), { response: current }));
    if (!result) continue;
    if (!(result instanceof Response)) {
      throw new Error('onResponse: must return new Response() when modifying the response');
    }
    current = result;
  }
  return current;
}
