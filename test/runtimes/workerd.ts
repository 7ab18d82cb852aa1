/**
 * Runs the scenario in Cloudflare's real Workers runtime: the consumer's Worker (which imports the
 * installed package by name) is bundled the way wrangler bundles it (esbuild, ESM, the `workerd` /
 * `worker` / `browser` export conditions), loaded by `workerd serve` from a Cap'n Proto config,
 * and asked to run the scenario with one HTTP request. The Worker's outbound `fetch` goes through a
 * network service that allows loopback addresses only, so it reaches the stand-in and nothing else.
 *
 * The socket listens on 127.0.0.1 port 0; workerd reports the port on its control descriptor.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import { locateBinary, minimalEnv, type Runtime, RuntimeStepError } from './runtimes.js';

/** The Worker's compatibility date (the pinned workerd supports dates up to its release). */
export const COMPATIBILITY_DATE = '2026-11-01';
const START_TIMEOUT_MS = 20_000;

export function workerSource(packageName: string): string {
  return `import * as lib from ${JSON.stringify(packageName)};
import { runScenario } from './scenario.mjs';

export default {
  async fetch(request) {
    const report = await runScenario(async () => lib, await request.json());
    return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
  },
};
`;
}

/** wrangler's bundling of a module Worker: one ESM file, browser-ish conditions, no Node built-ins. */
export async function bundleWorker(
  runtime: Runtime,
  projectDir: string,
  entry = 'worker.mjs',
): Promise<string> {
  const outfile = join(projectDir, entry.replace(/\.mjs$/, '.bundle.mjs'));
  try {
    await build({
      absWorkingDir: projectDir,
      entryPoints: [join(projectDir, entry)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2024',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      logLevel: 'silent',
    });
  } catch (error) {
    throw new RuntimeStepError(runtime, 'bundle the Worker (esbuild)', String(error), {
      cause: error,
    });
  }
  return outfile;
}

function capnpConfig(runtime: Runtime, bundleFile: string): string {
  const flags = (runtime.compatibilityFlags ?? []).map((flag) => JSON.stringify(flag)).join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed ${JSON.stringify(basename(bundleFile))})],
  compatibilityDate = ${JSON.stringify(COMPATIBILITY_DATE)},
  compatibilityFlags = [${flags}],
  globalOutbound = "loopback",
);
`;
}

export interface RunningWorkerd {
  readonly url: string;
  /** Everything workerd printed so far (its console output and errors). */
  output(): string;
  stop(): Promise<void>;
}

/** Bundles `worker.mjs` of the consumer project and serves it. */
export async function startWorkerd(runtime: Runtime, projectDir: string): Promise<RunningWorkerd> {
  return serveWorker(runtime, await bundleWorker(runtime, projectDir));
}

/** `workerd serve` for one bundled Worker (beside its config); resolves once it listens. */
export async function serveWorker(runtime: Runtime, bundle: string): Promise<RunningWorkerd> {
  const binary = locateBinary(runtime);
  const projectDir = dirname(bundle);
  const configFile = join(projectDir, `${runtime.id}-${basename(bundle, '.bundle.mjs')}.capnp`);
  writeFileSync(configFile, capnpConfig(runtime, bundle));

  const child = spawn(binary, ['serve', configFile, '--control-fd=3', '--verbose'], {
    cwd: projectDir,
    env: minimalEnv(),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const port = await new Promise<number>((resolve, reject) => {
    const fail = (detail: string) => {
      clearTimeout(timer);
      reject(new RuntimeStepError(runtime, 'start workerd', `${detail}\n${output.trim()}`));
    };
    const timer = setTimeout(
      () => fail(`no listen event within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    let control = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (control + chunk).split('\n');
      control = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseControlEvent(line);
        if (event?.event === 'listen' && typeof event.port === 'number') {
          clearTimeout(timer);
          resolve(event.port);
        }
      }
    });
    child.once('error', (error) => fail(String(error)));
    child.once('close', (code, signal) => fail(`workerd exited (${String(code ?? signal)})`));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url: `http://127.0.0.1:${port}/`, output: () => output, stop };
}

function parseControlEvent(line: string): { event?: unknown; port?: unknown } | undefined {
  try {
    return JSON.parse(line) as { event?: unknown; port?: unknown };
  } catch {
    return undefined;
  }
}
