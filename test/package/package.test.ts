/**
 * The package as other teams get it, built and packed once (`npm run build` + `npm pack` in a
 * staging copy of the repo, see packed-package.ts):
 * - its shape: what the tarball holds, its package.json, what the built JavaScript imports;
 * - publint and Are The Types Wrong;
 * - the consumer smoke test: the tarball installed into a fresh project from the npm cache, a
 *   consumer `.ts` file importing only the package name, type-checked under strict TypeScript 5.9
 *   and TypeScript 7 (`skipLibCheck: false`), compiled, and run against the local stand-in server.
 *
 * attw runs with `--profile esm-only`: the package is ESM only (`"type": "module"`, one
 * `import`/`default` export, no CommonJS build). CommonJS consumers load it with require(esm)
 * (Node 20.19+/22.12+, which `engines` requires); `node10` finds the types through the top-level
 * `types`, and TypeScript refuses `module: node16` from a CommonJS file (attw's node16-from-CJS
 * warning, ignored on purpose). test/runtimes proves each story with a consumer project.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { consumerSource, consumerTsconfig, NODE_TYPES } from './consumer-source.js';
import {
  buildAndPack,
  installIntoFreshProject,
  makeTempDir,
  npmCli,
  npmEnv,
  type PackedPackage,
  removeDir,
  repoRoot,
  runCommand,
  runTsc,
} from './packed-package.js';

interface PackageJson {
  name: string;
  license?: string;
  type?: string;
  exports?: unknown;
  files?: string[];
  sideEffects?: unknown;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Lifecycle scripts that would run in the consumer's `npm install`. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** What the runtime imports: openapi-fetch, and is-network-error (see ARCHITECTURE.md). */
// Issue 14: openapi-fetch is the only runtime dependency; is-network-error is bundled into dist/.
const RUNTIME_DEPENDENCIES = ['openapi-fetch'];
// openapi/allow-policy-audit.ts: the audit rules src/migrate/ imports (a source of the bundle's map).
const PUBLISHED_ROOTS = ['dist/', 'src/', 'generated/', 'openapi/allow-policy-audit.ts'];
const ROOT_FILES = ['package.json', 'README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md'];

let packed: PackedPackage | undefined;
let projectDir: string | undefined;
let server: StandInServer | undefined;

function current(): PackedPackage {
  if (!packed) throw new Error('beforeAll did not finish: build or pack failed (see above)');
  return packed;
}

function consumer(): { projectDir: string; server: StandInServer } {
  if (!projectDir || !server)
    throw new Error('beforeAll did not finish: install failed (see above)');
  return { projectDir, server };
}

