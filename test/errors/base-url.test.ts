/**
 * A wrong `baseUrl` must be easy to diagnose: when the answer is not a Cloudflare envelope, the
 * error names the URL that was called (origin and full path, never the query or credentials) and,
 * when that path lacks the API prefix, says that `baseUrl` should end in /client/v4.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../src/defaults.js';
import { CloudflareApiError, createEmailSecurityClient } from '../../src/index.js';
import { unwrapEnvelope } from '../../src/response.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
const TOKEN = 'tok-base-url-test-0123456789abcdef';
const PATH = `/accounts/${ACCOUNT}/email-security/settings/allow_policies/${POLICY}`;
const API_PREFIX = new URL(DEFAULT_BASE_URL).pathname;
const HINT = `should end in ${API_PREFIX} (e.g. ${DEFAULT_BASE_URL})`;

type Answer = { status: number; type?: string; body: string };
/** What the server at its root answers, by the first path segment after the account id. */
const answers = new Map<string, Answer>();
let server: Server;
let origin: string;

beforeAll(async () => {
  // A plain server that serves from its root: nothing under /client/v4, no Cloudflare envelopes.
  server = createServer((request, response) => {
    const answer = answers.get(request.headers['x-case'] as string) ?? {
      status: 404,
      type: 'application/json',
      body: '{"error":"Not Found"}',
    };
    response.writeHead(answer.status, answer.type ? { 'content-type': answer.type } : {});
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failure(baseUrl: string, answer?: Answer): Promise<CloudflareApiError> {
  const cf = createEmailSecurityClient({
    accountId: ACCOUNT,
    auth: { apiToken: TOKEN },
    baseUrl,
    maxRetries: 0,
    onDeprecation: () => {},
  });
  const name = answer ? `case-${answers.size}` : 'default';
  if (answer) answers.set(name, answer);
  const error = await cf.allowPolicies
    .update(POLICY, { comments: 'x' }, { headers: { 'x-case': name } })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CloudflareApiError);
  return error as CloudflareApiError;
}

describe('an answer that is not a Cloudflare envelope names the URL called', () => {
  it('baseUrl at the root of a server that is not the API: full URL and the /client/v4 hint', async () => {
    const error = await failure(origin);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      `PATCH ${PATH}: 404 Not Found (JSON response is not a Cloudflare envelope {success, errors, messages, result}) ` +
        `from ${origin}${PATH}; is baseUrl right? It ${HINT}`,
    );
    expect(`${error.message}${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  const table: { given: Answer; base: string; want: { from: boolean; hint: boolean } }[] = [
    {
      given: { status: 404, type: 'text/html', body: '<h1>no</h1>' },
      base: '',
      want: { from: true, hint: true },
    },
    { given: { status: 405, body: '' }, base: '', want: { from: true, hint: true } },
    {
      given: { status: 200, type: 'text/html', body: '<html>app</html>' },
      base: '/app',
      want: { from: true, hint: true },
    },
    {
      given: { status: 200, type: 'application/json', body: '[]' },
      base: '',
      want: { from: true, hint: true },
    },
    // An edge failure is not a routing problem: the URL, no baseUrl hint.
    {
      given: { status: 502, type: 'text/html', body: '<h1>502</h1>' },
      base: '',
      want: { from: true, hint: false },
    },
    // The prefix is there: the URL shows what was called, the hint would be wrong.
    {
      given: { status: 404, type: 'text/html', body: '<h1>no</h1>' },
      base: API_PREFIX,
      want: { from: true, hint: false },
    },
    // A Cloudflare error envelope is the API talking: neither.
    {
      given: {
        status: 404,
        type: 'application/json',
        body: '{"success":false,"errors":[{"code":1003,"message":"not found"}],"messages":[],"result":null}',
      },
      base: '',
      want: { from: false, hint: false },
    },
  ];

  it.each(table)('$given.status $given.type at "$base": $want', async ({ given, base, want }) => {
    const error = await failure(`${origin}${base}`, given);
    expect(error.message.includes(` from ${origin}${base}${PATH}`)).toBe(want.from);
    expect(error.message.includes(HINT)).toBe(want.hint);
    expect(error.message).not.toContain(TOKEN);
  });

  it('never prints the query or user info of the URL that answered', () => {
    const response = new Response('<h1>no</h1>', { status: 404 });
    Object.defineProperty(response, 'url', {
      value: `https://user:${TOKEN}@proxy.example/accounts/x?token=${TOKEN}&sig=abc`,
    });
    const request = { operationId: 'op', method: 'PATCH', path: '/accounts/x' };
    let message = '';
    try {
      unwrapEnvelope(response, '<h1>no</h1>', { request, permissionGroups: [], secrets: [] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('from https://proxy.example/accounts/x;');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toMatch(/user|sig=/);
  });
});
