/**
 * The request as the pipeline carries it: URL, method, headers and body, built once per call
 * (`buildRequest`). A `Request` object is made from it only where one is needed: for user
 * middleware and for a user-supplied `fetch`. The global fetch gets these parts as URL + init.
 */
import { createQuerySerializer } from 'openapi-fetch';
import type { RequestContext } from './errors.js';
import type { OperationKinds } from './registry.js';

export interface SendableRequest {
  readonly url: string;
  readonly method: string;
  /** A plain object when nothing needed case-insensitive merging (cheaper), else `Headers`. */
  readonly headers: Readonly<Record<string, string>> | Headers;
  /** A re-sendable body: the serialized JSON, or the bytes of a body middleware replaced. */
  readonly body: string | ArrayBuffer | undefined;
}

/** A redirect would carry X-Auth-* headers to wherever it points: surface it as an error instead. */
export const REDIRECT = 'manual';

/**
 * openapi-fetch's default query serializer (`a=1&b=x&b=y`), so query strings match its own. It
 * reaches the pipeline through the registry entries of operations with query parameters
 * (`OperationKinds.querySerializer`), so a bundle of operations without any holds none of it.
 */
// Pure: a bundler drops it (and openapi-fetch's serializers) where no entry refers to it.
export const querySerializer = /* @__PURE__ */ createQuerySerializer();

/** What `buildRequest` reads from a call. */
export interface BuildableCall {
  readonly client: { readonly baseUrl: string; readonly userAgent: string };
  readonly options: { readonly headers?: Readonly<Record<string, string>> | undefined };
  /** `context.path` is the encoded path. */
  readonly context: RequestContext;
  readonly query: Record<string, unknown> | undefined;
  /** The operation's kinds: its query serializer, when it has query parameters. */
  readonly kinds: Pick<OperationKinds, 'querySerializer'>;
  /** The serialized body (after validation and migration). */
  readonly body: string | undefined;
}

/**
 * URL (base URL, encoded path, serialized query) and headers as openapi-fetch merges them:
 * Content-Type (with a body), User-Agent, then per-call headers, which override them by name
 * (case-insensitively). Credentials are not added here: see `withCredentials` (src/auth.ts).
 */
export function buildRequest(call: BuildableCall): SendableRequest {
  const { client, context, body } = call;
  // Validation leaves no query to an operation without query parameters (nor a serializer).
  const serialize = call.kinds.querySerializer;
  const search = call.query && serialize ? serialize(call.query) : '';
  const base: Record<string, string> =
    body === undefined
      ? { 'User-Agent': client.userAgent }
      : { 'Content-Type': 'application/json', 'User-Agent': client.userAgent };
  const extra = call.options.headers;
  let headers: SendableRequest['headers'] = base;
  if (extra) {
    headers = new Headers(base);
    for (const name of Object.keys(extra)) headers.set(name, extra[name] as string);
  }
  return {
    url: `${client.baseUrl}${context.path}${search ? `?${search}` : ''}`,
    method: context.method,
    headers,
    body,
  };
}

/** A `Request` carrying exactly these parts (for middleware and for a user's fetch). */
export function toRequest({ url, method, headers, body }: SendableRequest): Request {
  return new Request(url, { method, headers, body, redirect: REDIRECT });
}
