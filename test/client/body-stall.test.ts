/**
 * Failures after the status line: the per-attempt timer also covers reading the body, and a
 * connection lost mid-body is a ConnectionError (not a raw undici TypeError).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectionError, createEmailSecurityClient, TimeoutError } from '../../src/index.js';
import { rejection } from './helpers.js';

let server: Server;
let baseUrl = '';
let mode: 'stall' | 'cut' = 'stall';
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"success":true,"errors":[],');
      if (mode === 'cut') setTimeout(() => res.socket?.destroy(), 10);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const cf = (timeoutMs: number) =>
  createEmailSecurityClient({
    accountId: '023e105f4ecef8ad9ca31a8372d0c353',
    auth: { apiToken: 'stall-test-token-0123456789' },
    baseUrl,
    timeoutMs,
    maxRetries: 0,
  });
const id = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

it('a body that stalls after the headers ends with TimeoutError', async () => {
  mode = 'stall';
  const started = Date.now();
  const error = await rejection(cf(150).allowPolicies.update(id, { pattern: 'a@b.c' }));
  expect(error).toBeInstanceOf(TimeoutError);
  expect(Date.now() - started).toBeLessThan(3_000);
});

it('a connection cut mid-body is a ConnectionError', async () => {
  mode = 'cut';
  const error = await rejection(cf(5_000).allowPolicies.update(id, { pattern: 'a@b.c' }));
  expect(error).toBeInstanceOf(ConnectionError);
  expect(error.message).toMatch(
    /^PATCH \/accounts\/.*: connection failed while reading the response/,
  );
});
