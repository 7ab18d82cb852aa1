import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  replaceSection,
  SECTION_BEGIN,
  SECTION_END,
  syncReadmeSection,
} from '../../scripts/codegen/readme-section.js';

const B = SECTION_BEGIN;
const E = SECTION_END;

describe('replaceSection', () => {
  test.each([
    ['empty section', `# T\n${B}\n${E}\nend\n`, '| a |\n', `# T\n${B}\n| a |\n${E}\nend\n`],
    ['replaces old rows', `${B}\n| old |\n| rows |\n${E}\n`, '| new |', `${B}\n| new |\n${E}\n`],
    ['markers on one line', `x ${B}${E} y`, 'table\n\n', `x ${B}\ntable\n${E} y`],
  ])('%s', (_name, document, content, want) => {
    expect(replaceSection(document, content)).toBe(want);
  });

  test.each([
    ['no markers', '# README\n'],
    ['only the begin marker', `${B}\n`],
    ['markers in the wrong order', `${E}\n${B}\n`],
    ['a second pair of markers', `${B}\n${E}\n${B}\n${E}\n`],
    ['a second end marker inside the section', `${B}\n| x ${E} |\n${E}\n`],
  ])('%s is a clear error naming the markers and the fix', (_name, document) => {
    expect(() => replaceSection(document, 'x')).toThrow(
      /deprecations:begin.*once each.*rerun npm run generate/s,
    );
  });
});

describe('syncReadmeSection', () => {
  test('check reports a stale table without writing; sync writes it; then it is up to date', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'readme-section-'));
    try {
      const readme = join(dir, 'README.md');
      const stale = `# Doc\n${B}\n| old |\n${E}\n`;
      await writeFile(readme, stale);
      expect(await syncReadmeSection(readme, '| new |\n', { check: true })).toBe('stale');
      expect(await readFile(readme, 'utf8')).toBe(stale);
      expect(await syncReadmeSection(readme, '| new |\n', { check: false })).toBe('updated');
      expect(await readFile(readme, 'utf8')).toBe(`# Doc\n${B}\n| new |\n${E}\n`);
      expect(await syncReadmeSection(readme, '| new |\n', { check: true })).toBe('up-to-date');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test("the repository's README embeds the generated table exactly", async () => {
  const [readme, table] = await Promise.all([
    readFile('README.md', 'utf8'),
    readFile('generated/deprecations.md', 'utf8'),
  ]);
  expect(replaceSection(readme, table)).toBe(readme);
});
