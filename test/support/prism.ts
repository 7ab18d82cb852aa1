/**
 * Launches a Stoplight Prism mock server (@stoplight/prism-cli 5.14.2) for contract tests.
 *
 * What Prism 5.14.2 does with this spec (`prism mock --errors`), measured by hand and pinned
 * by test/stand-in/prism.test.ts:
 *
 * Paths: the `servers` URL path (`/client/v4`) is NOT part of the mocked routes. Routes are the
 *   spec paths at the root: `http://127.0.0.1:PORT/accounts/{account_id}/email-security/…`.
 *   `/client/v4/accounts/…` answers 404 `application/problem+json` (NO_PATH_MATCHED_ERROR).
 *   So `baseUrl` here is `http://127.0.0.1:PORT` (no path).
 *
 * Checked (request rejected; the violation is in the `sl-violations` response header as JSON):
 *   - security: neither `Authorization: Bearer <anything>` nor BOTH `X-Auth-Email`+`X-Auth-Key`
 *     → 401 "Invalid security scheme used". Only presence/scheme is checked, any token value
 *     passes; `Basic …`, `Bearer` with no token, lower-case `bearer`, or only one of the two
 *     X-Auth headers → 401.
 *   - body schema → 422: wrong types (`is_regex: "yes"`, `pattern: null`, `comments: 5`),
 *     `minLength`/`maxLength` (pattern 1..1024, comments ≤ 1024), enum (`pattern_type: "NOPE"`),
 *     `minProperties: 1` (`{}`), non-object body, missing body ("Body parameter is required").
 *     All violations are listed together.
 *   - path parameter formats → 422: `policy_id` must be a UUID. `account_id` is any string.
 *   - query parameters → 422 (e.g. `page=0` violates `minimum: 1`).
 *   - Content-Type other than application/json → 415 (`; charset=utf-8` is fine).
 *   - invalid JSON → 400 with Prism's own body `{"error":{"code":"invalid_json",…}}` (not the
 *     Cloudflare envelope).
 * NOT checked (accepted with 200):
 *   - read-only properties in the request: `id`, `created_at`, `modified_at`, `last_modified`
 *     are stripped from request validation entirely, even with wrong types (`{"id": 5}`).
 *     Their `required` (id, created_at, last_modified) is correctly not applied to requests.
 *   - unknown properties (the schemas do not say `additionalProperties: false`).
 *   - `pattern_type: "UNKNOWN"` (only the description forbids it on writes).
 *   - deprecated properties (`is_sender`, …) are accepted silently, no warning header.
 *   - credential values, account existence, policy existence.
 * Responses: static, from the spec examples (the body sent is NOT reflected), envelope
 *   `{errors:[],messages:[],success:true,result:{…example AllowPolicy incl. deprecated fields…}}`.
 *   Error responses use the `4XX` example `{"errors":[],"messages":[],"result":null,
 *   "success":false}` (empty `errors`). `Prefer: code=404` forces a status.
 *   `--errors` makes no difference to request validation in mock mode (422/401 happen without
 *   it too); it matters for response validation in proxy mode.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PrismServer {
  /** `http://127.0.0.1:PORT` — Prism serves the spec paths at the root (no `/client/v4`). */
  baseUrl: string;
  pid: number;
  /** The last lines Prism printed (ANSI colours removed), for debugging failed assertions. */
  recentOutput(): string[];
  close(): Promise<void>;
}

export interface StartPrismOptions {
  /** How long to wait for "Prism is listening" (default 30 s). */
  timeoutMs?: number;
  /** Extra CLI arguments, e.g. `['--dynamic']`. */
  extraArgs?: string[];
}

