/**
 * One small error family. Every error thrown by this library is an `EmailSecurityError`;
 * messages read `PATCH /accounts/…/allow_policies/…: <what happened>`.
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

export class EmailSecurityError extends Error {
  override name = 'EmailSecurityError';
  readonly operationId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, context?: RequestContext, options?: { cause?: unknown }) {
    super(context ? `${context.method} ${context.path}: ${message}` : message, options);
    this.operationId = context?.operationId;
    this.method = context?.method;
    this.path = context?.path;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operationId: this.operationId,
      method: this.method,
      path: this.path,
    };
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

  constructor(issues: readonly ValidationIssue[], context?: RequestContext) {
    super(
      `invalid request, nothing was sent: ${issues.map((i) => `${i.at}: ${i.message}`).join('; ')}`,
      context,
    );
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

  constructor(field: string, replacement: string, context?: RequestContext) {
    super(
      `"${field}" is deprecated and conflicts with its replacement "${replacement}" (different values); ` +
        `send only "${replacement}". Nothing was sent.`,
      context,
    );
    this.field = field;
    this.replacement = replacement;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, replacement: this.replacement };
  }
}
