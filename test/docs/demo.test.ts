/**
 * `npm run demo` (scripts/demo.ts), run as a user runs it: a separate Node process, no vitest.
 * It must show the deprecation warning, the request actually sent (migrated, credentials
 * redacted) and the updated policy, then stop its server and exit cleanly.
 */
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, expect, test } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let stdout = '';
let stderr = '';

beforeAll(async () => {
  const tsxCli = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  // Throws (failing every test) if the demo exits non-zero or hangs.
  ({ stdout, stderr } = await run(process.execPath, [tsxCli, 'scripts/demo.ts'], {
    cwd: repoRoot,
    timeout: 30_000,
    env: { PATH: process.env.PATH },
  }));
}, 60_000);

test('shows the deprecation warning as Node prints it', () => {
  expect(stderr).toMatch(/\[CFES_DEPRECATION\] DeprecationWarning: .*is_sender.*is_trusted_sender/);
});

test('shows the request the API received: migrated body, credentials redacted', () => {
  const received = stdout.slice(stdout.indexOf('== Request the API received'));
  expect(received).toMatch(
    /PATCH \/client\/v4\/accounts\/[0-9a-f]{32}\/email-security\/settings\/allow_policies\/[0-9a-f-]{36}/,
  );
  expect(received).toContain('authorization: Bearer [redacted]');
  expect(received).toContain('"is_trusted_sender": true');
  expect(received.slice(0, received.indexOf('== Updated policy'))).not.toContain('"is_sender"');
  expect(`${stdout}${stderr}`).not.toMatch(/Bearer (?!\[redacted\])/);
});

test('prints the updated policy and stops the server', () => {
  const updated = stdout.slice(stdout.indexOf('== Updated policy'));
  expect(updated).toMatch(/"is_trusted_sender": true/);
  expect(updated).toMatch(/"modified_at": "2\d{3}-/);
  expect(stdout.trimEnd().endsWith('Stand-in API stopped.')).toBe(true);
});
