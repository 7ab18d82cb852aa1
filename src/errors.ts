/**
 * One small error family. Every error thrown by this library is an `EmailSecurityError`;
 * messages read `PATCH /accounts/…/allow_policies/…: <what happened>`, or
 * `createEmailSecurityClient: <what is wrong>` (or `createClient: …`: the factory called) for the
 * client's own options and credentials.
 *
 * Credentials never appear in these errors: request headers are not stored on them, and
 * anything echoed from a server is passed through `redactSecrets` first.
 */

/** Where an error happened: the operation and the request line (path with ids, no query). */
export interface RequestContext {
  readonly operationId: string;
  /** Upper-case HTTP method, e.g. `PATCH`. */
  readonly method: string;
  /** The request path as sent (percent-encoded ids), without base URL or query. */
  readonly path: string;
}

/** An error of a client factory itself (bad options or credentials): no request exists yet. */
export interface ClientCreation {
  /** The factory the caller called. */
  readonly phase: 'createEmailSecurityClient' | 'createClient';
}

export const CLIENT_CREATION: ClientCreation = Object.freeze({
  phase: 'createEmailSecurityClient',
});

/** The creation of a client by `createClient` (src/core.ts). */
export const CORE_CLIENT_CREATION: ClientCreation = Object.freeze({ phase: 'createClient' });

/** A request, or the creation of the client. */
export type ErrorContext = RequestContext | ClientCreation;

function isRequest(context: ErrorContext | undefined): context is RequestContext {
  return context !== undefined && 'method' in context;
}

export function isClientCreation(context: ErrorContext | undefined): context is ClientCreation {
  return context !== undefined && 'phase' in context;
}

function prefixOf(context: ErrorContext | undefined): string {
  if (isRequest(context)) return `${context.method} ${context.path}: `;
  return context ? `${context.phase}: ` : '';
}

export class EmailSecurityError extends Error {
  override name = 'EmailSecurityError';
  // Own properties only when there is a request: an uncaught creation error printed by Node
  // shows no `operationId: undefined, method: undefined, path: undefined`.
  declare readonly operationId: string | undefined;
  declare readonly method: string | undefined;
  declare readonly path: string | undefined;

  constructor(message: string, context?: ErrorContext, options?: { cause?: unknown }) {
    super(`${prefixOf(context)}${message}`, options);
    if (isRequest(context)) {
      const { operationId, method, path } = context;
      Object.assign(this, { operationId, method, path });
    }
  }

  toJSON(): Record<string, unknown> {
    const { name, message, operationId, method, path } = this;
    return method === undefined ? { name, message } : { name, message, operationId, method, path };
  }
}

/** One problem found in a request before it was sent. */
export interface ValidationIssue {
  /** Dotted location, e.g. `body.pattern`, `path.policy_id`, `options.accountId`. */
  readonly at: string;
  /** What is wrong and how to fix it, e.g. `unknown field "patern" (did you mean "pattern"?)`. */
  readonly message: string;
}

/** The request is wrong; nothing was sent. */
export class ValidationError extends EmailSecurityError {
  override name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(
    issues: readonly ValidationIssue[],
    context?: ErrorContext,
    options?: { cause?: unknown },
  ) {
    const what = isClientCreation(context)
      ? 'invalid options, no client was created'
      : 'invalid request, nothing was sent';
    super(`${what}: ${issues.map((i) => `${i.at}: ${i.message}`).join('; ')}`, context, options);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** A deprecated field and its replacement were both given with different values; nothing was sent. */
export class DeprecationConflictError extends EmailSecurityError {
  override name = 'DeprecationConflictError';
  readonly field: string;
  readonly replacement: string;
  /** Where in the body, for an item of a batch array (`body.patches[3]`); absent at the top level. */
  readonly at: string | undefined;

  constructor(field: string, replacement: string, context?: RequestContext, at?: string) {
    super(
      `${at ? `${at}: ` : ''}"${field}" is deprecated and conflicts with its replacement "${replacement}" (different values); ` +
        `send only "${replacement}". Nothing was sent.`,
      context,
    );
    this.field = field;
    this.replacement = replacement;
    this.at = at;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      field: this.field,
      replacement: this.replacement,
      ...(this.at && { at: this.at }),
    };
  }
}

/**
 * A deprecated field, enum value, parameter or operation was used where the policy or its end of
 * life does not allow it (policy `'error'`, or past end of life with no replacement to migrate to).
 * Nothing was sent.
 */
export class DeprecatedFieldError extends EmailSecurityError {
  override name = 'DeprecatedFieldError';
  readonly field: string | null;
  readonly replacement: string | null;
  readonly deprecatedSince: string | null;
  readonly endOfLife: string | null;

  constructor(
    deprecation: {
      readonly field: string | null;
      readonly replacement: string | null;
      readonly deprecatedSince: string | null;
      readonly endOfLife: string | null;
    },
    message: string,
    context?: RequestContext,
  ) {
    super(message, context);
    this.field = deprecation.field;
    this.replacement = deprecation.replacement;
    this.deprecatedSince = deprecation.deprecatedSince;
    this.endOfLife = deprecation.endOfLife;
  }