function packedManifest(): PackageJson {
  return JSON.parse(readFileSync(join(current().stagingDir, 'package.json'), 'utf8'));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Module specifiers of static imports/exports and dynamic `import('…')` in built JavaScript. */
function importedSpecifiers(javascript: string): string[] {
  const pattern =
    /(?:^|[;\n])\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...javascript.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

beforeAll(async () => {
  packed = await buildAndPack();
  projectDir = await installIntoFreshProject(packed.tarball, [NODE_TYPES]);
  writeFileSync(join(projectDir, 'consumer.ts'), consumerSource(packed.packageName));
  writeFileSync(
    join(projectDir, 'tsconfig.json'),
    `${JSON.stringify(consumerTsconfig, null, 2)}\n`,
  );
  server = await startStandInServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
  removeDir(projectDir);
  removeDir(packed?.stagingDir);
});

describe('the tarball', () => {
  test('holds the runtime bundle with its map, and the types of the entry point', () => {
    const { files } = current();
    for (const file of [
      'dist/index.js',
      'dist/index.js.map',
      'dist/src/index.d.ts',
      'dist/core.js',
    ]) {
      expect(files).toContain(file);
    }
  });

  test('has a .d.ts and a declaration map for every module of src/ and generated/', () => {
    const { files } = current();
    const modules = files.filter(
      (file) => /^(src|generated)\/.+\.ts$/.test(file) && !file.endsWith('.d.ts'),
    );
    expect(modules.length).toBeGreaterThan(0);
    const missing = modules.flatMap((file) => {
      const base = `dist/${file.replace(/\.ts$/, '')}`;
      return [`${base}.d.ts`, `${base}.d.ts.map`].filter((built) => !files.includes(built));
    });
    expect(missing).toEqual([]);
  });

  test('the source map of the bundle points at sources that ship in the tarball', () => {
    const { files, stagingDir } = current();
    const map = JSON.parse(readFileSync(join(stagingDir, 'dist', 'index.js.map'), 'utf8')) as {
      sources: string[];
    };
    const sources = map.sources.map((source) => join('dist', source).split('\\').join('/'));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !files.includes(source))).toEqual([]);
  });

  test('holds nothing but the build, its sources (for the maps) and root docs', () => {
    const unexpected = current().files.filter(
      (file) =>
        !ROOT_FILES.includes(file) && !PUBLISHED_ROOTS.some((root) => file.startsWith(root)),
    );
    expect(unexpected).toEqual([]);
    expect(current().files.filter((file) => /\.test(-d)?\.ts$/.test(file))).toEqual([]);
  });
  test('ships the LICENSE that package.json names', () => {
    expect(current().files).toContain('LICENSE');
    const license = readFileSync(join(current().stagingDir, 'LICENSE'), 'utf8');
    expect(packedManifest().license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} \S/);
    expect(license).toContain('Permission is hereby granted, free of charge');
  });

  test('its type declarations do not need @types/node (edge runtimes, browsers)', () => {
    const { stagingDir } = current();
    const nodeOnly = listFiles(join(stagingDir, 'dist'))
      .filter((file) => file.endsWith('.d.ts'))
      .filter((file) =>
        /reference types="node"|\bNodeJS\.|from ['"]node:/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(stagingDir, file));
    expect(nodeOnly).toEqual([]);
  });
});

describe('package.json', () => {
  test('is ESM with an exports map whose targets are in the tarball, types first', () => {
    const manifest = packedManifest();
    expect(manifest.type).toBe('module');
    const exportsMap = (manifest.exports ?? {}) as Record<string, unknown>;
    expect(exportsMap['.'], 'exports["."] is missing').toBeTypeOf('object');
    // The modular entry (README "A small bundle").
    expect(exportsMap['./core'], 'exports["./core"] is missing').toBeTypeOf('object');
    for (const [subpath, entry] of Object.entries(exportsMap)) {
      if (typeof entry === 'string') {
        expect(current().files).toContain(entry.replace(/^\.\//, ''));
        continue;
      }
      const conditions = entry as Record<string, unknown>;
      expect(Object.keys(conditions)[0], subpath).toBe('types');
      for (const target of Object.values(conditions)) {
        expect(target).toBeTypeOf('string');
        expect(current().files).toContain((target as string).replace(/^\.\//, ''));
      }
    }
  });

  test('declares files, sideEffects: false and the Node lines with require(esm)', () => {
    const manifest = packedManifest();
    expect(Array.isArray(manifest.files)).toBe(true);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines?.node).toBe('^20.19.0 || >=22.12.0');
  });

  test('runs nothing when a consumer installs it', () => {
    const scripts = Object.keys(packedManifest().scripts ?? {});
    expect(scripts.filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
  });

  test('depends at run time on exactly what the built JavaScript imports', () => {
    const { stagingDir } = current();
    const bare = new Map<string, string>();
    for (const file of listFiles(join(stagingDir, 'dist')).filter((name) => name.endsWith('.js'))) {
      if (file.endsWith('cli.js')) continue; // the bin: next test
      for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) bare.set(specifier, relative(stagingDir, file));
      }
    }
    const dependencies = Object.keys(packedManifest().dependencies ?? {}).sort();
    expect([...bare.keys()].sort()).toEqual(dependencies);
    expect(dependencies).toEqual(RUNTIME_DEPENDENCIES);
  });

  test('ships the licence of every package bundled into dist/', () => {
    const { stagingDir } = current();
    const bundled = new Set<string>();
    for (const map of listFiles(join(stagingDir, 'dist')).filter((name) =>
      name.endsWith('.js.map'),
    )) {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
        if (name !== undefined) bundled.add(name);
      }
    }
    expect([...bundled]).toEqual(['is-network-error']);
    const licences = readdirSync(join(stagingDir, 'dist', 'licenses'));
    expect(licences).toEqual([...bundled].map((name) => `${name}.txt`));
    const text = readFileSync(join(stagingDir, 'dist', 'licenses', 'is-network-error.txt'), 'utf8');
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) Sindre Sorhus/);
  });

  test('the cfes bin imports only Node built-ins, the runtime dependencies and its optional peer dependencies', () => {
    const manifest = packedManifest();
    expect(manifest.bin).toEqual({ cfes: './dist/cli.js' });
    const cli = readFileSync(join(current().stagingDir, 'dist', 'cli.js'), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bare = importedSpecifiers(cli).filter(
      (specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'),
    );
    const peers = Object.keys(manifest.peerDependencies ?? {});
    // audit/migrate/restore run the client, which needs its own dependencies (always installed).
    const allowed = [...peers, ...Object.keys(manifest.dependencies ?? {})];
    expect(bare.length).toBeGreaterThan(0);
    expect(bare.filter((specifier) => !allowed.includes(specifier))).toEqual([]);
    for (const peer of peers) {
      expect(manifest.peerDependenciesMeta?.[peer]?.optional).toBe(true);
    }
  });
});

describe('linters', () => {
  test('publint --strict reports nothing', async () => {
    const cli = join(repoRoot, 'node_modules', 'publint', 'src', 'cli.js');
    const { stdout, stderr } = await runCommand(
      process.execPath,
      [cli, 'run', current().tarball, '--strict', '--level', 'suggestion'],
      { cwd: current().stagingDir },
    );
    const output = `${stdout}${stderr}`;
    expect(output).toMatch(/All good/);
    expect(output).not.toMatch(/Suggestion|Warning|Error/);
  }, 60_000);

  test('attw --profile esm-only finds no problem', async () => {
    const cli = join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    expect(existsSync(cli)).toBe(true);
    // attw exits non-zero on any problem its profile does not ignore (runCommand then throws).
    const { stdout } = await runCommand(
      process.execPath,
      [cli, current().tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color'],
      { cwd: current().stagingDir },
    );
    expect(stdout).toContain('node16 (from ESM): 🟢 (ESM)');
    expect(stdout).toContain('bundler: 🟢');
  }, 60_000);
});

describe('npm run lint:package', () => {
  test('builds once: npm pack runs prepack, publint and attw read that tarball', async () => {
    // A copy of the built staging directory whose build script only counts its runs (dist/ is
    // already there), so the test costs a pack and the two linters, not another build.
    const copy = makeTempDir('email-security-lint-package');
    try {
      const pack = join(current().stagingDir, '.pack');
      cpSync(current().stagingDir, copy, {
        recursive: true,
        filter: (source) => source !== pack && !source.startsWith(`${pack}${sep}`),
      });
      const manifestPath = join(copy, 'package.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
      manifest.scripts = {
        ...manifest.scripts,
        build: `node -e "require('node:fs').appendFileSync('builds.log', 'build\\n')"`,
      };
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      await runCommand(npmCli, ['run', 'lint:package', '--silent'], {
        cwd: copy,
        env: npmEnv(),
      });
      expect(readFileSync(join(copy, 'builds.log'), 'utf8')).toBe('build\n');
    } finally {
      removeDir(copy);
    }
  }, 120_000);
});

describe('a fresh consumer project with the packed package installed', () => {
  test('the package comes from the tarball, with only its runtime dependencies', () => {
    const { projectDir } = consumer();
    const installed = JSON.parse(
      readFileSync(join(projectDir, 'node_modules', current().packageName, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    expect(Object.keys(installed.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
  });

  test('consumer.ts type-checks under strict TypeScript 5.9', async () => {
    const { stdout } = await runTsc('TypeScript 5.9', consumer().projectDir, ['--noEmit']);
    expect(stdout).toBe('');
  }, 180_000);

  test('consumer.ts type-checks under TypeScript 7 (native compiler)', async () => {
    const { stdout } = await runTsc('TypeScript 7', consumer().projectDir, ['--noEmit']);
    expect(stdout).toBe('');
  }, 180_000);

  test('the compiled consumer updates a policy on the stand-in server', async () => {
    const { projectDir, server } = consumer();
    const seeded = server.seedPolicy({ is_trusted_sender: true, comments: null });
    server.requests.length = 0;
    // Type errors are the two tests above; here only the JavaScript is needed.
    await runTsc('TypeScript 5.9', projectDir, ['--noCheck']);
    const { stdout } = await runCommand(process.execPath, [join('out', 'consumer.js')], {
      cwd: projectDir,
      timeoutMs: 30_000,
      env: {
        PATH: process.env.PATH,
        STAND_IN_BASE_URL: server.baseUrl,
        STAND_IN_ACCOUNT_ID: server.accountId,
        STAND_IN_API_TOKEN: server.apiToken,
        STAND_IN_POLICY_ID: seeded.id,
      },
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      id: seeded.id,
      comments: 'updated from the packed package',
      is_trusted_sender: false,
      rejectedLocally: true,
    });
    expect(server.policies.get(seeded.id)).toMatchObject({
      comments: 'updated from the packed package',
      is_trusted_sender: false,
    });
    // One PATCH: the invalid update was stopped by the client and never sent.
    expect(server.requests.map((request) => request.method)).toEqual(['PATCH']);
    expect(server.requests[0]?.body).toEqual({
      comments: 'updated from the packed package',
      is_trusted_sender: false,
    });
  }, 60_000);
});

describe('importedSpecifiers', () => {
  test('finds static, side-effect, re-export and dynamic imports, not strings', () => {
    const source = [
      "import createClient from 'openapi-fetch';",
      "import { a } from './a.js';",
      "import './side-effect.js';",
      "export { b } from '../b.js';",
      "export * from './c.js';",
      "const d = await import('./d.js');",
      'const text = \'import x from "nope"\';',
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual([
      'openapi-fetch',
      './a.js',
      './side-effect.js',
      '../b.js',
      './c.js',
      './d.js',
    ]);
  });
});
