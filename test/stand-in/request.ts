/** Tiny fetch wrapper for the stand-in's own tests (real HTTP, no client code under test). */
import { allowPoliciesUrl } from '../support/fixtures.js';
import type { StandInServer } from '../support/stand-in-server.js';

export type Auth = 'bearer' | 'api-key' | 'none' | Record<string, string>;

export interface CallOptions {
  policyId?: string;
  accountId?: string;
  query?: string;
  /** Sent as JSON unless it is a string (then sent as-is). */
  body?: unknown;
  auth?: Auth;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or `undefined` when the body is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary JSON; expect() does the checking.
  json: any;
}

export function authHeaders(server: StandInServer, auth: Auth): Record<string, string> {
  if (auth === 'bearer') return { authorization: `Bearer ${server.apiToken}` };
  if (auth === 'api-key') return { 'x-auth-email': server.apiEmail, 'x-auth-key': server.apiKey };
  if (auth === 'none') return {};
  return auth;
}

export async function call(
  server: StandInServer,
  method: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const url =
    allowPoliciesUrl(server.baseUrl, options.accountId ?? server.accountId, options.policyId) +
    (options.query ? `?${options.query}` : '');
  const headers: Record<string, string> = { ...authHeaders(server, options.auth ?? 'bearer') };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(url, { method, headers, body, signal: options.signal });
  return readResult(response);
}

export async function rawFetch(server: StandInServer, path: string, init: RequestInit = {}) {
  const origin = new URL(server.baseUrl).origin;
  return readResult(await fetch(origin + path, init));
}

async function readResult(response: Response): Promise<CallResult> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const CF_RAY = /^[0-9a-f]{16}-[A-Z]{3}$/;
