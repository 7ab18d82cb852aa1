/**
 * Issue 16 end to end against the stand-in: 5,000 policies seeded in mixed states
 * (test/support/stand-in-seed.ts) → audit → plan → apply → apply again → restore, then the
 * faults (the server dies after N writes in batch and single mode, drift, a batch rejected as a
 * whole) and a single-mode run under the stand-in's scaled-down rate limit with its lockout.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  auditAllowPolicies,
  type MigrationBackup,
  type MigrationPlan,
  planMigration,
  restoreBackup,
} from '../../src/index.js';
import {
  asStored,
  expectedFindings,
  type SeededPolicy,
  seedMixedPolicies,
} from '../support/stand-in-seed.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';
import { clientOf, memoryBackup, storedState, withoutTimestamps } from './support.js';

/** Each policy as it must be after the migration (its state's patch over the original). */
function expectedAfter(seeded: readonly SeededPolicy[]) {
  return new Map(
    seeded.map(({ id, state, original }) => [
      id,
      withoutTimestamps({ ...asStored(original), ...state.patch }),
    ]),
  );
}

function expectExactlyMigrated(server: StandInServer, seeded: readonly SeededPolicy[]) {
  const want = expectedAfter(seeded);
  const stored = storedState(server);
  expect(stored.size).toBe(seeded.length);
  for (const { id, state, original } of seeded) {
    const policy = stored.get(id) as Record<string, unknown>;
    expect(withoutTimestamps(policy), `${id} (${state.name})`).toEqual(want.get(id));
    // Untouched policies keep even their timestamps.
    if (state.patch === undefined) expect(policy).toEqual(asStored(original));
  }
}

/** The backup holds `count` policies, each in its seeded (original) state. */
function expectBackupOfOriginals(
  backup: MigrationBackup | null,
  seeded: readonly SeededPolicy[],
  count: number,
) {
  const originals = new Map(seeded.map((s) => [s.id, asStored(s.original)]));
  expect(backup?.policies.length).toBe(count);
  for (const entry of backup?.policies ?? []) {
    expect(entry.state).toEqual(originals.get(entry.policyId));
  }
}

