/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after another (never in parallel, so they do
 * not disturb each other's timings), streams each bench's own output, collects the
 * `BENCH_RESULT {json}` lines they print (see `bench/report.ts`) and ends with one combined table.
 *
 * Usage: `tsx bench/run-all.ts [name-filter ...]` — e.g. `npm run bench -- cold-start`.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResult, formatTable, parseBenchResultLine } from './report.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
/** A bench that runs longer than this is stopped and reported as failed. */
const PER_BENCH_TIMEOUT_MS = 15 * 60_000;

interface BenchRun {
  readonly file: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly rows: readonly BenchResult[];
}

function findBenchFiles(filters: readonly string[]): string[] {
  return readdirSync(benchDir)
    .filter((name) => name.endsWith('.bench.ts'))
    .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
    .sort()
    .map((name) => join(benchDir, name));
}

function tsxCliPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
}

function runBench(file: string, tsxCli: string): Promise<BenchRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, PER_BENCH_TIMEOUT_MS);
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      const rows = output
        .split(/\r?\n/)
        .map(parseBenchResultLine)
        .filter((row): row is BenchResult => row !== null);
      resolve({ file, exitCode, timedOut, rows });
    };
    child.on('error', (error) => {
      process.stderr.write(`could not start ${file}: ${error.message}\n`);
      finish(null);
    });
    child.on('close', finish);
  });
}

function describeFailure(run: BenchRun): string | null {
  const name = relative(repoRoot, run.file);
  if (run.timedOut) return `${name}: stopped after ${PER_BENCH_TIMEOUT_MS / 60_000} min`;
  if (run.exitCode !== 0) return `${name}: exited with code ${run.exitCode}`;
  return null;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = findBenchFiles(filters);
  if (files.length === 0) {
    console.error(
      `no bench/*.bench.ts file matches ${filters.length ? filters.join(', ') : '(no filter)'}`,
    );
    process.exitCode = 1;
    return;
  }
  const tsxCli = tsxCliPath();
  const runs: BenchRun[] = [];
  for (const file of files) {
    console.log(`\n== ${relative(repoRoot, file)}`);
    runs.push(await runBench(file, tsxCli));
  }
  const rows = runs.flatMap((run) => run.rows);
  const failures = runs.map(describeFailure).filter((line): line is string => line !== null);
  console.log(
    `\n== all benchmarks (${files.length} files; medians; ratio as defined by each bench above)`,
  );
  if (rows.length > 0) console.log(formatTable(rows));
  for (const run of runs.filter((item) => item.rows.length === 0 && item.exitCode === 0)) {
    console.log(
      `(${relative(repoRoot, run.file)} printed no BENCH_RESULT line: see its own table above; ` +
        'printResults from bench/report.ts adds it to this table)',
    );
  }
  for (const failure of failures) console.log(`FAILED ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
