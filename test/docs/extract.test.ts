import { describe, expect, test } from 'vitest';
import { blockFileName, extractTypeScriptBlocks, toModuleSource } from './code-blocks.js';

const markdown = [
  '# Title', // 1
  '```ts', // 2
  "import { a } from 'x';", // 3
  '```', // 4
  '```json', // 5
  '{ "ts": true }', // 6
  '```', // 7
  '````typescript title="b.ts"', // 8
  'const b = 1;', // 9
  '```', // 10  (shorter fence: still inside)
  '````', // 11
  '~~~sh', // 12
  'npm test', // 13
  '~~~', // 14
  '```TS', // 15
  'let c = 2;', // 16
  '```', // 17
].join('\n');

describe('extractTypeScriptBlocks', () => {
  const blocks = extractTypeScriptBlocks('README.md', markdown);

  test('keeps only ts/typescript blocks, numbered in order, with their first code line', () => {
    expect(blocks.map((block) => [block.index, block.startLine])).toEqual([
      [1, 3],
      [2, 9],
      [3, 16],
    ]);
  });

  test('a longer fence is only closed by a fence at least as long', () => {
    expect(blocks[1]?.code).toBe('const b = 1;\n```');
  });

  test('an unclosed fence runs to the end of the document', () => {
    const [only] = extractTypeScriptBlocks('A.md', 'text\n```ts\nconst x = 1;');
    expect(only).toMatchObject({ index: 1, startLine: 3, code: 'const x = 1;' });
  });
});

describe('toModuleSource', () => {
  test('a block with imports stays as it is', () => {
    const block = { doc: 'README.md', index: 1, startLine: 1, code: "import 'x';" };
    expect(toModuleSource(block)).toBe("import 'x';\n");
  });

  test('a block without imports or exports becomes a module', () => {
    const block = { doc: 'README.md', index: 2, startLine: 1, code: 'const a = 1;' };
    expect(toModuleSource(block)).toBe('const a = 1;\nexport {};\n');
  });
});

test('blockFileName names the document and the block number', () => {
  expect(blockFileName({ doc: 'ARCHITECTURE.md', index: 7, startLine: 1, code: '' })).toBe(
    'docs-block-architecture-07.ts',
  );
});
