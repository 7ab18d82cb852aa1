/**
 * `cfes audit | migrate | restore`: the account commands over the library's `auditAllowPolicies`,
 * `planMigration`, `applyPlan` and `restoreBackup`. Credentials and account come from the
 * environment, as the client reads them (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL +
 * CLOUDFLARE_API_KEY; CLOUDFLARE_ACCOUNT_ID; CLOUDFLARE_BASE_URL).
 *
 * Error style and exit codes are those of `cfes generate`: one paragraph on stderr naming the
 * problem (the library's message), no stack trace unless `--debug`; 1 error, 2 bad arguments.
 * `audit` exits 4 when something is to fix; `migrate --apply` and `restore` exit 4 when a policy
 * drifted (or cannot be restored) and was left alone, 1 when one failed or the run stopped.
 * Every line printed, and every file written, is checked for the credentials: output is
 * redacted, and a plan or backup that would hold one is not written.
 */
import * as fs from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { credentialsFromEnv, ENV_API_KEY, ENV_API_TOKEN } from '../../src/auth.js';
import {
  type AuditFinding,
  type AuditReport,
  applyPlan,
  auditAllowPolicies,
  checkBackup,
  checkPlan,
  createEmailSecurityClient,
  type EmailSecurityClient,
  EmailSecurityError,
  fileBackupStore,
  MigrationError,
  type MigrationPlan,
  planMigration,
  type RunProgress,
  type RunSummary,
  readJsonFile,
  restoreBackup,
  writeJsonFile,
} from '../../src/index.js';
import { ENV_ACCOUNT_ID, ENV_BASE_URL } from '../../src/options.js';
import { redactSecrets } from '../../src/redact.js';
import { printableText } from '../codegen/text-safety.js';
import { parseFlags, UsageError } from '../spec/cli-args.js';
import type { Io } from '../spec/run.js';
import { createProgress, type ProgressMeter } from './progress.js';

export const ACCOUNT_COMMANDS = ['audit', 'migrate', 'restore'] as const;
export type AccountCommand = (typeof ACCOUNT_COMMANDS)[number];

export function isAccountCommand(command: string | undefined): command is AccountCommand {
  return ACCOUNT_COMMANDS.includes(command as AccountCommand);
}

export const EXIT_CODES = { ok: 0, error: 1, usage: 2, attention: 4 } as const;

export const ACCOUNT_USAGE = `Usage: cfes audit [--json | --markdown]
       cfes migrate --plan <plan.json>
       cfes migrate --apply <plan.json> --backup <backup.json> [--mode batch|single] [--batch-size <n>]
       cfes restore <backup.json> [--force] [--mode batch|single]

Finds and fixes the account's allow policies that still rely on deprecated fields.
  audit     reads every allow policy and lists the findings (a table; --json prints the
            AuditReport type, --markdown a table for a ticket). Sends no write.
  migrate   --plan: audits and writes the plan (one patch per policy to fix, with what each
            field grants), then prints it. Sends no write.
            --apply: backs up each policy before its first write, applies the plan (batch: up to
            1,000 patches per atomic call; single: one update per policy), skips policies changed
            since the plan ("drifted"), verifies. Rerun it after any interruption: it applies
            only what is not applied yet.
  restore   puts every policy of the backup back, except those changed since (--force: those too).

Environment: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY),
CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_BASE_URL (default https://api.cloudflare.com/client/v4).
Options: --debug prints stack traces; -h, --help shows this help.

Exit codes: 0 done (audit: nothing to fix); 4 audit: something to fix, apply/restore: some
policies were left alone (drifted, cannot be restored); 1 error or failed policies (nothing is
half-written: rerun); 2 bad arguments.`;

export interface AccountEnvironment {
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (a redrawn bar instead of log lines). */
  readonly stderrIsTTY?: boolean;
  readonly now?: () => Date;
}

