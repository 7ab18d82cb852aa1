/**
 * `applyPlan`: writes a plan's patches, idempotent by state (src/migrate/run.ts), with the backup
 * of every policy saved before its first write. Rerunning the same plan with the same backup
 * after any interruption applies only what is not applied yet; a second run changes nothing.
 */
import type { EmailSecurityClient } from '../client.js';
import { accountOf } from './audit.js';
import { type BackupEntry, type BackupStore, backupOf, startBackup } from './backup.js';
import { MigrationError } from './errors.js';
import { checkPlan, type MigrationPlan } from './plan.js';
import { policySchema } from './rules.js';
import {
  type ApplyMode,
  DEFAULT_BATCH_SIZE,
  type RunProgress,
  type RunSummary,
  runItems,
} from './run.js';

export interface ApplyOptions {
  /** Where the backup goes (and where a rerun finds the one of the interrupted run). */
  readonly backup: BackupStore;
  /** `'batch'` (default): atomic batch calls of up to `batchSize` patches; `'single'`: one update per policy. */
  readonly mode?: ApplyMode;
  /** Patches per batch call: default and most the spec's `maxItems` of a batch (1,000), else 1,000. */
  readonly batchSize?: number;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly signal?: AbortSignal;
  /** Clock of the backup's timestamps. */
  readonly now?: () => Date;
}

export async function applyPlan(
  client: EmailSecurityClient,
  plan: MigrationPlan,
  options: ApplyOptions,
): Promise<RunSummary> {
  const checked = checkPlan(plan);
  const schema = policySchema();
  const accountId = sameAccount(client, checked.accountId);
  const mode = options.mode ?? 'batch';
  const batchSize = checkBatchSize(options.batchSize);
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const { entries, createdAt } = startBackup(await options.backup.read(), accountId, now());
  return runItems(
    client,
    schema,
    checked.items.map((item) => ({
      policyId: item.policyId,
      expected: item.before,
      patch: item.patch,
    })),
    {
      accountId,
      mode,
      batchSize,
      since: 'the plan',
      signal: options.signal,
      onProgress: options.onProgress,
      beforeWrite: async (writes) => {
        const at = now();
        let added = false;
        for (const { item, current } of writes) {
          // The first state recorded is the original: a rerun never replaces it.
          if (entries.has(item.policyId)) continue;
          const entry: BackupEntry = {
            policyId: item.policyId,
            backedUpAt: at,
            state: current,
            patch: item.patch,
          };
          entries.set(item.policyId, entry);
          added = true;
        }
        if (added) await options.backup.write(backupOf(accountId, createdAt, at, entries));
      },
    },
  );
}

/** The account to write to: the plan's, which must be the client's when the client has one. */
export function sameAccount(client: EmailSecurityClient, accountId: string): string {
  if (client.accountId !== undefined && client.accountId !== accountId) {
    throw new MigrationError(
      `the file is for account ${accountId}, the client is for account ${client.accountId}: nothing was written.`,
    );
  }
  return accountOf(client, accountId);
}

/** The patches per batch call: the given number, at most the spec's `maxItems` (its default). */
export function checkBatchSize(size: number | undefined): number {
  const max = policySchema().batchMaxItems;
  const chosen = size ?? max ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(chosen) || chosen < 1 || (max !== undefined && chosen > max)) {
    throw new MigrationError(
      `batchSize must be a whole number from 1 to ${max ?? 'any'} (the spec's maxItems of a batch), got ${String(chosen)}.`,
    );
  }
  return chosen;
}
