/**
 * User middleware keeps openapi-fetch 0.17's semantics (modelled on openapi-fetch's own
 * test/middleware tests), run by src/middleware.ts against the local stand-in API, and no hook
 * can ever read the credentials.
 */
import type { Middleware, MiddlewareCallbackParams } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type AuthOption,
  ConnectionError,
  createEmailSecurityClient,
  type EmailSecurityClientOptions,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { fastRetries, rejection } from './helpers.js';

let api: StandInServer;
beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => api.reset());

const client = (options: EmailSecurityClientOptions) =>
  createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: `${api.baseUrl}/`,
    retryDelay: fastRetries,
    onDeprecation: () => {},
    ...options,
  });

const envelope = (result: unknown) =>
  Response.json({ success: true, errors: [], messages: [], result });

describe('middleware semantics (openapi-fetch 0.17)', () => {
  it('receives one id per request, the same in onRequest and onResponse', async () => {
    const seeded = api.seedPolicy();
    const requestIds: string[] = [];
    const responseIds: string[] = [];
    const cf = client({
      middleware: [
        {
          onRequest: ({ id }) => void requestIds.push(id),
          onResponse: ({ id }) => void responseIds.push(id),
        },
      ],
    });
    for (let i = 0; i < 3; i++) await cf.allowPolicies.update(seeded.id, { comments: `${i}` });
    expect(responseIds).toEqual(requestIds);
    expect(new Set(requestIds).size).toBe(3);
    for (const id of requestIds) expect(id).toMatch(/^[0-9a-z]{1,9}$/);
  });

  it('receives the schema path, the params (account id included) and the client options', async () => {
    const seeded = api.seedPolicy();
    let received: Omit<MiddlewareCallbackParams, 'request' | 'id'> | undefined;
    await client({
      middleware: [
        {
          onRequest: ({ schemaPath, params, options }) => {
            received = { schemaPath, params, options };
          },
        },
      ],
    }).allowPolicies.update(seeded.id, { comments: 'x' });
    expect(received?.schemaPath).toBe(
      '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}',
    );
    expect(received?.params).toEqual({
      path: { account_id: api.accountId, policy_id: seeded.id },
    });
    expect(received?.options.baseUrl).toBe(api.baseUrl); // trailing slash removed
    expect(Object.isFrozen(received?.options)).toBe(true);
  });

  it('can be skipped: a hook returning undefined changes nothing', async () => {
    const seeded = api.seedPolicy();
    const policy = await client({
      middleware: [{ onRequest: () => undefined }],
    }).allowPolicies.update(seeded.id, { pattern: 'skip@example.com' });
    expect(policy.pattern).toBe('skip@example.com');
    expect(api.requests).toHaveLength(1);
  });

  it('can replace the request: the replacement is what is sent', async () => {
    const seeded = api.seedPolicy();
    await client({
      middleware: [
        {
          async onRequest({ request }) {
            const body = { ...(await request.json()), comments: 'replaced' };
            return new Request(request.url, {
              method: request.method,
              headers: { 'content-type': 'application/json', foo: 'bar' },
              body: JSON.stringify(body),
            });
          },
        },
      ],
    }).allowPolicies.update(seeded.id, { is_regex: true });
    const [sent] = api.requests;
    expect(sent?.headers.foo).toBe('bar');
    expect(sent?.headers.authorization).toBe(`Bearer ${api.apiToken}`);
    expect(sent?.bodyText).toBe('{"is_regex":true,"comments":"replaced"}');
  });

  it('can replace the response: the client reads the replacement', async () => {
    const seeded = api.seedPolicy({ comments: 'from the server' });
    const out = await client({
      middleware: [
        {
          async onResponse({ response }) {
            const body = await response.json();
            body.result.comments = 'from middleware';
            const headers = new Headers(response.headers);
            headers.set('middleware', 'value');
            return new Response(JSON.stringify(body), { status: 201, headers });
          },
        },
      ],
    }).allowPolicies.update.withResponse(seeded.id, { is_regex: false });
    expect(out.result.comments).toBe('from middleware');
    expect(out.response.status).toBe(201);
    expect(out.response.headers.get('middleware')).toBe('value');
    expect(out.cfRay).toBe(out.response.headers.get('cf-ray'));
  });

  it('runs onRequest in order and onResponse in reverse order', async () => {
    const seeded = api.seedPolicy();
    const step = (name: string, expectFromNext: string | null): Middleware => ({
      onRequest({ request }) {
        request.headers.set('step', name);
        return request;
      },
      onResponse({ response }) {
        if (response.headers.get('step') !== expectFromNext) return undefined;
        const headers = new Headers(response.headers);
        headers.set('step', name);
        return new Response(response.body, { status: response.status, headers });
      },
    });
    const out = await client({
      middleware: [step('A', 'B'), step('B', 'C'), step('C', null)],
    }).allowPolicies.update.withResponse(seeded.id, { comments: 'order' });
    expect(api.requests[0]?.headers.step).toBe('C');
    expect(out.response.headers.get('step')).toBe('A');
  });

  it('keeps and can add headers; onResponse gets the request as middleware left it', async () => {
    const seeded = api.seedPolicy();
    const seen: (string | null)[] = [];
    await client({
      userAgent: 'middleware-test/1.0',
      middleware: [
        {
          onRequest({ request }) {
            seen.push(request.headers.get('user-agent'), request.headers.get('x-per-call'));
            request.headers.set('x-on-request', 'exists');
            return request;
          },
          onResponse({ request }) {
            expect(request).toBeInstanceOf(Request);
            seen.push(request.headers.get('x-per-call'), request.headers.get('x-on-request'));
          },
        },
        {
          onRequest({ request }) {
            seen.push(request.headers.get('x-on-request'));
          },
        },
      ],
    }).allowPolicies.update(seeded.id, { comments: 'h' }, { headers: { 'x-per-call': 'exists' } });
    expect(seen).toEqual(['middleware-test/1.0', 'exists', 'exists', 'exists', 'exists']);
    expect(api.requests[0]?.headers).toMatchObject({
      'user-agent': 'middleware-test/1.0',
      'x-per-call': 'exists',
      'x-on-request': 'exists',
    });
  });

  it('onRequest returning a Response answers the call: nothing sent, no onResponse, no credentials asked', async () => {
    const provider = vi.fn(async () => ({ apiToken: api.apiToken }));
    const onResponse = vi.fn();
    const policy = await client({
      auth: provider,
      middleware: [
        { onRequest: () => envelope({ id: 'cached', comments: 'from a cache' }), onResponse },
        { onRequest: () => Promise.reject(new Error('never reached')) },
      ],
    }).allowPolicies.update('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', { comments: 'c' });
    expect(policy).toMatchObject({ id: 'cached', comments: 'from a cache' });
    expect(api.requests).toHaveLength(0);
    expect(onResponse).not.toHaveBeenCalled();
    expect(provider).not.toHaveBeenCalled();
  });

  it('onRequest returning anything else is openapi-fetch’s error; nothing sent', async () => {
    const seeded = api.seedPolicy();
    const bad = { onRequest: () => 'oops' } as unknown as Middleware;
    const error = await rejection(
      client({ middleware: [bad] }).allowPolicies.update(seeded.id, { comments: 'x' }),
    );
    expect(error.message).toBe(
      'onRequest: must return new Request() or Response() when modifying the request',
    );
    expect(api.requests).toHaveLength(0);
  });

  it('a throwing hook ends the call with its own error', async () => {
    const seeded = api.seedPolicy();
    const mine = new Error('my middleware failed');
    const onRequest = await rejection(
      client({
        middleware: [
          {
            onRequest: () => {
              throw mine;
            },
          },
        ],
      }).allowPolicies.update(seeded.id, { comments: 'x' }),
    );
    expect(onRequest).toBe(mine);
    expect(api.requests).toHaveLength(0);
    const onResponse = await rejection(
      client({
        middleware: [
          {
            onResponse: () => {
              throw mine;
            },
          },
        ],
      }).allowPolicies.update(seeded.id, { comments: 'x' }),
    );
    expect(onResponse).toBe(mine);
    expect(api.requests).toHaveLength(1);
  });

  it('onResponse returning anything but a Response is openapi-fetch’s error', async () => {
    const seeded = api.seedPolicy();
    const bad = { onResponse: () => ({ status: 200 }) } as unknown as Middleware;
    const error = await rejection(
      client({ middleware: [bad] }).allowPolicies.update(seeded.id, { comments: 'x' }),
    );
    expect(error.message).toBe(
      'onResponse: must return new Response() when modifying the response',
    );
  });

  it('onError runs in reverse order after the last retry: an Error replaces, a Response recovers', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'reset' }, { times: 2 });
    const order: string[] = [];
    const errors: unknown[] = [];
    const replaced = new Error('replaced by the inner middleware');
    const responses: number[] = [];
    const policy = await client({
      maxRetries: 1,
      middleware: [
        {
          onError: ({ error }) => {
            order.push('outer');
            errors.push(error);
            return envelope({ id: seeded.id, comments: 'recovered' });
          },
          onResponse: ({ response }) => void responses.push(response.status),
        },
        {
          onError: ({ error }) => {
            order.push('inner');
            errors.push(error);
            return replaced;
          },
        },
      ],
    }).allowPolicies.update(seeded.id, { comments: 'x' });
    expect(api.requests).toHaveLength(2); // both attempts, then onError once
    expect(order).toEqual(['inner', 'outer']);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
    expect(errors[1]).toBe(replaced);
    expect(policy.comments).toBe('recovered');
    expect(responses).toEqual([200]); // onResponse runs on the recovered response
  });

  it('onError: an unrecovered error is thrown as the last hook left it; other values are an error', async () => {
    const seeded = api.seedPolicy();
    api.injectFault({ kind: 'reset' }, { times: 2 });
    const replaced = new Error('replaced');
    const error = await rejection(
      client({ maxRetries: 0, middleware: [{ onError: () => replaced }] }).allowPolicies.update(
        seeded.id,
        { comments: 'x' },
      ),
    );
    expect(error).toBe(replaced);
    const bad = { onError: () => 'nope' } as unknown as Middleware;
    const invalid = await rejection(
      client({ maxRetries: 0, middleware: [bad] }).allowPolicies.update(seeded.id, {
        comments: 'x',
      }),
    );
    expect(invalid.message).toBe('onError: must return new Response() or instance of Error');
  });

  it('a middleware that is not an object with a hook is refused at creation', () => {
    expect(() => client({ middleware: [{} as Middleware] })).toThrow(
      /options\.middleware\[0\]: must be an object with onRequest, onResponse or onError/,
    );
  });
});

