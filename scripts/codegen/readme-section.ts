import { readFile } from 'node:fs/promises';
import { CodegenError } from './errors.js';
import { writeFileAtomically } from './write-file.js';

/**
 * The README embeds `generated/deprecations.md` between two markers, so the table of current
 * deprecations readers see is the one generated from the spec, and the drift check covers it.
 */
export const SECTION_BEGIN = '<!-- deprecations:begin -->';
export const SECTION_END = '<!-- deprecations:end -->';

function occurrences(text: string, marker: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) found.push(at);
  return found;
}

/**
 * Where the section is: the markers must appear exactly once each, in that order (a second pair,
 * e.g. pasted from spec text, would make every run replace the wrong part and grow the file).
 */
function sectionBounds(document: string, file: string): { begin: number; end: number } {
  const begins = occurrences(document, SECTION_BEGIN);
  const ends = occurrences(document, SECTION_END);
  const [begin, end] = [begins[0], ends[0]];
  if (
    begins.length !== 1 ||
    ends.length !== 1 ||
    begin === undefined ||
    end === undefined ||
    end < begin
  ) {
    const found =
      begins.length + ends.length === 0
        ? 'has no deprecations section'
        : `has ${begins.length} "${SECTION_BEGIN}" and ${ends.length} "${SECTION_END}" markers${begins.length === 1 && ends.length === 1 ? ' in the wrong order' : ''}`;
    throw new CodegenError(
      `${file} ${found}: the markers "${SECTION_BEGIN}" and "${SECTION_END}" must appear once each, in that order. Nothing was written.`,
      {
        hint: `Keep exactly one pair of marker lines where the table of deprecations belongs, then rerun npm run generate.`,
      },
    );
  }
  return { begin, end };
}

/** Throws the error `replaceSection` would throw, before anything is generated. */
export async function assertReadmeSection(readmePath: string): Promise<void> {
  sectionBounds(await readFile(readmePath, 'utf8'), readmePath);
}

/** `document` with the text between the markers replaced by `content` (pure). */
export function replaceSection(document: string, content: string, file = 'README.md'): string {
  const { begin, end } = sectionBounds(document, file);
  for (const marker of [SECTION_BEGIN, SECTION_END]) {
    if (content.includes(marker)) {
      throw new CodegenError(
        `The generated deprecations table contains the README marker ${marker}; writing it would corrupt ${file}, so nothing was written.`,
        {
          hint: 'This is a generator bug (spec text that was not escaped); report it with the spec.',
        },
      );
    }
  }
  const before = document.slice(0, begin + SECTION_BEGIN.length);
  return `${before}\n${content.trimEnd()}\n${document.slice(end)}`;
}

export type SectionStatus = 'updated' | 'up-to-date' | 'stale';

/**
 * Brings the README's section in line with `content` (the generated table), or, with `check`,
 * only reports whether it is stale. The README is replaced atomically.
 */
export async function syncReadmeSection(
  readmePath: string,
  content: string,
  options: { check: boolean },
): Promise<SectionStatus> {
  const current = await readFile(readmePath, 'utf8');
  const wanted = replaceSection(current, content, readmePath);
  if (wanted === current) return 'up-to-date';
  if (options.check) return 'stale';
  await writeFileAtomically(readmePath, wanted);
  return 'updated';
}
