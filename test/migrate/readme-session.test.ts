/**
 * README "Migrating an account" shows a real session: the `cfes` bin (scripts/cli/cfes.ts, its
 * own Node process, credentials from the environment) against the stand-in, seeded with a small
 * account in the states the audit knows. This test runs that session and requires the README to
 * hold exactly its output, so the section stays true. After a change of the output, review it
 * and refresh: `UPDATE_README=1 npx vitest run test/migrate/readme-session.test.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AllowPolicy } from '../support/stand-in-server.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const README = join(ROOT, 'README.md');
const BEGIN = '<!-- migrate-session:begin -->';
const END = '<!-- migrate-session:end -->';
/** Under the repo (git-ignored), so `--import tsx` resolves from the working directory. */
const WORK = join(ROOT, '.tmp', `migrate-session-${process.pid}`);

const id = (n: number) => `5e551011-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small account: three policies to fix, one already migrated, and one of each warning. */
const ACCOUNT: readonly Partial<AllowPolicy>[] = [
  { pattern: 'billing@vendor.example', is_sender: true, is_trusted_sender: false },
  {
    pattern: 'alerts@monitoring.example',
    is_spoof: true,
    is_acceptable_sender: false,
    is_trusted_sender: false,
  },
  {
    pattern: 'ceo@partner.example',
    is_sender: true,
    is_trusted_sender: false,
    verify_sender: false,
  },
  { pattern: 'payroll@hr.example', is_trusted_sender: true },
  { pattern: 'legacy.example', pattern_type: 'UNKNOWN', is_trusted_sender: false },
  { pattern: 'partner.example', pattern_type: 'DOMAIN' },
  { pattern: 'noreply@tools.example', is_trusted_sender: false, is_acceptable_sender: true },
  { pattern: 'noreply@tools.example', is_trusted_sender: false, is_acceptable_sender: true },
  { pattern: '^build-[0-9]+@ci\\.example$', is_regex: true, is_trusted_sender: false },
];

const SESSION = [
  'audit',
  'migrate --plan plan.json',
  'migrate --apply plan.json --backup backup.json',
  'audit',
] as const;

let server: StandInServer;
beforeAll(async () => {
  server = await startStandInServer({ clock: () => new Date('2026-12-01T09:00:00Z') });
  ACCOUNT.forEach((fields, index) => {
    server.seedPolicy({ id: id(index + 1), ...fields });
  });
  mkdirSync(WORK, { recursive: true });
});
afterAll(async () => {
  await server.close();
  rmSync(WORK, { recursive: true, force: true });
});

function cfes(args: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'cli', 'cfes.ts'), ...args.split(' ')],
      {
        cwd: WORK,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          CLOUDFLARE_API_TOKEN: server.apiToken,
          CLOUDFLARE_ACCOUNT_ID: server.accountId,
          CLOUDFLARE_BASE_URL: server.baseUrl,
        },
      },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

it('README "Migrating an account" holds the output of a real session', async () => {
  const transcript: string[] = [];
  for (const args of SESSION) {
    const run = await cfes(args);
    // Progress lines (every few seconds off a TTY) are the only thing allowed on stderr.
    const other = run.stderr
      .split('\n')
      .filter((line) => line && !/^(audit|apply)\b.*\/s/.test(line));
    expect(other, `cfes ${args}`).toEqual([]);
    transcript.push(`$ npx cfes ${args}`, run.stdout.trimEnd(), `(exit ${run.code})`, '');
  }
  const block = `${BEGIN}\n\n\`\`\`console\n${transcript.join('\n').trimEnd()}\n\`\`\`\n\n${END}`;
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  expect(start, `README.md needs ${BEGIN} … ${END}`).toBeGreaterThan(-1);
  const updated = `${readme.slice(0, start)}${block}${readme.slice(end + END.length)}`;
  if (process.env.UPDATE_README === '1') writeFileSync(README, updated);
  else {
    expect(
      readme.slice(start, end + END.length),
      'README session is stale: UPDATE_README=1 npx vitest run test/migrate/readme-session.test.ts',
    ).toBe(block);
  }
}, 120_000);