describe('no hook can read the credentials', () => {
  const CREDENTIAL_HEADERS = ['authorization', 'x-auth-key', 'x-auth-email'];
  const cases: { name: string; auth: () => AuthOption; secrets: () => string[] }[] = [
    {
      name: 'API token',
      auth: () => ({ apiToken: api.apiToken }),
      secrets: () => [api.apiToken],
    },
    {
      name: 'Global API key',
      auth: () => ({ apiEmail: api.apiEmail, apiKey: api.apiKey }),
      secrets: () => [api.apiEmail, api.apiKey],
    },
    {
      name: 'credentials provider',
      auth: () => async () => ({ apiToken: api.apiToken }),
      secrets: () => [api.apiToken],
    },
  ];

  for (const { name, auth, secrets } of cases) {
    it(`${name}: onRequest, onResponse, onError and a kept reference see none`, async () => {
      const seeded = api.seedPolicy();
      // First call: the server answers (onRequest, onResponse). Second call: every attempt is
      // cut, so onError runs; it recovers so that onResponse runs there too.
      const views: { hook: string; headers: Record<string, string> }[] = [];
      const kept: Request[] = [];
      const look = (hook: string, request: Request) => {
        views.push({ hook, headers: Object.fromEntries(request.headers) });
      };
      const spy: Middleware = {
        onRequest({ request }) {
          look('onRequest', request);
          kept.push(request);
          // Looks again while the request is on the wire.
          setTimeout(() => look('onRequest, later', request), 5);
        },
        onResponse: ({ request }) => look('onResponse', request),
        onError: ({ request }) => {
          look('onError', request);
          return envelope({ id: seeded.id });
        },
      };
      const cf = client({
        auth: auth(),
        logger: { warn: () => {} },
        maxRetries: 0,
        middleware: [spy],
      });
      api.injectFault({ kind: 'delay', ms: 30 }, { times: 1 });
      await cf.allowPolicies.update(seeded.id, { comments: 'one' });
      api.injectFault({ kind: 'reset' }, { times: 1 });
      await cf.allowPolicies.update(seeded.id, { comments: 'two' });
      await new Promise((resolve) => setTimeout(resolve, 20)); // the later looks
      for (const request of kept) look('kept, after the call', request);

      expect(views.map((v) => v.hook).sort()).toEqual(
        [
          'kept, after the call',
          'kept, after the call',
          'onError',
          'onRequest',
          'onRequest',
          'onRequest, later',
          'onRequest, later',
          'onResponse',
          'onResponse',
        ].sort(),
      );
      for (const view of views) {
        for (const header of CREDENTIAL_HEADERS) expect(view.headers).not.toHaveProperty(header);
        const text = JSON.stringify(view.headers);
        for (const secret of secrets()) expect(text).not.toContain(secret);
      }
      // …while the server did get them.
      const first = api.requests[0]?.headers ?? {};
      expect(CREDENTIAL_HEADERS.some((h) => first[h] !== undefined)).toBe(true);
    });
  }
});
