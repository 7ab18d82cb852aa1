/**
 * spec:update on a document shaped like Cloudflare's full one (about 15 MB, 2,500 operations,
 * 8,000 schemas; built by bench/make-upstream-document.ts into bench/.data/), measured side by
 * side with its baselines, runs alternating:
 *
 * 1. `spec:update` (read + parse + slice + diff against the vendored file + text report, the
 *    real command with --dry-run) vs `JSON.parse` of the same file (read + parse: the floor).
 *    Target: <= 3x.
 * 2. `spec:update` + `generate` (slice written, then the generator's pipeline on the slice) vs
 *    openapi-typescript on the whole document (read + parse + openapiTS + astToString, the
 *    generator's options). Target: <= 1/3 of its time.
 *
 * Usage: `tsx bench/spec-update.bench.ts [--runs N] [--slow-runs N]`
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runGenerate } from '../scripts/codegen/pipeline.js';
import { runSpecUpdate } from '../scripts/spec/run.js';
import { describeDocument, writeUpstreamDocument } from './make-upstream-document.js';
import { compare, printResults, runsOption } from './report.js';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const dataDir = join(repoRoot, 'bench', '.data');
const VENDORED = join(repoRoot, 'openapi', 'cloudflare-email-security.openapi.json');
const OPERATIONS = ['email_security_update_allow_policy'];

async function specUpdate(upstream: string, argv: readonly string[]): Promise<void> {
  let errors = '';
  const code = await runSpecUpdate([upstream, ...argv, '--today', '2026-11-26'], {
    stdout: () => {},
    stderr: (text) => {
      errors += text;
    },
  });
  if (code !== 0) throw new Error(`spec:update exited ${code}: ${errors}`);
}

function parseFloor(upstream: string): void {
  JSON.parse(readFileSync(upstream, 'utf8'));
}

async function specUpdateAndGenerate(upstream: string, workDir: string): Promise<void> {
  const sliced = join(workDir, 'email-security.openapi.json');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  await specUpdate(upstream, ['--previous', VENDORED, '--out', sliced]);
  await runGenerate({
    specPath: sliced,
    outDir: join(workDir, 'generated'),
    operations: OPERATIONS,
    rootDir: repoRoot,
    useCache: false,
  });
}

async function openapiTypescriptWhole(upstream: string): Promise<number> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const document = JSON.parse(readFileSync(upstream, 'utf8'));
  const ast = await openapiTS(document, { readWriteMarkers: true, silent: true });
  return astToString(ast).length;
}

/** Times `subject` and `baseline` alternately (which goes first alternates too) after warm-ups. */
async function sideBySide(
  runs: number,
  warmups: number,
  subject: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ subject: number[]; baseline: number[] }> {
  const samples = { subject: [] as number[], baseline: [] as number[] };
  const time = async (task: () => Promise<unknown>) => {
    const started = performance.now();
    await task();
    return performance.now() - started;
  };
  for (let run = 0; run < warmups + runs; run += 1) {
    const order =
      run % 2 === 0 ? (['subject', 'baseline'] as const) : (['baseline', 'subject'] as const);
    for (const which of order) {
      const elapsed = await time(which === 'subject' ? subject : baseline);
      if (run >= warmups) samples[which].push(elapsed);
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const written = writeUpstreamDocument(join(dataDir, 'upstream-openapi.json'));
  console.log(describeDocument(written));
  const upstream = written.file;

  const fast = await sideBySide(
    runsOption(process.argv, '--runs', 11, 100),
    2,
    () => specUpdate(upstream, ['--dry-run', '--out', VENDORED]),
    async () => parseFloor(upstream),
  );
  const fastRow = compare({
    name: 'spec:update (slice + report)',
    samplesMs: fast.subject,
    baselineName: 'JSON.parse (read + parse)',
    baselineSamplesMs: fast.baseline,
    target: 3,
  });

  const workDir = join(dataDir, 'spec-update-bench');
  const slow = await sideBySide(
    runsOption(process.argv, '--slow-runs', 3, 100),
    1,
    () => specUpdateAndGenerate(upstream, workDir),
    () => openapiTypescriptWhole(upstream),
  );
  rmSync(workDir, { recursive: true, force: true });
  const slowRow = compare({
    name: 'spec:update + generate',
    samplesMs: slow.subject,
    baselineName: 'openapi-typescript, whole document',
    baselineSamplesMs: slow.baseline,
    target: 1 / 3,
  });
  printResults([fastRow, slowRow]);
}

await main();
