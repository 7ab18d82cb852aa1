/**
 * Consumer type-check cost: a one-file consumer of the PACKED package (installed from its tarball
 * into a fresh project) versus the same call written against plain openapi-fetch with
 * openapi-typescript types for this one operation only. Both: `tsc --noEmit`, strict,
 * `skipLibCheck: false` (so our `.d.ts` and openapi-fetch's are checked too), same lib settings.
 * Runs alternate between the two so machine noise hits both alike. Target: ratio <= 1.15
 * (TypeScript 5.9, the consumer's `tsc`); TypeScript 7 is shown for information.
 *
 * Usage: `tsx bench/consumer-typecheck.bench.ts [--runs N]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import openapiTS, { astToString } from 'openapi-typescript';
import {
  buildAndPack,
  type CompilerName,
  installIntoFreshProject,
  removeDir,
  repoRoot,
  runTsc,
} from '../test/package/packed-package.js';
import { type BenchResult, compare, printResults, runsOption } from './report.js';

const OPERATION_PATH = '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}';
const OPERATION_METHOD = 'patch';
const TARGET_RATIO = 1.15;
const WARMUP_RUNS = 2;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function collectRefs(value: Json, refs: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, refs);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.add(item);
      else collectRefs(item, refs);
    }
  }
}

function resolvePointer(document: Json, ref: string): Json {
  const segments = ref.replace(/^#\//, '').split('/');
  let current: Json = document;
  for (const segment of segments) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null || Array.isArray(current)) {
      throw new Error(`cannot resolve ${ref} in the spec`);
    }
    current = current[key] as Json;
  }
  if (current === undefined) throw new Error(`cannot resolve ${ref} in the spec`);
  return current;
}

/** The spec reduced to this one operation (and its path-level parameters) and the components it reaches. */
export function sliceOneOperation(document: Record<string, Json>): Record<string, Json> {
  const pathItem = resolvePointer(document, `#/paths/${OPERATION_PATH.replaceAll('/', '~1')}`);
  const { parameters } = pathItem as Record<string, Json>;
  const slicedItem: Record<string, Json> = {
    ...(parameters === undefined ? {} : { parameters }),
    [OPERATION_METHOD]: (pathItem as Record<string, Json>)[OPERATION_METHOD] as Json,
  };
  const components: Record<string, Record<string, Json>> = {};
  const seen = new Set<string>();
  const pending = new Set<string>();
  collectRefs(slicedItem, pending);
  while (pending.size > 0) {
    const [ref] = pending as Set<string>;
    pending.delete(ref as string);
    if (seen.has(ref as string)) continue;
    seen.add(ref as string);
    const target = resolvePointer(document, ref as string);
    const [, section, name] = (ref as string).replace(/^#\//, '').split('/');
    components[section as string] ??= {};
    (components[section as string] as Record<string, Json>)[name as string] = target;
    collectRefs(target, pending);
  }
  const securitySchemes = (document.components as Record<string, Json>).securitySchemes as Json;
  return {
    openapi: document.openapi as Json,
    info: document.info as Json,
    paths: { [OPERATION_PATH]: slicedItem },
    components: { ...components, securitySchemes },
  };
}

async function oneOperationSchema(): Promise<string> {
  const specFile = join(repoRoot, 'openapi', 'cloudflare-email-security.openapi.json');
  const document = JSON.parse(readFileSync(specFile, 'utf8')) as Record<string, Json>;
  const ast = await openapiTS(sliceOneOperation(document) as never, { readWriteMarkers: true });
  return astToString(ast);
}

const baselineConsumer = `import createClient from 'openapi-fetch';
import type { paths } from './one-operation-schema.js';

const client = createClient<paths>({
  baseUrl: 'http://127.0.0.1:8787/client/v4',
  headers: { Authorization: 'Bearer example-token' },
});
const { data, error } = await client.PATCH(
  '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}',
  {
    params: {
      path: {
        account_id: '023e105f4ecef8ad9ca31a8372d0c353',
        policy_id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
      },
    },
    body: { comments: 'trusted partner', is_trusted_sender: true },
  },
);
if (error) throw new Error('update failed');
const policy = data.result;
console.log(policy?.id, policy?.modified_at, policy?.is_trusted_sender);
`;

function packageConsumer(packageName: string): string {
  return `import { createEmailSecurityClient } from '${packageName}';

const client = createEmailSecurityClient({
  baseUrl: 'http://127.0.0.1:8787/client/v4',
  accountId: '023e105f4ecef8ad9ca31a8372d0c353',
  auth: { apiToken: 'example-token' },
});
const policy = await client.allowPolicies.update('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', {
  comments: 'trusted partner',
  is_trusted_sender: true,
});
console.log(policy.id, policy.modified_at, policy.is_trusted_sender);
`;
}

function tsconfig(file: string): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM'],
      types: [],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    },
    files: [file],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function timeTsc(compiler: CompilerName, projectFile: string): Promise<number> {
  const started = performance.now();
  await runTsc(compiler, projectFile);
  return performance.now() - started;
}

async function measure(
  compiler: CompilerName,
  packageProject: string,
  baselineProject: string,
  runs: number,
): Promise<BenchResult> {
  const samples: number[] = [];
  const baselineSamples: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + runs; run += 1) {
    // Alternate which goes first, so neither always runs on a warmer machine.
    const order = run % 2 === 0 ? [true, false] : [false, true];
    for (const isPackage of order) {
      const ms = await timeTsc(compiler, isPackage ? packageProject : baselineProject);
      if (run >= WARMUP_RUNS) (isPackage ? samples : baselineSamples).push(ms);
    }
  }
  return compare({
    name: `consumer tsc --noEmit, ${compiler}: packed package`,
    samplesMs: samples,
    baselineName: 'plain openapi-fetch, one-operation types',
    baselineSamplesMs: baselineSamples,
    target: compiler === 'TypeScript 5.9' ? TARGET_RATIO : null,
    paired: true,
  });
}

async function main(): Promise<void> {
  const runs = runsOption(process.argv.slice(2), '--runs', 10, 200);
  const packed = await buildAndPack();
  let projectDir: string | undefined;
  try {
    projectDir = await installIntoFreshProject(packed.tarball);
    writeFileSync(join(projectDir, 'one-operation-schema.ts'), await oneOperationSchema());
    writeFileSync(join(projectDir, 'consumer-baseline.ts'), baselineConsumer);
    writeFileSync(join(projectDir, 'consumer-package.ts'), packageConsumer(packed.packageName));
    const packageProject = join(projectDir, 'tsconfig.package.json');
    const baselineProject = join(projectDir, 'tsconfig.baseline.json');
    writeFileSync(packageProject, tsconfig('consumer-package.ts'));
    writeFileSync(baselineProject, tsconfig('consumer-baseline.ts'));
    const rows: BenchResult[] = [];
    for (const compiler of ['TypeScript 5.9', 'TypeScript 7'] as const) {
      rows.push(await measure(compiler, packageProject, baselineProject, runs));
    }
    console.log(
      `consumer type-check, ${runs} runs each after ${WARMUP_RUNS} warm-up runs; ratio = median of per-run paired ratios`,
    );
    printResults(rows);
  } finally {
    removeDir(projectDir);
    removeDir(packed.stagingDir);
  }
}

await main();
