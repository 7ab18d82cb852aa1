/**
 * Cloudflare envelope → result, or the matching `CloudflareApiError` subclass. Everything
 * echoed from the server (messages, body excerpts) is passed through secret redaction.
 */
import {
  AuthenticationError,
  BadRequestError,
  CloudflareApiError,
  type CloudflareMessage,
  ConflictError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RequestContext,
  UnprocessableEntityError,
} from './errors.js';
import { DEFAULT_BASE_URL } from './options.js';
import { redactDeep, redactSecrets } from './redact.js';

export interface ResponseContext {
  readonly request: RequestContext;
  /** `x-api-token-group` of the operation, named in 403 messages. */
  readonly permissionGroups: readonly string[];
  /** Current credential values, removed from anything the server echoes. */
  readonly secrets: Iterable<string>;
}

export interface UnwrappedResult<T> {
  readonly result: T;
  readonly messages: readonly CloudflareMessage[];
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const EXCERPT_LENGTH = 160;

/**
 * The server-requested wait in ms from `retry-after-ms` (ms) or `Retry-After` (seconds or an
 * HTTP date), or undefined when absent or unparseable.
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Unwrap `{ success: true, result }`, or throw the error the response stands for. */
export function unwrapEnvelope<T>(
  response: Response,
  payload: unknown,
  context: ResponseContext,
): UnwrappedResult<T> {
  const envelope = parsePayload(payload);
  if (response.ok && envelope.kind === 'envelope' && envelope.value.success === true) {
    return { result: envelope.value.result as T, messages: messagesOf(envelope.value.messages) };
  }
  throw errorFor(response, envelope, context);
}

type Parsed =
  | { kind: 'envelope'; value: Record<string, unknown> }
  | { kind: 'empty' }
  | { kind: 'not-json'; text: string }
  | { kind: 'not-envelope' };

function parsePayload(payload: unknown): Parsed {
  let value = payload;
  if (payload === undefined || payload === null || payload === '') return { kind: 'empty' };
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch {
      return { kind: 'not-json', text: payload };
    }
  }
  const isEnvelope =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { success?: unknown }).success === 'boolean';
  return isEnvelope
    ? { kind: 'envelope', value: value as Record<string, unknown> }
    : { kind: 'not-envelope' };
}

function messagesOf(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (m): m is CloudflareMessage =>
      typeof m === 'object' && m !== null && typeof (m as CloudflareMessage).message === 'string',
  );
}

function errorFor(response: Response, parsed: Parsed, context: ResponseContext) {
  const secrets = [...context.secrets];
  const status = response.status;
  const errors =
    parsed.kind === 'envelope' ? redactDeep(messagesOf(parsed.value.errors), secrets) : [];
  const messages =
    parsed.kind === 'envelope' ? redactDeep(messagesOf(parsed.value.messages), secrets) : [];
  const bodyExcerpt = parsed.kind === 'not-json' ? excerpt(parsed.text, secrets) : undefined;
  const wait =
    status === 429 || status === 503 ? retryAfterMs(response.headers, Date.now()) : undefined;
  const requiredPermissions = context.permissionGroups;
  const details = {
    status,
    errors,
    messages,
    cfRay: redactOrNull(response.headers.get('cf-ray'), secrets),
    bodyExcerpt,
    retryAfterMs: wait,
    requiredPermissions,
  };
  const reason = REASONS[status] ?? redactSecrets(response.statusText, secrets);
  const message = `${status}${reason ? ` ${reason}` : ''} (${describe(parsed, errors, bodyExcerpt)})${whereFrom(response, parsed, secrets)}${hint(status, requiredPermissions, wait)}`;
  const ErrorClass = errorClassFor(status, parsed.kind === 'envelope');
  return new ErrorClass(message, details, context.request);
}

function describe(parsed: Parsed, errors: readonly CloudflareMessage[], bodyExcerpt?: string) {
  if (errors.length > 0) return errors.map((e) => `code ${e.code}: ${e.message}`).join('; ');
  switch (parsed.kind) {
    case 'empty':
      return 'empty response body';
    case 'not-json':
      return `response is not JSON: "${bodyExcerpt}"`;
    case 'not-envelope':
      return 'JSON response is not a Cloudflare envelope {success, errors, messages, result}';
    default:
      return parsed.value.success === true
        ? 'success envelope on an error status'
        : 'no error details';
  }
}

function hint(status: number, permissions: readonly string[], wait: number | undefined) {
  if (status === 403 && permissions.length > 0) {
    return ` — the token needs ${permissions.map((p) => `"${p}"`).join(' or ')}`;
  }
  if (wait !== undefined) return ` — the server asked to wait ${Math.ceil(wait / 1000)} s`;
  return '';
}

/**
 * For a response that is not a Cloudflare envelope: the URL that answered (origin and full path,
 * never the query or user info), and, when its path lacks the API prefix and the status says
 * "no such route" or "not the API", a hint to fix `baseUrl`. Unknown URL (a `fetch` that returns
 * a `Response` it built itself): nothing.
 */
function whereFrom(response: Response, parsed: Parsed, secrets: readonly string[]): string {
  if (parsed.kind === 'envelope' || !response.url) return '';
  let url: URL;
  try {
    url = new URL(response.url);
  } catch {
    return '';
  }
  const called = ` from ${redactSecrets(`${url.origin}${url.pathname}`, secrets)}`;
  const apiPrefix = `${new URL(DEFAULT_BASE_URL).pathname}/`;
  const routeProblem = response.ok || (response.status >= 400 && response.status < 500);
  if (!routeProblem || url.pathname.includes(apiPrefix)) return called;
  return `${called}; is baseUrl right? It should end in ${apiPrefix.slice(0, -1)} (e.g. ${DEFAULT_BASE_URL})`;
}

function redactOrNull(value: string | null, secrets: readonly string[]) {
  return value === null ? null : redactSecrets(value, secrets);
}

function excerpt(text: string, secrets: readonly string[]): string {
  const flat = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
}

function errorClassFor(status: number, isEnvelope: boolean): typeof CloudflareApiError {
  if (status >= 500) return InternalServerError;
  if (status >= 200 && status < 300) return isEnvelope ? CloudflareApiError : InvalidResponseError;
  const byStatus: Record<number, typeof CloudflareApiError> = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
  };
  return byStatus[status] ?? CloudflareApiError;
}
