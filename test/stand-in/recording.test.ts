import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { call, rawFetch } from './request.js';

const server: StandInServer = await startStandInServer();
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('stand-in request recording', () => {
  it('records method, raw path with query, lower-cased headers and the exact body', async () => {
    const seeded = server.seedPolicy();
    const bodyText = '{ "comments" : "caf\u00e9 \u{1F600}",\n  "is_regex": false }';
    await call(server, 'PATCH', {
      policyId: seeded.id,
      query: 'trace=1&x=%20',
      body: bodyText,
      headers: { 'X-Custom-Header': 'Value' },
    });
    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({
      method: 'PATCH',
      path: `/client/v4/accounts/${server.accountId}/email-security/settings/allow_policies/${seeded.id}?trace=1&x=%20`,
      bodyText,
      body: { comments: 'caf\u00e9 \u{1F600}', is_regex: false },
    });
    expect(recorded?.headers['content-type']).toBe('application/json');
    expect(recorded?.headers['x-custom-header']).toBe('Value');
    expect(recorded?.headers.authorization).toBe(`Bearer ${server.apiToken}`);
  });

  it('records rejected requests too, in order, before validation', async () => {
    await call(server, 'GET', { auth: 'none' });
    await call(server, 'PATCH', { policyId: 'not-a-uuid', body: '{"broken":' });
    await rawFetch(server, '/elsewhere', { method: 'DELETE' });
    expect(server.requests.map((r) => [r.method, r.path.split('/').pop()])).toEqual([
      ['GET', 'allow_policies'],
      ['PATCH', 'not-a-uuid'],
      ['DELETE', 'elsewhere'],
    ]);
    expect(server.requests[1]).toMatchObject({ bodyText: '{"broken":', body: undefined });
    expect(server.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('records an empty body as "" / undefined', async () => {
    await call(server, 'GET');
    expect(server.requests[0]).toMatchObject({ bodyText: '', body: undefined });
  });

  it('records nothing with recordRequests: false', async () => {
    const quiet = await startStandInServer({ recordRequests: false });
    try {
      expect((await call(quiet, 'GET')).status).toBe(200);
      expect(quiet.requests).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
