import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CodegenError } from '../../scripts/codegen/errors.js';
import { checkFiles, listFiles, writeFilesAtomically } from '../../scripts/codegen/write.js';
import { repoTempDir } from './helpers.js';

async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const path of await listFiles(dir)) entries[path] = await readFile(join(dir, path), 'utf8');
  return entries;
}

async function seeded(): Promise<string> {
  const out = join(await repoTempDir('write'), 'out');
  await mkdir(join(out, 'nested'), { recursive: true });
  await writeFile(join(out, 'a.ts'), 'old a');
  await writeFile(join(out, 'nested', 'b.ts'), 'old b');
  await writeFile(join(out, 'stale-extra.ts'), 'old extra');
  return out;
}

const NEW_FILES = [
  { path: 'a.ts', contents: 'new a' },
  { path: 'nested/b.ts', contents: 'new b' },
  { path: 'c.md', contents: 'new c' },
];

describe('writeFilesAtomically', () => {
  test('replaces the directory contents as a whole', async () => {
    const out = await seeded();
    await writeFilesAtomically(out, NEW_FILES);
    expect(await snapshot(out)).toEqual({
      'a.ts': 'new a',
      'c.md': 'new c',
      'nested/b.ts': 'new b',
    });
    expect((await readdir(dirname(out))).sort()).toEqual(['out']);
  });

  test('creates a missing output directory', async () => {
    const out = join(await repoTempDir('write'), 'deep', 'out');
    await writeFilesAtomically(out, NEW_FILES);
    expect(Object.keys(await snapshot(out))).toEqual(['a.ts', 'c.md', 'nested/b.ts']);
  });

  test('a failure after some files were produced leaves the directory exactly as it was', async () => {
    const out = await seeded();
    const before = await snapshot(out);
    const staged: string[] = [];
    await expect(
      writeFilesAtomically(out, NEW_FILES, {
        afterFileStaged: (file, index) => {
          staged.push(file.path);
          if (index === 1) throw new Error('disk full (injected)');
        },
      }),
    ).rejects.toThrow(
      /Could not write the generated files .*disk full \(injected\)\. Nothing was changed there\./,
    );
    expect(staged).toEqual(['a.ts', 'nested/b.ts']);
    expect(await snapshot(out)).toEqual(before);
    expect((await readdir(dirname(out))).sort()).toEqual(['out']);
  });

  test('refuses to delete files the generator did not write', async () => {
    const out = await seeded();
    const before = await snapshot(out);
    const error = await writeFilesAtomically(out, NEW_FILES, {
      isReplaceable: (_path, contents) => contents.startsWith('// gen'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as Error).message).toMatch(
      /contains files the generator did not write \(stale-extra\.ts\)/,
    );
    expect(await snapshot(out)).toEqual(before);
  });

  test('rejects paths that escape the output directory', async () => {
    const out = await seeded();
    await expect(writeFilesAtomically(out, [{ path: '../evil.ts', contents: '' }])).rejects.toThrow(
      /must be relative and stay inside/,
    );
  });
});

describe('checkFiles', () => {
  test('lists stale, missing and extra files and writes nothing', async () => {
    const out = await seeded();
    const before = await snapshot(out);
    const report = await checkFiles(out, [
      { path: 'a.ts', contents: 'old a' },
      { path: 'nested/b.ts', contents: 'new b' },
      { path: 'c.md', contents: 'c' },
    ]);
    expect(report).toEqual({
      stale: ['nested/b.ts'],
      missing: ['c.md'],
      extra: ['stale-extra.ts'],
    });
    expect(await snapshot(out)).toEqual(before);
  });

  test('a missing directory means every file is missing', async () => {
    const out = join(await repoTempDir('write'), 'absent');
    expect(await checkFiles(out, NEW_FILES)).toEqual({
      stale: [],
      missing: ['a.ts', 'c.md', 'nested/b.ts'],
      extra: [],
    });
  });
});
