/**
 * Resource methods and `client.call` at run time, against the stand-in API. The registry is
 * extended (as the generator would, with metadata planned from the vendored spec) by the other
 * allow-policy operations, so positional ids, query, body and options are all exercised.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OperationMetadata } from '../../src/metadata.js';
import { createResources, resourceArguments } from '../../src/resources.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { withExtraOperations } from './metadata-fixture.js';

const EXTRA = [
  'email_security_list_allow_policies',
  'email_security_get_allow_policy',
  'email_security_create_allow_policy',
  'email_security_delete_allow_policy',
];

vi.mock('../../generated/operations.js', async (importOriginal) => {
  const { loadDocument } = await import('../../scripts/codegen/load.js');
  const { validateDocument } = await import('../../scripts/codegen/validate.js');
  const { planOperations } = await import('../../scripts/codegen/plan.js');
  const { SPEC_PATH } = await import('../generator/helpers.js');
  const document = validateDocument((await loadDocument(SPEC_PATH)).document, SPEC_PATH);
  const planned = planOperations(document, EXTRA).operations;
  return withExtraOperations(
    importOriginal,
    Object.fromEntries(planned.map(({ metadata }) => [metadata.functionName, metadata])),
  );
});

const { createEmailSecurityClient, ValidationError } = await import('../../src/index.js');

let api: StandInServer;
beforeAll(async () => {
  api = await startStandInServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => api.reset());

// biome-ignore lint/suspicious/noExplicitAny: the extra operations are not in the shipped types.
const client = (): any =>
  createEmailSecurityClient({
    accountId: api.accountId,
    auth: { apiToken: api.apiToken },
    baseUrl: api.baseUrl,
    retryDelay: { initialDelayMs: 1, maxDelayMs: 2 },
    onDeprecation: () => undefined,
  });

const sent = (index: number) => {
  const request = api.requests[index];
  if (!request) throw new Error(`no request #${index}`);
  const { date: _date, ...headers } = request.headers;
  return { method: request.method, path: request.path, headers, body: request.bodyText };
};

describe('client.allowPolicies.update and client.call send the same request', () => {
  it('with and without request options, resolving to the same result', async () => {
    const policy = api.seedPolicy({ pattern: 'same@example.com' });
    const cf = client();
    const patch = { comments: 'same', is_sender: true };
    const options = { headers: { 'x-trace': 't-1' } };
    const viaResource = await cf.allowPolicies.update(policy.id, patch, options);
    const viaCall = await cf.call(
      'email_security_update_allow_policy',
      { path: { policy_id: policy.id }, body: patch },
      options,
    );
    expect(api.requests).toHaveLength(2);
    expect(sent(1)).toEqual(sent(0));
    expect(sent(0)).toMatchObject({
      method: 'PATCH',
      path: `/client/v4/accounts/${api.accountId}/email-security/settings/allow_policies/${policy.id}`,
      body: JSON.stringify({ comments: 'same', is_trusted_sender: true }),
      headers: { authorization: `Bearer ${api.apiToken}`, 'x-trace': 't-1' },
    });
    const timeless = ({ modified_at: _m, last_modified: _l, ...rest }: Record<string, unknown>) =>
      rest;
    expect(timeless(viaCall)).toEqual(timeless(viaResource));

    const both = await Promise.all([
      cf.allowPolicies.update.withResponse(policy.id, { comments: 'r' }),
      cf.call.withResponse('email_security_update_allow_policy', {
        path: { policy_id: policy.id },
        body: { comments: 'r' },
      }),
    ]);
    for (const out of both) {
      expect(out.response.status).toBe(200);
      expect(out.result).toMatchObject({ id: policy.id, comments: 'r' });
    }
  });

  it('validation is the same too: nothing is sent', async () => {
    const cf = client();
    const viaResource = await cf.allowPolicies
      .update('..', { pattern: 'a' })
      .catch((e: Error) => e);
    const viaCall = await cf
      .call('email_security_update_allow_policy', {
        path: { policy_id: '..' },
        body: { pattern: 'a' },
      })
      .catch((e: Error) => e);
    expect(viaResource).toBeInstanceOf(ValidationError);
    expect((viaCall as Error).message).toBe((viaResource as Error).message);
    expect(api.requests).toHaveLength(0);
  });
});

describe('every resource method: positional ids, then body or query, then options', () => {
  it('create, get, list, delete', async () => {
    const cf = client();
    const created = await cf.allowPolicies.create({
      is_acceptable_sender: false,
      is_exempt_recipient: false,
      is_regex: false,
      is_trusted_sender: true,
      pattern: 'new@example.com',
      pattern_type: 'EMAIL',
      verify_sender: true,
    });
    expect(sent(0)).toMatchObject({
      method: 'POST',
      path: `/client/v4/accounts/${api.accountId}/email-security/settings/allow_policies`,
    });
    const got = await cf.allowPolicies.get(created.id, { headers: { 'x-trace': 'get' } });
    expect(got).toMatchObject({ id: created.id, pattern: 'new@example.com' });
    expect(sent(1)).toMatchObject({ method: 'GET', body: '', headers: { 'x-trace': 'get' } });
    expect(sent(1).path).toMatch(new RegExp(`/allow_policies/${created.id}$`));

    // A paged list: awaited, its first page (src/pagination.ts; test/pagination/).
    const page = await cf.allowPolicies.list({ per_page: 5, pattern: 'new@example.com' });
    expect(page.items).toEqual([expect.objectContaining({ id: created.id })]);
    expect(page.resultInfo).toMatchObject({ page: 1, per_page: 5, total_count: 1 });
    expect(sent(2).path).toMatch(/\/allow_policies\?per_page=5&pattern=new%40example\.com$/);
    await cf.allowPolicies.list();
    await cf.allowPolicies.list(undefined, { headers: { 'x-trace': 'list' } });
    expect(sent(3).path).toMatch(/\/allow_policies$/);
    expect(sent(4).headers['x-trace']).toBe('list');

    const deleted = await cf.allowPolicies.delete.withResponse(created.id);
    expect(deleted.result).toEqual({ id: created.id });
    expect(sent(5)).toMatchObject({ method: 'DELETE' });
    await expect(cf.allowPolicies.get(created.id)).rejects.toThrow(/404|not found/i);
  });

  it('a wrong id or query is a ValidationError naming the parameter; nothing is sent', async () => {
    const cf = client();
    await expect(cf.allowPolicies.get('ceo@example.com')).rejects.toThrow(
      /path\.policy_id: must be a UUID/,
    );
    await expect(cf.allowPolicies.delete()).rejects.toThrow(/path\.policy_id: is required/);
    await expect(cf.allowPolicies.list({ per_page: 'x' })).rejects.toBeInstanceOf(ValidationError);
    expect(api.requests).toHaveLength(0);
  });
});

describe('client.call', () => {
  it('an unknown operationId is a ValidationError with a suggestion; nothing is sent', async () => {
    const cf = client();
    await expect(cf.call('email_security_update_allow_polcy', {})).rejects.toThrow(
      /operationId: "email_security_update_allow_polcy" is not a registered operation \(did you mean "email_security_update_allow_policy"\?\)/,
    );
    await expect(cf.call('zzz')).rejects.toThrow(/registered: email_security_/);
    await expect(cf.call(42)).rejects.toBeInstanceOf(ValidationError);
    expect(api.requests).toHaveLength(0);
  });

  it('calls an operation without input', async () => {
    api.seedPolicy({ pattern: 'listed@example.com' });
    const listed = await client().call('email_security_list_allow_policies');
    expect(listed).toEqual([expect.objectContaining({ pattern: 'listed@example.com' })]);
  });
});

describe('createResources (any registry)', () => {
  const invoke = vi.fn(async () => ({ result: 'ok' }) as never);
  const entry = (operationId: string, name: string, method: string): OperationMetadata =>
    ({ operationId, resource: { name, method, positional: ['id'], input: null } }) as never;

  it('refuses two operations on one method and resources named like client members', () => {
    expect(() =>
      createResources(
        [
          ['a', entry('op_a', 'things', 'get')],
          ['b', entry('op_b', 'things', 'get')],
        ],
        invoke,
        [],
      ),
    ).toThrow(
      'Operations "op_a" and "op_b" both map to client.things.get; register only one of them.',
    );
    expect(() => createResources([['a', entry('op_a', 'call', 'get')]], invoke, ['call'])).toThrow(
      /maps to client\.call, which is a member of the client itself/,
    );
  });

  it('maps arguments by the metadata alone', async () => {
    const resources = createResources([['getThing', entry('op', 'things', 'get')]], invoke, []);
    await expect(resources.things?.get?.('x', { timeoutMs: 5 })).resolves.toBe('ok');
    expect(invoke).toHaveBeenLastCalledWith('getThing', { path: { id: 'x' } }, { timeoutMs: 5 });
    expect(
      resourceArguments({ name: 'r', method: 'm', positional: ['a', 'b'], input: 'query' }, [
        1,
        2,
        { q: 1 },
        { maxRetries: 0 },
      ]),
    ).toEqual([{ path: { a: 1, b: 2 }, query: { q: 1 } }, { maxRetries: 0 }]);
  });
});
