/**
 * The write loop shared by `applyPlan` and `restoreBackup`, idempotent by state. Items go in
 * chunks (batch mode: one batch call per chunk, up to `batchSize` patches; single mode: one update
 * per policy, chunks of SINGLE_CHUNK). Per chunk:
 *
 *   1. re-read the chunk's policies as stored (one list pass: a page holds up to the spec's
 *      maximum page size, far fewer requests than one read per policy);
 *   2. classify each: already in the target state → `already-applied`; still as expected →
 *      write; anything else (changed by someone, deleted) → `drifted`, never written;
 *   3. `beforeWrite` (apply: save the backup of every policy about to be written);
 *   4. write. In single mode each policy is read again (one GET) right before its update: under
 *      a tight rate limit the chunk's read may be minutes old. A batch the API rejects is rejected as a whole (the batch is atomic): each of its
 *      items is `failed` with the API's message. A lost connection, a timeout, an abort or a rate
 *      limit the client could not wait out stops the run: the rest is `failed` as not attempted,
 *      and a rerun picks up by state.
 *
 * Then one list pass verifies every written policy. Requests go through the client: its rate
 * budget, concurrency limit and safe-retry rules apply to every one of them.
 */
import type { EmailSecurityClient } from '../client.js';
import {
  AbortError,
  CloudflareApiError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from '../errors.js';
import type { RequestOptions } from '../options.js';
import { readPolicies } from './audit.js';
import type { PolicySchema } from './rules.js';

export type ApplyMode = 'batch' | 'single';
export type ItemStatus = 'applied' | 'already-applied' | 'drifted' | 'failed';

export interface ItemResult {
  readonly policyId: string;
  readonly status: ItemStatus;
  /** Why, for `drifted` and `failed`. */
  readonly message?: string;
}

export interface RunSummary {
  readonly mode: ApplyMode;
  readonly total: number;
  readonly applied: number;
  readonly alreadyApplied: number;
  readonly drifted: number;
  readonly failed: number;
  /** Write requests sent (batch calls or updates). */
  readonly writeRequests: number;
  /** Set when the run stopped early (connection lost…): rerun to finish. */
  readonly interrupted: string | null;
  readonly items: readonly ItemResult[];
}

export interface RunProgress {
  readonly phase: 'checking' | 'writing' | 'verifying';
  /** Items decided so far (written, skipped or failed). */
  readonly done: number;
  readonly total: number;
  readonly applied: number;
  readonly alreadyApplied: number;
  readonly drifted: number;
  readonly failed: number;
}

/** One policy to bring from `expected` to `patch`. */
export interface WorkItem {
  readonly policyId: string;
  /** The fields as they must still be to write (a field of `patch` missing here must be absent). */
  readonly expected: Readonly<Record<string, unknown>>;
  readonly patch: Readonly<Record<string, unknown>>;
}

export interface RunOptions {
  readonly accountId: string;
  readonly mode: ApplyMode;
  readonly batchSize: number;
  /** What `expected` is the state of, for drift messages: `the plan`, `the migration`. */
  readonly since: string;
  /** Write even when the policy is not as expected (restore --force). */
  readonly force?: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Called with each chunk's policies about to be written and their current state. */
  readonly beforeWrite?: (
    writes: readonly { item: WorkItem; current: Readonly<Record<string, unknown>> }[],
  ) => Promise<void>;
}

/** Patches per batch call when the spec states no `maxItems`. */
export const DEFAULT_BATCH_SIZE = 1000;
export const SINGLE_CHUNK = 100;

type Policy = Readonly<Record<string, unknown>>;

export function runItems(
  client: EmailSecurityClient,
  schema: PolicySchema,
  items: readonly WorkItem[],
  options: RunOptions,
): Promise<RunSummary> {
  return new MigrationRun(client, schema, items, options).run();
}

/**
 * One run over the items, chunk by chunk: read the chunk's policies, settle the drifted and the
 * already applied, back up and write the rest (one batch call, or one update each after a fresh
 * read), then read back what was written and verify it. A fault that stops the run (the API
 * unreachable, the caller's abort) ends the loop; what was not settled is reported for a rerun.
 */
class MigrationRun {
  readonly #results = new Map<string, ItemResult>();
  readonly #counts = { applied: 0, alreadyApplied: 0, drifted: 0, failed: 0 };
  readonly #written: WorkItem[] = [];
  #writeRequests = 0;
  #interrupted: string | null = null;
  readonly #requestOptions: RequestOptions;

  constructor(
    readonly client: EmailSecurityClient,
    readonly schema: PolicySchema,
    readonly items: readonly WorkItem[],
    readonly options: RunOptions,
  ) {
    this.#requestOptions = {
      accountId: options.accountId,
      ...(options.signal && { signal: options.signal }),
    };
  }

  async run(): Promise<RunSummary> {
    const { items, options } = this;
    const chunkSize = options.mode === 'batch' ? options.batchSize : SINGLE_CHUNK;
    for (let start = 0; start < items.length && this.#interrupted === null; start += chunkSize) {
      const toWrite = await this.#check(items.slice(start, start + chunkSize));
      if (toWrite === undefined) break;
      this.#report('checking');
      if (toWrite.length === 0) continue;
      await options.beforeWrite?.(toWrite);
      if (options.mode === 'batch') await this.#writeBatch(toWrite);
      else await this.#writeEach(toWrite);
    }
    if (this.#written.length > 0) await this.#verify();
    for (const item of items) {
      if (!this.#results.has(item.policyId)) {
        this.#settle({
          policyId: item.policyId,
          status: 'failed',
          message: `not attempted: the run stopped (${this.#interrupted ?? 'unknown'}); rerun to continue`,
        });
      }
    }
    return {
      mode: options.mode,
      total: items.length,
      ...this.#counts,
      writeRequests: this.#writeRequests,
      interrupted: this.#interrupted,
      items: items.map((item) => this.#results.get(item.policyId) as ItemResult),
    };
  }

  #settle(result: ItemResult): void {
    this.#results.set(result.policyId, result);
    if (result.status === 'already-applied') this.#counts.alreadyApplied += 1;
    else if (result.status === 'applied') this.#counts.applied += 1;
    else this.#counts[result.status] += 1;
  }

  #report(phase: RunProgress['phase']): void {
    this.options.onProgress?.({
      phase,
      done: this.#results.size,
      total: this.items.length,
      ...this.#counts,
    });
  }

  /** Reads the chunk's policies; settles the drifted and already applied; the rest is to write (undefined: the run stopped). */
  async #check(
    chunk: readonly WorkItem[],
  ): Promise<{ item: WorkItem; current: Policy }[] | undefined> {
    let current: Map<string, Policy>;
    try {
      const ids = new Set(chunk.map((i) => i.policyId));
      current = await readSome(this.client, this.schema, this.options, ids);
    } catch (error) {
      if (!stopsTheRun(error)) throw error;
      this.#interrupted = describe(error);
      return undefined;
    }
    const toWrite: { item: WorkItem; current: Policy }[] = [];
    for (const item of chunk) {
      const policy = current.get(item.policyId);
      const drift = policy === undefined ? MISSING : driftOf(policy, item, this.options);
      if (drift === 'already-applied') this.#settle({ policyId: item.policyId, status: drift });
      else if (drift !== null)
        this.#settle({ policyId: item.policyId, status: 'drifted', message: drift });
      else toWrite.push({ item, current: policy as Policy });
    }
    return toWrite;
  }

  /** One atomic batch call for the chunk: all of it is applied, or none. */
  async #writeBatch(toWrite: readonly { item: WorkItem }[]): Promise<void> {
    const chunk = toWrite.map((w) => w.item);
    this.#writeRequests += 1;
    try {
      await sendBatch(this.client, this.schema, chunk, this.#requestOptions);
      this.#written.push(...chunk);
    } catch (error) {
      if (stopsTheRun(error)) {
        // The outcome is unknown: verification reads what the API holds.
        this.#written.push(...chunk);
        this.#interrupted = describe(error);
      } else if (error instanceof CloudflareApiError) {
        const message = `the batch was rejected as a whole, nothing in it was applied: ${error.message}`;
        for (const item of chunk)
          this.#settle({ policyId: item.policyId, status: 'failed', message });
      } else throw error;
    }
    this.#report('writing');
  }

  /** One update per policy, each after a fresh read (the chunk's read may be a while ago). */
  async #writeEach(toWrite: readonly { item: WorkItem }[]): Promise<void> {
    for (const { item } of toWrite) {
      let sent = false;
      try {
        const fresh = await getOne(this.client, item, this.#requestOptions);
        const drift = fresh === null ? MISSING : driftOf(fresh, item, this.options);
        if (drift === 'already-applied') this.#settle({ policyId: item.policyId, status: drift });
        else if (drift !== null) {
          this.#settle({ policyId: item.policyId, status: 'drifted', message: drift });
        } else {
          sent = true;
          this.#writeRequests += 1;
          await updateOne(this.client, item, this.#requestOptions);
          this.#written.push(item);
        }
      } catch (error) {
        if (stopsTheRun(error)) {
          if (sent) this.#written.push(item);
          this.#interrupted = describe(error);
          return;
        }
        if (!(error instanceof CloudflareApiError)) throw error;
        this.#settle({ policyId: item.policyId, status: 'failed', message: error.message });
      }
      this.#report('writing');
    }
  }

  /** Reads back every written policy and settles it: applied, deleted meanwhile, or failed. */
  async #verify(): Promise<void> {
    const written = this.#written;
    let after: Map<string, Policy> | undefined;
    try {
      const ids = new Set(written.map((i) => i.policyId));
      after = await readSome(this.client, this.schema, this.options, ids);
    } catch (error) {
      if (!stopsTheRun(error)) throw error;
      this.#interrupted ??= describe(error);
    }
    for (const item of written) {
      if (!this.#results.has(item.policyId)) this.#settle(this.#verified(item, after));
    }
    this.#report('verifying');
  }

  #verified(item: WorkItem, after: Map<string, Policy> | undefined): ItemResult {
    const { policyId } = item;
    if (after === undefined) {
      return {
        policyId,
        status: 'failed',
        message: 'written, but could not be read back to verify: rerun to check',
      };
    }
    const policy = after.get(policyId);
    if (policy === undefined) return { policyId, status: 'drifted', message: 'deleted meanwhile' };
    const wrong = differences(policy, item.patch, item.patch);
    if (wrong.length === 0) return { policyId, status: 'applied' };
    if (this.#interrupted !== null && differences(policy, item.expected, item.patch).length === 0) {
      return {
        policyId,
        status: 'failed',
        message: `not applied: the run stopped (${this.#interrupted}); rerun to continue`,
      };
    }
    return {
      policyId,
      status: 'failed',
      message: `verification after writing failed: ${wrong.join('; ')}`,
    };
  }
}

