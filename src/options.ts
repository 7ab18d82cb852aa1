/**
 * Client and per-call options: their types, defaults and checks, resolved in one place each.
 * `resolveClientOptions` runs once per client and gives the `ClientSettings` every call reads;
 * `resolveCallOptions` merges a call's `RequestOptions` over the client's defaults. Adding an
 * option means adding it here (type, default, check) and reading it where it acts.
 */
import type { MergedOptions, Middleware } from 'openapi-fetch';
import {
  type AuthOption,
  type AuthState,
  createAuthState,
  headerValueProblem,
  legacyKeyAdvisory,
  resolveAuth,
  securityHeaderNames,
} from './auth.js';
import {
  createDefaultDeprecationHandler,
  type DeprecationEvent,
  type DeprecationHandler,
  type DeprecationPolicy,
} from './deprecations.js';
import { CLIENT_CREATION, ValidationError, type ValidationIssue } from './errors.js';
import { createLog, type Log, type Logger, type LogLevel } from './logger.js';
import type { OperationMetadata } from './metadata.js';
import { hookOptions, middlewareIssues, usableMiddleware } from './middleware.js';
import {
  createRateLimiter,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_RATE_LIMIT,
  type RateLimitBudget,
  type RateLimitWait,
} from './rate-limit.js';
import type { SecretStore } from './redact.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './response.js';
import {
  DEFAULT_RETRY_TIMING,
  type FetchLike,
  type RetryTiming,
  type TransportSettings,
} from './retry.js';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const ENV_ACCOUNT_ID = 'CLOUDFLARE_ACCOUNT_ID';
export const ENV_BASE_URL = 'CLOUDFLARE_BASE_URL';
export const DEFAULT_USER_AGENT = 'cloudflare-email-security-allow-policies/0.1.0';

export interface EmailSecurityClientOptions {
  /** 32 lowercase hex characters. Default: env `CLOUDFLARE_ACCOUNT_ID`. */
  accountId?: string;
  /**
   * `{ apiToken }` (preferred), `{ apiEmail, apiKey }`, or a (possibly async) function returning
   * either, called before every request. Default: env `CLOUDFLARE_API_TOKEN`, else
   * `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`.
   */
  auth?: AuthOption;
  /** Default: env `CLOUDFLARE_BASE_URL`, else `https://api.cloudflare.com/client/v4`. */
  baseUrl?: string;
  /** Default: `globalThis.fetch`. Receives a `Request` and `{ signal }` (the attempt's signal). */
  fetch?: FetchLike;
  /** Per attempt, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number;
  /** Backoff tuning: `min(initialDelayMs·2^n, maxDelayMs)` minus up to 25 % jitter. */
  retryDelay?: Partial<Pick<RetryTiming, 'initialDelayMs' | 'maxDelayMs'>>;
  /** openapi-fetch middleware, run in order, before auth (they never see credentials). */
  middleware?: readonly Middleware[];
  /** Default `cloudflare-email-security-allow-policies/<version>`. */
  userAgent?: string;
  /** Any object with some of `debug/info/warn/error` (e.g. `console`). Secrets are redacted. */
  logger?: Logger;
  /** Lowest level passed to `logger`. Default `'info'`. */
  logLevel?: LogLevel | 'off';
  /** The clock for deprecation dates. Default: the system clock. */
  now?: () => Date;
  /** Called for every deprecation event. Default: one Node warning per field per client. */
  onDeprecation?: (event: DeprecationEvent) => void;
  /** What to do with deprecated request fields. Default `'migrate'`. */
  deprecations?: DeprecationPolicy;
  /**
   * Largest response body read, in bytes after decoding (gzip, br…). Default 8 MiB. Over it the
   * call fails with `ResponseTooLargeError` and nothing more is read.
   */
  maxResponseBytes?: number;
  /**
   * The client-side request budget shared by every call of this client, default Cloudflare's
   * `{ requests: 1200, windowMs: 300000 }`; the server's `Ratelimit` headers tighten it. `false`
   * turns budgeting off (also the server headers and the client-wide pause after a 429).
   */
  rateLimit?: RateLimitBudget | false;
  /** Most requests in flight at once for this client. Default 8. */
  maxConcurrency?: number;
  /** Called whenever calls wait for the rate limit: the wait, the reason, how many are queued. */
  onRateLimit?: (wait: RateLimitWait) => void;
}

/** Per-call options; each overrides the client's. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Extra request headers (credentials are set by the client and override these). */
  headers?: Record<string, string>;
  accountId?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /**
   * `'as-sent'`: the result exactly as the API sent it, without filling the replacements of
   * deprecated response fields (src/deprecations.ts), for tools that audit what is stored.
   * Default `'fill'`.
   */
  responseDeprecations?: ResponseDeprecations;
}

export type ResponseDeprecations = 'fill' | 'as-sent';
const RESPONSE_DEPRECATIONS: readonly string[] = [
  'fill',
  'as-sent',
] satisfies ResponseDeprecations[];

export type Env = Readonly<Record<string, string | undefined>>;

