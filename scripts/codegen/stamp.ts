import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from './load.js';
import type { GenerateSummary } from './pipeline.js';

/**
 * The no-op shortcut. After a successful run the generator records, outside `generated/`
 * (in `node_modules/.cache/`), a fingerprint of its inputs — spec bytes, configuration, its own
 * source files and the versions of openapi-typescript/ts-morph/typescript — plus the sha256 of
 * every file it wrote. When the fingerprint is unchanged and the files on disk still hash the
 * same, emitting would produce the same bytes, so it is skipped.
 */
export interface Stamp {
  readonly fingerprint: string;
  /** sha256 of each output file, by relative path. */
  readonly files: Readonly<Record<string, string>>;
  /** What the summary prints, so a skipped run still reports it. */
  readonly summary: Pick<GenerateSummary, 'operations' | 'deprecations'>;
}

const CODEGEN_DIR = dirname(fileURLToPath(import.meta.url));
const SCRIPTS_DIR = dirname(CODEGEN_DIR);
const TOOL_PACKAGES = ['openapi-typescript', 'ts-morph', 'typescript', 'openapi-fetch'];

/** Hash of the generator's own sources and of the tool versions it runs with. */
export async function generatorFingerprint(rootDir: string): Promise<string> {
  const parts: string[] = [];
  const sources = (await readdir(CODEGEN_DIR)).filter((name) => name.endsWith('.ts')).sort();
  for (const name of sources) parts.push(name, sha256Hex(await readFile(join(CODEGEN_DIR, name))));
  parts.push(
    'generate.ts',
    sha256Hex(await readFile(join(SCRIPTS_DIR, 'generate.ts')).catch(() => Buffer.from(''))),
  );
  for (const name of TOOL_PACKAGES) {
    const manifest = await readFile(
      join(rootDir, 'node_modules', name, 'package.json'),
      'utf8',
    ).catch(() => '');
    parts.push(name, sha256Hex(manifest));
  }
  return sha256Hex(parts.join('\n'));
}

export function inputsFingerprint(parts: {
  specSha256: string;
  settings: unknown;
  generator: string;
}): string {
  return sha256Hex(JSON.stringify([parts.specSha256, parts.settings, parts.generator]));
}

function stampPath(rootDir: string, outDir: string): string {
  return join(
    rootDir,
    'node_modules',
    '.cache',
    'email-security-codegen',
    `${sha256Hex(resolve(outDir)).slice(0, 16)}.json`,
  );
}

export async function readStamp(rootDir: string, outDir: string): Promise<Stamp | null> {
  try {
    const stamp = JSON.parse(await readFile(stampPath(rootDir, outDir), 'utf8')) as Stamp;
    return typeof stamp.fingerprint === 'string' && typeof stamp.files === 'object' ? stamp : null;
  } catch {
    return null;
  }
}

/** Best effort: a missing or read-only cache only costs speed. */
export async function writeStamp(rootDir: string, outDir: string, stamp: Stamp): Promise<void> {
  const file = stampPath(rootDir, outDir);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp-${process.pid}`, JSON.stringify(stamp));
    await rename(`${file}.tmp-${process.pid}`, file);
  } catch {
    // The cache is an optimisation only.
  }
}