const MISSING = 'the policy no longer exists';

/** `already-applied`, why the policy drifted, or null when it is to be written. */
function driftOf(policy: Policy, item: WorkItem, options: RunOptions): string | null {
  if (differences(policy, item.patch, item.patch).length === 0) return 'already-applied';
  if (options.force) return null;
  const changed = differences(policy, item.expected, item.patch);
  return changed.length === 0
    ? null
    : `changed since ${options.since} (${changed.join('; ')}); left as it is`;
}

/** One policy as stored, or null when it does not exist. */
async function getOne(
  client: EmailSecurityClient,
  item: WorkItem,
  options: RequestOptions,
): Promise<Policy | null> {
  const get = client.allowPolicies.get as unknown as (
    id: string,
    options: RequestOptions,
  ) => Promise<Policy>;
  try {
    return await get(item.policyId, { ...options, responseDeprecations: 'as-sent' });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** The policies with these ids, as stored, from one pass over the list. */
async function readSome(
  client: EmailSecurityClient,
  schema: PolicySchema,
  options: RunOptions,
  ids: ReadonlySet<string>,
): Promise<Map<string, Policy>> {
  const found = new Map<string, Policy>();
  const idField = schema.rules.id;
  for await (const page of readPolicies(client, schema, options)) {
    for (const policy of page.items) {
      const id = policy[idField];
      if (typeof id === 'string' && ids.has(id)) found.set(id, policy);
    }
    if (found.size === ids.size) break;
  }
  return found;
}

function sendBatch(
  client: EmailSecurityClient,
  schema: PolicySchema,
  items: readonly WorkItem[],
  options: RequestOptions,
): Promise<unknown> {
  const body: Record<string, unknown[]> = {};
  for (const name of schema.otherBatchArrays) body[name] = [];
  body[schema.rules.batchPatches] = items.map((item) => ({
    ...item.patch,
    [schema.rules.id]: item.policyId,
  }));
  const batch = client.allowPolicies.batch as unknown as (
    body: unknown,
    options: RequestOptions,
  ) => Promise<unknown>;
  return batch(body, options);
}

function updateOne(
  client: EmailSecurityClient,
  item: WorkItem,
  options: RequestOptions,
): Promise<unknown> {
  const update = client.allowPolicies.update as unknown as (
    id: string,
    patch: unknown,
    options: RequestOptions,
  ) => Promise<unknown>;
  return update(item.policyId, item.patch, options);
}

/**
 * The fields of `policy` that differ from `target` (keys of `target`, plus keys of `patch`
 * missing from `target`, which must be absent), as `field: found X, expected Y`.
 */
export function differences(
  policy: Policy,
  target: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): string[] {
  const keys = new Set([...Object.keys(target), ...Object.keys(patch)]);
  const out: string[] = [];
  for (const key of keys) {
    const want = Object.hasOwn(target, key) ? target[key] : undefined;
    const have = policy[key];
    if (!sameValue(have, want)) out.push(`${key}: found ${shown(have)}, expected ${shown(want)}`);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

function shown(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

/** Errors after which the outcome of a write is unknown or the API is unreachable: stop. */
function stopsTheRun(error: unknown): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    error instanceof AbortError ||
    error instanceof RateLimitError
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
