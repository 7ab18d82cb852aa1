/** Finds the fenced code blocks of a Markdown document (TypeScript, text, …), with where they start. */

export interface CodeBlock {
  /** Document the block comes from, e.g. `README.md`. */
  readonly doc: string;
  /** 1-based number of the block among the document's blocks of the same languages. */
  readonly index: number;
  /** 1-based line of the first code line (the line after the opening fence). */
  readonly startLine: number;
  readonly code: string;
}

const TYPESCRIPT_LANGUAGES = new Set(['ts', 'typescript', 'mts']);
const OPENING_FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && trimmed.replaceAll(fence[0] as string, '') === '';
}

/** Every fenced block whose info string starts with `ts`/`typescript`; other fences are skipped. */
export function extractTypeScriptBlocks(doc: string, markdown: string): CodeBlock[] {
  return extractFencedBlocks(doc, markdown, TYPESCRIPT_LANGUAGES);
}

/** Every fenced block whose language (first word of the info string) is one of `languages`. */
export function extractFencedBlocks(
  doc: string,
  markdown: string,
  languages: ReadonlySet<string>,
): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let lineIndex = 0;
  while (lineIndex < lines.length) {
    const opening = OPENING_FENCE.exec(lines[lineIndex] as string);
    if (!opening) {
      lineIndex += 1;
      continue;
    }
    const fence = opening[1] as string;
    const language = (opening[2] ?? '').toLowerCase();
    const body: string[] = [];
    let cursor = lineIndex + 1;
    while (cursor < lines.length && !isClosingFence(lines[cursor] as string, fence)) {
      body.push(lines[cursor] as string);
      cursor += 1;
    }
    if (languages.has(language)) {
      blocks.push({
        doc,
        index: blocks.length + 1,
        startLine: lineIndex + 2,
        code: body.join('\n'),
      });
    }
    lineIndex = cursor + 1;
  }
  return blocks;
}

/**
 * The block as a standalone module. A block without `import`/`export` would be a script sharing
 * one global scope with every other block, so it gets an `export {}` to keep its names private.
 */
export function toModuleSource(block: CodeBlock): string {
  const isModule = /^\s*(import|export)\s/m.test(block.code);
  return isModule ? `${block.code}\n` : `${block.code}\nexport {};\n`;
}

/** File name for a block, e.g. `README.md` block 3 → `docs-block-readme-03.ts`. */
export function blockFileName(block: CodeBlock): string {
  const base = block.doc
    .replace(/\.md$/i, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  return `docs-block-${base}-${String(block.index).padStart(2, '0')}.ts`;
}
