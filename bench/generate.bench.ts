/**
 * Benchmark of `npm run generate`: spawns the generator the way the npm script does
 * (`tsx scripts/generate.ts`) several times per scenario, interleaved, and prints medians and
 * ratios against a baseline measured side by side (tsx starting an empty script).
 *
 *   npx tsx bench/generate.bench.ts            # 7 rounds
 *   BENCH_RUNS=15 npx tsx bench/generate.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const DATA = join(ROOT, 'bench', '.data');
const RUNS = Math.min(Math.max(Number(process.env.BENCH_RUNS ?? 7) || 7, 3), 50);

interface Scenario {
  readonly name: string;
  /** Command and arguments for round `round`. */
  readonly command: (round: number) => [string, string[]];
}

const scenarios: Scenario[] = [
  { name: 'baseline: tsx empty script', command: () => [TSX, [join(DATA, 'empty.ts')]] },
  {
    name: 'generate, cold (fresh --out dir)',
    command: (round) => [TSX, ['scripts/generate.ts', '--out', join(DATA, `cold-${round}`)]],
  },
  { name: 'generate, no-op (unchanged inputs)', command: () => [TSX, ['scripts/generate.ts']] },
  {
    name: 'generate --no-cache, no-op (emit + compare)',
    command: () => [TSX, ['scripts/generate.ts', '--no-cache']],
  },
  { name: 'generate --check', command: () => [TSX, ['scripts/generate.ts', '--check']] },
  { name: 'npm run generate, no-op', command: () => ['npm', ['run', '-s', 'generate']] },
];

function timeOnce([command, args]: [string, string[]]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`,
    );
  }
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  await mkdir(DATA, { recursive: true });
  await writeFile(join(DATA, 'empty.ts'), 'export {};\n');
  // Warm-up: tsx's transform cache, and the stamp of generated/ for the no-op scenario.
  timeOnce([TSX, ['scripts/generate.ts']]);
  const samples = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const scenario of scenarios)
      samples.get(scenario.name)?.push(timeOnce(scenario.command(round)));
  }
  await rm(DATA, { recursive: true, force: true });
  const baseline = median(samples.get(scenarios[0]?.name ?? '') ?? [0]);
  console.log(`generate benchmark: ${RUNS} runs per scenario, interleaved, wall-clock ms`);
  console.log(
    `${'scenario'.padEnd(46)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}  vs baseline`,
  );
  for (const [name, values] of samples) {
    const m = median(values);
    console.log(
      `${name.padEnd(46)} ${m.toFixed(0).padStart(8)} ${Math.min(...values)
        .toFixed(0)
        .padStart(8)} ${Math.max(...values)
        .toFixed(0)
        .padStart(8)}  ×${(m / baseline).toFixed(2)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
