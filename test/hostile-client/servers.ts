/**
 * Hostile HTTP servers on raw `node:net`, for faults an HTTP library would hide or refuse to
 * produce: headers then a stall, an endless body, a gzip bomb, a reset after the request arrived,
 * no answer at all. Each records what it saw, so tests can prove the client stopped reading.
 * 127.0.0.1 only, random ports; `close()` destroys every socket.
 */
import { createServer, type Socket } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';

export type Behaviour =
  /** status line and headers (declaring a body), then nothing */
  | 'headers-then-stall'
  /** accept, read the request, never answer */
  | 'silent'
  /** a chunked JSON body that never ends, written as fast as the client reads */
  | 'endless-body'
  /** a declared Content-Length body of `bytes`, sent in full */
  | { kind: 'body'; bytes: number; contentLength?: boolean }
  /** a small compressed body that inflates to `inflatedBytes` */
  | { kind: 'bomb'; encoding: Encoding; inflatedBytes: number }
  /** read the whole request, then reset the connection */
  | 'reset-after-request';

export type Encoding = 'gzip' | 'deflate' | 'br';

const COMPRESS: Record<Encoding, (b: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b, { level: 9 }),
  deflate: (b) => deflateSync(b, { level: 9 }),
  br: (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
};

export interface HostileServer {
  readonly url: string;
  /** Requests fully received. */
  readonly requests: number;
  /** Body bytes written to clients (endless or sized bodies). */
  readonly bytesWritten: number;
  /** Sockets the client closed or reset (a cancelled body closes its connection). */
  readonly clientClosed: number;
  /** Sockets currently open. */
  readonly open: number;
  close(): Promise<void>;
}

const ENVELOPE_START = '{"success":true,"errors":[],"messages":[],"result":{"comments":"';

function headerBlock(status: number, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} OK\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Resolves with the request once headers and a Content-Length body have arrived. */
function onRequest(socket: Socket, done: () => void) {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length - end - 4 < length) return;
    socket.off('data', onData);
    done();
  };
  socket.on('data', onData);
}

export async function startHostileServer(behaviour: Behaviour): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const stats = { requests: 0, bytesWritten: 0, clientClosed: 0 };
  const bomb =
    typeof behaviour === 'object' && behaviour.kind === 'bomb'
      ? COMPRESS[behaviour.encoding](Buffer.alloc(behaviour.inflatedBytes, 0x20))
      : undefined;
  let closing = false;

  const answer = (socket: Socket) => {
    stats.requests++;
    if (behaviour === 'silent') return;
    if (behaviour === 'reset-after-request') {
      socket.resetAndDestroy();
      return;
    }
    if (behaviour === 'headers-then-stall') {
      socket.write(headerBlock(200, { 'content-type': 'application/json', 'content-length': 100 }));
      socket.write('{"success":tr'); // and nothing more
      return;
    }
    if (behaviour === 'endless-body') {
      socket.write(
        headerBlock(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }),
      );
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const frame = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      ]);
      socket.write(`${ENVELOPE_START.length.toString(16)}\r\n${ENVELOPE_START}\r\n`);
      const pump = () => {
        while (!socket.destroyed && !closing) {
          stats.bytesWritten += chunk.length;
          if (!socket.write(frame)) return void socket.once('drain', pump);
        }
      };
      pump();
      return;
    }
    if (behaviour.kind === 'bomb') {
      const body = bomb as Buffer;
      socket.write(
        headerBlock(200, {
          'content-type': 'application/json',
          'content-encoding': behaviour.encoding,
          'content-length': body.length,
        }),
      );
      stats.bytesWritten += body.length;
      socket.end(body);
      return;
    }
    const body = Buffer.alloc(behaviour.bytes, 0x61);
    body.write(ENVELOPE_START);
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (behaviour.contentLength !== false) headers['content-length'] = body.length;
    else headers.connection = 'close';
    socket.write(headerBlock(200, headers));
    stats.bytesWritten += body.length;
    socket.end(body);
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      if (!closing) stats.clientClosed++;
    });
    onRequest(socket, () => answer(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get requests() {
      return stats.requests;
    },
    get bytesWritten() {
      return stats.bytesWritten;
    },
    get clientClosed() {
      return stats.clientClosed;
    },
    get open() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
