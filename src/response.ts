/**
 * Cloudflare envelope → result, or the matching `CloudflareApiError` subclass. Everything
 * echoed from the server (messages, body excerpts) is passed through secret redaction.
 */

import { DEFAULT_BASE_URL } from './defaults.js';
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
  ResponseTooLargeError,
  UnprocessableEntityError,
} from './errors.js';
import { isPlainObject } from './guards.js';
import type { ValueRule } from './metadata.js';
import { REDACTED, redactDeep, redactSecrets, type SecretStore } from './redact.js';

export interface ResponseContext {
  readonly request: RequestContext;
  /** `x-api-token-group` of the operation, named in 403 messages. */
  readonly permissionGroups: readonly string[];
  /** The success envelope's `result` as the spec declares it (`OperationMetadata.resultRule`). */
  readonly resultRule?: ValueRule | null | undefined;
  /** Every credential the client has held, removed from anything the server echoes. */
  readonly secrets: SecretStore | Iterable<string>;
}

export interface UnwrappedResult<T> {
  readonly result: T;
  readonly messages: readonly CloudflareMessage[];
  /** The whole success envelope, for what comes beside `result` (e.g. a list's page facts). */
  readonly envelope: Readonly<Record<string, unknown>>;
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

const UTF8 = new TextDecoder();

/**
 * The body's text, reading at most `limitBytes` decoded bytes: fetch decodes every content
 * encoding as the stream is pulled, so stopping the pull stops the decompression too (a gzip bomb
 * is never inflated past the limit). Over the limit, or when `onStop`'s function is called (the
 * attempt's deadline or the caller's abort), the stream is cancelled and nothing more is read. A declared
 * `Content-Length` over the limit fails before reading anything.
 */
export async function readBodyLimited(
  response: Response,
  limitBytes: number,
  context: RequestContext,
  onStop?: (stop: (reason: unknown) => void) => void,
): Promise<string> {
  const tooLarge = () =>
    new ResponseTooLargeError(
      limitBytes,
      {
        status: response.status,
        errors: [],
        messages: [],
        cfRay: response.headers.get('cf-ray'),
      },
      context,
    );
  const body = response.body;
  if (body === null) return '';
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (
    declared > limitBytes &&
    (response.headers.get('content-encoding') ?? 'identity') === 'identity'
  ) {
    await body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Cancelling the reader settles a pending read at once, whatever the stream's source does.
  const stop: { stopped: boolean; reason?: unknown } = { stopped: false };
  onStop?.((reason) => {
    if (stop.stopped) return;
    stop.stopped = true;
    stop.reason = reason;
    reader.cancel(reason).catch(() => undefined);
  });
  try {
    for (;;) {
      if (stop.stopped) throw stop.reason;
      const { done, value } = await reader.read();
      if (stop.stopped) throw stop.reason;
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  }
  if (chunks.length === 1) return UTF8.decode(chunks[0]);
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return UTF8.decode(all);
}

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
    const { result } = envelope.value;
    const found = messagesOf(envelope.value.messages);
    const messages = found.length === 0 ? found : redactDeep(found, context.secrets);
    if ((result === null || result === undefined) && requiresResult(context.resultRule)) {
      throw missingResult(response, result, messages, context);
    }
    return { result: result as T, messages, envelope: envelope.value };
  }
  throw errorFor(response, envelope, context);
}

/** Whether the spec declares a result that cannot be null: an object or array, not nullable. */
function requiresResult(rule: ValueRule | null | undefined): boolean {
  return (rule?.type === 'object' || rule?.type === 'array') && rule.nullable !== true;
}

/** `messages` are redacted already. */
function missingResult(
  response: Response,
  result: unknown,
  messages: readonly CloudflareMessage[],
  context: ResponseContext,
) {
  const { status } = response;
  const what = result === null ? 'null' : 'absent';
  const declared = context.resultRule?.type === 'array' ? 'an array' : 'an object';
  return new InvalidResponseError(
    `${statusLine(status, REASONS[status])} (success envelope whose result is ${what}; the spec declares ${declared}): the change may or may not have been applied, read it back before retrying`,
    { status, errors: [], messages, cfRay: redactedCfRay(response, context.secrets) },
    context.request,
  );
}

/** `404 Not Found`, or only the status when there is no reason phrase. */
function statusLine(status: number, reason: string | undefined): string {
  return reason ? `${status} ${reason}` : String(status);
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
  return isPlainObject(value) && typeof value.success === 'boolean'
    ? { kind: 'envelope', value }
    : { kind: 'not-envelope' };
}

function messagesOf(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (m): m is CloudflareMessage => isPlainObject(m) && typeof m.message === 'string',
  );
}

function errorFor(response: Response, parsed: Parsed, context: ResponseContext) {
  const secrets = context.secrets;
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
    cfRay: redactedCfRay(response, secrets),
    bodyExcerpt,
    retryAfterMs: wait,
    requiredPermissions,
  };
  const reason = REASONS[status] ?? redactSecrets(response.statusText, secrets);
  const message = `${statusLine(status, reason)} (${describe(parsed, errors, bodyExcerpt)})${whereFrom(response, parsed, secrets)}${hint(status, requiredPermissions, wait)}`;
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
function whereFrom(
  response: Response,
  parsed: Parsed,
  secrets: ResponseContext['secrets'],
): string {
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

/** The response's `cf-ray`, redacted (a server may echo anything), or null. */
export function redactedCfRay(
  response: Response,
  secrets: ResponseContext['secrets'],
): string | null {
  const value = response.headers.get('cf-ray');
  return value === null ? null : redactSecrets(value, secrets);
}

/**
 * The first characters of a body, whitespace collapsed, credentials redacted. Only a bounded
 * prefix is redacted (long enough to hold any credential form that starts inside the excerpt),
 * so a large body costs no more than a small one.
 */
function excerpt(text: string, secrets: ResponseContext['secrets']): string {
  const head = text.slice(0, EXCERPT_LENGTH * 64);
  const flat = redactSecrets(head, secrets).replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return flat;
  const cut = flat.slice(0, EXCERPT_LENGTH);
  const open = cut.lastIndexOf('[');
  // A marker cut in half is dropped rather than shown as `[REDAC`.
  const partial =
    open !== -1 && REDACTED.startsWith(cut.slice(open)) && cut.length - open < REDACTED.length;
  return `${partial ? cut.slice(0, open) : cut}…`;
}

const ERROR_CLASSES: Record<number, typeof CloudflareApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function errorClassFor(status: number, isEnvelope: boolean): typeof CloudflareApiError {
  if (status >= 500) return InternalServerError;
  if (status >= 200 && status < 300) return isEnvelope ? CloudflareApiError : InvalidResponseError;
  return ERROR_CLASSES[status] ?? CloudflareApiError;
}
