/** Shared by the migration tests: a client of a stand-in, an in-memory backup store, state views. */
import {
  type BackupStore,
  createEmailSecurityClient,
  type EmailSecurityClientOptions,
  type MigrationBackup,
} from '../../src/index.js';
import type { AllowPolicy, StandInServer } from '../support/stand-in-server.js';

export function clientOf(server: StandInServer, options: EmailSecurityClientOptions = {}) {
  return createEmailSecurityClient({
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    baseUrl: server.baseUrl,
    onDeprecation: () => {},
    retryDelay: { initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

/** A backup store in memory that counts its (whole) writes and keeps a JSON copy, as a file would. */
export function memoryBackup(): BackupStore & { saved: MigrationBackup | null; writes: number } {
  const store = {
    saved: null as MigrationBackup | null,
    writes: 0,
    read: async () => (store.saved === null ? null : structuredClone(store.saved)),
    write: async (backup: MigrationBackup) => {
      store.writes += 1;
      store.saved = JSON.parse(JSON.stringify(backup)) as MigrationBackup;
    },
  };
  return store;
}

/** Every stored policy as JSON (what the API would return), by id. */
export function storedState(server: StandInServer): Map<string, Record<string, unknown>> {
  return new Map(
    [...server.policies.values()].map((policy) => [policy.id, JSON.parse(JSON.stringify(policy))]),
  );
}

/** A policy without its write timestamps (they change on every write). */
export function withoutTimestamps(policy: AllowPolicy | Record<string, unknown>) {
  const { modified_at: _m, last_modified: _l, ...rest } = JSON.parse(JSON.stringify(policy));
  return rest as Record<string, unknown>;
}
