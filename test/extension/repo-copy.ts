/**
 * A temporary copy of the parts of the repo another team would touch to add operations, so a
 * test can change the codegen config and regenerate without touching the real tree.
 *
 * `node_modules` is a real directory of symlinks to the repo's packages (not one symlink to the
 * whole folder), so tools that write into `node_modules/.cache` (the generator's no-op stamp) or
 * `.vite*` write into the copy.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { makeTempDir, repoRoot } from '../package/packed-package.js';

/** What adding an operation by config needs: spec + config, generator, runtime, build settings. */
export const COPIED_ENTRIES = [
  'openapi',
  'scripts',
  'src',
  'generated',
  'package.json',
  'tsconfig.json',
] as const;

/** Written by the tools as they run (generator stamp, vite's config bundles, vitest's results): never shared. */
const TOOL_CACHES = new Set(['.cache', '.vite', '.vite-temp']);

function linkNodeModules(copyDir: string): void {
  const source = join(repoRoot, 'node_modules');
  const target = join(copyDir, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (TOOL_CACHES.has(entry)) continue;
    symlinkSync(join(source, entry), join(target, entry), 'dir');
  }
}

/** A copy of `COPIED_ENTRIES` (nested node_modules left out) (and `extra` entries, e.g. `test` to run suites there), with node_modules linked. */
export function createRepoCopy(extra: readonly string[] = []): string {
  const copyDir = makeTempDir('email-security-extension');
  for (const entry of [...COPIED_ENTRIES, ...extra]) {
    // Nested installs (the runtime matrix's binaries under test/runtimes/binaries) are not part
    // of what a team touches, and copying them is hundreds of megabytes.
    cpSync(join(repoRoot, entry), join(copyDir, entry), {
      recursive: true,
      filter: (path) => !relative(repoRoot, path).split(sep).includes('node_modules'),
    });
  }
  linkNodeModules(copyDir);
  return copyDir;
}

const OPERATIONS_LIST = /(operations\s*:\s*\[)([^\]]*)(\])/;

/** The operationIds of the `operations: [...]` list of a codegen config source. */
export function configOperations(source: string): string[] {
  const match = OPERATIONS_LIST.exec(source);
  if (!match) {
    throw new Error(
      'openapi/codegen.config.ts has no `operations: [...]` list; update configOperations ' +
        'in test/extension/repo-copy.ts to the new config format',
    );
  }
  return [...(match[2] as string).matchAll(/['"]([^'"]+)['"]/g)].map((item) => item[1] as string);
}

/** The config source with exactly `operationIds` in its `operations: [...]` list. */
export function setConfigOperations(source: string, operationIds: readonly string[]): string {
  configOperations(source); // throws when the format changed
  return source.replace(
    OPERATIONS_LIST,
    `$1${[...new Set(operationIds)].map((id) => `'${id}'`).join(', ')}$3`,
  );
}

/** Adds operationIds to the config's `operations: [...]` list, keeping the ones already there. */
export function addOperationsToConfig(source: string, operationIds: readonly string[]): string {
  return setConfigOperations(source, [...configOperations(source), ...operationIds]);
}

/** Relative paths of the files under `dir`, sorted, with their contents. */
export function snapshotTree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(dir, file).split(sep).includes('node_modules'))
    .sort();
  return new Map(files.map((file) => [relative(dir, file), readFileSync(file, 'utf8')]));
}