export function readEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/** A call's options: its `RequestOptions` over the client's defaults. */
export interface CallOptions extends Readonly<RequestOptions> {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Problems with the per-call options, reported with the call's validation issues. */
  readonly issues: readonly ValidationIssue[];
}

/** Everything a call reads from its client: options after defaults, checked once at creation. */
export interface ClientSettings extends TransportSettings {
  readonly baseUrl: string;
  readonly userAgent: string;
  /** The clock for deprecation dates (checked at creation). */
  readonly now: () => Date;
  readonly deprecations: DeprecationPolicy;
  readonly onDeprecation: DeprecationHandler;
  /** User middleware (empty entries dropped); none means the middleware steps are skipped. */
  readonly middleware: readonly Middleware[];
  /** The `options` middleware hooks receive. */
  readonly hookOptions: MergedOptions;
  readonly log: Log | undefined;
  readonly auth: AuthState;
  readonly secrets: SecretStore;
  readonly sensitiveHeaders: ReadonlySet<string>;
  readonly maxResponseBytes: number;
  /** A call's options when it gives none (`accountId`, `timeoutMs`, `maxRetries` of the client). */
  readonly callDefaults: CallOptions;
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;
const POLICIES: readonly string[] = ['migrate', 'error', 'passthrough'];

/**
 * The client's settings from its options and the environment. Throws a `ValidationError` listing
 * every bad option, then a `CredentialsError` when there are no usable credentials.
 * `operations` (every registered operation) name the headers that are always redacted.
 */
export function resolveClientOptions(
  options: EmailSecurityClientOptions,
  env: Env,
  operations: readonly OperationMetadata[],
): ClientSettings {
  const accountId = options.accountId ?? env[ENV_ACCOUNT_ID];
  const baseUrl = (options.baseUrl ?? env[ENV_BASE_URL] ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const callDefaults: CallOptions = {
    accountId,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    issues: [],
  };
  const unchecked = {
    accountId,
    baseUrl,
    fetch: options.fetch,
    timeoutMs: callDefaults.timeoutMs,
    maxRetries: callDefaults.maxRetries,
    timing: { ...DEFAULT_RETRY_TIMING, ...options.retryDelay },
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    now: options.now ?? (() => new Date()),
    deprecations: options.deprecations ?? 'migrate',
  };
  const issues = [
    ...optionIssues(options, unchecked),
    ...(accountId === undefined ? [] : accountIdIssues(accountId)),
  ];
  if (issues.length > 0) throw new ValidationError(issues, CLIENT_CREATION);
  const middleware = usableMiddleware(options.middleware);
  const log = createLog(options.logger, options.logLevel ?? 'info', () => auth.secrets);
  const auth = createAuthState(resolveAuth(options.auth, env), () => legacyKeyAdvisory(log));
  const onRateLimit = options.onRateLimit;
  const limiter = createRateLimiter({
    budget: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    onWait: (wait) => {
      log?.('debug', `waiting ${wait.waitMs} ms for the rate limit (${wait.reason})`, { ...wait });
      try {
        onRateLimit?.(wait);
      } catch (error) {
        // Waiting goes on whatever the hook does: a throwing hook must not strand queued calls.
        log?.('error', 'onRateLimit threw', { error: String(error) });
      }
    },
  });
  return {
    baseUrl,
    fetch: unchecked.fetch,
    timing: unchecked.timing,
    userAgent: unchecked.userAgent,
    now: unchecked.now,
    deprecations: unchecked.deprecations,
    onDeprecation: options.onDeprecation ?? createDefaultDeprecationHandler(),
    middleware,
    hookOptions: hookOptions(baseUrl, unchecked.fetch),
    log,
    auth,
    secrets: auth.secrets,
    sensitiveHeaders: securityHeaderNames(operations),
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    limiter,
    callDefaults,
  };
}

/** A call's options: the given ones over the client's defaults, with their problems listed. */
export function resolveCallOptions(
  client: ClientSettings,
  given: RequestOptions | undefined,
): CallOptions {
  const defaults = client.callDefaults;
  if (given === undefined) return defaults;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [name, value] of Object.entries(given)) if (value !== undefined) merged[name] = value;
  const call = merged as unknown as CallOptions;
  const issues: ValidationIssue[] = [];
  if (given.timeoutMs !== undefined || given.maxRetries !== undefined) {
    issues.push(...numberIssues('requestOptions', call.timeoutMs, call.maxRetries));
  }
  if (given.headers) issues.push(...headerIssues(given.headers));
  const shim = given.responseDeprecations;
  if (shim !== undefined && !RESPONSE_DEPRECATIONS.includes(shim)) {
    issues.push({
      at: 'requestOptions.responseDeprecations',
      message: `must be ${RESPONSE_DEPRECATIONS.map((v) => `'${v}'`).join(' or ')}`,
    });
  }
  merged.issues = issues;
  return call;
}

/** Per-call headers must be sendable as they are (no CR/LF injection, printable ASCII). */
function headerIssues(headers: Record<string, string>): ValidationIssue[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    const at = `requestOptions.headers.${name.slice(0, 64)}`;
    if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) return [{ at, message: 'is not a valid header name' }];
    const problem = headerValueProblem(value);
    return problem ? [{ at, message: problem }] : [];
  });
}

