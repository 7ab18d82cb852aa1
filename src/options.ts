/**
 * Client and per-call options: their types, defaults and checks, resolved in one place each.
 * `resolveClientOptions` runs once per client and gives the `ClientSettings` every call reads;
 * `resolveCallOptions` merges a call's `RequestOptions` over the client's defaults. Adding an
 * option means adding it here (type, default, check) and reading it where it acts.
 */
import type { Middleware } from 'openapi-fetch';
import {
  type AuthOption,
  type AuthState,
  createAuthState,
  headerValueProblem,
  legacyKeyAdvisory,
  resolveAuth,
} from './auth.js';
import { DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES } from './defaults.js';
import {
  createDefaultDeprecationHandler,
  type DeprecationEvent,
  type DeprecationHandler,
  type DeprecationPolicy,
} from './deprecations.js';
import { type ClientCreation, ValidationError, type ValidationIssue } from './errors.js';
import type { ClientLog, Logger, Logging, LogLevel } from './logger.js';
import type { OperationMetadata } from './metadata.js';
import type { MiddlewareRunner, Middlewares } from './middleware.js';
import {
  createRateLimiter,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_RATE_LIMIT,
  type RateLimitBudget,
  type RateLimitWait,
} from './rate-limit.js';
import type { SecretStore } from './redact.js';
import {
  DEFAULT_RETRY_TIMING,
  type FetchLike,
  type RetryTiming,
  type TransportSettings,
} from './retry.js';

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
  /**
   * openapi-fetch middleware, run in order, before auth (they never see credentials). With
   * `createClient` (`/core`): `withMiddleware([…])` (from `/core`).
   */
  middleware?: readonly Middleware[] | Middlewares;
  /** Default `cloudflare-email-security-allow-policies/<version>`. */
  userAgent?: string;
  /**
   * Any object with some of `debug/info/warn/error` (e.g. `console`). Secrets are redacted. With
   * `createClient` (`/core`): `withLogger(console)` (from `/core`).
   */
  logger?: Logger | Logging;
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

/**
 * The options as the client factory resolves them, and as `createClient` (`/core`) takes them:
 * middleware only as `withMiddleware([…])` and a logger only as `withLogger(logger)`
 * (`createEmailSecurityClient` turns its `middleware` and `logger` into them).
 */
export type CoreClientOptions = Omit<EmailSecurityClientOptions, 'middleware' | 'logger'> & {
  readonly middleware?: Middlewares;
  readonly logger?: Logging;
};

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
  readonly middleware: MiddlewareRunner | undefined;
  readonly log: ClientLog | undefined;
  readonly auth: AuthState;
  readonly secrets: SecretStore;
  readonly maxResponseBytes: number;
  /** A call's options when it gives none (`accountId`, `timeoutMs`, `maxRetries` of the client). */
  readonly callDefaults: CallOptions;
}

const ACCOUNT_ID = /^[0-9a-f]{32}$/;
const POLICIES: readonly string[] = ['migrate', 'error', 'passthrough'];

/**
 * The client's settings from its options and the environment. Throws a `ValidationError` listing
 * every bad option, then a `CredentialsError` when there are no usable credentials.
 * `operations` (every registered operation) name the headers that are always redacted;
 * `creation` names the factory called, for the errors.
 */
