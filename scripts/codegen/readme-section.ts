import { readFile } from 'node:fs/promises';
import { CodegenError } from './errors.js';
import { writeFileAtomically } from './write-file.js';

/**
 * The README embeds `generated/deprecations.md` between two markers, so the table of current
 * deprecations readers see is the one generated from the spec, and the drift check covers it.
 */
export const SECTION_BEGIN = '<!-- deprecations:begin -->';
export const SECTION_END = '<!-- deprecations:end -->';

/** `document` with the text between the markers replaced by `content` (pure). */
export function replaceSection(document: string, content: string, file = 'README.md'): string {
  const begin = document.indexOf(SECTION_BEGIN);
  const end = document.indexOf(SECTION_END);
  if (begin === -1 || end === -1 || end < begin) {
    throw new CodegenError(
      `${file} has no deprecations section: the markers "${SECTION_BEGIN}" and "${SECTION_END}" must appear once each, in that order.`,
      {
        hint: `Add both lines where the table of deprecations belongs, then rerun npm run generate.`,
      },
    );
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