/** Problems with the account id (checked at creation and per call). */
export function accountIdIssues(accountId: unknown): ValidationIssue[] {
  const at = 'options.accountId';
  if (accountId === undefined || accountId === '') {
    return [{ at, message: `is required: pass accountId or set ${ENV_ACCOUNT_ID}` }];
  }
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    return [
      {
        at,
        message:
          'must be 32 lowercase hexadecimal characters (the id in the dashboard URL, e.g. 023e105f4ecef8ad9ca31a8372d0c353)',
      },
    ];
  }
  return [];
}

/** Problems with per-call or client numeric options. */
export function numberIssues(prefix: string, timeoutMs: unknown, maxRetries: unknown) {
  const issues: ValidationIssue[] = [];
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2_147_483_647) {
    issues.push({
      at: `${prefix}.timeoutMs`,
      message: 'must be a positive number of milliseconds',
    });
  }
  if (!Number.isInteger(maxRetries) || (maxRetries as number) < 0 || (maxRetries as number) > 10) {
    issues.push({ at: `${prefix}.maxRetries`, message: 'must be an integer from 0 to 10' });
  }
  return issues;
}

interface Unchecked {
  readonly baseUrl: string;
  readonly fetch: unknown;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly timing: RetryTiming;
  readonly userAgent: string;
  readonly now: unknown;
  readonly deprecations: string;
}

function optionIssues(options: EmailSecurityClientOptions, r: Unchecked): ValidationIssue[] {
  const issues = numberIssues('options', r.timeoutMs, r.maxRetries);
  const problem = baseUrlProblem(r.baseUrl);
  if (problem) issues.push({ at: 'options.baseUrl', message: problem });
  if (r.fetch !== undefined && typeof r.fetch !== 'function') {
    issues.push({ at: 'options.fetch', message: 'must be a fetch-compatible function' });
  }
  issues.push(...middlewareIssues(options.middleware));
  const clock = clockProblem(r.now);
  if (clock) issues.push({ at: 'options.now', message: clock });
  if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(r.userAgent) || r.userAgent.trim() !== r.userAgent) {
    issues.push({
      at: 'options.userAgent',
      message: 'must be printable ASCII without surrounding whitespace',
    });
  }
  if (!POLICIES.includes(r.deprecations)) {
    issues.push({ at: 'options.deprecations', message: `must be one of ${POLICIES.join(', ')}` });
  }
  issues.push(...reliabilityIssues(options));
  const { initialDelayMs, maxDelayMs } = r.timing;
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= initialDelayMs)) {
    issues.push({ at: 'options.retryDelay', message: 'needs 0 ≤ initialDelayMs ≤ maxDelayMs' });
  }
  return issues;
}

/** `maxResponseBytes`, `rateLimit`, `maxConcurrency`, `onRateLimit`. */
function reliabilityIssues(options: EmailSecurityClientOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { maxResponseBytes, rateLimit, maxConcurrency, onRateLimit } = options;
  if (
    maxResponseBytes !== undefined &&
    !(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0)
  ) {
    issues.push({
      at: 'options.maxResponseBytes',
      message: 'must be a positive whole number of bytes',
    });
  }
  if (
    rateLimit !== undefined &&
    rateLimit !== false &&
    !(
      typeof rateLimit === 'object' &&
      rateLimit !== null &&
      Number.isSafeInteger(rateLimit.requests) &&
      rateLimit.requests > 0 &&
      rateLimit.requests <= 1_000_000 &&
      Number.isFinite(rateLimit.windowMs) &&
      rateLimit.windowMs > 0
    )
  ) {
    issues.push({
      at: 'options.rateLimit',
      message:
        'must be false or { requests: 1…1000000, windowMs: > 0 }, e.g. { requests: 1200, windowMs: 300000 }',
    });
  }
  if (
    maxConcurrency !== undefined &&
    !(Number.isSafeInteger(maxConcurrency) && maxConcurrency > 0)
  ) {
    issues.push({ at: 'options.maxConcurrency', message: 'must be a positive whole number' });
  }
  if (onRateLimit !== undefined && typeof onRateLimit !== 'function') {
    issues.push({ at: 'options.onRateLimit', message: 'must be a function' });
  }
  return issues;
}

/** The clock is called once here, so a broken one fails at creation rather than on a call. */
function clockProblem(now: unknown): string | null {
  const message = 'must be a function returning a valid Date (the clock for deprecations)';
  if (typeof now !== 'function') return message;
  try {
    const date: unknown = now();
    return date instanceof Date && !Number.isNaN(date.getTime()) ? null : message;
  } catch {
    return message;
  }
}

/** https anywhere; plain http only to loopback (local servers, Prism), so credentials never cross a network in clear. */
function baseUrlProblem(baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'must be an absolute URL such as https://api.cloudflare.com/client/v4';
  }
  if (url.search || url.hash || url.username || url.password) {
    return 'must not contain a query, fragment or user info';
  }
  if (url.protocol === 'https:') return null;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback) return null;
  return 'must use https (plain http is only allowed to localhost / 127.0.0.1 / [::1])';
}
