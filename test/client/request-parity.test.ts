/**
 * The client has two senders (src/client.ts): `sendDirect` when nothing can observe the request,
 * and openapi-fetch when there is middleware. Both must put the same request on the wire: same
 * method, URL (path encoding, query serialization), headers and body. A pass-through middleware
 * forces the openapi-fetch path; the user's fetch captures what each path sends.
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
const passThrough: Middleware = { onRequest: () => undefined };

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: string;
}

type Credentials = { apiToken: string } | { apiEmail: string; apiKey: string };
type Auth = Credentials | (() => Promise<Credentials>);

/** What the user's fetch receives for one call, with or without middleware. */
async function capture(
  call: (client: ReturnType<typeof createEmailSecurityClient>) => Promise<unknown>,
  withMiddleware: boolean,
  auth: Auth = { apiToken: 'parity-token-0123456789' },
): Promise<Sent> {
  let sent: Sent | undefined;
  const client = createEmailSecurityClient({
    accountId: ACCOUNT,
    auth,
    baseUrl: 'https://api.example.test/client/v4',
    userAgent: 'parity-test/1.0',
    middleware: withMiddleware ? [passThrough] : [],
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

describe('the direct sender and openapi-fetch send the same request', () => {
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
      const direct = await capture(call, false, auth);
      const throughOpenapiFetch = await capture(call, true, auth);
      expect(direct).toEqual(throughOpenapiFetch);
      expect(direct).toMatchObject(want);
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
      false,
    );
    expect(sent.headers).toEqual({
      authorization: 'Bearer parity-token-0123456789',
      'content-type': 'application/json',
      'user-agent': 'parity-test/1.0',
      'x-request-id': 'abc',
    });
  });
});
