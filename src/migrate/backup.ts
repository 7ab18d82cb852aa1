/**
 * The backup of a migration: each policy's full state as read right before its first write, and
 * the patch written. `applyPlan` saves it (through a `BackupStore`) before every write, keeps the
 * first state recorded for a policy across reruns, and `restoreBackup` reads it.
 */
import { MigrationError } from './errors.js';
import { isRecord } from './plan.js';
import { policySchema, type SpecIdentity } from './rules.js';

export const BACKUP_FORMAT = 'cfes-allow-policy-backup/1';

export interface BackupEntry {
  readonly policyId: string;
  /** When the state was read. */
  readonly backedUpAt: string;
  /** The policy as the API stored it before the migration wrote to it. */
  readonly state: Readonly<Record<string, unknown>>;
  /** What the migration wrote. */
  readonly patch: Readonly<Record<string, unknown>>;
}

export interface MigrationBackup {
  readonly format: typeof BACKUP_FORMAT;
  readonly accountId: string;
  readonly spec: SpecIdentity;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly policies: readonly BackupEntry[];
}

/**
 * Where a backup lives. `write` must replace the whole backup atomically (a reader sees the old
 * one or the new one, never a part): `fileBackupStore` (Node, the CLI) writes a temp file and
 * renames it.
 */
export interface BackupStore {
  /** The backup saved so far (a rerun continues it), or null when there is none. */
  read(): Promise<MigrationBackup | null>;
  write(backup: MigrationBackup): Promise<void>;
}

/** A backup read from a file, checked: format, account, spec, every entry's shape. */
export function checkBackup(value: unknown, source = 'the backup'): MigrationBackup {
  const backup = value as Partial<MigrationBackup> | null;
  if (!isRecord(backup)) {
    throw new MigrationError(`${source} is not a migration backup (expected a JSON object).`);
  }
  const problems: string[] = [];
  if (backup.format !== BACKUP_FORMAT) {
    problems.push(`format is ${JSON.stringify(backup.format)}, expected "${BACKUP_FORMAT}"`);
  }
  if (typeof backup.accountId !== 'string' || backup.accountId === '')
    problems.push('no accountId');
  const spec = policySchema().spec;
  if (backup.spec?.sha256 !== spec.sha256) {
    problems.push(
      `it was made with the spec sha256 ${String(backup.spec?.sha256).slice(0, 12)}…, this package has ${spec.sha256.slice(0, 12)}…`,
    );
  }
  if (!Array.isArray(backup.policies)) problems.push('no policies array');
  else {
    backup.policies.forEach((entry, index) => {
      if (typeof entry?.policyId !== 'string' || !isRecord(entry.state) || !isRecord(entry.patch)) {
        problems.push(`policies[${index}] needs policyId, state and patch`);
      }
    });
  }
  if (problems.length > 0) {
    throw new MigrationError(`${source} cannot be used: ${problems.slice(0, 5).join('; ')}.`);
  }
  return backup as MigrationBackup;
}

/** A new backup, or the saved one continued (it must be of the same account). */
export function startBackup(
  saved: MigrationBackup | null,
  accountId: string,
  now: string,
): { entries: Map<string, BackupEntry>; createdAt: string } {
  if (saved === null) return { entries: new Map(), createdAt: now };
  const checked = checkBackup(saved);
  if (checked.accountId !== accountId) {
    throw new MigrationError(
      `the backup holds policies of account ${checked.accountId}, the plan is for ${accountId}: pass another --backup file.`,
    );
  }
  return {
    entries: new Map(checked.policies.map((entry) => [entry.policyId, entry])),
    createdAt: checked.createdAt,
  };
}

export function backupOf(
  accountId: string,
  createdAt: string,
  now: string,
  entries: Map<string, BackupEntry>,
): MigrationBackup {
  return {
    format: BACKUP_FORMAT,
    accountId,
    spec: policySchema().spec,
    createdAt,
    updatedAt: now,
    policies: [...entries.values()],
  };
}