export class PrismStartError extends Error {
  override name = 'PrismStartError';
  constructor(
    message: string,
    readonly pid: number | undefined,
    readonly recentOutput: string[],
  ) {
    super(
      recentOutput.length === 0
        ? message
        : `${message}\nLast Prism output:\n  ${recentOutput.join('\n  ')}`,
    );
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PRISM_BIN = resolve(REPO_ROOT, 'node_modules/.bin/prism');
const OUTPUT_LINES_KEPT = 25;
const KILL_GRACE_MS = 5_000;
const START_ATTEMPTS = 3;
const LISTENING = /Prism is listening on (http:\/\/\S+)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
const ANSI = /\u001b\[[0-9;]*m/g;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function startPrism(
  specPath = 'openapi/cloudflare-email-security.openapi.json',
  options: StartPrismOptions = {},
): Promise<PrismServer> {
  const spec = isAbsolute(specPath) ? specPath : resolve(REPO_ROOT, specPath);
  if (!existsSync(spec)) {
    throw new PrismStartError(
      `startPrism: spec file not found: ${spec} (paths are relative to the repository root).`,
      undefined,
      [],
    );
  }
  if (!existsSync(PRISM_BIN)) {
    throw new PrismStartError(
      `startPrism: ${PRISM_BIN} not found; @stoplight/prism-cli must be installed (npm ci).`,
      undefined,
      [],
    );
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launch(spec, await findFreePort(), options);
    } catch (error) {
      const portTaken =
        error instanceof PrismStartError && error.recentOutput.some((l) => /EADDRINUSE/.test(l));
      if (!portTaken || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

async function launch(
  spec: string,
  port: number,
  options: StartPrismOptions,
): Promise<PrismServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const args = [
    'mock',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '--errors',
    ...(options.extraArgs ?? []),
    spec,
  ];
  // detached: own process group, so close() can kill Prism and anything it spawned.
  const child = spawn(PRISM_BIN, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  const output = captureOutput(child);
  const close = () => stopChild(child);
  try {
    const url = await waitForListening(child, output, timeoutMs);
    return {
      baseUrl: url.replace(/\/$/, ''),
      pid: child.pid ?? -1,
      recentOutput: () => [...output.lines],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface CapturedOutput {
  lines: string[];
  onLine(listener: (line: string) => void): () => void;
}

/** Keeps draining stdout/stderr for the whole life of the process (a full pipe blocks Prism). */
function captureOutput(child: ChildProcess): CapturedOutput {
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const attach = (stream: NodeJS.ReadableStream | null) => {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const raw of parts) {
        const line = raw.replace(ANSI, '').trimEnd();
        if (line === '') continue;
        lines.push(line);
        if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
        for (const listener of listeners) listener(line);
      }
    });
  };
  attach(child.stdout);
  attach(child.stderr);
  return {
    lines,
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function waitForListening(
  child: ChildProcess,
  output: CapturedOutput,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    const cleanup = () => {
      clearTimeout(timer);
      stopListening();
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (message: string) => {
      cleanup();
      rejectPromise(new PrismStartError(message, child.pid, [...output.lines]));
    };
    const timer = setTimeout(
      () => fail(`startPrism: Prism did not report "Prism is listening" within ${timeoutMs} ms.`),
      timeoutMs,
    );
    const stopListening = output.onLine((line) => {
      const match = LISTENING.exec(line);
      if (match?.[1] === undefined) return;
      cleanup();
      resolvePromise(match[1]);
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`startPrism: Prism exited before listening (code ${code}, signal ${signal}).`);
    const onError = (error: Error) => fail(`startPrism: could not start Prism: ${error.message}`);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  const pid = child.pid;
  return new Promise((resolvePromise) => {
    const forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(forceKill);
      resolvePromise();
    });
    killGroup(pid, 'SIGTERM');
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Prism runs in its own process group (so a terminal Ctrl-C does not reach it): if the test
  // process ends without close(), kill it here. Only SIGKILL of this process can orphan it.
  process.once('exit', killAllRunning);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllRunning();
      // Keep the default "terminate" behaviour unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function killAllRunning(): void {
  for (const child of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  running.clear();
}

/** A port that was free a moment ago (bind port 0, read it, release it). */
function findFreePort(): Promise<number> {
  return new Promise((resolvePromise, rejectPromise) => {
    const probe = createServer();
    probe.once('error', rejectPromise);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePromise(port));
    });
  });
}
