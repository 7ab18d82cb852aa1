import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sliceOperations } from '../spec/slice.js';
import { isUrl, readSource } from '../spec/source.js';
import { assertMarkdownIsSound } from './check-output.js';
import { deprecationIndex } from './deprecation-walk.js';
import { collectDeprecations, type SpecDeprecation } from './deprecations.js';
import { emitDeprecationsMarkdown } from './emit-deprecations.js';
import type { OperationsEmitOptions } from './emit-operations.js';
import { schemaInput } from './emit-schema.js';
import { type HeaderInput, isGeneratedFile } from './header.js';
import { type LoadedDocument, loadDocument, readSpecBytes, sha256Hex } from './load.js';
import { DEFAULT_OPERATION_ID_PREFIX } from './operations.js';
import { type GenerationPlan, planOperations } from './plan.js';
import {
  generatorFingerprint,
  inputsFingerprint,
  readStamp,
  type Stamp,
  writeStamp,
} from './stamp.js';
import {
  inThreadTypeScriptEmitter,
  startTypeScriptWorker,
  type TypeScriptEmitter,
} from './typescript-worker.js';
import { validateDocument } from './validate.js';
import {
  checkFiles,
  type DriftReport,
  hasDrift,
  listFiles,
  type OutputFile,
  type WriteOptions,
  writeFilesAtomically,
} from './write.js';

export interface GenerateOptions {
  /** Spec file (JSON or YAML), absolute or relative to `rootDir`. */
  readonly specPath: string;
  /** Output directory, absolute or relative to `rootDir`; the generator owns it entirely. */
  readonly outDir: string;
  /** operationIds to wrap. */
  readonly operations: readonly string[];
  /** Compare with what is on disk and write nothing. */
  readonly check?: boolean;
  /** Repository root (for relative paths, headers, `src/metadata.js` and the cache). Default: `process.cwd()`. */
  readonly rootDir?: string;
  /** Prefix removed from operationIds to name functions. Default `email_security_`. */
  readonly operationIdPrefix?: string;
  /** Module specifier of the metadata contract in operations.ts. Default: relative path to `<rootDir>/src/metadata.js`. */
  readonly metadataImport?: string;
  /** Use the no-op shortcut (see stamp.ts). Default true; never used with `check`. */
  readonly useCache?: boolean;
  /** Test hook, see `WriteOptions.afterFileStaged`. */
  readonly afterFileStaged?: WriteOptions['afterFileStaged'];
  /** Generate into a consumer's repository (`cfes generate`) instead of this package's generated/. */
  readonly consumer?: ConsumerOutput;
  /**
   * Emit the TypeScript files in a worker thread started from this module (one that serves it,
   * see typescript-worker.ts: the `cfes` bin passes itself), beside the other stages. Default: in
   * this thread.
   */
  readonly typescriptWorker?: URL;
}

/**
 * What changes when `cfes generate` writes into a consumer's repository: the spec may be an
 * http(s) URL; the document is first sliced to the selected operations and what they reference
 * (a full upstream document is 8–15 MB: openapi-typescript then converts only that, and the rest
 * of an untrusted document is never validated or emitted); the files import the package by name
 * and export the registry as `operations`; headers name the command that reruns the generation;
 * and the no-op cache is not used (it fingerprints this repository's generator sources).
 */
export interface ConsumerOutput {
  /** The package the generated files import their types from. */
  readonly packageName: string;
  /** The command line that reruns the generation, for the headers. */
  readonly command: string;
}

export interface GenerateSummary {
  /** Spec path relative to the root, as printed in the headers. */
  readonly specFile: string;
  readonly specSha256: string;
  /** Output directory relative to the root. */
  readonly outDir: string;
  readonly operations: readonly {
    operationId: string;
    functionName: string;
    method: string;
    path: string;
  }[];
  /** Every deprecation in the spec. */
  readonly deprecations: readonly SpecDeprecation[];
  /** Relative paths of the generated files. */
  readonly files: readonly string[];
  /** Files created or changed by this run (empty when up to date or checking). */
  readonly written: readonly string[];
  /** Files removed from the output directory by this run. */
  readonly removed: readonly string[];
  readonly status: 'written' | 'up-to-date' | 'check-passed' | 'check-failed';
  /** Differences found between the expected files and the disk before writing. */
  readonly drift: DriftReport;
  /** True when the no-op shortcut skipped loading and emitting. */
  readonly cached: boolean;
  /** The plan (null when the shortcut was taken). */
  readonly plan: GenerationPlan | null;
  readonly durationMs: number;
}

const NO_DRIFT: DriftReport = { stale: [], missing: [], extra: [] };

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function relativeImport(fromDir: string, target: string): string {
  const path = toPosix(relative(fromDir, target));
  return path.startsWith('.') ? path : `./${path}`;
}

