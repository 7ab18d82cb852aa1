/**
 * Benchmark of `npm run generate`: spawns the generator the way the npm script does
 * (`node --import tsx scripts/generate.ts`) several times per scenario, interleaved, and prints
 * medians and ratios against a baseline measured side by side (the same command running an empty
 * script). Issue target: a no-op regeneration on an unchanged spec takes ≤ 1 s.
 *
 *   npx tsx bench/generate.bench.ts            # 7 rounds
 *   BENCH_RUNS=15 npx tsx bench/generate.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compare, printResults } from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;
const DATA = join(ROOT, 'bench', '.data', 'generate');
const RUNS = Math.min(Math.max(Number(process.env.BENCH_RUNS ?? 7) || 7, 3), 50);

interface Scenario {
  readonly name: string;
  /** Command and arguments for round `round`. */
  readonly command: (round: number) => [string, string[]];
}

function nodeTsx(...args: string[]): [string, string[]] {
  const [node, ...flags] = NODE_TSX;
  return [node, [...flags, ...args]];
}

const scenarios: Scenario[] = [
  {
    name: 'baseline: node --import tsx, empty script',
    command: () => nodeTsx(join(DATA, 'empty.ts')),
  },
  {
    name: 'generate, cold (fresh --out dir)',
    command: (round) => nodeTsx('scripts/generate.ts', '--out', join(DATA, `cold-${round}`)),
  },
  {
    name: 'generate, no-op (unchanged spec; target ≤ 1000 ms)',
    command: () => nodeTsx('scripts/generate.ts'),
  },
  {
    name: 'generate --no-cache, no-op (emit + compare)',
    command: () => nodeTsx('scripts/generate.ts', '--no-cache'),
  },
  { name: 'generate --check', command: () => nodeTsx('scripts/generate.ts', '--check') },
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

async function main(): Promise<void> {
  await mkdir(DATA, { recursive: true });
  await writeFile(join(DATA, 'empty.ts'), 'export {};\n');
  // Warm-up: tsx's transform cache, and the stamp of generated/ for the no-op scenario.
  timeOnce(nodeTsx('scripts/generate.ts'));
  const samples = new Map<string, number[]>(scenarios.map((scenario) => [scenario.name, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const scenario of scenarios)
      samples.get(scenario.name)?.push(timeOnce(scenario.command(round)));
  }
  await rm(DATA, { recursive: true, force: true });
  const [baseline, ...measured] = scenarios;
  if (!baseline) return;
  console.log(`generate benchmark: ${RUNS} runs per scenario, interleaved, wall-clock ms`);
  printResults(
    measured.map((scenario) =>
      compare({
        name: scenario.name,
        samplesMs: samples.get(scenario.name) ?? [],
        baselineName: baseline.name,
        baselineSamplesMs: samples.get(baseline.name) ?? [],
        target: null,
        paired: true,
      }),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
