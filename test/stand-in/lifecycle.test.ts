import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startStandInServer } from '../support/stand-in-server.js';
import { call } from './request.js';

const HANDLE_KINDS = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function countHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => HANDLE_KINDS.includes(kind)).length;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('stand-in lifecycle', () => {
  it('binds 127.0.0.1 on a random port', async () => {
    const [a, b] = await Promise.all([startStandInServer(), startStandInServer()]);
    try {
      expect(a.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      expect(a.baseUrl).not.toBe(b.baseUrl);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('close() cancels a pending delay, drops keep-alive sockets and leaves no handles', async () => {
    const baseline = countHandles();
    const server = await startStandInServer();
    expect((await call(server, 'GET')).status).toBe(200);
    server.injectFault({ kind: 'delay', ms: 600_000 });
    const pending = call(server, 'GET').then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => server.requests.length === 2, 2_000);
    expect(countHandles()).toBeGreaterThan(baseline);
    const started = performance.now();
    await server.close();
    expect(await pending).toBe('failed');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await waitFor(() => countHandles() <= baseline, 3_000)).toBe(true);
    await expect(call(server, 'GET')).rejects.toThrow('fetch failed');
  });

  it('close() is idempotent', async () => {
    const server = await startStandInServer();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });

  it('a plain tsx script using the stand-in exits by itself after close()', async () => {
    const script = fileURLToPath(new URL('./exit-probe.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exitCode = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('did not exit within 15 s');
      }, 15_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? 'killed');
      });
    });
    expect({ exitCode, output: output.trim() }).toEqual({
      exitCode: 0,
      output: 'statuses 201 200; pending request aborted by close',
    });
  });

  it.each([
    [{ accountId: 'ABC' }, /accountId must be 32 lowercase hex digits/],
    [{ basePath: 'client/v4' }, /basePath must start with '\/'/],
    [{ basePath: '/client/v4/' }, /not end with '\/'/],
    [{ apiToken: '' }, /apiToken must be a non-empty single-line string/],
  ])('rejects bad options %j with a clear error', async (options, message) => {
    await expect(startStandInServer(options)).rejects.toThrow(message);
  });

  it('does not print a bad secret in the option error', async () => {
    const secret = 'line1\nsecret-value';
    await expect(startStandInServer({ apiKey: secret })).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-value') }),
    );
  });
});