interface Parsed {
  readonly command: AccountCommand;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

export async function runAccountCommand(
  argv: readonly string[],
  io: Io,
  environment: AccountEnvironment = {},
): Promise<number> {
  const env = environment.env ?? process.env;
  const secrets = [env[ENV_API_TOKEN], env[ENV_API_KEY]].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const safe: Io = {
    stdout: (text) => io.stdout(redactSecrets(text, secrets)),
    stderr: (text) => io.stderr(redactSecrets(text, secrets)),
  };
  const debug = argv.includes('--debug');
  const name = argv[0] ?? 'cfes';
  try {
    const parsed = parse(argv);
    if (parsed === null) {
      safe.stdout(`${ACCOUNT_USAGE}\n`);
      return EXIT_CODES.ok;
    }
    const context: Context = {
      io: safe,
      client: clientFrom(env),
      secrets,
      progress: createProgress({ write: safe.stderr, isTTY: environment.stderrIsTTY ?? false }),
      now: environment.now ?? (() => new Date()),
    };
    if (parsed.command === 'audit') return await audit(context, parsed);
    if (parsed.command === 'restore') return await restore(context, parsed);
    if (parsed.values.plan !== undefined) return await writePlan(context, parsed);
    return await apply(context, parsed);
  } catch (error) {
    if (error instanceof UsageError) {
      safe.stderr(`${error.message}\n\n${ACCOUNT_USAGE}\n`);
      return EXIT_CODES.usage;
    }
    const known = error instanceof EmailSecurityError;
    const message = (error as Error)?.message ?? String(error);
    safe.stderr(
      printableText(
        known
          ? `cfes ${name}: ${message}\n`
          : `cfes ${name}: unexpected error: ${message} (this is a bug${debug ? '' : '; rerun with --debug for the stack trace'}).\n`,
      ),
    );
    if (debug) safe.stderr(`${printableText((error as Error)?.stack ?? String(error))}\n`);
    return EXIT_CODES.error;
  }
}

interface Context {
  readonly io: Io;
  readonly client: EmailSecurityClient;
  readonly secrets: readonly string[];
  readonly progress: ProgressMeter;
  readonly now: () => Date;
}

// ---------------------------------------------------------------- arguments

const OPTIONS = {
  audit: { json: { type: 'boolean' }, markdown: { type: 'boolean' } },
  migrate: {
    plan: { type: 'string' },
    apply: { type: 'string' },
    backup: { type: 'string' },
    mode: { type: 'string' },
    'batch-size': { type: 'string' },
  },
  restore: {
    force: { type: 'boolean' },
    mode: { type: 'string' },
    'batch-size': { type: 'string' },
  },
} as const;

function parse(argv: readonly string[]): Parsed | null {
  const [command, ...rest] = argv;
  if (!isAccountCommand(command)) {
    throw new UsageError(`Unknown command "${command}".`);
  }
  const options: NonNullable<ParseArgsConfig['options']> = {
    ...OPTIONS[command],
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  const parsed = parseFlags({
    args: rest,
    allowPositionals: command === 'restore',
    strict: true,
    options,
  });
  const values = parsed.values as Parsed['values'];
  if (values.help) return null;
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(`--${flag} needs a value.`);
    }
  }
  if (command === 'audit' && values.json && values.markdown) {
    throw new UsageError('Pass --json or --markdown, not both.');
  }
  if (command === 'migrate') {
    if ((values.plan === undefined) === (values.apply === undefined)) {
      throw new UsageError('cfes migrate needs either --plan <plan.json> or --apply <plan.json>.');
    }
    if (values.apply !== undefined && values.backup === undefined) {
      throw new UsageError(
        'cfes migrate --apply needs --backup <backup.json>: where the policies are backed up before they are written.',
      );
    }
    if (
      values.plan !== undefined &&
      (values.backup ?? values.mode ?? values['batch-size']) !== undefined
    ) {
      throw new UsageError('--backup, --mode and --batch-size go with --apply, not --plan.');
    }
  }
  if (command === 'restore' && parsed.positionals.length !== 1) {
    throw new UsageError('cfes restore needs exactly one argument: the backup file.');
  }
  if (values.mode !== undefined && values.mode !== 'batch' && values.mode !== 'single') {
    throw new UsageError(`--mode is batch or single, not "${String(values.mode)}".`);
  }
  const size = values['batch-size'];
  if (size !== undefined && !/^[1-9]\d{0,5}$/.test(String(size))) {
    throw new UsageError(`--batch-size is a positive integer, not "${String(size)}".`);
  }
  return { command: command as AccountCommand, values, positionals: parsed.positionals };
}

