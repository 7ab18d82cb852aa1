/**
 * `cfes audit | migrate | restore` (scripts/cli/account.ts) in-process against the stand-in:
 * exit codes, the `--json` shape (the exported `AuditReport`), error style, and no credential in
 * any output or file over random tokens. The built bin on plain Node: test/migrate/readme-session.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { runAccountCommand } from '../../scripts/cli/account.js';
import type { AuditFinding, AuditReport } from '../../src/index.js';
import { seedMixedPolicies } from '../support/stand-in-seed.js';
import {
  type StandInOptions,
  type StandInServer,
  startStandInServer,
} from '../support/stand-in-server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cfes-migrate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function envOf(server: StandInServer, extra: Record<string, string> = {}) {
  return {
    CLOUDFLARE_API_TOKEN: server.apiToken,
    CLOUDFLARE_ACCOUNT_ID: server.accountId,
    CLOUDFLARE_BASE_URL: server.baseUrl,
    ...extra,
  };
}

async function cfes(env: Record<string, string | undefined>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAccountCommand(
    argv,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    },
    { env },
  );
  return { code, stdout, stderr };
}

describe('arguments: exit 2 with the usage, nothing sent', () => {
  it.each([
    [['audit', '--json', '--markdown'], /--json or --markdown, not both/],
    [['audit', '--bogus'], /Unknown option '--bogus'/],
    [['migrate'], /either --plan <plan.json> or --apply <plan.json>/],
    [['migrate', '--plan', 'a.json', '--apply', 'b.json'], /either --plan/],
    [['migrate', '--apply', 'plan.json'], /needs --backup <backup.json>/],
    [['migrate', '--plan', 'p.json', '--mode', 'single'], /go with --apply, not --plan/],
    [
      ['migrate', '--apply', 'p.json', '--backup', 'b.json', '--mode', 'fast'],
      /--mode is batch or single/,
    ],
    [
      ['migrate', '--apply', 'p.json', '--backup', 'b.json', '--batch-size', '0'],
      /--batch-size is a positive integer/,
    ],
    [['migrate', '--plan', ''], /--plan needs a value/],
    [['restore'], /exactly one argument: the backup file/],
    [['restore', 'a.json', 'b.json'], /exactly one argument/],
  ])('%j', async (argv, message) => {
    const run = await cfes({}, ...argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: cfes audit');
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const run = await cfes({}, 'migrate', '--help');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Exit codes: 0 done');
  });
});

describe('against the stand-in', () => {
  let server: StandInServer;
  beforeAll(async () => {
    server = await startStandInServer({ recordRequests: false });
    seedMixedPolicies(server, 60);
  });
  afterAll(() => server.close());

  it('audit --json prints the AuditReport (exit 4: something to fix); plan, apply, audit again (exit 0)', async () => {
    const audit = await cfes(envOf(server), 'audit', '--json');
    expect(audit.code).toBe(4);
    const report: AuditReport = JSON.parse(audit.stdout);
    expectTypeOf(report).toEqualTypeOf<AuditReport>();
    expect(Object.keys(report).sort()).toEqual(
      ['accountId', 'auditedAt', 'counts', 'findings', 'policies', 'spec'].sort(),
    );
    expect(report.counts.fix).toBeGreaterThan(0);
    const fix = report.findings.find((f) => f.severity === 'fix') as AuditFinding;
    expect(Object.keys(fix).sort()).toEqual(
      [
        'before',
        'descriptions',
        'fields',
        'kind',
        'message',
        'patch',
        'pattern',
        'patternType',
        'policyId',
        'severity',
      ].sort(),
    );

    const planFile = join(dir, 'plan.json');
    const plan = await cfes(envOf(server), 'migrate', '--plan', planFile);
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toContain(`${report.counts.fix} policies to patch`);
    const backupFile = join(dir, 'backup.json');
    const applied = await cfes(
      envOf(server),
      'migrate',
      '--apply',
      planFile,
      '--backup',
      backupFile,
    );
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toMatch(/^applied \d+, already applied 0, drifted 0, failed 0 /m);
    expect(JSON.parse(await readFile(backupFile, 'utf8')).format).toBe(
      'cfes-allow-policy-backup/1',
    );
    const again = await cfes(envOf(server), 'migrate', '--apply', planFile, '--backup', backupFile);
    expect(again.stdout).toMatch(
      /^applied 0, already applied \d+, drifted 0, failed 0 .*0 write requests/m,
    );
    expect((await cfes(envOf(server), 'audit')).code).toBe(0);
    const markdown = await cfes(envOf(server), 'audit', '--markdown');
    expect(markdown.stdout).toMatch(
      /^\| Severity \| Kind \| Policy \| Pattern \| Type \| Finding \|$/m,
    );
  });

  it.each([
    ['no credentials', {}, ['audit'], /^cfes audit: createEmailSecurityClient: no credentials/],
    [
      'a plan that is not JSON',
      null,
      ['migrate', '--apply', 'NOT_JSON', '--backup', 'b.json'],
      /^cfes migrate: the plan ".*not-json.txt" is not JSON/,
    ],
    [
      'a plan file that does not exist',
      null,
      ['migrate', '--apply', 'MISSING', '--backup', 'b.json'],
      /^cfes migrate: there is no plan file ".*missing.json"; nothing was written\./,
    ],
    [
      'a plan of another format',
      null,
      ['migrate', '--apply', 'OTHER', '--backup', 'b.json'],
      /^cfes migrate: the plan .* cannot be applied: format is "x", expected "cfes-allow-policy-migration-plan\/1"/,
    ],
  ] as const)('%s: exit 1, one paragraph, no stack trace', async (_name, env, argv, message) => {
    await writeFile(join(dir, 'not-json.txt'), '{ nope');
    await writeFile(join(dir, 'other.json'), JSON.stringify({ format: 'x' }));
    const files: Record<string, string> = {
      NOT_JSON: join(dir, 'not-json.txt'),
      MISSING: join(dir, 'missing.json'),
      OTHER: join(dir, 'other.json'),
    };
    const args = argv.map((arg) => files[arg] ?? arg);
    const run = await cfes(env ?? envOf(server), ...args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'b.json'))).toBe(false);
  });
});

describe('no credential in any output, error or file, over random tokens', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{24,48}$/);

  it('audit, plan, apply, restore, errors, --debug', async () => {
    await fc.assert(
      fc.asyncProperty(token, async (apiToken) => {
        const options: StandInOptions = { apiToken, recordRequests: false };
        const server = await startStandInServer(options);
        try {
          seedMixedPolicies(server, 24);
          const env = envOf(server);
          const run = join(dir, `secret-${Date.now()}-${Math.random()}`);
          const outputs = [
            await cfes(env, 'audit'),
            await cfes(env, 'audit', '--json', '--debug'),
            await cfes(env, 'migrate', '--plan', `${run}-plan.json`),
            await cfes(env, 'migrate', '--apply', `${run}-plan.json`, '--backup', `${run}-b.json`),
            await cfes(env, 'restore', `${run}-b.json`, '--force'),
            // The API refuses: the error names the request, never the credential.
            await cfes({ ...env, CLOUDFLARE_ACCOUNT_ID: 'f'.repeat(32) }, 'audit', '--debug'),
            await cfes({ ...env, CLOUDFLARE_API_TOKEN: `${apiToken}x` }, 'audit', '--debug'),
          ];
          const files = await Promise.all(
            [`${run}-plan.json`, `${run}-b.json`].map((file) => readFile(file, 'utf8')),
          );
          const forms = [
            apiToken,
            encodeURIComponent(apiToken),
            Buffer.from(apiToken).toString('base64'),
          ];
          for (const text of [...outputs.flatMap((o) => [o.stdout, o.stderr]), ...files]) {
            for (const form of forms) expect(text).not.toContain(form);
          }
          expect(outputs.map((o) => o.code)).toEqual([4, 4, 0, 0, 4, 1, 1]);
        } finally {
          await server.close();
        }
      }),
      { numRuns: 4 },
    );
  });

  it('a plan or backup that would hold the credential is not written, and nothing is sent', async () => {
    const server = await startStandInServer({ recordRequests: false });
    try {
      const leaky = server.seedPolicy({
        pattern: `${server.apiToken}@example.com`,
        is_sender: true,
        is_trusted_sender: false,
      });
      const file = join(dir, 'leaky-plan.json');
      const run = await cfes(envOf(server), 'migrate', '--plan', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/the plan would contain the API credential .* was not written/);
      expect(existsSync(file)).toBe(false);

      server.policies.delete(leaky.id);
      const commented = server.seedPolicy({
        is_sender: true,
        is_trusted_sender: false,
        comments: `pasted by mistake: ${server.apiToken}`,
      });
      expect((await cfes(envOf(server), 'migrate', '--plan', file)).code).toBe(0);
      const backup = join(dir, 'leaky-backup.json');
      const apply = await cfes(envOf(server), 'migrate', '--apply', file, '--backup', backup);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toMatch(/the backup would contain the API credential/);
      expect(existsSync(backup)).toBe(false);
      expect(server.policies.get(commented.id)?.is_trusted_sender).toBe(false);
      expect(server.writeCount).toBe(0);
    } finally {
      await server.close();
    }
  });
});