  override toJSON(): Record<string, unknown> {
    const { field, replacement, deprecatedSince, endOfLife } = this;
    return { ...super.toJSON(), field, replacement, deprecatedSince, endOfLife };
  }
}

/** One entry of Cloudflare's `errors` / `messages` arrays. */
export interface CloudflareMessage {
  readonly code: number;
  readonly message: string;
  readonly documentation_url?: string;
  readonly source?: { readonly pointer?: string };
}

/** What the API answered, as carried by every `CloudflareApiError`. */
export interface ApiErrorDetails {
  readonly status: number;
  readonly errors: readonly CloudflareMessage[];
  readonly messages: readonly CloudflareMessage[];
  /** The `cf-ray` response header (quote it to Cloudflare support), or null. */
  readonly cfRay: string | null;
  /** A short excerpt of a body that was not a Cloudflare JSON envelope (HTML from the edge…). */
  readonly bodyExcerpt?: string;
  /** Server-requested wait from `retry-after-ms` / `Retry-After`, when present. */
  readonly retryAfterMs?: number;
  /** Token permission groups the operation needs (`x-api-token-group`). */
  readonly requiredPermissions?: readonly string[];
}

/** The API answered with an error (or with something that is not a usable envelope). */
export class CloudflareApiError extends EmailSecurityError {
  override name = 'CloudflareApiError';
  readonly status: number;
  readonly errors: readonly CloudflareMessage[];
  readonly messages: readonly CloudflareMessage[];
  readonly cfRay: string | null;
  readonly bodyExcerpt: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requiredPermissions: readonly string[];

  constructor(message: string, details: ApiErrorDetails, context?: RequestContext) {
    super(message, context);
    this.status = details.status;
    this.errors = details.errors;
    this.messages = details.messages;
    this.cfRay = details.cfRay;
    this.bodyExcerpt = details.bodyExcerpt;
    this.retryAfterMs = details.retryAfterMs;
    this.requiredPermissions = details.requiredPermissions ?? [];
  }

  override toJSON(): Record<string, unknown> {
    const { status, errors, messages, cfRay, bodyExcerpt, retryAfterMs } = this;
    return { ...super.toJSON(), status, errors, messages, cfRay, bodyExcerpt, retryAfterMs };
  }
}

/** 400: the API rejected the request body or parameters. */
export class BadRequestError extends CloudflareApiError {
  override name = 'BadRequestError';
}
/** 401: missing or invalid credentials. */
export class AuthenticationError extends CloudflareApiError {
  override name = 'AuthenticationError';
}
/** 403: credentials valid but not allowed; `requiredPermissions` names the token permission. */
export class PermissionDeniedError extends CloudflareApiError {
  override name = 'PermissionDeniedError';
}
/** 404: no such account or policy. */
export class NotFoundError extends CloudflareApiError {
  override name = 'NotFoundError';
}
/** 409: conflicting concurrent change. */
export class ConflictError extends CloudflareApiError {
  override name = 'ConflictError';
}
/** 422: well-formed but semantically invalid request. */
export class UnprocessableEntityError extends CloudflareApiError {
  override name = 'UnprocessableEntityError';
}
/** 429: rate limited; `retryAfterMs` is the server-requested wait when it sent one. */
export class RateLimitError extends CloudflareApiError {
  override name = 'RateLimitError';
}
/** 5xx: the API or Cloudflare's edge failed. */
export class InternalServerError extends CloudflareApiError {
  override name = 'InternalServerError';
}
/** 2xx whose body is not a usable Cloudflare envelope (not JSON, empty, wrong shape). */
export class InvalidResponseError extends CloudflareApiError {
  override name = 'InvalidResponseError';
}

/**
 * The response body is larger than `maxResponseBytes` (decoded); reading stopped there and
 * nothing more was read. Not retried: the request reached the API.
 */
export class ResponseTooLargeError extends CloudflareApiError {
  override name = 'ResponseTooLargeError';
  readonly limitBytes: number;

  constructor(limitBytes: number, details: ApiErrorDetails, context?: RequestContext) {
    super(
      `${details.status}: response body exceeds the ${limitBytes}-byte limit (maxResponseBytes); nothing more was read`,
      details,
      context,
    );
    this.limitBytes = limitBytes;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limitBytes: this.limitBytes };
  }
}

/** No HTTP response: DNS, refused or reset connection, TLS failure. Retried. */
/**
 * Paging a list went wrong: the server repeated a page, answered another page than the one asked
 * for, sent no page facts, or did not end within `maxPages`. The pages already yielded stand.
 */
export class PaginationError extends EmailSecurityError {
  override name = 'PaginationError';
  /** The page that was asked for when it went wrong (1-based). */
  readonly page: number;

  constructor(message: string, page: number, context?: RequestContext) {
    super(message, context);
    this.page = page;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), page: this.page };
  }
}

export class ConnectionError extends EmailSecurityError {
  override name = 'ConnectionError';
}

/** An attempt took longer than `timeoutMs`. Retried. */
export class TimeoutError extends EmailSecurityError {
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, context?: RequestContext) {
    super(`no response within ${timeoutMs} ms (timeoutMs)`, context);
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** The caller's `AbortSignal` fired; `cause` is the signal's reason. Never retried. */
export class AbortError extends EmailSecurityError {
  override name = 'AbortError';
}

/** Credentials are missing, ambiguous, malformed or not accepted by the operation. Nothing was sent. */
export class CredentialsError extends EmailSecurityError {
  override name = 'CredentialsError';
}
