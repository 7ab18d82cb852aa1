import { CodegenError } from './errors.js';
import { loadTsMorph } from './peer-modules.js';
import { SECTION_BEGIN, SECTION_END } from './readme-section.js';
import { printableText } from './text-safety.js';
import type { OutputFile } from './write.js';

/**
 * The last checks before anything is written: every emitted TypeScript file must parse (spec
 * text escaped wrongly would end a comment or a string early) and no emitted markdown may carry
 * the README's section markers. A failure is a generator bug; it is reported with the place, and
 * neither `generated/` nor README.md is touched. The TypeScript files are checked where they are
 * emitted (typescript-worker.ts: in the thread that has the compiler loaded), the markdown by
 * the pipeline.
 *
 * The semantic errors spec content could cause are refused earlier, by construction (circular
 * compositions in validate, names in plan); `npm test` type-checks the real output with `tsc`.
 */
export function assertMarkdownIsSound(file: OutputFile): void {
  for (const marker of [SECTION_BEGIN, SECTION_END]) {
    const at = file.contents.indexOf(marker);
    if (at !== -1) throw unsound(file, at, `it contains the README marker ${marker}`);
  }
}

export function assertTypeScriptParses(file: OutputFile): void {
  const { ts } = loadTsMorph();
  // JSDoc is not parsed: in a .ts file its diagnostics never reach `parseDiagnostics` (TypeScript
  // drops them), and skipping it makes this parse of the JSDoc-heavy schema.ts much cheaper.
  const source = ts.createSourceFile(
    file.path,
    file.contents,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    ts.ScriptKind.TS,
  );
  // The parser's own diagnostics (what `tsc` reports first); parsing alone is fast.
  const parsed = (source as { parseDiagnostics?: readonly import('ts-morph').ts.Diagnostic[] })
    .parseDiagnostics;
  const diagnostics =
    parsed ??
    ts.transpileModule(file.contents, { fileName: file.path, reportDiagnostics: true })
      .diagnostics ??
    [];
  const [first] = diagnostics;
  if (first) {
    const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
    throw unsound(file, first.start ?? 0, `TS${first.code} ${message}`);
  }
}

function unsound(file: OutputFile, offset: number, problem: string): CodegenError {
  const before = file.contents.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const text = file.contents.split('\n')[line - 1] ?? '';
  return new CodegenError(
    `The generated ${file.path} would be broken at line ${line}, column ${column}: ${problem} (${printableText(JSON.stringify(text.trim().slice(0, 160)))}). Nothing was written: generated/ and README.md are unchanged.`,
    {
      hint: 'This is a generator bug (spec text that was not escaped); report it with the spec that triggered it.',
    },
  );
}