/** One run, resolved once from the options: absolute paths, what the headers print, the settings. */
interface Run {
  readonly options: GenerateOptions;
  readonly rootDir: string;
  readonly specPath: string;
  readonly outDir: string;
  /** The spec is an http(s) URL (consumers only). */
  readonly fromUrl: boolean;
  /** Spec path and output directory relative to the root, as summaries and headers print them. */
  readonly base: Pick<GenerateSummary, 'specFile' | 'outDir'>;
  /** Everything besides the spec bytes and the generator that decides the output (fingerprinted). */
  readonly settings: {
    readonly specFile: string;
    readonly operations: readonly string[];
    readonly operationIdPrefix: string;
    readonly metadataImport: string;
  };
  /** Milliseconds since the run started. */
  readonly elapsed: () => number;
}

function resolveRun(options: GenerateOptions): Run {
  const started = performance.now();
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const { consumer } = options;
  const fromUrl = consumer !== undefined && isUrl(options.specPath);
  const specPath = fromUrl ? options.specPath : resolve(rootDir, options.specPath);
  const outDir = resolve(rootDir, options.outDir);
  const specFile = fromUrl ? specPath : toPosix(relative(rootDir, specPath));
  return {
    options,
    rootDir,
    specPath,
    outDir,
    fromUrl,
    base: { specFile, outDir: toPosix(relative(rootDir, outDir)) || '.' },
    settings: {
      specFile,
      operations: [...new Set(options.operations)].sort(),
      operationIdPrefix: options.operationIdPrefix ?? DEFAULT_OPERATION_ID_PREFIX,
      metadataImport:
        options.metadataImport ??
        consumer?.packageName ??
        relativeImport(outDir, join(rootDir, 'src', 'metadata.js')),
    },
    elapsed: () => Math.round(performance.now() - started),
  };
}

/** What load → validate → plan → emit produced, compared with the disk. */
interface Generated {
  readonly specSha256: string;
  readonly plan: GenerationPlan;
  readonly operations: GenerateSummary['operations'];
  readonly deprecations: readonly SpecDeprecation[];
  readonly files: readonly OutputFile[];
  readonly drift: DriftReport;
}

/** load → validate → plan → emit → write (or check). */
export async function runGenerate(options: GenerateOptions): Promise<GenerateSummary> {
  const run = resolveRun(options);
  const useCache = options.useCache !== false && !options.check && !options.consumer;
  const fingerprint = useCache
    ? await currentFingerprint(run.specPath, run.settings, run.rootDir)
    : null;
  const cached = fingerprint ? await cachedSummary(run, fingerprint) : null;
  if (cached) return cached;

  const generated = await generate(run);
  const result = {
    ...run.base,
    specSha256: generated.specSha256,
    operations: generated.operations,
    deprecations: generated.deprecations,
    files: generated.files.map((file) => file.path),
    drift: generated.drift,
    cached: false,
    plan: generated.plan,
  };
  if (options.check) {
    return {
      ...result,
      written: [],
      removed: [],
      status: hasDrift(generated.drift) ? 'check-failed' : 'check-passed',
      durationMs: run.elapsed(),
    };
  }
  await writeOutput(run, generated, fingerprint);
  return {
    ...result,
    written: [...generated.drift.missing, ...generated.drift.stale].sort(),
    removed: [...generated.drift.extra],
    status: hasDrift(generated.drift) ? 'written' : 'up-to-date',
    durationMs: run.elapsed(),
  };
}

/** The no-op shortcut: the summary of the last run when its inputs and files are unchanged. */
async function cachedSummary(
  run: Run,
  fingerprint: { value: string; specSha256: string },
): Promise<GenerateSummary | null> {
  const stamp = await readStamp(run.rootDir, run.outDir);
  if (!stamp || stamp.fingerprint !== fingerprint.value || !(await filesIntact(run.outDir, stamp)))
    return null;
  return {
    ...run.base,
    specSha256: fingerprint.specSha256,
    ...stamp.summary,
    files: Object.keys(stamp.files).sort(),
    written: [],
    removed: [],
    status: 'up-to-date',
    drift: NO_DRIFT,
    cached: true,
    plan: null,
    durationMs: run.elapsed(),
  };
}

async function generate(run: Run): Promise<Generated> {
  const { typescriptWorker } = run.options;
  const emitter = typescriptWorker
    ? startTypeScriptWorker(typescriptWorker)
    : inThreadTypeScriptEmitter();
  try {
    return await generateWith(run, emitter);
  } finally {
    await emitter.close();
  }
}