/** Client options from the environment the command was given (the client's own variables). */
function clientFrom(env: Readonly<Record<string, string | undefined>>): EmailSecurityClient {
  const auth = credentialsFromEnv(env);
  return createEmailSecurityClient({
    ...(env[ENV_ACCOUNT_ID] !== undefined && { accountId: env[ENV_ACCOUNT_ID] }),
    ...(env[ENV_BASE_URL] !== undefined && { baseUrl: env[ENV_BASE_URL] }),
    ...(auth !== undefined && { auth }),
    // The audit reports deprecated fields itself; the client's warnings would repeat them.
    onDeprecation: () => {},
    logLevel: 'off',
  });
}

// ---------------------------------------------------------------- commands

async function runAudit(context: Context): Promise<AuditReport> {
  try {
    return await auditAllowPolicies(context.client, {
      now: context.now,
      onProgress: ({ phase, policies, total }) =>
        context.progress.update(
          phase === 'reading' ? 'audit' : 'audit (duplicates)',
          policies,
          total,
        ),
    });
  } finally {
    context.progress.finish();
  }
}

async function audit(context: Context, parsed: Parsed): Promise<number> {
  const report = await runAudit(context);
  if (parsed.values.json) context.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (parsed.values.markdown) context.io.stdout(renderAuditMarkdown(report));
  else context.io.stdout(renderAuditText(report));
  return report.counts.fix > 0 ? EXIT_CODES.attention : EXIT_CODES.ok;
}

async function writePlan(context: Context, parsed: Parsed): Promise<number> {
  const file = parsed.values.plan as string;
  const plan = planMigration(await runAudit(context), { now: context.now });
  await writeJsonFile(fs, file, plan, { secrets: context.secrets, what: 'plan' });
  context.io.stdout(renderPlanText(plan, file));
  return EXIT_CODES.ok;
}

async function apply(context: Context, parsed: Parsed): Promise<number> {
  const planFile = parsed.values.apply as string;
  const plan = checkPlan(await readJson(planFile, 'plan'), `the plan ${planFile}`);
  const backupFile = parsed.values.backup as string;
  const summary = await withProgress(context, 'apply', (onProgress) =>
    applyPlan(context.client, plan, {
      backup: fileBackupStore(backupFile, fs, { secrets: context.secrets }),
      mode: (parsed.values.mode as 'batch' | 'single' | undefined) ?? 'batch',
      ...(parsed.values['batch-size'] !== undefined && {
        batchSize: Number(parsed.values['batch-size']),
      }),
      onProgress,
    }),
  );
  context.io.stdout(renderRunText(summary, 'applied', `backup: ${backupFile}`));
  return exitOf(summary, 0);
}

async function restore(context: Context, parsed: Parsed): Promise<number> {
  const file = parsed.positionals[0] as string;
  const backup = checkBackup(await readJson(file, 'backup'), `the backup ${file}`);
  const summary = await withProgress(context, 'restore', (onProgress) =>
    restoreBackup(context.client, backup, {
      force: parsed.values.force === true,
      mode: (parsed.values.mode as 'batch' | 'single' | undefined) ?? 'batch',
      ...(parsed.values['batch-size'] !== undefined && {
        batchSize: Number(parsed.values['batch-size']),
      }),
      onProgress,
    }),
  );
  const lines = summary.unrestorable.map(
    (item) => `  cannot restore ${item.policyId}: ${printableText(item.message ?? '')}`,
  );
  context.io.stdout(
    renderRunText(summary, 'restored', lines.length > 0 ? lines.join('\n') : undefined),
  );
  return exitOf(summary, summary.unrestorable.length);
}

async function withProgress<S extends RunSummary>(
  context: Context,
  label: string,
  run: (onProgress: (progress: RunProgress) => void) => Promise<S>,
): Promise<S> {
  try {
    return await run((p) => context.progress.update(`${label} (${p.phase})`, p.done, p.total));
  } finally {
    context.progress.finish();
  }
}

function exitOf(summary: RunSummary, leftAlone: number): number {
  if (summary.failed > 0 || summary.interrupted !== null) return EXIT_CODES.error;
  return summary.drifted + leftAlone > 0 ? EXIT_CODES.attention : EXIT_CODES.ok;
}

// ---------------------------------------------------------------- files

