import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DEFAULT_PATH_PREFIX, type PathSelection } from './selection.js';

export const DEFAULT_OUT = 'openapi/cloudflare-email-security.openapi.json';

export type ReportFormat = 'text' | 'json' | 'markdown';

export interface SpecUpdateArgs {
  /** File path or http(s) URL of Cloudflare's full document. */
  readonly input: string;
  /** Where the slice is written. */
  readonly out: string;
  /** The vendored file the report compares against (default: `out`). */
  readonly previous: string;
  readonly selection: PathSelection;
  readonly format: ReportFormat;
  readonly dryRun: boolean;
  readonly allowBreaking: boolean;
  /** ISO date; null means the system date. */
  readonly today: string | null;
  /** Print stack traces of errors. */
  readonly debug: boolean;
}

export const USAGE = `Usage: npm run spec:update -- <file-or-url> [options]

Slices the Email Security settings part out of Cloudflare's full OpenAPI document
(JSON or YAML), reports what changed against the vendored file and writes it.

Options:
  --out <file>        where to write the slice (default: ${DEFAULT_OUT})
  --previous <file>   vendored file to compare with (default: the --out file)
  --prefix <path>     keep paths starting with this (default: ${DEFAULT_PATH_PREFIX});
                      --prefix "" keeps every path (then use --tag)
  --tag <tag>         keep only operations with this tag
  --json | --markdown report format (default: text)
  --dry-run           report only, write nothing
  --allow-breaking    write even when the change is breaking (exit 0 instead of 3)
  --today <date>      judge end-of-life dates against this ISO date (default: today)
  --debug             print stack traces of errors
  -h, --help          show this help

Exit codes: 0 nothing or nothing breaking changed; 3 breaking change (not written
unless --allow-breaking); 1 error (nothing written); 2 bad arguments.`;

/** Thrown for bad command-line arguments (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `parseArgs` of the CLIs: an unknown flag or a missing value is a `UsageError` (exit 2). */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses the arguments; null means `--help`. */
export function parseSpecUpdateArgs(argv: readonly string[]): SpecUpdateArgs | null {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help) return null;
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "Missing the upstream document: pass the path (or URL) of Cloudflare's full openapi.json / openapi.yaml."
        : `Expected one document, got ${positionals.length}: ${positionals.join(' ')}.`,
    );
  }
  if (values.json && values.markdown) throw new UsageError('Choose one of --json and --markdown.');
  const selection = {
    prefix: values.prefix === undefined ? DEFAULT_PATH_PREFIX : values.prefix || null,
    tag: values.tag || null,
  };
  if (selection.prefix === null && selection.tag === null) {
    throw new UsageError(
      '--prefix "" keeps every path: also pass --tag <tag> to choose the operations.',
    );
  }
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) {
    throw new UsageError(`--today must be an ISO date like 2026-11-26, got "${values.today}".`);
  }
  const out = values.out ?? DEFAULT_OUT;
  return {
    input: positionals[0] as string,
    out,
    previous: values.previous ?? out,
    selection,
    format: values.json ? 'json' : values.markdown ? 'markdown' : 'text',
    dryRun: values['dry-run'] === true,
    allowBreaking: values['allow-breaking'] === true,
    today: values.today ?? null,
    debug: values.debug === true,
  };
}

function parseOrExplain(argv: readonly string[]) {
  return parseFlags({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      previous: { type: 'string' },
      prefix: { type: 'string' },
      tag: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'allow-breaking': { type: 'boolean' },
      today: { type: 'string' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
