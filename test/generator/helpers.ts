import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_PATH = join(ROOT, 'openapi', 'cloudflare-email-security.openapi.json');
export const UPDATE_OPERATION = 'email_security_update_allow_policy';
/** The package's name, as consumers import it. */
export const PACKAGE_NAME = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }
).name;

let cachedSpec: Record<string, unknown> | undefined;

/** A fresh deep copy of the vendored spec, to modify in a test. */
export async function specCopy(): Promise<Record<string, unknown>> {
  cachedSpec ??= JSON.parse(await readFile(SPEC_PATH, 'utf8')) as Record<string, unknown>;
  return structuredClone(cachedSpec);
}

const created: string[] = [];
afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * A temporary directory inside the repo (`.tmp/` is git-ignored), so generated files there
 * resolve `openapi-fetch` and `src/metadata.js` like `generated/` does. Removed after the file's tests.
 */
export async function repoTempDir(prefix: string): Promise<string> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', `${prefix}-`));
  created.push(dir);
  return dir;
}
