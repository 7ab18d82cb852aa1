/**
 * The retrying `fetch`: sits below all middleware (middleware sees one logical request), gives
 * every attempt its own timeout, re-sends the same body, and backs off exponentially with
 * jitter or as the server asks (`retry-after-ms`, `Retry-After`). Every attempt first takes a
 * slot from the client's rate limiter (src/rate-limit.ts) and reports its response to it.
 * What is retried depends on the method (`mayRetry`): a POST only when it surely did not reach
 * the server, or when the server asked for it with `Retry-After` on a 429 or 503.
 */
import {
  AbortError,
  ConnectionError,
  type EmailSecurityError,
  type RequestContext,
  TimeoutError,
} from './errors.js';
import { noop } from './guards.js';
import type { ClientLog } from './logger.js';
import type { RateLimiter } from './rate-limit.js';
import { redactError, redactSecrets, type SecretStore } from './redact.js';
import { REDIRECT, type SendableRequest, toRequest } from './request.js';
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

/** What the transport needs from the client: resolved once, at creation (src/options.ts). */
export interface TransportSettings {
  /** The user's `fetch`; undefined means `globalThis.fetch` (called with URL + init, see `dispatch`). */
  readonly fetch: FetchLike | undefined;
  readonly timing: RetryTiming;
  readonly log?: ClientLog | undefined;
  /** Every credential the client has held, removed from connection errors and their causes. */
  readonly secrets: SecretStore;
  /** The client's rate limiter: every attempt takes a slot and reports its response. */
  readonly limiter: RateLimiter;
  /** Injected in tests; defaults to `Math.random` and a signal-aware `setTimeout`. */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The slice of a pipeline call (src/pipeline.ts) that the transport reads. */
export interface TransportCall {
  readonly client: TransportSettings;
  readonly options: {
    readonly maxRetries: number;
    readonly timeoutMs: number;
    readonly signal?: AbortSignal | undefined;
  };
  readonly context: RequestContext;
  /**
   * Set by each attempt: the last attempt's timer keeps running while the caller reads the
   * body, so a stalled body also times out. Call it once the body is read.
   */
  release: () => void;
  /**
   * Set by each attempt: registers `stop`, called with the attempt's `TimeoutError` or
   * `AbortError` when its deadline passes or the caller aborts (at once if that already
   * happened). Reading the body races it, so a body that ignores the signal still ends.
   */
  onEnd: (stop: (error: EmailSecurityError) => void) => void;
}

/** Statuses worth retrying: request timeout, conflict, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Methods whose repetition is harmless: the same request twice leaves the same state. */
const REPEATABLE = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

/**
 * Error codes (Node, undici, OpenSSL) meaning the connection was never made, so the request
 * surely did not reach the server: refused, DNS, no route, connect timeout, TLS handshake.
 */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)$/;

/** Connection errors known to have happened before anything was sent (see `NOT_SENT`). */
const beforeSending = new WeakSet<ConnectionError>();

/**
 * Whether a failed attempt may be retried, by method. Repeatable methods (GET, HEAD, OPTIONS,
 * PUT, DELETE, PATCH): every retryable status, connection error and timeout. Others (POST):
 * only a connection that was never made, or a 429/503 with `Retry-After` (the server says it
 * did nothing and when to come back); never after a timeout, a reset or another status, since
 * the request may have been applied.
 */
export function mayRetry(
  method: string,
  outcome: { readonly error: unknown } | { readonly status: number; readonly retryAfter: boolean },
): boolean {
  const repeatable = REPEATABLE.has(method);
  if ('error' in outcome) {
    const { error } = outcome;
    if (error instanceof AbortError) return false;
    if (repeatable) return true;
    return error instanceof ConnectionError && beforeSending.has(error);
  }
  if (!isRetryableStatus(outcome.status)) return false;
  return repeatable || ((outcome.status === 429 || outcome.status === 503) && outcome.retryAfter);
}

/** The first `code` along an error's `cause` chain. */
function errorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
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

/**
 * Send `request` (credentials included), retrying as the call's options allow: every attempt
 * re-sends the same parts. Throws only `EmailSecurityError`s.
 */
