import { readFile } from 'node:fs/promises';
import { isCodegenError } from '../codegen/errors.js';
import { parseDocumentText } from '../codegen/load.js';
import { assertRefsResolve } from '../codegen/refs.js';
import { printableText } from '../codegen/text-safety.js';
import { writeFileAtomically } from '../codegen/write-file.js';
import { parseSpecUpdateArgs, type SpecUpdateArgs, USAGE, UsageError } from './cli-args.js';
import { diffSpecs, EMPTY_DOCUMENT, isoToday } from './diff.js';
import { assertOpenApi3 } from './openapi-version.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import type { ChangeReport, JsonValue } from './report.js';
import { serializeDocument } from './serialize.js';
import { sliceDocument } from './slice.js';
import { readSource } from './source.js';

export const EXIT = { ok: 0, error: 1, usage: 2, breaking: 3 } as const;

/** Where the command prints: the report goes to `stdout`, status and errors to `stderr`. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The system date; tests pass a fixed one. */
  readonly now?: () => Date;
}

/** `spec:update` as a function: parses `argv`, does the work and returns the exit code. */
export async function runSpecUpdate(argv: readonly string[], io: Io): Promise<number> {
  let args: SpecUpdateArgs | null;
  try {
    args = parseSpecUpdateArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args === null) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  try {
    return await update(args, io);
  } catch (error) {
    io.stderr(`${printableText(describeFailure(error, args.debug))}\n`);
    return EXIT.error;
  }
}

/** One paragraph in the tool's format; the stack trace only with `--debug`. */
function describeFailure(error: unknown, debug: boolean): string {
  const message = isCodegenError(error)
    ? `spec:update: ${error.message}`
    : `spec:update: unexpected error: ${(error as Error)?.message ?? String(error)} (this is a bug in spec:update; nothing was written${debug ? '' : '; rerun with --debug for the stack trace'}).`;
  if (!debug) return message;
  const cause = (error as Error)?.cause;
  return [
    message,
    (error as Error)?.stack ?? '',
    cause ? `cause: ${(cause as Error)?.stack ?? String(cause)}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The steps; every check happens before anything is written. */
async function update(args: SpecUpdateArgs, io: Io): Promise<number> {
  const upstream = await readSource(args.input);
  const slice = sliceDocument(upstream.document, {
    selection: args.selection,
    source: upstream.source,
  });
  const text = serializeDocument(slice);
  const previous = await readPrevious(args.previous, io);
  const today = args.today ?? isoToday(io.now?.() ?? new Date());
  const report = diffSpecs(previous.document, JSON.parse(text) as JsonValue, { today });
  io.stdout(printableText(render(report, args.format)));
  const blocked = report.verdict.breaking && !args.allowBreaking;
  if (args.dryRun) {
    io.stderr(`Dry run: ${args.out} was not written.\n`);
  } else if (blocked) {
    io.stderr(
      `Breaking changes: ${args.out} was not written. Review the report, then rerun with --allow-breaking to vendor it anyway.\n`,
    );
  } else if (previous.text === text && args.previous === args.out) {
    io.stderr(`${args.out} is already up to date.\n`);
  } else {
    await writeFileAtomically(args.out, text);
    io.stderr(
      `Wrote ${args.out} (${report.after.operations} operations, ${report.after.schemas} schemas). Next: npm run generate\n`,
    );
  }
  return blocked ? EXIT.breaking : EXIT.ok;
}

async function readPrevious(
  file: string,
  io: Io,
): Promise<{ text: string | null; document: JsonValue }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    io.stderr(`No previous spec at ${file}: everything is reported as added.\n`);
    return { text: null, document: EMPTY_DOCUMENT };
  }
  const document = assertOpenApi3(parseDocumentText(text, file), `the previous spec ${file}`);
  assertRefsResolve(document);
  return { text, document: document as JsonValue };
}

function render(report: ChangeReport, format: SpecUpdateArgs['format']): string {
  if (format === 'json') return renderJson(report);
  return format === 'markdown' ? renderMarkdown(report) : renderText(report);
}
