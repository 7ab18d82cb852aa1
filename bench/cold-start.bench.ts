/**
 * Cold start: a fresh Node process that imports the PACKED package (installed from its tarball
 * into a fresh project), creates a client and updates one policy on the local stand-in server,
 * versus a fresh Node process doing the same PATCH with raw `fetch`. Wall time from spawn to
 * exit; runs alternate between the two. Target: ratio <= 1.10.
 *
 * Usage: `tsx bench/cold-start.bench.ts [--runs N]`
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildAndPack,
  installIntoFreshProject,
  removeDir,
} from '../test/package/packed-package.js';
import { type StandInServer, startStandInServer } from '../test/support/stand-in-server.js';
import { compare, printResults, runsOption } from './report.js';

const TARGET_RATIO = 1.1;
const WARMUP_RUNS = 3;
const CHILD_TIMEOUT_MS = 30_000;

function packageScript(packageName: string): string {
  return `import { createEmailSecurityClient } from '${packageName}';

const { BENCH_BASE_URL, BENCH_ACCOUNT_ID, BENCH_API_TOKEN, BENCH_POLICY_ID } = process.env;
const client = createEmailSecurityClient({
  baseUrl: BENCH_BASE_URL,
  accountId: BENCH_ACCOUNT_ID,
  auth: { apiToken: BENCH_API_TOKEN },
});
const policy = await client.allowPolicies.update(BENCH_POLICY_ID, { comments: 'cold start' });
if (policy.comments !== 'cold start') process.exit(2);
`;
}

const rawFetchScript = `const { BENCH_BASE_URL, BENCH_ACCOUNT_ID, BENCH_API_TOKEN, BENCH_POLICY_ID } = process.env;
const response = await fetch(
  \`\${BENCH_BASE_URL}/accounts/\${BENCH_ACCOUNT_ID}/email-security/settings/allow_policies/\${BENCH_POLICY_ID}\`,
  {
    method: 'PATCH',
    headers: { authorization: \`Bearer \${BENCH_API_TOKEN}\`, 'content-type': 'application/json' },
    body: JSON.stringify({ comments: 'cold start' }),
  },
);
const json = await response.json();
if (!response.ok || json.result?.comments !== 'cold start') process.exit(2);
`;

/** Runs `node <script>` to completion; resolves to its wall time, rejects if it fails. */
function timeNodeProcess(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], {
      cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${script} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function measure(projectDir: string, server: StandInServer, runs: number) {
  const policy = server.seedPolicy();
  const env = {
    ...process.env,
    BENCH_BASE_URL: server.baseUrl,
    BENCH_ACCOUNT_ID: server.accountId,
    BENCH_API_TOKEN: server.apiToken,
    BENCH_POLICY_ID: policy.id,
  };
  const packageSamples: number[] = [];
  const rawSamples: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + runs; run += 1) {
    const order = run % 2 === 0 ? [true, false] : [false, true];
    for (const isPackage of order) {
      const script = join(projectDir, isPackage ? 'with-package.mjs' : 'raw-fetch.mjs');
      const ms = await timeNodeProcess(script, projectDir, env);
      if (run >= WARMUP_RUNS) (isPackage ? packageSamples : rawSamples).push(ms);
    }
  }
  return compare({
    name: 'cold start: node + import package + 1 update',
    samplesMs: packageSamples,
    baselineName: 'node + raw fetch + 1 PATCH',
    baselineSamplesMs: rawSamples,
    target: TARGET_RATIO,
    paired: true,
  });
}

async function main(): Promise<void> {
  const runs = runsOption(process.argv.slice(2), '--runs', 30, 500);
  const packed = await buildAndPack();
  let projectDir: string | undefined;
  let server: StandInServer | undefined;
  try {
    projectDir = await installIntoFreshProject(packed.tarball);
    writeFileSync(join(projectDir, 'with-package.mjs'), packageScript(packed.packageName));
    writeFileSync(join(projectDir, 'raw-fetch.mjs'), rawFetchScript);
    server = await startStandInServer({ recordRequests: false });
    const row = await measure(projectDir, server, runs);
    console.log(
      `cold start, ${runs} runs each after ${WARMUP_RUNS} warm-up runs (Node ${process.version}); ` +
        'ratio = median of per-run paired ratios',
    );
    printResults([row]);
  } finally {
    await server?.close();
    removeDir(projectDir);
    removeDir(packed.stagingDir);
  }
}

await main();
