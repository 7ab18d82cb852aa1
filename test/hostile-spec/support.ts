/**
 * The hostile-spec suite's tools: a throw-away copy of the repo (with README.md) to run the real
 * commands in, a snapshot of what they must leave alone, and canaries that count every attempt to
 * read something from outside the document.
 */
import { execFile } from 'node:child_process';
import { constants, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRepoCopy, snapshotTree } from '../extension/repo-copy.js';
import { repoRoot } from '../package/packed-package.js';

// biome-ignore lint/suspicious/noExplicitAny: hostile fixtures mutate arbitrary OpenAPI JSON.
export type Doc = Record<string, any>;

export const VENDORED_SPEC = JSON.parse(
  readFileSync(join(repoRoot, 'openapi', 'cloudflare-email-security.openapi.json'), 'utf8'),
) as Doc;

/** A fresh copy of the vendored spec, changed by `mutate`. */
export function hostile(mutate: (doc: Doc) => void): Doc {
  const doc = structuredClone(VENDORED_SPEC);
  mutate(doc);
  return doc;
}

export const POLICY_SCHEMA = 'email-security_AllowPolicy';
export const UPDATE_PATH =
  '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}';

/** A repo copy with README.md, so `npm run generate` syncs the README table there as it does here. */
export function createHostileRepo(): string {
  const dir = createRepoCopy();
  cpSync(join(repoRoot, 'README.md'), join(dir, 'README.md'));
  return dir;
}

/** What a failed run must leave exactly as it was: generated/ and README.md. */
export function protectedFiles(dir: string): Map<string, string> {
  const files = snapshotTree(join(dir, 'generated'));
  files.set('README.md', readFileSync(join(dir, 'README.md'), 'utf8'));
  return files;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

const TSX = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs `scripts/<script>` of the copy as `npm run` would (exit code, output), killed after `timeoutMs`. */
export function runScript(
  dir: string,
  script: 'generate.ts' | 'spec-update.ts',
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX, join('scripts', script), ...args],
      { cwd: dir, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

export function writeSpec(dir: string, name: string, doc: Doc | string): string {
  writeFileSync(join(dir, name), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return name;
}

/** Asserted of every refusal: the tool's own one-paragraph message, no stack trace. */
export function isToolMessage(stderr: string, tool: 'generate' | 'spec:update'): boolean {
  return (
    stderr.startsWith(`${tool}: `) && !/\n\s+at /.test(stderr) && !/unexpected error/.test(stderr)
  );
}

/** An HTTP server on 127.0.0.1 that counts every request (a fetched `$ref` would be one). */
export async function startCanaryServer(): Promise<{
  readonly url: string;
  readonly hits: () => number;
  readonly close: () => Promise<void>;
}> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ type: 'string', description: 'CANARY-HTTP-CONTENT' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A canary file that counts reads: a named pipe (FIFO). Whoever opens it to read blocks until a
 * writer appears, so the canary polls for a reader (opening for writing without blocking
 * succeeds only when one is waiting), counts it and hands it the canary text. A read can
 * neither finish nor go unnoticed.
 */
export async function startCanaryFile(path: string): Promise<{
  readonly reads: () => number;
  readonly stop: () => Promise<void>;
}> {
  await new Promise<void>((resolve, reject) => {
    execFile('mkfifo', [path], (error) => (error ? reject(error) : resolve()));
  });
  let reads = 0;
  let running = true;
  // A reader is counted once per open: it stays present until it closes its end.
  let readerPresent = false;
  const poll = (async () => {
    while (running) {
      try {
        const handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
        if (!readerPresent) reads += 1;
        readerPresent = true;
        await handle.write('{"type":"string","description":"CANARY-FILE-CONTENT"}');
        await handle.close();
      } catch {
        readerPresent = false; // ENXIO: nobody is reading.
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    reads: () => reads,
    stop: async () => {
      running = false;
      await poll;
    },
  };
}

export function exists(dir: string, name: string): boolean {
  return existsSync(join(dir, name));
}
