/**
 * `npm run build`: a clean `dist/` from `src/` and `generated/`.
 *
 * - `dist/index.js` and `dist/core.js` (+ `.map`): the two entries (`.` and `./core`), bundled by
 *   esbuild with the runtime dependency left external (`openapi-fetch` is imported, not copied)
 *   and the small dev-time helpers the runtime uses inlined (`is-network-error`), so the package
 *   has one runtime dependency; their licences are copied to `dist/licenses/`. What
 *   both use is one shared chunk (`dist/chunks/`), so an application importing both has one
 *   runtime (one set of error classes for `instanceof`). Three files instead of ~15 keep cold
 *   start close to raw `fetch`: Node's ESM loader pays per module (see
 *   bench/cold-start.bench.ts). Platform-neutral output: no Node built-ins, so edge runtimes and
 *   browsers can load it.
 * - `dist/src/*.d.ts`, `dist/generated/*.d.ts` (+ declaration maps): from
 *   `tsc -p tsconfig.build.json`, which also type-checks the sources.
 * - `dist/cli.js` (+ `.map`): the `cfes` bin, i.e. the generator (`scripts/cli/cfes.ts` with
 *   scripts/codegen and scripts/spec) as one Node ES module that runs on plain Node. Its own
 *   dependencies (openapi-typescript, ts-morph, yaml, and TypeScript through them) stay external:
 *   they are optional peer dependencies that only consumers who generate install. The same
 *   helpers are inlined as in the runtime entries.
 *
 * `dist/` is removed first so files of deleted modules never end up in the published package.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const distDir = join(repoRoot, 'dist');
/** What the package's `exports` map points at; the build is wrong without them. */
const requiredOutputs = [
  'dist/index.js',
  'dist/index.js.map',
  'dist/src/index.d.ts',
  'dist/core.js',
  'dist/core.js.map',
  'dist/src/core.d.ts',
  'dist/cli.js',
  'dist/cli.js.map',
  'dist/licenses/is-network-error.txt',
];

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
/**
 * What the bundles import instead of copying: the runtime dependencies and the optional peers
 * (and their subpaths). Every other package the code imports is copied in.
 */
const external = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.peerDependencies ?? {}),
].flatMap((name) => [name, `${name}/*`]);
/** Packages copied into the bundles, whose licences ship beside them. */
const INLINED = ['is-network-error'];

function copyLicences(): boolean {
  mkdirSync(join(distDir, 'licenses'), { recursive: true });
  for (const name of INLINED) {
    const licence = join(repoRoot, 'node_modules', name, 'license');
    if (!existsSync(licence)) {
      console.error(`build failed: ${name} is bundled but has no license file at ${licence}`);
      return false;
    }
    copyFileSync(licence, join(distDir, 'licenses', `${name}.txt`));
  }
  return true;
}

function tscPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
}

function emitDeclarations(): boolean {
  const result = spawnSync(process.execPath, [tscPath(), '-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status === 0) return true;
  console.error('build failed: tsc -p tsconfig.build.json reported the errors above');
  return false;
}

async function bundleRuntime(): Promise<boolean> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['src/index.ts', 'src/core.ts'],
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external,
    sourcemap: true,
    logLevel: 'warning',
  }).catch((error: unknown) => {
    console.error(
      `build failed: esbuild could not bundle src/index.ts and src/core.ts (${String(error)})`,
    );
    return undefined;
  });
  return result !== undefined && result.errors.length === 0;
}

async function bundleCli(): Promise<boolean> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['scripts/cli/cfes.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: true,
    logLevel: 'warning',
  }).catch((error: unknown) => {
    console.error(`build failed: esbuild could not bundle scripts/cli/cfes.ts (${String(error)})`);
    return undefined;
  });
  return result !== undefined && result.errors.length === 0;
}

async function main(): Promise<number> {
  rmSync(distDir, { recursive: true, force: true });
  if (!emitDeclarations() || !(await bundleRuntime()) || !(await bundleCli()) || !copyLicences()) {
    return 1;
  }
  const missing = requiredOutputs.filter((file) => !existsSync(join(repoRoot, file)));
  if (missing.length > 0) {
    console.error(
      `build incomplete: ${missing.join(', ')} missing; check tsconfig.build.json and scripts/build.ts`,
    );
    return 1;
  }
  console.log(
    'built dist/: index.js and core.js (ESM entries + shared chunk, maps), .d.ts files with declaration maps, cli.js (the cfes bin)',
  );
  return 0;
}

process.exitCode = await main();
