/**
 * The two ways a checked call reaches the retrying fetch (`retry.ts`):
 *
 * - `createDirectSender`: no user middleware, so nothing can observe the request. The client
 *   builds the URL, headers and body exactly as openapi-fetch would, without its per-call
 *   machinery (measured: openapi-fetch alone costs ~1.2× a direct request with a stub fetch and
 *   ~1.45× raw fetch over loopback; `bench/client.bench.ts`). The global fetch then gets URL +
 *   init and never a `Request`; a user's fetch gets a `Request`, as openapi-fetch would give it.
 * - `createOpenapiFetchSender`: user middleware. openapi-fetch builds the `Request` and runs the
 *   user middleware, then the auth middleware (last, so user code never sees credentials).
 *
 * `test/client/request-parity.test.ts` checks that both put the same request on the wire.
 */
import createClient, { createQuerySerializer, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import type { CredentialHeaders } from './auth.js';
import type { OperationMetadata } from './metadata.js';
import type { ResolvedOptions } from './options.js';
import { type AttemptPlan, type AttemptScope, sendWithRetries } from './retry.js';

/** One call, checked and serialized: what a sender needs besides the client's options. */
export interface CheckedCall {
  readonly metadata: OperationMetadata;
  /** Path parameters, `account_id` included (openapi-fetch passes them to middleware). */
  readonly path: Record<string, unknown>;
  readonly query: Record<string, unknown> | undefined;
  /** Per-call headers (`RequestOptions.headers`); credentials override them. */
  readonly headers: Record<string, string> | undefined;
  /** The retry plan; `plan.body` is the serialized body, `plan.context.path` the encoded path. */
  readonly plan: AttemptPlan;
  readonly scope: AttemptScope;
}

/** The final response and its body text (read under the attempt's timeout). */
export interface Sent {
  readonly response: Response;
  readonly payload: unknown;
}

/** A redirect would carry X-Auth-* headers to wherever it points: surface it as an error instead. */
const REDIRECT = 'manual';

export function createDirectSender(config: ResolvedOptions) {
  const querySerializer = createQuerySerializer();
  /** The URL openapi-fetch would build: base URL, encoded path, then the serialized query. */
  const urlFor = (path: string, query: Record<string, unknown> | undefined) => {
    const search = query ? querySerializer(query) : '';
    return `${config.baseUrl}${path}${search ? `?${search}` : ''}`;
  };
  /**
   * Headers as openapi-fetch merges them (Content-Type, User-Agent, per-call headers), then the
   * credentials, which override per-call headers of the same name. Without per-call headers
   * this is a plain object; with them a `Headers`, so names merge case-insensitively.
   */
  const headersFor = (credentials: CredentialHeaders, call: CheckedCall) => {
    const base: Record<string, string> =
      call.plan.body === undefined
        ? { 'User-Agent': config.userAgent }
        : { 'Content-Type': 'application/json', 'User-Agent': config.userAgent };
    if (!call.headers) return Object.assign(base, credentials);
    const merged = new Headers(base);
    for (const [name, value] of Object.entries(call.headers)) merged.set(name, value);
    for (const [name, value] of Object.entries(credentials)) merged.set(name, value);
    return merged;
  };
  return async (credentials: CredentialHeaders, call: CheckedCall): Promise<Sent> => {
    const { context } = call.plan;
    const response = await sendWithRetries(
      {
        url: urlFor(context.path, call.query),
        method: context.method,
        headers: headersFor(credentials, call),
        redirect: REDIRECT,
      },
      call.plan,
      call.scope,
    );
    return { response, payload: await response.text() };
  };
}

export function createOpenapiFetchSender(
  config: ResolvedOptions,
  userMiddleware: readonly Middleware[],
) {
  const http = createClient<paths>({
    baseUrl: config.baseUrl,
    headers: { 'User-Agent': config.userAgent },
    redirect: REDIRECT,
  });
  // Requests as openapi-fetch built them, before user middleware could replace them: such a
  // request still carries the body this client serialized, so retries re-send that string
  // instead of cloning (teeing) the request body on every call.
  const builtHere = new WeakSet<Request>();
  http.use({ onRequest: ({ request }) => void builtHere.add(request) }, ...userMiddleware);
  return async (authMiddleware: Middleware, call: CheckedCall): Promise<Sent> => {
    const { plan, scope } = call;
    // A middleware may have replaced the request (and its body): retry.ts then copies its body.
    const planFor = (request: Request) =>
      builtHere.has(request) ? plan : { ...plan, body: undefined };
    const outcome = await http.request(
      call.metadata.method as 'patch',
      call.metadata.path as never,
      {
        params: { path: call.path, query: call.query } as never,
        body: plan.body as never,
        bodySerializer: (body: string) => body,
        pathSerializer: () => config.baseUrl + plan.context.path,
        parseAs: 'text',
        headers: call.headers,
        middleware: [authMiddleware],
        fetch: (request: Request) => sendWithRetries(request, planFor(request), scope),
      } as never,
    );
    return { response: outcome.response, payload: outcome.data ?? outcome.error };
  };
}
