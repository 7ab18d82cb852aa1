/**
 * The packed package on Node 24 and in workerd, each side by side with raw `fetch` in the same
 * runtime, over loopback to the local stand-in API:
 * - cold start: Node 24 — spawn, import the package, create a client, one update, exit; workerd —
 *   spawn `workerd serve` with the bundled Worker until its first response (one update). The
 *   baseline does the same PATCH with raw `fetch`. Runs alternate, ratios are paired.
 * - per call: in one warm process (Node 24) or Worker, rounds of CALLS sequential updates through
 *   the client vs the same number of raw PATCHes, alternating; ratio = median of per-round ratios.
 *
 * Uses the matrix's pinned binaries (test/runtimes/binaries) and its consumer project.
 * Usage: `tsx bench/runtimes.bench.ts [--runs N]` (cold-start runs per side, default 15).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildAndPack, removeDir } from '../test/package/packed-package.js';
import { createConsumer } from '../test/runtimes/consumer.js';
import { locateBinary, minimalEnv, RUNTIMES, type Runtime } from '../test/runtimes/runtimes.js';
import { bundleWorker, serveWorker } from '../test/runtimes/workerd.js';
import { type StandInServer, startStandInServer } from '../test/support/stand-in-server.js';
import { type BenchResult, compare, printResults } from './report.js';

const WARMUP_RUNS = 2;
const CALLS_PER_ROUND = 40;
const ROUNDS = 15;
const CHILD_TIMEOUT_MS = 60_000;

function parseRuns(argv: readonly string[]): number {
  const index = argv.indexOf('--runs');
  if (index === -1) return 15;
  const runs = Number(argv[index + 1]);
  if (!Number.isInteger(runs) || runs < 1 || runs > 200) {
    throw new Error(`--runs must be a whole number from 1 to 200 (got "${argv[index + 1]}")`);
  }
  return runs;
}

function runtime(id: string): Runtime {
  const found = RUNTIMES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no runtime ${id} in test/runtimes/runtimes.ts`);
  return found;
}

interface Target {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly apiToken: string;
  readonly policyId: string;
}

/** Module source for each side: `rawCall()` / `libraryCall()` make one update of `t`'s policy. */
function sources(packageName: string) {
  const importLine = `import { createEmailSecurityClient } from ${JSON.stringify(packageName)};`;
  const raw = `const rawCall = async () => {
  const url = \`\${t.baseUrl}/accounts/\${t.accountId}/email-security/settings/allow_policies/\${t.policyId}\`;
  const response = await fetch(url, {
    method: 'PATCH',
    headers: { authorization: \`Bearer \${t.apiToken}\`, 'content-type': 'application/json' },
    body: JSON.stringify({ comments: 'bench' }),
  });
  const json = await response.json();
  if (!response.ok || json.result?.comments !== 'bench') throw new Error('raw PATCH failed');
};`;
  const library = `let client;
const libraryCall = async () => {
  client ??= createEmailSecurityClient({ baseUrl: t.baseUrl, accountId: t.accountId, auth: { apiToken: t.apiToken } });
  const policy = await client.allowPolicies.update(t.policyId, { comments: 'bench' });
  if (policy.comments !== 'bench') throw new Error('update failed');
};`;
  const nodeTarget = 'const t = JSON.parse(process.argv[2]);';
  const rounds = `const perCall = { library: [], raw: [] };
const calls = { library: libraryCall, raw: rawCall };
for (let i = 0; i < ${CALLS_PER_ROUND}; i += 1) { await libraryCall(); await rawCall(); }
for (let round = 0; round < ${ROUNDS}; round += 1) {
  for (const side of round % 2 === 0 ? ['library', 'raw'] : ['raw', 'library']) {
    const started = performance.now();
    for (let i = 0; i < ${CALLS_PER_ROUND}; i += 1) await calls[side]();
    perCall[side].push((performance.now() - started) / ${CALLS_PER_ROUND});
  }
}
console.log(JSON.stringify(perCall));`;
  const worker = (sides: readonly string[]) => `let t;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    t = await request.json();
    const call = { ${sides.map((side) => `'/${side}': ${side}Call`).join(', ')} }[url.pathname];
    if (!call) return new Response('no such side', { status: 404 });
    const n = Number(url.searchParams.get('n') ?? '1');
    for (let i = 0; i < n; i += 1) await call();
    return new Response('ok');
  },
};`;
  return {
    'cold-library.mjs': [importLine, nodeTarget, library, 'await libraryCall();'],
    'cold-raw.mjs': [nodeTarget, raw, 'await rawCall();'],
    'warm.mjs': [importLine, nodeTarget, library, raw, rounds],
    'worker-library.mjs': [importLine, worker(['library']), library],
    'worker-raw.mjs': [worker(['raw']), raw],
    'worker-both.mjs': [importLine, worker(['library', 'raw']), library, raw],
  };
}

