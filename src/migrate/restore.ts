/**
 * `restoreBackup`: puts every policy of a backup back to its recorded state, through the same
 * idempotent write loop as `applyPlan` (src/migrate/run.ts). A policy is written only while it is
 * exactly as the migration left it (the recorded state with the patch applied, compared on every
 * writable field that is not deprecated); one changed since is `drifted` and left alone, unless
 * `force`. With `force` every such field is written back from the recorded state.
 *
 * A field the migration set that was absent before cannot be made absent again (an update can
 * set a field, not remove it): such a policy is reported `unrestorable`, never written with a
 * value it did not have.
 */
import type { EmailSecurityClient } from '../client.js';
import { checkBatchSize, sameAccount } from './apply.js';
import { checkBackup, type MigrationBackup } from './backup.js';
import { policySchema } from './rules.js';
import {
  type ApplyMode,
  type ItemResult,
  type RunProgress,
  type RunSummary,
  runItems,
  type WorkItem,
} from './run.js';

export interface RestoreOptions {
  /** Write policies changed since the migration too (their recorded state wins). */
  readonly force?: boolean;
  readonly mode?: ApplyMode;
  readonly batchSize?: number;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly signal?: AbortSignal;
}

export interface RestoreSummary extends RunSummary {
  /** Policies that cannot be put back by an update (a field that was absent), with the fields. */
  readonly unrestorable: readonly ItemResult[];
}

export async function restoreBackup(
  client: EmailSecurityClient,
  backup: MigrationBackup,
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  const checked = checkBackup(backup);
  const schema = policySchema();
  const accountId = sameAccount(client, checked.accountId);
  const forbidden = new Map(
    schema.deprecatedValues.filter((d) => d.forbiddenOnWrite).map((d) => [d.field, d.value]),
  );
  const items: WorkItem[] = [];
  const unrestorable: ItemResult[] = [];
  for (const entry of checked.policies) {
    const absent = Object.keys(entry.patch).filter((field) => !Object.hasOwn(entry.state, field));
    if (absent.length > 0) {
      unrestorable.push({
        policyId: entry.policyId,
        status: 'failed',
        message: `${absent.join(', ')} ${absent.length === 1 ? 'was' : 'were'} absent before the migration, and an update cannot remove a field: set ${absent.length === 1 ? 'it' : 'them'} by hand if the old behaviour is wanted`,
      });
      continue;
    }
    const migrated: Record<string, unknown> = {};
    for (const field of schema.comparable) {
      if (Object.hasOwn(entry.state, field)) migrated[field] = entry.state[field];
    }
    Object.assign(migrated, entry.patch);
    const fields = options.force
      ? schema.comparable.filter(
          (field) =>
            Object.hasOwn(entry.state, field) && forbidden.get(field) !== entry.state[field],
        )
      : Object.keys(entry.patch);
    const patch = Object.fromEntries(fields.map((field) => [field, entry.state[field]]));
    items.push({ policyId: entry.policyId, expected: migrated, patch });
  }
  const summary = await runItems(client, schema, items, {
    accountId,
    since: 'the migration',
    mode: options.mode ?? 'batch',
    batchSize: checkBatchSize(options.batchSize),
    force: options.force ?? false,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { ...summary, unrestorable };
}
