import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CodegenConfig, validateConfig } from '../codegen/config.js';
import { CodegenError, isCodegenError } from '../codegen/errors.js';
import { parseDocumentText } from '../codegen/load.js';
import { runGenerate } from '../codegen/pipeline.js';
import { formatSummary } from '../codegen/summary.js';
import { EXIT, type Io } from '../spec/run.js';
import { type GenerateArgs, mergeArgs, parseCfesArgs, USAGE, UsageError } from './args.js';
import { assertGeneratorDependencies } from './requirements.js';

export { EXIT };

export interface CfesEnvironment {
  /** The package the generated files import from (the name in its package.json). */
  readonly packageName: string;
  /** Test hook: skips the check that the generator's peer dependencies are installed. */
  readonly skipDependencyCheck?: boolean;
  /** The module to emit the TypeScript files in, as a worker thread (`GenerateOptions.typescriptWorker`). */
  readonly typescriptWorker?: URL;
}

/**
 * `cfes` as a function: parses `argv`, generates, and returns the exit code, with the error
 * style and exit codes of `spec:update` (one paragraph on stderr naming the problem and the fix;
 * 0 done, 1 error with nothing written, 2 bad arguments).
 */
export async function runCfes(
  argv: readonly string[],
  io: Io,
  environment: CfesEnvironment,
): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const flags = parseCfesArgs(argv);
    if (flags === null) {
      io.stdout(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (!environment.skipDependencyCheck) assertGeneratorDependencies(environment.packageName);
    const config = flags.config === undefined ? null : await loadConfig(flags.config);
    return await generate(mergeArgs(flags, config), io, environment);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (isCodegenError(error)) {
      io.stderr(`cfes generate: ${error.message}\n`);
    } else {
      io.stderr(
        `cfes generate: unexpected error: ${(error as Error)?.message ?? String(error)} (this is a bug in ${environment.packageName}${debug ? '' : '; rerun with --debug for the stack trace'}).\n`,
      );
    }
    if (debug) io.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.error;
  }
}

async function generate(args: GenerateArgs, io: Io, environment: CfesEnvironment): Promise<number> {
  const summary = await runGenerate({
    specPath: args.spec,
    outDir: args.out,
    operations: args.operations,
    operationIdPrefix: args.operationIdPrefix,
    check: args.check,
    consumer: { packageName: environment.packageName, command: rerunCommand(args) },
    typescriptWorker: environment.typescriptWorker,
  });
  const lines = formatSummary(summary);
  if (summary.status === 'check-failed') {
    io.stderr(`${lines.join('\n')}\n`);
    return EXIT.error;
  }
  lines.push(
    `next: import { operations } from './${summary.outDir}/operations.js' and pass createEmailSecurityClient({ operations })`,
  );
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** The command named in the generated headers: the config file when one was used. */
function rerunCommand(args: GenerateArgs): string {
  if (args.config !== undefined) return `npx cfes generate --config ${args.config}`;
  return [
    'npx cfes generate',
    `--spec ${args.spec}`,
    `--operations ${args.operations.join(' ')}`,
    `--out ${args.out}`,
    args.operationIdPrefix === undefined ? '' : `--prefix ${args.operationIdPrefix}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * A config file: JSON, or a JavaScript module whose default export is the config. A `.ts` file
 * works where Node strips types (22.18+); elsewhere the error says to use `.json` or `.mjs`.
 */
async function loadConfig(file: string): Promise<CodegenConfig> {
  const path = resolve(file);
  if (extname(path).toLowerCase() === '.json') {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CodegenError(`Cannot read the config "${file}": ${error.code ?? error.message}.`, {
        cause: error,
        hint: 'Pass an existing file with --config <file>.',
      });
    });
    return validateConfig(parseDocumentText(text, file), file);
  }
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new CodegenError(
      `Cannot load the config "${file}": ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
        hint: 'Pass a .json file, or a .js/.mjs module with `export default { spec, operations, outDir }`.',
      },
    );
  }
  return validateConfig(loaded, file);
}
