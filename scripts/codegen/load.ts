import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { CodegenError } from './errors.js';
import { DOCUMENT_LIMITS, formatBytes } from './limits.js';
import { loadYaml } from './peer-modules.js';
import { assertSafeDocument } from './untrusted-document.js';

/** A spec file read from disk: its raw text, the parsed document and the sha256 of its bytes. */
export interface LoadedDocument {
  /** The path as given by the caller. */
  readonly file: string;
  readonly text: string;
  readonly document: unknown;
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Reads and parses a JSON or YAML OpenAPI document, refusing files over
 * `DOCUMENT_LIMITS.maxBytes` and documents `assertSafeDocument` refuses. Every failure is a
 * `CodegenError`.
 */
export async function loadDocument(
  file: string,
  { maxBytes = DOCUMENT_LIMITS.maxGenerateBytes }: { maxBytes?: number } = {},
): Promise<LoadedDocument> {
  const bytes = await readSpecBytes(file, maxBytes);
  const text = bytes.toString('utf8');
  return {
    file,
    text,
    document: parseDocumentText(text, file, { maxBytes }),
    sha256: sha256Hex(bytes),
  };
}

/** The error for a document over `limit` bytes (`size` in bytes, or null when only "over" is known). */
export function tooLarge(file: string, size: number | null, limit: number): CodegenError {
  const found = size === null ? `over ${formatBytes(limit)}` : formatBytes(size);
  const generating = limit < DOCUMENT_LIMITS.maxBytes;
  return new CodegenError(
    `The OpenAPI spec "${file}" is too large: ${found}, the limit ${generating ? 'for generating' : 'for reading'} is ${formatBytes(limit)}. Nothing was written.`,
    {
      hint: generating
        ? "Generate from the Email Security slice instead: npm run spec:update -- <file> vendors it (Cloudflare's full document is about 9 MiB, the slice about 120 KiB)."
        : "Cloudflare's full document is about 9 MiB; a file this large is not the OpenAPI document we expect. Check what you downloaded.",
    },
  );
}

/** The bytes of a spec file: regular files only (a FIFO would block), at most `maxBytes`. */
export async function readSpecBytes(
  file: string,
  maxBytes: number = DOCUMENT_LIMITS.maxGenerateBytes,
): Promise<Buffer> {
  try {
    // A FIFO or device would block or never end: only regular files are opened.
    const before = await stat(file);
    if (before.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!before.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (before.size > maxBytes) throw tooLarge(file, before.size, maxBytes);
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CodegenError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
          : code === 'ENOTREG'
            ? 'it is not a regular file'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : `${code ?? 'read error'}: ${(error as Error).message}`;
    throw new CodegenError(`Cannot read the OpenAPI spec "${file}": ${reason}.`, {
      cause: error,
      hint: 'Pass an existing JSON or YAML file with --spec <file> (default: the file configured in openapi/codegen.config.ts).',
    });
  }
}

/**
 * Parses the text of a spec file: JSON for `.json`, YAML for `.yaml`/`.yml`, otherwise JSON when
 * the text starts with `{` or `[` and YAML when it does not. Syntax errors name the line and column.
 * The result has passed `assertSafeDocument` (only local references, bounded nesting).
 */
export function parseDocumentText(
  text: string,
  file: string,
  { maxBytes = DOCUMENT_LIMITS.maxBytes }: { maxBytes?: number } = {},
): unknown {
  // A UTF-16 code unit is at least one byte of UTF-8: longer text is over the byte limit too.
  if (text.length > maxBytes) throw tooLarge(file, null, maxBytes);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new CodegenError(`The OpenAPI spec "${file}" is empty.`, {
      hint: 'Restore the vendored spec (it is byte-identical to ../shared/spec) or pass another file with --spec.',
    });
  }
  const document =
    detectFormat(body, file) === 'json' ? parseJson(body, file) : parseYaml(body, file);
  assertSafeDocument(document, file);
  return document;
}

function detectFormat(text: string, file: string): 'json' | 'yaml' {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s*in JSON at position \d+.*$/s, '');
    const { line, column } = lineAndColumn(text, jsonErrorOffset(error as Error, text));
    throw new CodegenError(
      `Invalid JSON in "${file}" at line ${line}, column ${column}: ${reason}.`,
      { cause: error, hint: 'Fix the syntax there (or restore the file from ../shared/spec).' },
    );
  }
}

function jsonErrorOffset(error: Error, text: string): number {
  const position = /at position (\d+)/.exec(error.message);
  if (position?.[1]) return Number(position[1]);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(error.message);
  if (lineColumn?.[1] && lineColumn[2]) {
    return offsetOf(text, Number(lineColumn[1]), Number(lineColumn[2]));
  }
  return text.length;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next === -1) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastNewline };
}

function parseYaml(text: string, file: string): unknown {
  const { LineCounter, parseDocument, visit } = loadYaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const [first] = document.errors;
  if (first) {
    const position = first.linePos?.[0];
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new CodegenError(`Invalid YAML in "${file}"${where}: ${reason}.`, {
      cause: first,
      hint: 'Fix the syntax there (a JSON file must end in .json to be read as JSON).',
    });
  }
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `line ${line}, column ${col}`;
  };
  visit(document, {
    Alias(_key, alias, path) {
      const target = alias.resolve(document);
      if (target === undefined) {
        throw new CodegenError(
          `Invalid YAML in "${file}" at ${at(alias.range?.[0])}: the alias *${alias.source} has no anchor &${alias.source} before it.`,
          { hint: 'Define the anchor before using the alias, or remove the alias.' },
        );
      }
      if (path.includes(target)) {
        throw new CodegenError(
          `Refusing the YAML in "${file}": the alias *${alias.source} at ${at(alias.range?.[0])} refers to a node that contains it (a self-referencing alias loops forever). Nothing was written.`,
          { hint: 'Replace the alias with the data it stands for, without the loop.' },
        );
      }
    },
  });
  try {
    return document.toJS({ maxAliasCount: DOCUMENT_LIMITS.maxYamlAliasExpansion });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new CodegenError(
        `Refusing the YAML in "${file}": its aliases expand to more than ${DOCUMENT_LIMITS.maxYamlAliasExpansion} nodes (a "billion laughs" document). Nothing was written.`,
        {
          cause: error,
          hint: 'Write the repeated parts out, or use fewer aliases: real OpenAPI documents need none.',
        },
      );
    }
    throw new CodegenError(`Cannot read the YAML in "${file}": ${(error as Error).message}.`, {
      cause: error,
      hint: 'Fix the YAML (or convert the document to JSON).',
    });
  }
}
