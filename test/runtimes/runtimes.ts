/**
 * The runtimes of the matrix and how each one runs the scenario from a consumer project.
 *
 * Binaries come from `test/runtimes/binaries` (pinned in its package.json and lockfile, installed
 * by the repo's `npm ci` through `binaries/install-hook`): real builds shipped inside npm
 * packages, nothing downloaded at install or run time. The machine's own Node is the one running
 * the suite (`process.execPath`).
 *
 * Each failure names the step (`locate binary`, `start`, `run scenario`, …) and the runtime, and
 * carries the runtime's output.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const binariesDir = join(here, 'binaries');
const binariesModules = join(binariesDir, 'node_modules');

export type RuntimeKind = 'node' | 'bun' | 'deno' | 'workerd';

export interface Runtime {
  /** Short id used in file names, e.g. `node22`, `workerd-no-nodejs-compat`. */
  readonly id: string;
  readonly label: string;
  readonly kind: RuntimeKind;
  /** Absolute path of the executable. */
  readonly binary: string;
  /** The npm package (alias) the binary comes from; undefined for the machine's Node. */
  readonly npmPackage?: string;
  /** workerd only: compatibility flags of the Worker. */
  readonly compatibilityFlags?: readonly string[];
}

function fromBinaries(packageDir: string, relativeBinary: string): string {
  return join(binariesModules, packageDir, relativeBinary);
}

export const RUNTIMES: readonly Runtime[] = [
  { id: 'node-machine', label: "Node.js (the machine's)", kind: 'node', binary: process.execPath },
  ...(['22', '24', '26'] as const).map(
    (major): Runtime => ({
      id: `node${major}`,
      label: `Node.js ${major}`,
      kind: 'node',
      binary: fromBinaries(`node${major}`, 'bin/node'),
      npmPackage: `node${major}`,
    }),
  ),
  {
    id: 'bun',
    label: 'Bun',
    kind: 'bun',
    binary: fromBinaries('@oven/bun-linux-x64', 'bin/bun'),
    npmPackage: '@oven/bun-linux-x64',
  },
  {
    id: 'deno',
    label: 'Deno',
    kind: 'deno',
    binary: fromBinaries('@deno/linux-x64-glibc', 'deno'),
    npmPackage: '@deno/linux-x64-glibc',
  },
  ...[
    // nodejs_compat is on by default from compatibility date 2026-08-04: the default Worker has
    // Node's `process` (with emitWarning); the opt-out has a bare `process` (no emitWarning).
    { id: 'workerd', label: 'Cloudflare Workers (workerd)', flags: [] },
    {
      id: 'workerd-no-nodejs-compat',
      label: 'Cloudflare Workers (workerd, no_nodejs_compat)',
      flags: ['no_nodejs_compat'],
    },
  ].map(
    ({ id, label, flags }): Runtime => ({
      id,
      label,
      kind: 'workerd',
      binary: fromBinaries('@cloudflare/workerd-linux-64', 'bin/workerd'),
      npmPackage: '@cloudflare/workerd-linux-64',
      compatibilityFlags: flags,
    }),
  ),
];

/** The pinned runtime binaries are published for linux-x64 only (glibc for Deno). */
export const binariesSupported = platform() === 'linux' && arch() === 'x64';

export class RuntimeStepError extends Error {
  override name = 'RuntimeStepError';
  constructor(runtime: Runtime, step: string, detail: string, options?: { cause?: unknown }) {
    super(`${runtime.label}: could not ${step}: ${detail}`, options);
  }
}

/** Fails with the fix when the binary is missing (install skipped, or another platform). */
export function locateBinary(runtime: Runtime): string {
  if (existsSync(runtime.binary)) return runtime.binary;
  const where = `${platform()}-${arch()}`;
  throw new RuntimeStepError(
    runtime,
    'locate binary',
    `${runtime.binary} is missing. It comes from the npm package ${runtime.npmPackage ?? '?'} ` +
      `pinned in test/runtimes/binaries/package.json, installed by \`npm ci\` (its install-hook); ` +
      `reinstall with \`npm ci --prefix test/runtimes/binaries\`` +
      (binariesSupported ? '.' : ` (these packages exist for linux-x64 only, this is ${where}).`),
  );
}

/** The pinned version from the binaries' lockfile, e.g. `22.23.5`; undefined for the machine's Node. */
export function pinnedVersion(runtime: Runtime): string | undefined {
  if (!runtime.npmPackage) return undefined;
  const lock = JSON.parse(readFileSync(join(binariesDir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  return lock.packages[`node_modules/${runtime.npmPackage}`]?.version;
}

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Spawns a command and collects its output; kills it after `timeoutMs`. Never rejects on exit codes. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** `--version` of the binary, first line (e.g. `v22.23.5`, `deno 2.9.6 (…)`, `workerd 2026-11-17`). */
export async function binaryVersion(runtime: Runtime): Promise<string> {
  const binary = locateBinary(runtime);
  const result = await runProcess(binary, ['--version'], {
    cwd: here,
    env: minimalEnv(),
    timeoutMs: 30_000,
  }).catch((error: unknown) => {
    throw new RuntimeStepError(runtime, 'start', `${binary} --version: ${String(error)}`, {
      cause: error,
    });
  });
  if (result.code !== 0) {
    throw new RuntimeStepError(
      runtime,
      'start',
      `${binary} --version exited ${String(result.code ?? result.signal)}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout.trim().split('\n')[0] ?? '';
}

/**
 * The environment a runtime gets: PATH and HOME only (no credentials or proxies of the caller's
 * shell), update checks and telemetry off; Deno's cache in `denoDir` so it finds nothing to reuse
 * and `--cached-only` fails instead of downloading.
 */
export function minimalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DENO_NO_UPDATE_CHECK: '1',
    DO_NOT_TRACK: '1',
    ...extra,
  };
}

/**
 * Arguments that run `entry` (a file in the consumer project) with `arg`, offline:
 * - Node: plain `node entry.mjs`;
 * - Bun: `--no-install` (never auto-install a missing package from the registry);
 * - Deno: `--cached-only` (fail rather than download), `--no-lock`, the consumer's node_modules as
 *   the only package source, and permissions for loopback and the project only (no env: the
 *   library must not read the environment when every option is given).
 */
export function entryArgs(
  runtime: Runtime,
  entry: string,
  arg: string,
  context: { projectDir: string; port: number },
): string[] {
  switch (runtime.kind) {
    case 'node':
      return [entry, arg];
    case 'bun':
      return ['--no-install', entry, arg];
    case 'deno':
      return [
        'run',
        '--cached-only',
        '--no-lock',
        '--no-prompt',
        '--node-modules-dir=manual',
        `--allow-net=127.0.0.1:${context.port}`,
        `--allow-read=${context.projectDir}`,
        entry,
        arg,
      ];
    case 'workerd':
      throw new Error('workerd runs a Worker, not an entry file: see workerd.ts');
  }
}