async function generateWith(run: Run, emitter: TypeScriptEmitter): Promise<Generated> {
  const { specFile, operations, operationIdPrefix, metadataImport } = run.settings;
  const { consumer } = run.options;
  const loaded = await load(run.specPath, run.fromUrl);
  const sliced = consumer
    ? sliceOperations(loaded.document, operations, { source: specFile })
    : loaded.document;
  const header: HeaderInput = { specFile, specSha256: loaded.sha256, consumer };
  // schema.ts needs openapi-typescript's own checks alone (schemaInput): a worker converts the
  // document while the rest is validated, planned and emitted here. A refusal still ends the run
  // before anything is written.
  emitter.startSchema(schemaInput(sliced, specFile), header);
  const document = validateDocument(sliced, specFile);
  // The plan and the spec's deprecation list read the document's deprecations once.
  const reading = deprecationIndex(document);
  const plan = planOperations(document, operations, { operationIdPrefix, deprecations: reading });
  const deprecations = collectDeprecations(document, reading);
  const files = await emitFiles(emitter, plan, deprecations, {
    header,
    metadataImport,
    kindRuntimes: !consumer,
    ...(consumer && {
      openapiFetchImport: consumer.packageName,
      registryName: 'operations',
      wrappers: false,
    }),
  });
  return {
    specSha256: loaded.sha256,
    plan,
    operations: plan.operations.map(({ metadata }) => ({
      operationId: metadata.operationId,
      functionName: metadata.functionName,
      method: metadata.method,
      path: metadata.path,
    })),
    deprecations,
    files,
    drift: await checkFiles(run.outDir, files),
  };
}

/** Swaps the output directory in when anything differs, then records the stamp of the shortcut. */
async function writeOutput(
  run: Run,
  generated: Generated,
  fingerprint: { value: string; specSha256: string } | null,
): Promise<void> {
  if (hasDrift(generated.drift)) {
    await writeFilesAtomically(run.outDir, generated.files, {
      afterFileStaged: run.options.afterFileStaged,
      isReplaceable: (_path, contents) => isGeneratedFile(contents),
    });
  }
  // The spec may have changed between fingerprinting and loading: then the stamp would lie.
  if (fingerprint && generated.specSha256 === fingerprint.specSha256) {
    await writeStamp(run.rootDir, run.outDir, {
      fingerprint: fingerprint.value,
      files: Object.fromEntries(
        generated.files.map((file) => [file.path, sha256Hex(file.contents)]),
      ),
      summary: { operations: generated.operations, deprecations: generated.deprecations },
    });
  }
}

/** The spec's bytes and parsed document; a URL only for consumers. */
async function load(
  specPath: string,
  fromUrl: boolean,
): Promise<Pick<LoadedDocument, 'document' | 'sha256'>> {
  if (fromUrl) return readSource(specPath);
  // Error messages name the spec as the user would type it (relative to the working directory).
  const fromCwd = relative(process.cwd(), specPath);
  return loadDocument(fromCwd && !fromCwd.startsWith('..') ? fromCwd : specPath);
}

/** The emit stage: every file's contents, each checked. */
async function emitFiles(
  emitter: TypeScriptEmitter,
  plan: GenerationPlan,
  deprecations: readonly SpecDeprecation[],
  options: OperationsEmitOptions,
): Promise<OutputFile[]> {
  // Checked before the TypeScript files are asked for: a refusal here leaves no answer unobserved.
  const markdown = {
    path: 'deprecations.md',
    contents: emitDeprecationsMarkdown(deprecations, options.header),
  };
  assertMarkdownIsSound(markdown);
  const { schema, operations } = await emitter.emit(plan, options);
  return [
    markdown,
    { path: 'operations.ts', contents: operations },
    { path: 'schema.ts', contents: schema },
  ];
}

async function currentFingerprint(
  specPath: string,
  settings: unknown,
  rootDir: string,
): Promise<{ value: string; specSha256: string } | null> {
  try {
    const specSha256 = sha256Hex(await readSpecBytes(specPath));
    return {
      value: inputsFingerprint({
        specSha256,
        settings,
        generator: await generatorFingerprint(rootDir),
      }),
      specSha256,
    };
  } catch {
    return null; // the full pipeline reports unreadable files properly
  }
}

async function filesIntact(outDir: string, stamp: Stamp): Promise<boolean> {
  const expected = Object.keys(stamp.files).sort();
  const actual = await listFiles(outDir);
  if (expected.length !== actual.length || expected.some((path, index) => path !== actual[index]))
    return false;
  for (const path of expected) {
    const contents = await readFile(join(outDir, ...path.split('/'))).catch(() => null);
    if (!contents || sha256Hex(contents) !== stamp.files[path]) return false;
  }
  return true;
}
