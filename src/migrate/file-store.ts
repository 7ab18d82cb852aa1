/**
 * Plans and backups as JSON files, written atomically (a sibling temp file, then `rename` over
 * the target: a reader, or a rerun after a crash, sees the old file or the new one, never half of
 * one), and never holding a credential. The file system is passed in (`node:fs/promises`, or
 * Deno's and Bun's), so the package's entry stays free of Node built-ins.
 *
 *   import * as fs from 'node:fs/promises';
 *   await applyPlan(cf, plan, { backup: fileBackupStore('backup.json', fs) });
 */
import { redactSecrets } from '../redact.js';
import { type BackupStore, checkBackup, type MigrationBackup } from './backup.js';
import { MigrationError } from './errors.js';

/** What the file store uses of `node:fs/promises`. */
export interface JsonFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

export interface JsonFileOptions {
  /** Credentials that must not be written (the file is refused, naming why). */
  readonly secrets?: readonly string[];
}

/** Writes `value` as JSON to `path` atomically; refuses when the text would hold a secret. */
export async function writeJsonFile(
  fs: JsonFileSystem,
  path: string,
  value: unknown,
  options: JsonFileOptions & { readonly what: string },
): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const secrets = options.secrets ?? [];
  if (secrets.length > 0 && redactSecrets(text, secrets) !== text) {
    throw new MigrationError(
      `the ${options.what} would contain the API credential (a policy's pattern or comment holds it), so "${path}" was not written; remove the credential from that policy and rotate it.`,
    );
  }
  const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`;
  try {
    await fs.writeFile(temporary, text, 'utf8');
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw new MigrationError(
      `cannot write the ${options.what} "${path}" (${codeOf(error)}); the previous file is unchanged.`,
      undefined,
      { cause: error },
    );
  }
}

/** Reads JSON from `path`; `null` when there is no such file. */
export async function readJsonFile(
  fs: JsonFileSystem,
  path: string,
  what: string,
): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw new MigrationError(`cannot read the ${what} "${path}" (${codeOf(error)}).`, undefined, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MigrationError(`the ${what} "${path}" is not JSON (${(error as Error).message}).`);
  }
}

/** A `BackupStore` in one JSON file, replaced atomically on every save. */
export function fileBackupStore(
  path: string,
  fs: JsonFileSystem,
  options: JsonFileOptions = {},
): BackupStore {
  return {
    read: async () => {
      const value = await readJsonFile(fs, path, 'backup');
      return value === null ? null : checkBackup(value, `the backup ${path}`);
    },
    write: (backup: MigrationBackup) =>
      writeJsonFile(fs, path, backup, { ...options, what: 'backup' }),
  };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String((error as Error)?.message ?? error);
}
