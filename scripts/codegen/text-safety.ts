/**
 * Spec text (descriptions, summaries, names, examples) made safe for the place it lands. The spec
 * is untrusted: its text must never end a comment, a string, a table cell or the README's
 * generated section early, nor add JSDoc tags or terminal escape sequences of its own.
 */

/** C0/C1 control characters other than tab and newline, and the Unicode line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

function hex(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text inside a `/** … *\/` comment: `*\/` cannot close it, `/*` cannot open one (ts-morph's
 * writer then closes the comment itself before the tags), a line cannot start a JSDoc tag of its
 * own (`@deprecated`, `@internal`), and line breaks are `\n`.
 */
export function jsDocText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/\*\//g, '*\\/')
    .replace(/\/\*/g, '/\\*')
    .replace(/^(\s*)@/gm, '$1\\@')
    .trim();
}

/** A single-quoted TypeScript string literal of any text (control characters as `\uXXXX`). */
export function tsStringLiteral(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(CONTROL, hex);
  return `'${escaped}'`;
}

/**
 * Plain text in a markdown table cell: one line, `|` escaped, no raw HTML (so no `<!-- … -->`
 * comment or README marker can start inside it), no code spans or emphasis of its own.
 */
export function markdownCellText(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`[\]|])/g, '\\$1')
    .trim();
}

const PLAIN_CODE = /^[\w.\-/{}:@$=+, ]+$/;

/** A name as a markdown code span; a name a code span cannot hold safely is written as escaped text. */
export function markdownCode(text: string): string {
  return PLAIN_CODE.test(text) ? `\`${text}\`` : markdownCellText(text);
}

/** Text inside a generated file's header comment (`// …` or `<!-- … -->`): one line that cannot end either. */
export function headerText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROL, hex)
    .replace(/\*\//g, '*\\/')
    .replace(/--+>/g, (dashes) => `${dashes.slice(0, -1)}\\>`)
    .replace(/<!--/g, '<\\!--');
}

/** Text for a terminal: control characters (ANSI escape sequences among them) shown as `\uXXXX`. */
export function printableText(text: string): string {
  return text.replace(CONTROL, hex);
}

/**
 * Keys whose string values openapi-typescript copies into JSDoc comments of schema.ts as they are
 * (`default` and `example` strings too; other values it writes as JSON).
 */
const COMMENT_KEYS = new Set(['description', 'summary', 'title', 'format', 'default', 'example']);

/**
 * A copy of the document for openapi-typescript in which every text it copies into a comment is
 * `jsDocText` (`format` and `title` also on one line). Types do not depend on these texts.
 */
export function withCommentSafeText<T>(document: T): T {
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (typeof value !== 'object' || value === null) return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      result[key] =
        typeof child === 'string' && COMMENT_KEYS.has(key) ? commentText(key, child) : copy(child);
    }
    return result;
  };
  return copy(document) as T;
}

function commentText(key: string, text: string): string {
  const safe = jsDocText(text);
  return key === 'description' || key === 'summary' ? safe : safe.replace(/\s*\n\s*/g, ' ');
}
