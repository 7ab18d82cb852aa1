/**
 * The retrying `fetch`: sits below all middleware (middleware sees one logical request), gives
 * every attempt its own timeout, re-sends the same body, and backs off exponentially with
 * jitter or as the server asks (`retry-after-ms`, `Retry-After`).
 */
import {
  AbortError,
  ConnectionError,
  type EmailSecurityError,
  type RequestContext,
  TimeoutError,
} from './errors.js';
import type { Log } from './logger.js';
import { redactHeaders, redactSecrets } from './redact.js';
import { retryAfterMs } from './response.js';

/** What the retry loop calls: `globalThis.fetch` or the user's `fetch` option. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface RetryTiming {
  /** First backoff; doubles per retry (default 500 ms). */
  readonly initialDelayMs: number;
  /** Backoff ceiling (default 8 s). */
  readonly maxDelayMs: number;
  /** Longest server-requested wait honoured; a longer one ends the call (default 60 s). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * A request not built yet: what the client sends when no middleware can observe the request.
 * The user's fetch still receives a `Request` (built per attempt); the global fetch gets these
 * parts directly, which saves constructing a `Request` per call.
 */
export interface RequestParts {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>> | Headers;
  readonly redirect: NonNullable<RequestInit['redirect']>;
}

/** What the retry loop sends: a `Request` (openapi-fetch's, after middleware) or its parts. */
export type Outgoing = Request | RequestParts;

/** Everything one logical call needs; built per call by the client. */
export interface AttemptPlan {
  /** The user's `fetch`; undefined means `globalThis.fetch` (called with URL + init, see `dispatch`). */
  readonly fetch: FetchLike | undefined;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly timing: RetryTiming;
  readonly context: RequestContext;
  readonly signal?: AbortSignal | undefined;
  /** The serialized body, when known to be what the request carries (no middleware replaced it). */
  readonly body?: string | undefined;
  readonly log?: Log | undefined;
  readonly sensitiveHeaders?: ReadonlySet<string>;
  readonly secrets: () => Iterable<string>;
  /** Injected in tests; defaults to `Math.random` and a signal-aware `setTimeout`. */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A cleanup handle: the last attempt's timer keeps running while the caller reads the body, so
 * a stalled body also times out. Call `release()` once the body is read.
 */
export interface AttemptScope {
  release: () => void;
}

/** Statuses worth retrying: request timeout, conflict, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `min(initial·2^n, max)` with up to 25 % jitter subtracted (spreads retry storms). */
export function backoffDelayMs(retryIndex: number, timing: RetryTiming, random: () => number) {
  const base = Math.min(timing.initialDelayMs * 2 ** retryIndex, timing.maxDelayMs);
  return base * (1 - random() * 0.25);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Send `request`, retrying as the plan allows. Throws only `EmailSecurityError`s. */
export async function sendWithRetries(
  request: Outgoing,
  plan: AttemptPlan,
  scope: AttemptScope,
): Promise<Response> {
  const random = plan.random ?? Math.random;
  const wait = plan.sleep ?? sleep;
  let body = plan.body;
  if (body === undefined && plan.maxRetries > 0 && request instanceof Request && request.body) {
    body = await request.clone().text();
  }
  for (let attempt = 0; ; attempt++) {
    const started = plan.log ? Date.now() : 0;
    if (plan.log) logRequest(plan, request, attempt);
    let response: Response;
    try {
      response = await attemptOnce(request, attempt, body, plan, scope);
    } catch (error) {
      scope.release();
      if (error instanceof AbortError || attempt >= plan.maxRetries) throw error;
      const delay = backoffDelayMs(attempt, plan.timing, random);
      plan.log?.(
        'warn',
        `retrying after ${(error as Error).name}`,
        retryData(plan, attempt, delay),
      );
      await pause(wait, delay, plan);
      continue;
    }
    plan.log?.('debug', 'response', responseData(plan, response, attempt, started));
    if (!isRetryableStatus(response.status) || attempt >= plan.maxRetries) return response;
    const requested = retryAfterMs(response.headers, Date.now());
    if (requested !== undefined && requested > plan.timing.maxRetryAfterMs) return response;
    scope.release();
    await response.body?.cancel().catch(() => undefined);
    const delay = requested ?? backoffDelayMs(attempt, plan.timing, random);
    plan.log?.('warn', `retrying after HTTP ${response.status}`, retryData(plan, attempt, delay));
    await pause(wait, delay, plan);
  }
}

async function pause(wait: NonNullable<AttemptPlan['sleep']>, ms: number, plan: AttemptPlan) {
  try {
    await wait(ms, plan.signal);
  } catch (reason) {
    throw abortError(plan.context, reason);
  }
}

/**
 * One attempt under its own timeout and the caller's signal. The timer is not cleared when the
 * response arrives: `scope.release()` does that after the body is read.
 */
async function attemptOnce(
  request: Outgoing,
  attempt: number,
  body: string | undefined,
  plan: AttemptPlan,
  scope: AttemptScope,
): Promise<Response> {
  const { signal, context } = plan;
  const controller = new AbortController();
  let ended: EmailSecurityError | undefined;
  let stop: ((error: EmailSecurityError) => void) | undefined;
  const end = (error: EmailSecurityError) => {
    ended ??= error;
    controller.abort(error);
    stop?.(error);
  };
  const timer = setTimeout(() => end(new TimeoutError(plan.timeoutMs, context)), plan.timeoutMs);
  const onAbort = () => end(abortError(context, signal?.reason));
  signal?.addEventListener('abort', onAbort, { once: true });
  scope.release = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  try {
    if (signal?.aborted) onAbort();
    if (ended) throw ended;
    const sending = dispatch(request, attempt, body, plan.fetch, controller);
    // The global fetch rejects as soon as the signal aborts. The user's fetch may ignore the
    // signal (a stub, a cache): it is raced, so the deadline and the caller's signal still end
    // the attempt.
    if (!plan.fetch) return await sending;
    return await raceWithStop(sending, (reject) => {
      stop = reject;
    });
  } catch (error) {
    throw ended ?? connectionError(error, plan);
  } finally {
    // `scope.release` outlives the attempt: let it not keep the settled promise chain reachable
    // (measurably more GC work per call when it does).
    stop = undefined;
  }
}

/** `sending`, unless the function handed to `onStop` is called first (then rejects with its argument). */
function raceWithStop(
  sending: Promise<Response>,
  onStop: (stop: (error: EmailSecurityError) => void) => void,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    onStop(reject);
    sending.then(resolve, reject);
  });
}

