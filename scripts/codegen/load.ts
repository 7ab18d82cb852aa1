import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { CodegenError } from './errors.js';

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

/** Reads and parses a JSON or YAML OpenAPI document. Every failure is a `CodegenError`. */
export async function loadDocument(file: string): Promise<LoadedDocument> {
  const bytes = await readSpecBytes(file);
  const text = bytes.toString('utf8');
  return { file, text, document: parseDocumentText(text, file), sha256: sha256Hex(bytes) };
}

async function readSpecBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
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
 */
export function parseDocumentText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new CodegenError(`The OpenAPI spec "${file}" is empty.`, {
      hint: 'Restore the vendored spec (it is byte-identical to ../shared/spec) or pass another file with --spec.',
    });
  }
  return detectFormat(body, file) === 'json' ? parseJson(body, file) : parseYaml(body, file);
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

// Loaded on first use: the no-op regeneration path never parses and should not pay for it.
const requireModule = createRequire(import.meta.url);

function parseYaml(text: string, file: string): unknown {
  const { parseDocument } = requireModule('yaml') as typeof import('yaml');
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
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
  return document.toJS({ maxAliasCount: 10_000 });
}
