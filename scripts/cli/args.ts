import { parseFlags, UsageError } from '../spec/cli-args.js';

export { UsageError };

/** What `cfes generate` was asked to do, after flags were merged over the config file. */
export interface GenerateArgs {
  /** File path or http(s) URL of the OpenAPI document. */
  readonly spec: string;
  readonly operations: readonly string[];
  readonly out: string;
  readonly operationIdPrefix: string | undefined;
  readonly config: string | undefined;
  readonly check: boolean;
  readonly debug: boolean;
}

/** The flags as given (before the config file fills what is missing). */
export interface GenerateFlags {
  readonly spec?: string;
  readonly operations: readonly string[];
  readonly out?: string;
  readonly prefix?: string;
  readonly config?: string;
  readonly check: boolean;
  readonly debug: boolean;
}

export const USAGE = `Usage: cfes generate --spec <file-or-url> --operations <operationId…> --out <dir> [options]
       cfes generate --config <file> [options]

Generates, from any Cloudflare OpenAPI document (the full upstream openapi.json or .yaml, a newer
Email Security slice, another product's operations), into <dir>:
  operations.ts    the registry: import { operations } and pass createEmailSecurityClient({ operations })
  schema.ts        the types it needs (openapi-typescript, only what the operations reference)
  deprecations.md  every deprecation in that part of the document, with dates
<dir> is owned by the generator: it is rewritten as a whole, atomically, and never if it holds
files the generator did not write.

Options:
  --spec <file-or-url>    the OpenAPI 3.x document (JSON or YAML; http(s) URLs are downloaded)
  --operations <id…>      operationIds to generate: several after the flag, comma-separated,
                          or the flag repeated
  --out <dir>             output directory
  --prefix <prefix>       removed from operationIds to name the functions
                          (default: email_security_)
  --config <file>         a .json (or .js/.mjs) file with { spec, operations, outDir,
                          operationIdPrefix? }; paths relative to the working directory;
                          flags given as well win
  --check                 write nothing; exit 1 if <dir> is not what the generator would write
  --debug                 print stack traces
  -h, --help              show this help

Needs the generator's optional peer dependencies in your project:
  npm install --save-dev openapi-typescript@^7.13.0 ts-morph@^28.0.0 yaml@^2.9.1

Exit codes: 0 written (or up to date); 1 error, nothing written (or --check found differences);
2 bad arguments.

cfes audit | migrate | restore find and fix the account's allow policies that rely on deprecated
fields: see cfes audit --help.`;

/** Parses `cfes …`; null means help. */
export function parseCfesArgs(argv: readonly string[]): GenerateFlags | null {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    return null;
  }
  if (command !== 'generate') {
    throw new UsageError(
      `Unknown command "${command}": cfes has the commands generate, audit, migrate and restore (cfes audit --help).`,
    );
  }
  const { values, tokens } = parseOrExplain(rest);
  if (values.help) return null;
  const operations = collectOperations(tokens);
  return {
    spec: nonEmpty(values.spec, '--spec'),
    operations,
    out: nonEmpty(values.out, '--out'),
    prefix: values.prefix,
    config: nonEmpty(values.config, '--config'),
    check: values.check === true,
    debug: values.debug === true,
  };
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw new UsageError(`${flag} needs a value.`);
  }
  return value;
}

type Tokens = NonNullable<ReturnType<typeof parseOrExplain>['tokens']>;

/**
 * operationIds: the values of every `--operations`, plus the positionals that directly follow
 * one (`--operations a b c`), each split on commas. A positional anywhere else is an error.
 */
function collectOperations(tokens: Tokens): string[] {
  const ids: string[] = [];
  let afterOperations = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      afterOperations = token.name === 'operations';
      if (afterOperations) ids.push(...split(token.value ?? ''));
    } else if (token.kind === 'positional') {
      if (!afterOperations) {
        throw new UsageError(
          `Unexpected argument "${token.value}": operationIds go after --operations.`,
        );
      }
      ids.push(...split(token.value));
    } else {
      afterOperations = false;
    }
  }
  return ids;
}

function split(value: string): string[] {
  return value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

function parseOrExplain(argv: readonly string[]) {
  return parseFlags({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: {
      spec: { type: 'string' },
      operations: { type: 'string', multiple: true },
      out: { type: 'string' },
      prefix: { type: 'string' },
      config: { type: 'string' },
      check: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Flags over the config file; every required setting must come from one of them. */
export function mergeArgs(
  flags: GenerateFlags,
  config: {
    spec: string;
    operations: readonly string[];
    outDir: string;
    operationIdPrefix?: string;
  } | null,
): GenerateArgs {
  const spec = flags.spec ?? config?.spec;
  const operations = flags.operations.length > 0 ? flags.operations : (config?.operations ?? []);
  const out = flags.out ?? config?.outDir;
  const missing = [
    spec === undefined ? '--spec <file-or-url>' : '',
    operations.length === 0 ? '--operations <operationId…>' : '',
    out === undefined ? '--out <dir>' : '',
  ].filter(Boolean);
  if (spec === undefined || out === undefined || missing.length > 0) {
    throw new UsageError(`Missing ${missing.join(', ')} (or pass --config <file> that sets them).`);
  }
  return {
    spec,
    operations,
    out,
    operationIdPrefix: flags.prefix ?? config?.operationIdPrefix,
    config: flags.config,
    check: flags.check,
    debug: flags.debug,
  };
}
