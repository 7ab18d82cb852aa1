/**
 * Every TypeScript code block in README.md and ARCHITECTURE.md is type-checked under the repo's
 * strict settings, each as its own module, with the package name mapped to `src/index.ts` (so the
 * docs are checked against the code as it is now, without a build).
 *
 * Blocks are written to `.tmp/` (git-ignored), one directory below the repo root, so a block that
 * shows a repo file such as `openapi/codegen.config.ts` can keep its `../scripts/…` imports.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  blockFileName,
  type CodeBlock,
  extractTypeScriptBlocks,
  toModuleSource,
} from './code-blocks.js';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCS = ['README.md', 'ARCHITECTURE.md'] as const;
const blocksDir = join(repoRoot, '.tmp');
const tsconfigPath = join(blocksDir, 'tsconfig.docs-blocks.json');
const packageName = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string }
).name;

function readDoc(doc: string): string | null {
  const file = join(repoRoot, doc);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** The README walkthrough's consumer file imports what `cfes generate` writes: test/package/walkthrough.test.ts checks it. */
const WALKTHROUGH_FILE = /^\/\/ \S+ \(the walkthrough's consumer file\)/;

const blocks: CodeBlock[] = DOCS.flatMap((doc) => {
  const markdown = readDoc(doc);
  return markdown === null ? [] : extractTypeScriptBlocks(doc, markdown);
}).filter((block) => !WALKTHROUGH_FILE.test(block.code));

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** `path(line,col): error TSxxxx: message` lines of `tsc --pretty false`, continuation lines kept. */
function parseDiagnostics(output: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = /^(.+?)\((\d+),\d+\): (error .*)$/.exec(line);
    if (match) {
      diagnostics.push({
        file: (match[1] as string).replaceAll('\\', '/').split('/').pop() as string,
        line: Number(match[2]),
        text: match[3] as string,
      });
    } else if (line.startsWith(' ') && diagnostics.length > 0) {
      const last = diagnostics.pop() as Diagnostic;
      diagnostics.push({ ...last, text: `${last.text}\n${line}` });
    } else if (line.trim() !== '') {
      diagnostics.push({ file: '(tsc)', line: 0, text: line });
    }
  }
  return diagnostics;
}

let diagnostics: Diagnostic[] = [];

function removeBlockFiles(): void {
  rmSync(tsconfigPath, { force: true });
  for (const block of blocks) rmSync(join(blocksDir, blockFileName(block)), { force: true });
}

beforeAll(async () => {
  mkdirSync(blocksDir, { recursive: true });
  removeBlockFiles();
  for (const block of blocks) {
    writeFileSync(join(blocksDir, blockFileName(block)), toModuleSource(block));
  }
  const tsconfig = {
    extends: '../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      paths: { [packageName]: ['../src/index.ts'], [`${packageName}/core`]: ['../src/core.ts'] },
    },
    files: blocks.map(blockFileName),
    // Without this, the `include` of the base tsconfig (the whole repo) would be inherited.
    include: [],
  };
  writeFileSync(tsconfigPath, `${JSON.stringify(tsconfig, null, 2)}\n`);
  if (blocks.length === 0) return;
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  diagnostics = await run(process.execPath, [tsc, '--pretty', 'false', '-p', tsconfigPath], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => [],
    (error: { stdout?: string; stderr?: string }) =>
      parseDiagnostics(`${error.stdout ?? ''}${error.stderr ?? ''}`),
  );
}, 120_000);

afterAll(() => {
  removeBlockFiles();
});

describe('docs exist and show code', () => {
  test.each(DOCS)('%s exists and has TypeScript code blocks', (doc) => {
    expect(readDoc(doc), `${doc} is missing at the repo root`).not.toBeNull();
    expect(blocks.filter((block) => block.doc === doc).length).toBeGreaterThan(0);
  });
});

/** Issue 6: each extension point is documented in the README with a (type-checked) example. */
const EXTENSION_POINTS: readonly (readonly [string, RegExp])[] = [
  ['more operations by config', /defineCodegenConfig|\.operations\.\w+\(/],
  ['middleware', /\bmiddleware\s*:/],
  ['an async credentials provider', /\bauth\s*:\s*async\b|CredentialsProvider/],
  ['a custom fetch', /\bfetch\s*:/],
  ['a deprecation handler', /\bonDeprecation\s*:/],
  ['a deprecation policy', /\bdeprecations\s*:/],
];

describe('README shows every extension point in a TypeScript example', () => {
  const readmeBlocks = blocks.filter((block) => block.doc === 'README.md');
  test.each(EXTENSION_POINTS)('%s', (_name, pattern) => {
    expect(readmeBlocks.some((block) => pattern.test(block.code))).toBe(true);
  });
});

describe('every TypeScript block type-checks', () => {
  test('tsc reported nothing outside the blocks (config or compiler problems)', () => {
    const known = new Set(blocks.map(blockFileName));
    expect(diagnostics.filter((diagnostic) => !known.has(diagnostic.file))).toEqual([]);
  });

  test.each(blocks.map((block) => [`${block.doc} block ${block.index}`, block] as const))(
    '%s',
    (_title, block) => {
      const problems = diagnostics
        .filter((diagnostic) => diagnostic.file === blockFileName(block))
        .map(
          (diagnostic) =>
            `${block.doc}:${block.startLine + diagnostic.line - 1} (block ${block.index}, ` +
            `line ${diagnostic.line}): ${diagnostic.text}`,
        );
      expect(problems).toEqual([]);
    },
  );
});