export function resolveClientOptions(
  options: CoreClientOptions,
  env: Env,
  operations: readonly OperationMetadata[],
  creation: ClientCreation,
): ClientSettings {
  const accountId = options.accountId ?? env[ENV_ACCOUNT_ID];
  const resolved = {
    ...options,
    baseUrl: (options.baseUrl ?? env[ENV_BASE_URL] ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    retryDelay: { ...DEFAULT_RETRY_TIMING, ...options.retryDelay },
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    now: options.now ?? (() => new Date()),
    deprecations: options.deprecations ?? 'migrate',
  };
  const issues = optionIssues('options', resolved, CLIENT_OPTION_CHECKS);
  if (accountId !== undefined) issues.push(...accountIdIssues(accountId));
  if (issues.length > 0) throw new ValidationError(issues, creation);
  const { baseUrl, fetch, onRateLimit } = resolved;
  const log = options.logger?.forClient(options.logLevel ?? 'info', () => auth.secrets, operations);
  const auth = createAuthState(resolveAuth(options.auth, env, creation), () =>
    legacyKeyAdvisory(log),
  );
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
    fetch,
    timing: resolved.retryDelay,
    userAgent: resolved.userAgent,
    now: resolved.now,
    deprecations: resolved.deprecations,
    onDeprecation: options.onDeprecation ?? createDefaultDeprecationHandler(),
    middleware: options.middleware?.forClient(baseUrl, fetch),
    log,
    auth,
    secrets: auth.secrets,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    limiter,
    callDefaults: {
      accountId,
      timeoutMs: resolved.timeoutMs,
      maxRetries: resolved.maxRetries,
      issues: [],
    },
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
  merged.issues = optionIssues('requestOptions', given, CALL_OPTION_CHECKS);
  return merged as unknown as CallOptions;
}

/**
 * What is wrong with one option's value (a message, or issues of its own for a list), or
 * nothing. Options left undefined are not checked: their defaults are valid.
 */
type OptionCheck = (value: never) => string | readonly ValidationIssue[] | false | null | undefined;

/** A check that fails with `message` when `ok` says no. */
const must =
  <T>(ok: (value: T) => boolean, message: string): OptionCheck =>
  (value: T) =>
    !ok(value) && message;

const isFunction = (value: unknown) => typeof value === 'function';
const isPositiveWhole = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;

const NUMBER_CHECKS = {
  timeoutMs: must(
    (ms: unknown) => typeof ms === 'number' && ms > 0 && ms <= 2_147_483_647,
    'must be a positive number of milliseconds',
  ),
  maxRetries: must(
    (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 10,
    'must be an integer from 0 to 10',
  ),
};

/** Per-call options, in the order their problems are listed. */
const CALL_OPTION_CHECKS: Record<string, OptionCheck> = {
  ...NUMBER_CHECKS,
  headers: headerIssues,
  responseDeprecations: must(
    (mode: string) => RESPONSE_DEPRECATIONS.includes(mode),
    `must be ${RESPONSE_DEPRECATIONS.map((mode) => `'${mode}'`).join(' or ')}`,
  ),
};

/** Client options, in the order their problems are listed. */
const CLIENT_OPTION_CHECKS: Record<string, OptionCheck> = {
  ...NUMBER_CHECKS,
  baseUrl: baseUrlProblem,
  fetch: must(isFunction, 'must be a fetch-compatible function'),
  middleware: middlewaresIssues,
  logger: must(
    (logger: Partial<Logging>) => typeof logger.forClient === 'function',
    'createClient takes a logger only as withLogger(logger) (from /core)',
  ),
  now: clockProblem,
  userAgent: must(
    (agent: string) => /^[\x21-\x7e][\x20-\x7e]*$/.test(agent) && agent.trim() === agent,
    'must be printable ASCII without surrounding whitespace',
  ),
  deprecations: must(
    (policy: string) => POLICIES.includes(policy),
    `must be one of ${POLICIES.join(', ')}`,
  ),
  maxResponseBytes: must(isPositiveWhole, 'must be a positive whole number of bytes'),
  rateLimit: must(
    (budget: RateLimitBudget | false | null) =>
      budget === false ||
      (typeof budget === 'object' &&
        budget !== null &&
        Number.isSafeInteger(budget.requests) &&
        budget.requests > 0 &&
        budget.requests <= 1_000_000 &&
        Number.isFinite(budget.windowMs) &&
        budget.windowMs > 0),
    'must be false or { requests: 1…1000000, windowMs: > 0 }, e.g. { requests: 1200, windowMs: 300000 }',
  ),
  maxConcurrency: must(isPositiveWhole, 'must be a positive whole number'),
  onRateLimit: must(isFunction, 'must be a function'),
  retryDelay: must(
    ({ initialDelayMs, maxDelayMs }: RetryTiming) =>
      initialDelayMs >= 0 && maxDelayMs >= initialDelayMs,
    'needs 0 ≤ initialDelayMs ≤ maxDelayMs',
  ),
};

/** Middleware as `withMiddleware` gives it (what `createClient` takes), or the fix. */
function middlewaresIssues(middleware: Partial<Middlewares>): readonly ValidationIssue[] | string {
  return typeof middleware.forClient === 'function'
    ? (middleware.issues ?? [])
    : 'createClient takes middleware only as withMiddleware([…]) (from /core)';
}

/** Every problem of the given options, by `checks`, at `<prefix>.<option>`. */
function optionIssues(
  prefix: string,
  given: object,
  checks: Record<string, OptionCheck>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, check] of Object.entries(checks)) {
    const value = (given as Record<string, never>)[name];
    if (value === undefined) continue;
    const problem = check(value);
    if (typeof problem === 'string') issues.push({ at: `${prefix}.${name}`, message: problem });
    else if (problem) issues.push(...problem);
  }
  return issues;
}

/** Per-call headers must be sendable as they are (no CR/LF injection, printable ASCII). */
function headerIssues(headers: Record<string, string> | null): ValidationIssue[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) => {
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
