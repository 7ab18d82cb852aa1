/**
 * Issue 16's migration at scale, against the stand-in in a child process (so this process's CPU
 * and memory are the client's alone):
 *   - audit of 5,000 and of 50,000 policies in mixed states (test/support/stand-in-seed.ts):
 *     wall time and client CPU per page, against a raw `fetch` + `JSON.parse` loop over the same
 *     pages (run side by side, paired), the peak RSS above the RSS before the run, and (in an
 *     untimed run with a collection after every page) the peak live heap: it must not
 *     grow with the number of policies beyond the findings (and the duplicate check's one number
 *     per distinct pattern), so an account without findings is measured at both sizes too;
 *   - apply of 5,000 fixes in batch mode: the write requests (target 5: up to 1,000 patches per
 *     atomic batch call) and the wall time, against 5 raw batch POSTs of the same patches.
 *     Each run is undone by restoreBackup before the next.
 *
 * Usage: `tsx bench/migrate.bench.ts [--runs N]`
 */
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  applyPlan,
  auditAllowPolicies,
  type BackupStore,
  createEmailSecurityClient,
  type MigrationBackup,
  planMigration,
  restoreBackup,
} from '../src/index.js';
import { type BenchResult, compare, median, printResults, runsOption } from './report.js';
import { startStandInProcess, supportModule } from './stand-in-process.js';

const PER_PAGE = 1000;

interface Server {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly apiToken: string;
  readonly policies: number;
  readonly child: ChildProcess;
}

/** The stand-in in its own process: `mixed` states, every policy `deprecated-only`, or no finding at all. */
function startServer(count: number, seed: 'mixed' | 'deprecated-only' | 'clean'): Promise<Server> {
  return startStandInProcess<Omit<Server, 'child'>>(`
    import { startStandInServer } from ${supportModule('stand-in-server.ts')};
    import { seedMixedPolicies } from ${supportModule('stand-in-seed.ts')};
    const server = await startStandInServer({ recordRequests: false });
    if (${JSON.stringify(seed)} === 'mixed') seedMixedPolicies(server, ${count});
    else if (${JSON.stringify(seed)} === 'clean') for (let i = 0; i < ${count}; i += 1) server.seedPolicy({ pattern: 'ok-' + i + '@example.com' });
    else for (let i = 0; i < ${count}; i += 1) server.seedPolicy({ pattern: 'old-' + i + '@example.com', is_sender: true, is_trusted_sender: false });
    console.log(JSON.stringify({ baseUrl: server.baseUrl, accountId: server.accountId, apiToken: server.apiToken, policies: server.policies.size }));
  `);
}

/** A client of the stand-in that counts the write requests it sends. */
function clientOf(server: Server) {
  const counts = { writes: 0 };
  const cf = createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    onDeprecation: () => {},
    fetch: (request, init) => {
      if (request.method !== 'GET') counts.writes += 1;
      return fetch(request, init);
    },
  });
  return { cf, counts };
}

/** A full collection, so the heap measured is what is live (V8's gc exposed at run time). */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** One audit; with `heap`, a collection after every page measures the live heap (slow: not timed). */
async function auditRun(server: Server, heap = false) {
  const { cf } = clientOf(server);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  if (heap) collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let pages = 0; // every page read, in both passes (the second only when a pattern repeats)
  let passes = 1;
  const report = await auditAllowPolicies(cf, {
    onProgress: (progress) => {
      pages += 1;
      if (progress.phase === 'duplicates') passes = 2;
      peak = Math.max(peak, process.memoryUsage().rss);
      // What is live after a collection: one page, the findings so far, the duplicate hashes.
      if (heap) collectGarbage();
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  const wallMs = performance.now() - started;
  if (report.policies !== server.policies) {
    throw new Error(`the audit read ${report.policies} of ${server.policies} policies`);
  }
  return {
    wallMs,
    cpuPerPageMs: cpuMs(cpu) / pages,
    peakGrowthMb: (peak - rssBefore) / 1024 / 1024,
    liveHeapMb: (peakHeap - heapBefore) / 1024 / 1024,
    findings: report.findings.length,
    pages,
    passes,
  };
}

async function rawRun(server: Server) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let pages = 0;
  for (let page = 1; ; page += 1) {
    const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies?per_page=${PER_PAGE}&page=${page}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } });
    const body = JSON.parse(await response.text()) as { result_info: { total_count: number } };
    pages += 1;
    if (page * PER_PAGE >= body.result_info.total_count) break;
  }
  return { wallMs: performance.now() - started, cpuPerPageMs: cpuMs(cpu) / pages };
}