function timeProcess(binary: string, args: readonly string[], cwd: string) {
  return new Promise<{ ms: number; stdout: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, [...args], {
      cwd,
      env: minimalEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${binary} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** Alternating pairs (A B, B A, …) after warm-up runs; returns the samples of each side. */
async function alternate(
  runs: number,
  measureSide: (side: 'library' | 'raw') => Promise<number>,
): Promise<{ library: number[]; raw: number[] }> {
  const samples = { library: [] as number[], raw: [] as number[] };
  for (let run = 0; run < WARMUP_RUNS + runs; run += 1) {
    const order = run % 2 === 0 ? (['library', 'raw'] as const) : (['raw', 'library'] as const);
    for (const side of order) {
      const ms = await measureSide(side);
      if (run >= WARMUP_RUNS) samples[side].push(ms);
    }
  }
  return samples;
}

async function benchNode(projectDir: string, target: Target, runs: number) {
  const binary = locateBinary(runtime('node24'));
  const arg = JSON.stringify(target);
  const cold = await alternate(
    runs,
    async (side) => (await timeProcess(binary, [`cold-${side}.mjs`, arg], projectDir)).ms,
  );
  const { stdout } = await timeProcess(binary, ['warm.mjs', arg], projectDir);
  const warm = JSON.parse(stdout.trim()) as { library: number[]; raw: number[] };
  return [
    compare({
      name: 'Node 24 cold start: import package + 1 update',
      samplesMs: cold.library,
      baselineName: 'Node 24 raw fetch + 1 PATCH',
      baselineSamplesMs: cold.raw,
      target: null,
      paired: true,
    }),
    compare({
      name: 'Node 24 per call (warm, loopback)',
      samplesMs: warm.library,
      baselineName: 'Node 24 raw fetch per PATCH',
      baselineSamplesMs: warm.raw,
      target: null,
      paired: true,
    }),
  ];
}

async function benchWorkerd(projectDir: string, target: Target, runs: number) {
  const workerd = runtime('workerd');
  const bundle = (entry: string) => bundleWorker(workerd, projectDir, entry);
  const bundles = {
    library: await bundle('worker-library.mjs'),
    raw: await bundle('worker-raw.mjs'),
    both: await bundle('worker-both.mjs'),
  };
  const post = async (url: string, side: 'library' | 'raw', n: number) => {
    const response = await fetch(`${url}${side}?n=${n}`, {
      method: 'POST',
      body: JSON.stringify(target),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the ${side} Worker answered ${response.status}: ${text}`);
  };
  const cold = await alternate(runs, async (side) => {
    const started = performance.now();
    const worker = await serveWorker(workerd, bundles[side]);
    try {
      await post(worker.url, side, 1);
      return performance.now() - started;
    } finally {
      await worker.stop();
    }
  });
  const worker = await serveWorker(workerd, bundles.both);
  try {
    await post(worker.url, 'library', CALLS_PER_ROUND);
    await post(worker.url, 'raw', CALLS_PER_ROUND);
    const warm = await alternate(ROUNDS, async (side) => {
      const started = performance.now();
      await post(worker.url, side, CALLS_PER_ROUND);
      return (performance.now() - started) / CALLS_PER_ROUND;
    });
    return [
      compare({
        name: 'workerd cold start: spawn + Worker with the package + 1 update',
        samplesMs: cold.library,
        baselineName: 'workerd + Worker with raw fetch + 1 PATCH',
        baselineSamplesMs: cold.raw,
        target: null,
        paired: true,
      }),
      compare({
        name: 'workerd per call (warm Worker, loopback)',
        samplesMs: warm.library,
        baselineName: 'workerd raw fetch per PATCH',
        baselineSamplesMs: warm.raw,
        target: null,
        paired: true,
      }),
    ];
  } finally {
    await worker.stop();
  }
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  const packed = await buildAndPack();
  let projectDir: string | undefined;
  let server: StandInServer | undefined;
  try {
    projectDir = await createConsumer(packed.tarball, packed.packageName);
    for (const [file, parts] of Object.entries(sources(packed.packageName))) {
      writeFileSync(join(projectDir, file), `${parts.join('\n')}\n`);
    }
    server = await startStandInServer({ recordRequests: false });
    const target: Target = {
      baseUrl: server.baseUrl,
      accountId: server.accountId,
      apiToken: server.apiToken,
      policyId: server.seedPolicy().id,
    };
    const rows: BenchResult[] = [
      ...(await benchNode(projectDir, target, runs)),
      ...(await benchWorkerd(projectDir, target, runs)),
    ];
    console.log(
      `runtimes: cold start ${runs} runs per side after ${WARMUP_RUNS} warm-up runs (paired ratios); ` +
        `per call ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls per side`,
    );
    printResults(rows);
  } finally {
    await server?.close();
    removeDir(projectDir);
    removeDir(packed.stagingDir);
  }
}

await main();
