import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CodegenConfig, validateConfig } from './codegen/config.js';
import { CodegenError, isCodegenError } from './codegen/errors.js';
import { runGenerate } from './codegen/pipeline.js';
import {
  assertReadmeSection,
  type SectionStatus,
  syncReadmeSection,
} from './codegen/readme-section.js';
import { formatSummary } from './codegen/summary.js';
import { printableText } from './codegen/text-safety.js';

const USAGE = `Usage: npm run generate -- [--check] [--verbose] [--debug] [--spec <file>] [--out <dir>] [--config <file>]

Generates generated/ (schema.ts, operations.ts, deprecations.md) from the vendored OpenAPI spec.
  --check          write nothing; exit 1 if generated/ is stale, incomplete or has extra files
  --verbose        also list every wrapped operation and every deprecation in the spec
  --spec <file>    spec to read (default: "spec" of the config)
  --out <dir>      output directory (default: "outDir" of the config)
  --config <file>  codegen config (default: openapi/codegen.config.ts)
  --no-cache       always load, validate and emit (skip the unchanged-inputs shortcut)
  --debug          print stack traces`;

interface CliOptions {
  readonly check: boolean;
  readonly debug: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly 'no-cache': boolean;
  readonly spec?: string;
  readonly out?: string;
  readonly config: string;
}

function parseCli(argv: readonly string[]): CliOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        check: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'no-cache': { type: 'boolean', default: false },
        spec: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string', default: 'openapi/codegen.config.ts' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values as CliOptions;
  } catch (error) {
    throw new CodegenError(`${(error as Error).message}.`, { cause: error, hint: `\n${USAGE}` });
  }
}

async function loadConfig(file: string): Promise<CodegenConfig> {
  const path = resolve(file);
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new CodegenError(
      `Cannot load the codegen config "${file}": ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
        hint: 'Pass an existing config with --config <file> (default: openapi/codegen.config.ts).',
      },
    );
  }
  return validateConfig(loaded, file);
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCli(argv);
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const config = await loadConfig(cli.config);
  // A README that cannot take the table fails the run before generated/ is touched.
  if (cli.out === undefined && existsSync('README.md')) await assertReadmeSection('README.md');
  const summary = await runGenerate({
    specPath: cli.spec ?? config.spec,
    outDir: cli.out ?? config.outDir,
    operations: config.operations,
    operationIdPrefix: config.operationIdPrefix,
    check: cli.check,
    useCache: !cli['no-cache'],
  });
  const lines = formatSummary(summary, { verbose: cli.verbose });
  const readme = cli.out === undefined ? await syncReadme(config.outDir, cli.check) : null;
  if (readme === 'updated') lines.push('updated the deprecations table in README.md');
  if (readme === 'stale') {
    lines.push('check failed: the deprecations table in README.md is stale (run npm run generate)');
  }
  if (summary.status === 'check-failed' || readme === 'stale') {
    console.error(printableText(lines.join('\n')));
    return 1;
  }
  console.log(printableText(lines.join('\n')));
  return 0;
}

/** README.md embeds the generated table of deprecations; null when there is no README. */
async function syncReadme(outDir: string, check: boolean): Promise<SectionStatus | null> {
  if (!existsSync('README.md')) return null;
  const table = await readFile(join(outDir, 'deprecations.md'), 'utf8');
  return syncReadmeSection('README.md', table, { check });
}

function report(error: unknown, debug: boolean): void {
  if (isCodegenError(error)) {
    console.error(printableText(`generate: ${error.message}`));
  } else {
    console.error(
      printableText(
        `generate: unexpected error: ${(error as Error)?.message ?? String(error)} (this is a generator bug${debug ? '' : '; rerun with --debug for the stack trace'}).`,
      ),
    );
  }
  if (debug) console.error((error as Error)?.stack ?? error, (error as Error)?.cause ?? '');
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    report(error, debug);
    process.exitCode = 1;
  },
);
