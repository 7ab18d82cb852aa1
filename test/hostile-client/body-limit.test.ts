import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/defaults.js';
import { ResponseTooLargeError } from '../../src/errors.js';
import { readBodyLimited } from '../../src/response.js';
import { rejection } from '../client/helpers.js';
import {
  type Behaviour,
  type Encoding,
  type HostileServer,
  startHostileServer,
} from './servers.js';

const MiB = 1024 * 1024;
const context = { operationId: 'op', method: 'GET', path: '/x' };
let server: HostileServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function respond(behaviour: Behaviour) {
  server = await startHostileServer(behaviour);
  return fetch(server.url);
}

describe('response body limit, enforced while streaming', () => {
  it('reads a body under the limit', async () => {
    const response = await respond({ kind: 'body', bytes: 1_000 });
    const text = await readBodyLimited(response, DEFAULT_MAX_RESPONSE_BYTES, context);
    expect(text).toHaveLength(1_000);
  });

  it('a declared Content-Length over the limit fails before reading', async () => {
    const response = await respond({ kind: 'body', bytes: 50 * MiB });
    const error = await rejection(readBodyLimited(response, 8 * MiB, context));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(8 * MiB);
    expect((error as Error).message).toMatch(
      /^GET \/x: 200: response body exceeds the 8388608-byte limit \(maxResponseBytes\)/,
    );
  });

  it('an undeclared 50 MiB body stops at the limit', async () => {
    const response = await respond({ kind: 'body', bytes: 50 * MiB, contentLength: false });
    const before = process.memoryUsage().rss;
    expect(await rejection(readBodyLimited(response, 1 * MiB, context))).toBeInstanceOf(
      ResponseTooLargeError,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * MiB);
  });

  it('an endless body: nothing more is read once over the limit, and the connection is closed', async () => {
    const response = await respond('endless-body');
    expect(await rejection(readBodyLimited(response, 2 * MiB, context))).toBeInstanceOf(
      ResponseTooLargeError,
    );
    const written = (server as HostileServer).bytesWritten;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Socket buffers may hold a few MiB more; a body still being read would keep growing.
    expect((server as HostileServer).bytesWritten - written).toBeLessThan(8 * MiB);
    expect((server as HostileServer).bytesWritten).toBeLessThan(32 * MiB);
  });

  it.each<Encoding>(['gzip', 'deflate', 'br'])(
    'a %s bomb is inflated only up to the limit',
    async (encoding) => {
      const response = await respond({ kind: 'bomb', encoding, inflatedBytes: 32 * MiB });
      const error = await rejection(readBodyLimited(response, 1 * MiB, context));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect((error as Error).message).toContain('1048576-byte limit');
    },
  );

  it('a stalled body ends when the signal aborts, with its reason', async () => {
    const response = await respond('headers-then-stall');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    const started = Date.now();
    const onStop = (stop: (reason: unknown) => void) =>
      controller.signal.addEventListener('abort', () => stop(controller.signal.reason));
    const error = await rejection(readBodyLimited(response, 1 * MiB, context, onStop));
    expect((error as Error).message).toBe('deadline');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
