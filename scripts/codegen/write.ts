import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { CodegenError } from './errors.js';

/** One file to write, `path` relative to the output directory (forward slashes). */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
}

/** Differences between the files the generator would write and what is on disk. */
export interface DriftReport {
  /** On disk but with different contents. */
  readonly stale: readonly string[];
  /** Expected but not on disk. */
  readonly missing: readonly string[];
  /** On disk but not produced by the generator. */
  readonly extra: readonly string[];
}

export interface WriteOptions {
  /**
   * Called after each file is staged (test hook: throwing here simulates a failure part-way,
   * after some files were produced). The output directory must then be left untouched.
   */
  readonly afterFileStaged?: (file: OutputFile, index: number) => void | Promise<void>;
  /**
   * Files already in `outDir` that are not in `files` are removed by the swap. To protect
   * directories the generator does not own, each such file must satisfy this test, or
   * nothing is written. Default: every file may be replaced.
   */
  readonly isReplaceable?: (path: string, contents: string) => boolean;
}

/** Relative paths (forward slashes) of every file under `dir`, sorted; [] when it does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function visit(current: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && current === dir) return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) await visit(full);
      else found.push(relative(dir, full).split(sep).join('/'));
    }
  }
  await visit(dir);
  return found.sort();
}

function assertSafeRelativePath(path: string): void {
  if (
    path === '' ||
    path.startsWith('/') ||
    path.split('/').some((part) => part === '..' || part === '')
  ) {
    throw new CodegenError(
      `Refusing to write "${path}": output paths must be relative and stay inside the output directory.`,
      {
        hint: 'This is a generator bug; report it with the spec that triggered it.',
      },
    );
  }
}

/**
 * Writes `files` as the complete new contents of `outDir`: everything is staged in a temporary
 * directory beside `outDir`, then the directories are swapped by `rename`. On any failure the
 * staging directory is removed and `outDir` is left exactly as it was.
 */
export async function writeFilesAtomically(
  outDir: string,
  files: readonly OutputFile[],
  options: WriteOptions = {},
): Promise<void> {
  const target = resolve(outDir);
  for (const file of files) assertSafeRelativePath(file.path);
  await assertReplaceable(target, files, options.isReplaceable);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(target), `.${basename(target)}.staging-${token}`);
  const backup = join(dirname(target), `.${basename(target)}.previous-${token}`);
  await mkdir(dirname(target), { recursive: true });
  try {
    await mkdir(staging);
    for (const [index, file] of files.entries()) {
      const destination = join(staging, ...file.path.split('/'));
      await mkdir(dirname(destination), { recursive: true });
      await writeFile(destination, file.contents, 'utf8');
      await options.afterFileStaged?.(file, index);
    }
    await swapDirectories(target, staging, backup);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof CodegenError) throw error;
    throw new CodegenError(
      `Could not write the generated files to "${outDir}": ${(error as Error).message}. Nothing was changed there.`,
      {
        cause: error,
        hint: 'Check that the directory and its parent are writable, then rerun `npm run generate`.',
      },
    );
  }
  await rm(backup, { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function swapDirectories(target: string, staging: string, backup: string): Promise<void> {
  const hadTarget = await exists(target);
  if (hadTarget) await rename(target, backup);
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadTarget) await rename(backup, target);
    throw error;
  }
}

async function assertReplaceable(
  target: string,
  files: readonly OutputFile[],
  isReplaceable: WriteOptions['isReplaceable'],
): Promise<void> {
  if (!isReplaceable) return;
  const expected = new Set(files.map((file) => file.path));
  const foreign: string[] = [];
  for (const path of await listFiles(target)) {
    if (expected.has(path)) continue;
    const contents = await readFile(join(target, ...path.split('/')), 'utf8');
    if (!isReplaceable(path, contents)) foreign.push(path);
  }
  if (foreign.length > 0) {
    throw new CodegenError(
      `The output directory "${target}" contains files the generator did not write (${foreign.join(', ')}); writing would delete them, so nothing was written.`,
      {
        hint: 'Move those files elsewhere, or pass an output directory owned by the generator with --out <dir>.',
      },
    );
  }
}

/** Compares `files` with the contents of `outDir` without writing anything. */
export async function checkFiles(
  outDir: string,
  files: readonly OutputFile[],
): Promise<DriftReport> {
  const target = resolve(outDir);
  const onDisk = new Set(await listFiles(target));
  const stale: string[] = [];
  const missing: string[] = [];
  for (const file of files) {
    if (!onDisk.has(file.path)) {
      missing.push(file.path);
      continue;
    }
    const current = await readFile(join(target, ...file.path.split('/')), 'utf8');
    if (current !== file.contents) stale.push(file.path);
  }
  const expected = new Set(files.map((file) => file.path));
  const extra = [...onDisk].filter((path) => !expected.has(path));
  return { stale: stale.sort(), missing: missing.sort(), extra: extra.sort() };
}

export function hasDrift(report: DriftReport): boolean {
  return report.stale.length + report.missing.length + report.extra.length > 0;
}

/** One paragraph for the CLI: what is out of date and how to fix it. */
export function formatDrift(outDir: string, report: DriftReport): string {
  const parts = [
    report.stale.length ? `stale: ${report.stale.join(', ')}` : '',
    report.missing.length ? `missing: ${report.missing.join(', ')}` : '',
    report.extra.length ? `extra: ${report.extra.join(', ')}` : '',
  ].filter(Boolean);
  return `${outDir} is out of date (${parts.join('; ')}). Run \`npm run generate\` and commit the result.`;
}
