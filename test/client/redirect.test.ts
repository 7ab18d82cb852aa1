/** Redirects are not followed: credentials must not travel to wherever a Location points. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CloudflareApiError, createEmailSecurityClient } from '../../src/index.js';
import { rejection } from './helpers.js';

const servers: Server[] = [];
const elsewhere: IncomingHttpHeaders[] = [];
let apiUrl = '';

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const other = await listen(
    createServer((req, res) => {
      elsewhere.push(req.headers);
      res.end('{}');
    }),
  );
  apiUrl = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${other}/steal` }).end();
    }),
  );
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

it('a 307 becomes an error and the Location is never contacted', async () => {
  for (const auth of [
    { apiToken: 'redirect-test-token-0123456789' },
    { apiEmail: 'ops@example.com', apiKey: 'c2547eb745079dac9320b638f5e225cf483cc' },
  ]) {
    const cf = createEmailSecurityClient({
      accountId: '023e105f4ecef8ad9ca31a8372d0c353',
      auth,
      baseUrl: `${apiUrl}/client/v4`,
      logger: {},
    });
    const error = await rejection(
      cf.allowPolicies.update('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', { pattern: 'a@b.c' }),
    );
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).status).toBe(307);
    expect(error.message).toMatch(
      /: 307 Temporary Redirect \(empty response body\) from http:\/\/127\.0\.0\.1:\d+\/client\/v4\/accounts\/\S+$/,
    );
  }
  expect(elsewhere).toEqual([]);
});
