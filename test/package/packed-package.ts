/**
 * Builds and packs the package the way a release does, and installs the tarball into a fresh
 * project the way a consumer does. Shared by the consumer smoke test and the benches.
 *
 * Nothing here touches the repo: the repo is copied to a temporary staging directory (without
 * any node_modules, .git, dist and other ignored output; node_modules is symlinked), `npm run build`
 * and `npm pack` run there, and the consumer project is another temporary directory.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Top-level entries never copied to the staging directory (installed or produced, not sources). */
const NOT_STAGED = new Set(['node_modules', '.git', 'dist', '.tmp', 'coverage', 'bench/.data']);
export const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; on failure throws an error with the command, exit code and its output. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    throw new Error(
      `\`${basename(command)} ${args.join(' ')}\` failed (exit ${String(failure.code)}) in ${options.cwd}\n` +
        `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim(),
      { cause: error },
    );
  }
}

/** Script-run variables of an enclosing `npm test`; `npm_config_*` (cache, registry) is kept. */
const NPM_RUN_VARIABLES = /^npm_(lifecycle_|package_|command$)/i;

/** Environment for child npm processes: as if started from a shell, not from inside `npm test`. */
export function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !NPM_RUN_VARIABLES.test(key)),
  );
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

function isStaged(source: string): boolean {
  const path = relative(repoRoot, source).split(sep).join('/');
  if (path === '') return true;
  return (
    ![...NOT_STAGED].some((entry) => path === entry || path.startsWith(`${entry}/`)) &&
    !path.split('/').includes('node_modules') &&
    !path.endsWith('.tgz')
  );
}

/** A copy of the repo's sources with node_modules symlinked, ready to build and pack. */
export function stageRepoCopy(): string {
  const stagingDir = makeTempDir('email-security-stage');
  for (const entry of readdirSync(repoRoot)) {
    const source = join(repoRoot, entry);
    if (!isStaged(source)) continue;
    cpSync(source, join(stagingDir, entry), { recursive: true, filter: isStaged });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(stagingDir, 'node_modules'), 'dir');
  return stagingDir;
}

export interface PackedPackage {
  /** Temporary staging copy of the repo, holding `dist/` and the tarball; remove it when done. */
  readonly stagingDir: string;
  readonly tarball: string;
  /** Paths inside the tarball, relative to the package root (e.g. `dist/src/index.js`). */
  readonly files: readonly string[];
  readonly packageName: string;
}

/** `npm run build` then `npm pack` in a staging copy of the repo. */
export async function buildAndPack(): Promise<PackedPackage> {
  const stagingDir = stageRepoCopy();
  const env = npmEnv();
  try {
    await runCommand(npmCli, ['run', 'build', '--silent'], { cwd: stagingDir, env });
    const packDir = join(stagingDir, '.pack');
    mkdirSync(packDir);
    const { stdout } = await runCommand(
      npmCli,
      ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
      { cwd: stagingDir, env },
    );
    const [summary] = JSON.parse(stdout) as {
      name: string;
      filename: string;
      files: { path: string }[];
    }[];
    if (!summary) throw new Error(`npm pack printed no summary: ${stdout}`);
    return {
      stagingDir,
      tarball: join(packDir, summary.filename),
      files: summary.files.map((file) => file.path).sort(),
      packageName: summary.name,
    };
  } catch (error) {
    removeDir(stagingDir);
    throw error;
  }
}

/**
 * A fresh project with the tarball (and `extraPackages`, e.g. `@types/node@20`) installed from the
 * npm cache. `--offline` keeps it fast and deterministic; `--prefer-offline` is the fallback when
 * something is missing from the cache.
 */
export async function installIntoFreshProject(
  tarball: string,
  extraPackages: readonly string[] = [],
): Promise<string> {
  const projectDir = makeTempDir('email-security-consumer');
  writeFileSync(
    join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = (mode: '--offline' | '--prefer-offline') =>
    runCommand(
      npmCli,
      ['install', mode, '--no-audit', '--no-fund', '--no-save', tarball, ...extraPackages],
      { cwd: projectDir, env: npmEnv() },
    );
  try {
    await install('--offline').catch(() => install('--prefer-offline'));
    return projectDir;
  } catch (error) {
    removeDir(projectDir);
    throw error;
  }
}

export const typescriptCompilers = {
  'TypeScript 5.9': join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
  'TypeScript 7': join(repoRoot, 'node_modules', 'typescript7', 'bin', 'tsc'),
} as const;

export type CompilerName = keyof typeof typescriptCompilers;

/**
 * `tsc -p <project>` (a directory or a tsconfig file) with the given compiler; resolves to its
 * output, rejects with the errors.
 */
export function runTsc(
  compiler: CompilerName,
  project: string,
  extraArgs: readonly string[] = [],
): Promise<CommandResult> {
  const cwd = statSync(project).isDirectory() ? project : dirname(project);
  return runCommand(
    process.execPath,
    [typescriptCompilers[compiler], '-p', project, '--pretty', 'false', ...extraArgs],
    { cwd },
  );
}
