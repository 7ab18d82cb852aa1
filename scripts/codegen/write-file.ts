import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CodegenError } from './errors.js';

/**
 * Replaces one file atomically: a sibling temporary file, then `rename` over the target, so a
 * reader sees the old or the new bytes, never half a file. The target's permissions are kept.
 *
 * (`writeFilesAtomically` in write.ts swaps a whole directory: right for `generated/`, wrong for
 * `openapi/` (it also holds `codegen.config.ts`) or README.md.)
 */
export async function writeFileAtomically(file: string, contents: string): Promise<void> {
  const temporary = join(
    dirname(file),
    `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await mkdir(dirname(file), { recursive: true });
    const mode = await existingMode(file);
    await writeFile(temporary, contents, 'utf8');
    if (mode !== null) await chmod(temporary, mode);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CodegenError(
      `Could not write "${file}": ${(error as Error).message}. The previous file is unchanged.`,
      {
        cause: error,
        hint: 'Check that its directory is writable, then rerun.',
      },
    );
  }
}

async function existingMode(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    return null;
  }
}