describe('5,000 seeded policies: audit → plan → apply → apply again → restore', () => {
  let server: StandInServer;
  let seeded: SeededPolicy[];
  let plan: MigrationPlan;
  const backup = memoryBackup();

  beforeAll(async () => {
    server = await startStandInServer({ recordRequests: false });
    seeded = seedMixedPolicies(server, 5_000);
  });
  afterAll(() => server.close());

  it('the audit finds exactly the seeded findings, with the fix of each', async () => {
    const report = await auditAllowPolicies(clientOf(server));
    expect(report.policies).toBe(seeded.length);
    expect(report.findings.map((f) => `${f.policyId} ${f.kind}`).sort()).toEqual(
      expectedFindings(seeded),
    );
    const patches = new Map(seeded.map(({ id, state }) => [id, state.patch]));
    for (const finding of report.findings) {
      expect(finding.severity === 'fix').toBe(finding.kind === 'deprecated-only');
      if (finding.severity === 'fix') expect(finding.patch).toEqual(patches.get(finding.policyId));
    }
    expect(report.counts.fix).toBe(seeded.filter((s) => s.state.patch).length);
    plan = planMigration(report);
  });

  it('the plan: one item per policy to fix, with before, patch and the spec description; the rest apart', () => {
    const fixed = seeded.filter((s) => s.state.patch);
    expect(plan.items.map((item) => item.policyId).sort()).toEqual(fixed.map((s) => s.id).sort());
    expect(plan.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.accountId).toBe(server.accountId);
    const sender = plan.items.find((item) => 'is_trusted_sender' in item.patch);
    expect(sender?.changes).toEqual([
      {
        field: 'is_trusted_sender',
        value: true,
        replaces: 'is_sender',
        description: 'Messages from this sender will bypass all detections and link following',
      },
    ]);
    expect(sender?.before).toEqual({ is_sender: true, is_trusted_sender: false });
    expect(plan.needsReview.every((f) => f.severity !== 'fix')).toBe(true);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('apply (batch): exactly the expected state, 5 write requests, the backup holds every before-state', async () => {
    const before = server.writeCount;
    const summary = await applyPlan(clientOf(server), plan, { backup });
    expect(summary).toMatchObject({
      applied: plan.items.length,
      alreadyApplied: 0,
      drifted: 0,
      failed: 0,
      interrupted: null,
      writeRequests: Math.ceil(plan.items.length / 1000),
    });
    expect(server.writeCount - before).toBe(summary.writeRequests);
    expectExactlyMigrated(server, seeded);
    expectBackupOfOriginals(backup.saved, seeded, plan.items.length);
  });

  it('a second apply changes nothing', async () => {
    const state = storedState(server);
    const writes = server.writeCount;
    const summary = await applyPlan(clientOf(server), plan, { backup });
    expect(summary).toMatchObject({
      applied: 0,
      alreadyApplied: plan.items.length,
      writeRequests: 0,
    });
    expect(server.writeCount).toBe(writes);
    expect(storedState(server)).toEqual(state);
  });

  it('restore returns the original state; fields that were absent are reported, not invented', async () => {
    const summary = await restoreBackup(clientOf(server), backup.saved as never);
    const unrestorable = seeded.filter((s) => s.state.unrestorable).map((s) => s.id);
    expect(summary.unrestorable.map((item) => item.policyId).sort()).toEqual(unrestorable.sort());
    expect(summary).toMatchObject({ drifted: 0, failed: 0, interrupted: null });
    expect(summary.applied).toBe(plan.items.length - unrestorable.length);
    const stored = storedState(server);
    for (const { id, original, state } of seeded) {
      if (state.unrestorable) continue;
      expect(withoutTimestamps(stored.get(id) as never), id).toEqual(withoutTimestamps(original));
    }
    const again = await restoreBackup(clientOf(server), backup.saved as never);
    expect(again).toMatchObject({ applied: 0, writeRequests: 0 });
  });
});

describe('duplicates', () => {
  it.each([
    ['a group of three', ['a@example.com', 'a@example.com', 'a@example.com', 'b@example.com'], 2],
    ['none', ['a@example.com', 'b@example.com'], 1],
  ])(
    '%s: every member names the others; a second pass only when a pattern repeats',
    async (_name, patterns, listRequests) => {
      const server = await startStandInServer();
      try {
        const ids = patterns.map(
          (pattern) => server.seedPolicy({ pattern, is_trusted_sender: false }).id,
        );
        const report = await auditAllowPolicies(clientOf(server));
        const group = ids.filter(
          (_, index) =>
            patterns.indexOf(patterns[index] as string) !==
            patterns.lastIndexOf(patterns[index] as string),
        );
        expect(report.findings.map((f) => [f.policyId, f.kind])).toEqual(
          group.map((id) => [id, 'duplicate']),
        );
        for (const finding of report.findings) {
          const others = group.filter((id) => id !== finding.policyId);
          expect(finding.message).toBe(
            `the same pattern and pattern_type as policies ${others.join(', ')}: keep one (their settings may disagree).`,
          );
        }
        expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(listRequests);
      } finally {
        await server.close();
      }
    },
  );
});

describe('faults', () => {
  let server: StandInServer;
  afterEach(() => server.close());

  async function planned(total: number) {
    server = await startStandInServer({ recordRequests: false });
    const seeded = seedMixedPolicies(server, total);
    const plan = planMigration(await auditAllowPolicies(clientOf(server)));
    return { seeded, plan };
  }

  it.each([
    ['batch', 600, 50, 2],
    ['single', 300, 0, 17],
  ] as const)(
    '%s mode: the stand-in dies after N writes; a rerun completes with the exact expected state',
    async (mode, total, batchSize, dieAfter) => {
      const { seeded, plan } = await planned(total);
      const backup = memoryBackup();
      const options = { backup, mode, ...(batchSize > 0 && { batchSize }) };
      server.dieAfterWrites(dieAfter);
      const first = await applyPlan(clientOf(server, { maxRetries: 0 }), plan, options);
      expect(first.interrupted).not.toBeNull();
      expect(first.applied).toBeLessThan(plan.items.length);
      expect(first.failed).toBeGreaterThan(0);
      server.revive();
      const rerun = await applyPlan(clientOf(server), plan, options);
      expect(rerun).toMatchObject({ drifted: 0, failed: 0, interrupted: null });
      expect(rerun.alreadyApplied).toBeGreaterThanOrEqual(dieAfter);
      expect(rerun.applied + rerun.alreadyApplied).toBe(plan.items.length);
      expectExactlyMigrated(server, seeded);
      // The backup keeps the original state of every policy, also those the first run wrote.
      expectBackupOfOriginals(backup.saved, seeded, plan.items.length);
    },
  );

  it('a policy changed between plan and apply is reported drifted and left alone', async () => {
    const { plan } = await planned(200);
    const [changed, deleted] = plan.items.filter((item) => 'is_trusted_sender' in item.patch);
    const policy = server.policies.get(changed?.policyId as string);
    if (policy === undefined || deleted === undefined) throw new Error('seed has no sender fix');
    policy.is_sender = false; // its owner turned the old trust off meanwhile
    const kept = structuredClone(policy);
    server.policies.delete(deleted.policyId);
    const summary = await applyPlan(clientOf(server), plan, { backup: memoryBackup() });
    expect(summary.items.filter((item) => item.status === 'drifted')).toEqual([
      {
        policyId: changed?.policyId,
        status: 'drifted',
        message: 'changed since the plan (is_sender: found false, expected true); left as it is',
      },
      { policyId: deleted.policyId, status: 'drifted', message: 'the policy no longer exists' },
    ]);
    expect(summary.applied).toBe(plan.items.length - 2);
    expect(server.policies.get(policy.id)).toEqual(kept);
  });

  it('single mode reads each policy again right before its update: a change after the chunk was read is drifted', async () => {
    server = await startStandInServer({ recordRequests: false });
    const ids = [1, 2, 3].map(
      (n) =>
        server.seedPolicy({
          pattern: `s${n}@example.com`,
          is_sender: true,
          is_trusted_sender: false,
        }).id,
    );
    const plan = planMigration(await auditAllowPolicies(clientOf(server)));
    const last = server.policies.get(ids[2] as string);
    if (last === undefined) throw new Error('seed missing');
    let patches = 0;
    const cf = clientOf(server, {
      fetch: (request, init) => {
        // The owner turns the old trust off while the first update is on its way.
        if (request.method === 'PATCH') patches += 1;
        if (patches === 1) last.is_sender = false;
        return fetch(request, init);
      },
    });
    const summary = await applyPlan(cf, plan, { backup: memoryBackup(), mode: 'single' });
    expect(summary.items.map((item) => item.status)).toEqual(['applied', 'applied', 'drifted']);
    expect(summary.writeRequests).toBe(2);
    expect(server.policies.get(last.id)?.is_trusted_sender).toBe(false);
  });

  it.each([[1001], [0], [2.5]])(
    'batchSize %s is refused before anything is read or sent',
    async (batchSize) => {
      const { plan } = await planned(20);
      const writes = server.writeCount;
      const backup = memoryBackup();
      await expect(applyPlan(clientOf(server), plan, { backup, batchSize })).rejects.toThrow(
        /^batchSize must be a whole number from 1 to 1000 \(the spec's maxItems of a batch\)/,
      );
      expect(server.writeCount).toBe(writes);
      expect(backup.writes).toBe(0);
    },
  );

  it('a batch rejected as a whole is reported with its items, and nothing is half-applied', async () => {
    const { plan } = await planned(300);
    const state = storedState(server);
    server.injectFault(
      {
        kind: 'status',
        status: 400,
        errors: [{ code: 1001, message: 'patches/3: invalid (injected)' }],
      },
      { method: 'POST', pathIncludes: '/batch' },
    );
    const summary = await applyPlan(clientOf(server), plan, { backup: memoryBackup() });
    expect(summary).toMatchObject({ applied: 0, failed: plan.items.length, writeRequests: 1 });
    for (const item of summary.items) {
      expect(item.message).toMatch(
        /^the batch was rejected as a whole, nothing in it was applied: POST .*\/batch: .*patches\/3: invalid \(injected\)/,
      );
    }
    expect(storedState(server)).toEqual(state);
  });
});

describe('restore and changes made after the migration', () => {
  it('reports a policy changed since the migration as drifted; --force puts its recorded state back', async () => {
    const server = await startStandInServer({ recordRequests: false });
    try {
      const original = server.seedPolicy({
        is_sender: true,
        is_trusted_sender: false,
        comments: 'from 2019',
      });
      const untouched = server.seedPolicy({ is_spoof: true, is_acceptable_sender: false });
      const cf = clientOf(server);
      const backup = memoryBackup();
      await applyPlan(cf, planMigration(await auditAllowPolicies(cf)), { backup });
      const changed = server.policies.get(original.id);
      if (changed === undefined) throw new Error('the seeded policy is gone');
      changed.comments = 'edited after the migration';
      const saved = backup.saved as never;

      const careful = await restoreBackup(cf, saved);
      expect(careful.items).toEqual([
        {
          policyId: original.id,
          status: 'drifted',
          message:
            'changed since the migration (comments: found "edited after the migration", expected "from 2019"); left as it is',
        },
        { policyId: untouched.id, status: 'applied' },
      ]);
      expect(server.policies.get(original.id)?.comments).toBe('edited after the migration');

      const forced = await restoreBackup(cf, saved, { force: true });
      expect(forced).toMatchObject({ applied: 1, alreadyApplied: 1, drifted: 0 });
      expect(withoutTimestamps(server.policies.get(original.id) as never)).toEqual(
        withoutTimestamps(original),
      );
    } finally {
      await server.close();
    }
  });
});

describe('rate-limited stand-in (scaled-down budget with the lockout)', () => {
  it('a single-mode migration of 300 policies trips the lockout zero times', async () => {
    const server = await startStandInServer({
      recordRequests: false,
      rateLimit: { requests: 120, windowMs: 1_000 },
    });
    try {
      const ids = Array.from(
        { length: 300 },
        (_, i) =>
          server.seedPolicy({
            pattern: `s${i}@example.com`,
            is_sender: true,
            is_trusted_sender: false,
          }).id,
      );
      const cf = clientOf(server);
      const plan = planMigration(await auditAllowPolicies(cf));
      expect(plan.items.length).toBe(300);
      const summary = await applyPlan(cf, plan, { backup: memoryBackup(), mode: 'single' });
      expect(summary).toMatchObject({ applied: 300, failed: 0, writeRequests: 300 });
      expect(server.rateLimitStats).toMatchObject({ rejected: 0, trips: 0 });
      for (const id of ids) expect(server.policies.get(id)?.is_trusted_sender).toBe(true);
    } finally {
      await server.close();
    }
  }, 30_000);
});
