/**
 * What the one request path (src/pipeline.ts) puts on the wire: method, URL (path encoding,
 * query serialization as openapi-fetch does it), headers and body, with credentials last. The
 * same call must send the same request whether the client has no middleware (the middleware
 * steps are skipped), a middleware that never reads the request (no `Request` is made for it),
 * or one that reads it (the hooks get a `Request`, the parts are taken back from it). The
 * user's fetch captures what is sent.
 */
import type { Middleware } from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import type { OperationMetadata } from '../../src/metadata.js';
import { handMadeMetadata, withExtraOperations } from './metadata-fixture.js';

const listAllowPoliciesMetadata: OperationMetadata = {
  ...handMadeMetadata,
  operationId: 'email_security_list_allow_policies',
  functionName: 'listAllowPolicies',
  method: 'get',
  path: '/accounts/{account_id}/email-security/settings/allow_policies',
  permissionGroups: ['Cloud Email Security: Read'],
  parameters: [
    handMadeMetadata.parameters[0] as OperationMetadata['parameters'][number],
    { name: 'page', in: 'query', required: false, rule: { type: 'integer' }, deprecated: false },
    { name: 'pattern', in: 'query', required: false, rule: { type: 'string' }, deprecated: false },
    {
      name: 'pattern_type',
      in: 'query',
      required: false,
      rule: { type: 'array', items: { type: 'string' } },
      deprecated: false,
    },
  ],
  requestBody: null,
};

vi.mock('../../generated/operations.js', (importOriginal) =>
  withExtraOperations(importOriginal, { listAllowPolicies: listAllowPoliciesMetadata }),
);

const { createEmailSecurityClient } = await import('../../src/index.js');

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
type Setup =
  | 'no middleware'
  | 'a middleware that never reads the request'
  | 'a middleware that reads it';
const SETUPS: readonly Setup[] = [
  'no middleware',
  'a middleware that never reads the request',
  'a middleware that reads it',
];
const middlewareFor: Record<Setup, Middleware[]> = {
  'no middleware': [],
  'a middleware that never reads the request': [{ onRequest: () => undefined }],
  'a middleware that reads it': [
    {
      onRequest: ({ request }) => {
        void request.headers.get('user-agent');
      },
    },
  ],
};

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: string;
}

type Credentials = { apiToken: string } | { apiEmail: string; apiKey: string };
type Auth = Credentials | (() => Promise<Credentials>);

/** What the user's fetch receives for one call, under one middleware setup. */
async function capture(
  call: (client: ReturnType<typeof createEmailSecurityClient>) => Promise<unknown>,
  setup: Setup,
  auth: Auth = { apiToken: 'parity-token-0123456789' },
): Promise<Sent> {
  let sent: Sent | undefined;
  const client = createEmailSecurityClient({
    accountId: ACCOUNT,
    auth,
    baseUrl: 'https://api.example.test/client/v4',
    userAgent: 'parity-test/1.0',
    middleware: middlewareFor[setup],
    onDeprecation: () => {},
    logger: { warn: () => {} }, // the Global API key advisory
    fetch: async (request) => {
      sent = {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
        redirect: request.redirect,
      };
      return Response.json({ success: true, errors: [], messages: [], result: { id: POLICY } });
    },
  });
  await call(client);
  if (!sent) throw new Error('nothing was sent');
  return sent;
}

describe('one request on the wire, whatever the middleware', () => {
  const cases: {
    name: string;
    auth?: Auth;
    call: (client: ReturnType<typeof createEmailSecurityClient>) => Promise<unknown>;
    want: Partial<Sent>;
  }[] = [
    {
      name: 'PATCH with a body',
      call: (c) => c.allowPolicies.update(POLICY, { is_trusted_sender: true, comments: null }),
      want: {
        method: 'PATCH',
        url: `https://api.example.test/client/v4/accounts/${ACCOUNT}/email-security/settings/allow_policies/${POLICY}`,
        body: '{"is_trusted_sender":true,"comments":null}',
        redirect: 'manual',
      },
    },
    {
      name: 'per-call headers merge case-insensitively; credentials win',
      call: (c) =>
        c.allowPolicies.update(
          POLICY,
          { pattern: 'a@example.com' },
          {
            headers: {
              'content-type': 'application/json; charset=utf-8',
              authorization: 'Bearer per-call-value',
              'X-Request-Id': 'abc',
            },
          },
        ),
      want: { body: '{"pattern":"a@example.com"}' },
    },
    {
      name: 'Global API key headers',
      auth: { apiEmail: 'ops@example.com', apiKey: 'parity-key-0123456789' },
      call: (c) => c.allowPolicies.update(POLICY, { verify_sender: false }),
      want: { method: 'PATCH' },
    },
    {
      name: 'credentials from an async provider',
      auth: async () => ({ apiToken: 'rotated-token-0123456789' }),
      call: (c) => c.allowPolicies.update(POLICY, { is_regex: false }),
      want: {
        headers: expect.objectContaining({ authorization: 'Bearer rotated-token-0123456789' }),
      },
    },
    {
      name: 'GET with a serialized query and no body',
      call: (c) =>
        // biome-ignore lint/suspicious/noExplicitAny: the extra operation is not in OperationTypes.
        (c.operations as any).listAllowPolicies({
          query: { page: 2, pattern: 'a b&c', pattern_type: ['EMAIL', 'DOMAIN'] },
        }),
      want: {
        method: 'GET',
        url: `https://api.example.test/client/v4/accounts/${ACCOUNT}/email-security/settings/allow_policies?page=2&pattern=a%20b%26c&pattern_type=EMAIL&pattern_type=DOMAIN`,
        body: '',
      },
    },
  ];

  for (const { name, auth, call, want } of cases) {
    it(name, async () => {
      const [plain, ...others] = await Promise.all(SETUPS.map((s) => capture(call, s, auth)));
      expect(plain).toMatchObject(want);
      for (const other of others) expect(other).toEqual(plain);
    });
  }

  it('headers: exactly the expected set, credentials last', async () => {
    const sent = await capture(
      (c) =>
        c.allowPolicies.update(
          POLICY,
          { pattern: 'a@example.com' },
          { headers: { authorization: 'Bearer per-call-value', 'X-Request-Id': 'abc' } },
        ),
      'no middleware',
    );
    expect(sent.headers).toEqual({
      authorization: 'Bearer parity-token-0123456789',
      'content-type': 'application/json',
      'user-agent': 'parity-test/1.0',
      'x-request-id': 'abc',
    });
  });
});