export async function sendWithRetries(
  request: SendableRequest,
  call: TransportCall,
): Promise<Response> {
  const { client, options } = call;
  const { method } = call.context;
  const random = client.random ?? Math.random;
  const log = client.log;
  for (let attempt = 0; ; attempt++) {
    const permit = await abortable(call, () => client.limiter.acquire(options.signal));
    const started = log ? Date.now() : 0;
    log?.request(call, request, attempt);
    let response: Response;
    try {
      response = await attemptOnce(request, call);
    } catch (error) {
      permit.done();
      call.release();
      if (attempt >= options.maxRetries || !mayRetry(method, { error })) throw error;
      const delay = backoffDelayMs(attempt, client.timing, random);
      await backOff(call, attempt, delay, (error as Error).name);
      continue;
    }
    log?.response(call, response, attempt, started);
    const { status } = response;
    const requested =
      isRetryableStatus(status) || status === 429
        ? retryAfterMs(response.headers, Date.now())
        : undefined;
    // A 429 pauses the whole client (capped), not only this call.
    permit.done(
      response,
      status === 429
        ? Math.min(
            requested ?? backoffDelayMs(attempt, client.timing, random),
            client.timing.maxRetryAfterMs,
          )
        : undefined,
    );
    if (attempt >= options.maxRetries) return response;
    if (!mayRetry(method, { status, retryAfter: requested !== undefined })) return response;
    if (requested !== undefined && requested > client.timing.maxRetryAfterMs) return response;
    call.release();
    await response.body?.cancel().catch(() => undefined);
    const delay = requested ?? backoffDelayMs(attempt, client.timing, random);
    await backOff(call, attempt, delay, `HTTP ${response.status}`);
  }
}

/** Logs the retry, then waits `delay` ms; the caller's abort ends the wait. */
async function backOff(call: TransportCall, attempt: number, delay: number, after: string) {
  call.client.log?.retry(call, attempt, delay, after);
  await abortable(call, () => (call.client.sleep ?? sleep)(delay, call.options.signal));
}

/** A wait (a rate-limit slot, a backoff) that the caller's abort ends with an `AbortError`. */
async function abortable<T>(call: TransportCall, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (reason) {
    throw abortError(call.context, reason);
  }
}

/**
 * One attempt under its own timeout and the caller's signal. The timer is not cleared when the
 * response arrives: `call.release()` does that after the body is read.
 */
async function attemptOnce(request: SendableRequest, call: TransportCall): Promise<Response> {
  const { context } = call;
  const { signal, timeoutMs } = call.options;
  const { fetch } = call.client;
  const controller = new AbortController();
  let ended: EmailSecurityError | undefined;
  let stop: ((error: EmailSecurityError) => void) | undefined;
  let stopReading: ((error: EmailSecurityError) => void) | undefined;
  const end = (error: EmailSecurityError) => {
    ended ??= error;
    controller.abort(error);
    stop?.(error);
    stopReading?.(ended);
  };
  call.onEnd = (listener) => {
    if (ended) listener(ended);
    else stopReading = listener;
  };
  const timer = setTimeout(() => end(new TimeoutError(timeoutMs, context)), timeoutMs);
  const onAbort = () => end(abortError(context, signal?.reason));
  signal?.addEventListener('abort', onAbort, { once: true });
  call.release = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    stopReading = undefined;
  };
  let sending: Promise<Response> | undefined;
  try {
    if (signal?.aborted) onAbort();
    if (ended) throw ended;
    sending = dispatch(request, fetch, controller);
    // Raced even for the global fetch: a user's fetch may ignore the signal (a stub, a cache),
    // and a runtime's own fetch may settle late after an abort (seen once in workerd under
    // load), so the deadline and the caller's signal end the attempt by themselves.
    return await raceWithStop(sending, (reject) => {
      stop = reject;
    });
  } catch (error) {
    // A response that arrives after the race was lost is never read: cancel its body.
    if (ended && sending) sending.then(cancelBody, noop);
    throw ended ?? connectionError(error, call);
  } finally {
    // `call.release` outlives the attempt: let it not keep the settled promise chain reachable
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
 * The user's fetch gets a `Request` (openapi-fetch's contract), a fresh one per attempt. The
 * global fetch gets URL + init: the same request on the wire without constructing a `Request`,
 * and undici sends a string body with Content-Length instead of re-streaming it.
 */
function dispatch(
  request: SendableRequest,
  fetch: FetchLike | undefined,
  controller: AbortController,
): Promise<Response> {
  if (fetch) return fetch(toRequest(request), new AttemptInit(controller));
  const { url, method, headers, body } = request;
  return globalThis.fetch(url, {
    method,
    headers,
    body,
    redirect: REDIRECT,
    signal: controller.signal,
  });
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

const cancelBody = (response: Response) => response.body?.cancel().catch(noop);

function connectionError(error: unknown, call: TransportCall): ConnectionError {
  const { secrets } = call.client;
  const cause = error instanceof Error ? error : new Error(String(error));
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = [cause.message, inner?.code ?? inner?.message].filter(Boolean).join(': ');
  const clean = redactSecrets(detail, secrets);
  // The original cause stays for debugging, redacted wherever it carries a credential.
  const connection = new ConnectionError(
    `connection failed (${clean || 'no detail'})`,
    call.context,
    {
      cause: redactError(cause, secrets),
    },
  );
  const code = errorCode(error);
  if (code !== undefined && NOT_SENT.test(code)) beforeSending.add(connection);
  return connection;
}