/** A plan or backup file the command needs (its absence is an error here). */
async function readJson(file: string, what: string): Promise<unknown> {
  const value = await readJsonFile(fs, file, what);
  if (value === null) {
    throw new MigrationError(`there is no ${what} file "${file}"; nothing was written.`);
  }
  return value;
}

// ---------------------------------------------------------------- rendering

const cell = (text: string | null | undefined) => printableText(text ?? '—');

function renderAuditText(report: AuditReport): string {
  const rows = report.findings.map((finding) => [
    finding.severity,
    finding.kind,
    finding.policyId,
    `${cell(finding.pattern)} (${cell(finding.patternType)})`,
    cell(finding.message),
  ]);
  const table =
    rows.length === 0
      ? []
      : formatTable(['severity', 'kind', 'policy', 'pattern', 'finding'], rows);
  return [
    ...table,
    ...(table.length > 0 ? [''] : []),
    `${report.policies} policies of account ${report.accountId}: ${countsLine(report)}.`,
    report.counts.fix > 0
      ? 'next: cfes migrate --plan plan.json (writes the fixes for review; sends nothing)'
      : 'nothing to fix.',
    '',
  ].join('\n');
}

function countsLine(report: AuditReport): string {
  const { fix, warn, info } = report.counts;
  return `${fix} to fix, ${warn} to review, ${info} for information`;
}

function renderAuditMarkdown(report: AuditReport): string {
  const md = (text: string | null) =>
    printableText(text ?? '—')
      .replace(/\s+/g, ' ')
      .replace(/([\\`|*_[\]<>])/g, '\\$1');
  const row = (finding: AuditFinding) =>
    `| ${finding.severity} | ${finding.kind} | ${finding.policyId} | ${md(finding.pattern)} | ${md(finding.patternType)} | ${md(finding.message)} |`;
  return [
    `## Allow-policy audit of account ${report.accountId}`,
    '',
    `${report.policies} policies, ${countsLine(report)} (spec sha256 ${report.spec.sha256.slice(0, 12)}…, ${report.auditedAt}).`,
    '',
    '| Severity | Kind | Policy | Pattern | Type | Finding |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.findings.map(row),
    '',
  ].join('\n');
}

function renderPlanText(plan: MigrationPlan, file: string): string {
  const rows = plan.items.flatMap((item) =>
    item.changes.map((change) => [
      item.policyId,
      `${cell(item.pattern)} (${cell(item.patternType)})`,
      `${change.replaces} → ${change.field}: ${JSON.stringify(change.value)}`,
      cell(change.description),
    ]),
  );
  return [
    `plan for account ${plan.accountId} (spec sha256 ${plan.spec.sha256.slice(0, 12)}…), written to ${file}:`,
    ...(rows.length > 0
      ? formatTable(['policy', 'pattern', 'change', 'what the field grants'], rows)
      : ['  nothing to fix.']),
    '',
    `${plan.items.length} policies to patch; ${plan.needsReview.length} findings need a person (not in the patches: cfes audit lists them).`,
    `next: review ${file}, then cfes migrate --apply ${file} --backup backup.json`,
    '',
  ].join('\n');
}

function renderRunText(summary: RunSummary, verb: string, extra?: string): string {
  const notable = summary.items.filter(
    (item) => item.status === 'drifted' || item.status === 'failed',
  );
  const shown = notable
    .slice(0, 20)
    .map((item) => `  ${item.status} ${item.policyId}: ${printableText(item.message ?? '')}`);
  if (notable.length > shown.length) shown.push(`  … and ${notable.length - shown.length} more`);
  return [
    ...shown,
    ...(extra ? [extra] : []),
    `${verb} ${summary.applied}, already ${verb} ${summary.alreadyApplied}, drifted ${summary.drifted}, failed ${summary.failed} (${summary.total} policies, ${summary.writeRequests} write request${summary.writeRequests === 1 ? '' : 's'}, ${summary.mode} mode).`,
    ...(summary.interrupted
      ? [
          `the run stopped: ${printableText(summary.interrupted)}; rerun the same command to continue.`,
        ]
      : []),
    '',
  ].join('\n');
}

function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.min(
      column === header.length - 1 ? Number.POSITIVE_INFINITY : 48,
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((text, column) =>
        column === cells.length - 1 ? text : text.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