async function auditRows(count: number, runs: number): Promise<BenchResult[]> {
  const server = await startServer(count, 'mixed');
  try {
    await auditRun(server); // warm-up: JIT, connections
    await rawRun(server);
    const audits: Awaited<ReturnType<typeof auditRun>>[] = [];
    const raws: Awaited<ReturnType<typeof rawRun>>[] = [];
    for (let round = 0; round < runs; round += 1) {
      audits.push(await auditRun(server));
      raws.push(await rawRun(server));
    }
    const label = count.toLocaleString('en-US');
    const growth = median(audits.map((a) => a.peakGrowthMb));
    const live = (await auditRun(server, true)).liveHeapMb;
    console.log(
      `  audit of ${label}: ${audits[0]?.pages} pages read in ${audits[0]?.passes} passes, ${audits[0]?.findings} findings, peak RSS growth median ${growth.toFixed(1)} MB (max ${Math.max(...audits.map((a) => a.peakGrowthMb)).toFixed(1)} MB), peak live heap ${live.toFixed(1)} MB (${((live * 1024 * 1024) / Math.max(1, audits[0]?.findings ?? 1)).toFixed(0)} B per finding)`,
    );
    return [
      compare({
        name: `audit of ${label} policies: wall`,
        samplesMs: audits.map((a) => a.wallMs),
        baselineName: 'raw fetch + JSON.parse of the pages, once',
        baselineSamplesMs: raws.map((r) => r.wallMs),
        target: null,
        paired: true,
      }),
      compare({
        name: `audit of ${label}: client CPU per page`,
        samplesMs: audits.map((a) => a.cpuPerPageMs),
        baselineName: 'raw loop CPU per page',
        baselineSamplesMs: raws.map((r) => r.cpuPerPageMs),
        target: null,
        paired: true,
      }),
      {
        unit: 'MB',
        name: `audit of ${label}: peak RSS growth`,
        medianMs: growth,
        baselineName: 'none (absolute)',
        baselineMedianMs: growth,
        ratio: 1,
        target: null,
      },
    ];
  } finally {
    server.child.kill();
  }
}

/** Peak live heap of an audit of an account without findings: flat in the number of policies but for one hash per pattern. */
async function cleanRows(runs: number): Promise<BenchResult[]> {
  const growth: Record<number, number[]> = { 5000: [], 50000: [] };
  for (const count of [5_000, 50_000]) {
    const server = await startServer(count, 'clean');
    try {
      await auditRun(server);
      for (let round = 0; round < runs; round += 1) {
        const run = await auditRun(server, true);
        if (run.findings !== 0) throw new Error(`a clean account has ${run.findings} findings`);
        growth[count]?.push(run.liveHeapMb);
      }
    } finally {
      server.child.kill();
    }
  }
  const small = median(growth[5_000] ?? []);
  const large = median(growth[50_000] ?? []);
  return [
    {
      unit: 'MB',
      name: 'audit of 50,000 policies without findings: peak live heap',
      medianMs: large,
      baselineName: 'the same for 5,000',
      baselineMedianMs: small,
      ratio: large / Math.max(small, 0.1),
      target: null,
    },
  ];
}

function memoryBackup(): BackupStore {
  let saved: string | null = null;
  return {
    read: async () => (saved === null ? null : (JSON.parse(saved) as MigrationBackup)),
    write: async (backup) => {
      saved = JSON.stringify(backup);
    },
  };
}

async function applyRows(runs: number): Promise<BenchResult[]> {
  const server = await startServer(5_000, 'deprecated-only');
  try {
    const { cf, counts } = clientOf(server);
    const plan = planMigration(await auditAllowPolicies(cf));
    if (plan.items.length !== 5_000) throw new Error(`the plan has ${plan.items.length} items`);
    const walls: number[] = [];
    const writes: number[] = [];
    const raws: number[] = [];
    for (let round = 0; round < runs; round += 1) {
      const backup = memoryBackup();
      counts.writes = 0;
      const started = performance.now();
      const summary = await applyPlan(cf, plan, { backup });
      walls.push(performance.now() - started);
      writes.push(counts.writes);
      if (summary.applied !== 5_000) throw new Error(`applied ${summary.applied} of 5,000`);
      const saved = await backup.read();
      if (saved === null) throw new Error('no backup was written');
      await restoreBackup(cf, saved);
      raws.push(await rawBatches(server, plan.items));
      await restoreBackup(cf, saved);
    }
    console.log(`  apply of 5,000 (batch mode): write requests per run ${writes.join(', ')}`);
    return [
      compare({
        name: 'apply 5,000 fixes (batch mode): wall',
        samplesMs: walls,
        baselineName: '5 raw batch POSTs of the same patches',
        baselineSamplesMs: raws,
        target: null,
        paired: true,
      }),
      {
        unit: 'requests',
        name: 'apply 5,000 fixes (batch mode): write requests',
        medianMs: median(writes),
        baselineName: 'target: 5 (1,000 patches per call)',
        baselineMedianMs: 5,
        ratio: median(writes) / 5,
        target: 1,
      },
    ];
  } finally {
    server.child.kill();
  }
}

async function rawBatches(
  server: Server,
  items: readonly { policyId: string; patch: Readonly<Record<string, unknown>> }[],
): Promise<number> {
  const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies/batch`;
  const started = performance.now();
  for (let start = 0; start < items.length; start += 1000) {
    const patches = items.slice(start, start + 1000).map((i) => ({ ...i.patch, id: i.policyId }));
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deletes: [], patches, puts: [], posts: [] }),
    });
    if (!response.ok) throw new Error(`raw batch answered ${response.status}`);
    await response.text();
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  const runs = runsOption(process.argv, '--runs', 5, 50);
  console.log(`migration benchmark: ${runs} runs each, the stand-in in a child process`);
  const rows = [
    ...(await auditRows(5_000, runs)),
    ...(await auditRows(50_000, Math.max(1, Math.ceil(runs / 2)))),
    ...(await cleanRows(Math.max(1, Math.ceil(runs / 2)))),
    ...(await applyRows(Math.max(1, Math.ceil(runs / 2)))),
  ];
  printResults(rows);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
