/**
 * `npx cfes generate` (the built bin, dist/cli.js, on plain Node) on a document shaped like
 * Cloudflare's full one (bench/make-upstream-document.ts: about 15 MB, 2,500 operations), for 1
 * and for 50 operations, measured side by side with openapi-typescript run on the whole document
 * (read + parse + openapiTS + astToString with the generator's options, also plain Node), each
 * a fresh process, runs alternating. Target: each cfes run ≤ 0.2x of the baseline (the document is
 * sliced to what the operations reach before openapi-typescript sees it).
 *
 * Two sets of 50 operations: 50 neighbours in document order (Email Security's 33 and the next
 * product's 17, what a team extending the client for one more product selects), and 50 spread
 * over the whole document (every ~50th operationId, so ~50 different products): the slice is as
 * scattered, and as large, as it gets. A reference row runs openapi-typescript as the baseline does
 * (`openapiTS()`: its lint, bundle and conversion) on that slice alone, cut beforehand, after
 * parsing the whole document: slicing by hand and running openapi-typescript, without the
 * generator's checks and without operations.ts.
 *
 * The bin does its TypeScript work (openapi-typescript, ts-morph) in a worker thread, beside its
 * other stages (scripts/codegen/typescript-worker.ts): on a busy machine it gets less of the
 * second core, so the report names the Node version and the load average before and after the
 * runs.
 *
 * Usage: `tsx bench/cfes-generate.bench.ts [--runs N]` (builds dist/ first)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { planOperations } from '../scripts/codegen/plan.js';
import type { OpenApiDocument } from '../scripts/codegen/validate.js';
import { sliceOperations } from '../scripts/spec/slice.js';
import { describeDocument, writeUpstreamDocument } from './make-upstream-document.js';
import { compare, printResults } from './report.js';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const dataDir = join(repoRoot, 'bench', '.data', 'cfes');
const cli = join(repoRoot, 'dist', 'cli.js');

function runsOption(fallback: number): number {
  const index = process.argv.indexOf('--runs');
  if (index === -1) return fallback;
  const runs = Number(process.argv[index + 1]);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    throw new Error(
      `--runs must be a whole number from 1 to 50 (got "${process.argv[index + 1]}")`,
    );
  }
  return runs;
}

function timed(command: string, args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(command, [...args], {
    cwd: dataDir,
    encoding: 'utf8',
    timeout: 600_000,
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`,
    );
  }
  return elapsed;
}

/**
 * openapi-typescript on the whole document, as scripts/codegen/emit-schema.ts calls it; given a
 * third file (a slice of the document), on that slice instead, the document still read and parsed.
 */
const WHOLE_DOCUMENT_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
const [file, out, slice] = process.argv.slice(2);
const whole = JSON.parse(readFileSync(file, 'utf8'));
const ast = await openapiTS(slice ? JSON.parse(readFileSync(slice, 'utf8')) : whole, { readWriteMarkers: true, silent: true });
writeFileSync(out, astToString(ast));
`;

type UpstreamDocument = { paths: Record<string, Record<string, { operationId?: string }>> };

/** `count` operationIds, every `spread`-th one or (`spread: false`) neighbours from the first. */
function selectOperationIds(document: UpstreamDocument, count: number, spread: boolean): string[] {
  const ids = Object.values(document.paths).flatMap((item) =>
    Object.entries(item)
      .filter(([key]) => key !== 'parameters')
      .flatMap(([, operation]) => (operation.operationId ? [operation.operationId] : [])),
  );
  // Every ~step-th operationId; one that lands on a resource method already taken (two products'
  // `…/region_3/{id}` GETs are both `client.region3.get`, which the generator refuses) gives way
  // to the next operation of the document.
  const step = spread ? Math.floor(ids.length / count) : 1;
  const chosen: string[] = [];
  const methods = new Set<string>();
  for (let index = 0; chosen.length < count && index < ids.length; ) {
    const id = ids[index] as string;
    const [plan] = planOperations(document as unknown as OpenApiDocument, [id]).operations;
    const resource = plan?.metadata.resource;
    const method = resource ? `${resource.name}.${resource.method}` : id;
    if (methods.has(method)) {
      index += 1;
      continue;
    }
    methods.add(method);
    chosen.push(id);
    index = Math.max(index + 1, chosen.length * step);
  }
  return chosen;
}

/** The 1-minute load average of the machine (2 cores: above 1, the second core was busy too). */
function loadAverage(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}

function main(): void {
  const runs = runsOption(5);
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const written = writeUpstreamDocument();
  console.log(`document: ${describeDocument(written)}`);
  // Inside the repo, so the baseline script resolves openapi-typescript like dist/cli.js does.
  const wholeScript = join(dataDir, 'whole-document.mjs');
  writeFileSync(wholeScript, WHOLE_DOCUMENT_SCRIPT);
  const document = JSON.parse(readFileSync(written.file, 'utf8')) as UpstreamDocument;
  const neighbours = selectOperationIds(document, 50, false);
  const fifty = selectOperationIds(document, 50, true);
  // The reference row's input: the spread case's slice, cut once here (outside the timing).
  const fiftySlice = join(dataDir, 'fifty-slice.json');
  writeFileSync(fiftySlice, JSON.stringify(sliceOperations(document, fifty)));
  const generate = (operationIds: readonly string[], out: string) =>
    timed(process.execPath, [
      cli,
      'generate',
      '--spec',
      written.file,
      '--operations',
      operationIds.join(','),
      '--out',
      join(dataDir, out),
    ]);
  const scenarios = {
    baseline: () => timed(process.execPath, [wholeScript, written.file, join(dataDir, 'whole.ts')]),
    one: (round: number) => generate(['email_security_update_allow_policy'], `one-${round}`),
    neighbours: (round: number) => generate(neighbours, `neighbours-${round}`),
    fifty: (round: number) => generate(fifty, `fifty-${round}`),
    fiftySliceAlone: () =>
      timed(process.execPath, [wholeScript, written.file, join(dataDir, 'slice.ts'), fiftySlice]),
  };
  scenarios.one(-1); // warm the file cache
  const loadBefore = loadAverage();
  const samples = {
    baseline: [] as number[],
    one: [] as number[],
    neighbours: [] as number[],
    fifty: [] as number[],
    fiftySliceAlone: [] as number[],
  };
  for (let round = 0; round < runs; round += 1) {
    samples.baseline.push(scenarios.baseline());
    samples.one.push(scenarios.one(round));
    samples.neighbours.push(scenarios.neighbours(round));
    samples.fifty.push(scenarios.fifty(round));
    samples.fiftySliceAlone.push(scenarios.fiftySliceAlone());
  }
  const baselineName = 'openapi-typescript, whole document (node)';
  console.log(
    `cfes generate benchmark: ${runs} runs per scenario, alternating, wall-clock ms; node ${process.version}, load average ${loadBefore} before, ${loadAverage()} after`,
  );
  const row = (name: string, samplesMs: number[], target: number | null = 0.2) =>
    compare({
      name,
      samplesMs,
      baselineName,
      baselineSamplesMs: samples.baseline,
      target,
      paired: true,
    });
  printResults([
    row('npx cfes generate, 1 operation (node dist/cli.js)', samples.one),
    row('npx cfes generate, 50 operations of 2 products', samples.neighbours),
    row('npx cfes generate, 50 operations of ~50 products', samples.fifty),
    row(
      'reference: openapi-typescript alone on that slice, cut beforehand (document parsed)',
      samples.fiftySliceAlone,
      null,
    ),
  ]);
  rmSync(dataDir, { recursive: true, force: true });
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
