/** Plans and backups as files (src/migrate/file-store.ts): atomic, never with a credential. */
import * as fs from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileBackupStore, type JsonFileSystem, writeJsonFile } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cfes-file-store-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeJsonFile', () => {
  it('replaces the file through a temp file and a rename, leaving no temp file', async () => {
    const file = join(dir, 'plan.json');
    await writeFile(file, 'old');
    const calls: string[] = [];
    const spy: JsonFileSystem = {
      ...fs,
      writeFile: async (path, data, encoding) => {
        calls.push(`write ${path === file ? 'target' : 'temp'}`);
        await fs.writeFile(path, data, encoding);
      },
      rename: async (from, to) => {
        calls.push(`rename ${from === file ? 'target' : 'temp'} → ${to === file ? 'target' : to}`);
        await fs.rename(from, to);
      },
    };
    await writeJsonFile(spy, file, { a: 1 }, { what: 'plan' });
    expect(calls).toEqual(['write temp', 'rename temp → target']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: 1 });
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed rename leaves the previous file as it was, and no temp file', async () => {
    const file = join(dir, 'kept.json');
    await writeFile(file, '{"kept":true}');
    const failing: JsonFileSystem = {
      ...fs,
      rename: async () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    };
    await expect(writeJsonFile(failing, file, { a: 1 }, { what: 'backup' })).rejects.toThrow(
      /^cannot write the backup ".*kept\.json" \(ENOSPC\); the previous file is unchanged\.$/,
    );
    expect(await readFile(file, 'utf8')).toBe('{"kept":true}');
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a file that would hold a credential', async () => {
    const file = join(dir, 'leak.json');
    const secret = 'tok_4f9b2c81d7e6a5b4c3d2e1f0';
    await expect(
      writeJsonFile(fs, file, { comments: `see ${secret}` }, { what: 'plan', secrets: [secret] }),
    ).rejects.toThrow(/^the plan would contain the API credential/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});

describe('fileBackupStore', () => {
  it('reads null when there is no file, then what was written (checked)', async () => {
    const store = fileBackupStore(join(dir, 'backup.json'), fs);
    expect(await store.read()).toBeNull();
    await writeFile(join(dir, 'backup.json'), JSON.stringify({ format: 'other' }));
    await expect(store.read()).rejects.toThrow(/the backup .* cannot be used: format is "other"/);
  });
});