/**
 * The user's fetch gets a `Request` (openapi-fetch's contract); a retry gets a fresh one with the
 * same body. The global fetch gets URL + init with the body as a string when it is known: the
 * same request on the wire, but undici then sends it with Content-Length instead of re-streaming
 * a Request body, which is markedly cheaper.
 */
function dispatch(
  request: Outgoing,
  attempt: number,
  body: string | undefined,
  fetch: FetchLike | undefined,
  controller: AbortController,
): Promise<Response> {
  if (fetch) return fetch(requestFor(request, attempt, body), new AttemptInit(controller));
  const { signal } = controller;
  if (request instanceof Request && body === undefined && request.body !== null) {
    return globalThis.fetch(request, { signal });
  }
  const { method, headers, redirect, url } = request;
  return globalThis.fetch(url, { method, headers, redirect, body, signal });
}

/** The `Request` for one attempt: the built one first, then a fresh copy carrying the same body. */
function requestFor(request: Outgoing, attempt: number, body: string | undefined): Request {
  if (!(request instanceof Request)) {
    const { url, method, headers, redirect } = request;
    return new Request(url, { method, headers, redirect, body });
  }
  return attempt === 0 ? request : new Request(request, { body: body ?? null });
}

/**
 * The `init` a user's fetch receives. Node creates an AbortSignal lazily and creating one is
 * costly: a fetch that never reads `init.signal` (a stub, a cache) should not pay for it. A class
 * getter, because an object literal with a getter is several times slower to create.
 */
class AttemptInit implements RequestInit {
  constructor(private readonly controller: AbortController) {}
  get signal(): AbortSignal {
    return this.controller.signal;
  }
}

function abortError(context: RequestContext, reason: unknown): AbortError {
  return reason instanceof AbortError
    ? reason
    : new AbortError(
        'aborted by the caller (AbortSignal); the request may or may not have reached the API',
        context,
        {
          cause: reason,
        },
      );
}

function connectionError(error: unknown, plan: AttemptPlan): ConnectionError {
  const secrets = [...plan.secrets()];
  const cause = error instanceof Error ? error : new Error(String(error));
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = [cause.message, inner?.code ?? inner?.message].filter(Boolean).join(': ');
  const clean = redactSecrets(detail, secrets);
  // Keep the original cause for debugging unless it carries a credential.
  const safeCause = clean === detail ? cause : new Error(clean);
  return new ConnectionError(`connection failed (${clean || 'no detail'})`, plan.context, {
    cause: safeCause,
  });
}

function logRequest(plan: AttemptPlan, request: Outgoing, attempt: number) {
  plan.log?.('debug', 'request', {
    operationId: plan.context.operationId,
    method: request.method,
    url: request.url,
    attempt,
    headers: redactHeaders(new Headers(request.headers), plan.sensitiveHeaders),
  });
}

function responseData(plan: AttemptPlan, response: Response, attempt: number, started: number) {
  return {
    operationId: plan.context.operationId,
    status: response.status,
    attempt,
    durationMs: Date.now() - started,
    cfRay: response.headers.get('cf-ray'),
  };
}

function retryData(plan: AttemptPlan, attempt: number, delayMs: number) {
  return {
    operationId: plan.context.operationId,
    attempt,
    nextAttempt: attempt + 1,
    maxRetries: plan.maxRetries,
    delayMs: Math.round(delayMs),
  };
}
