/**
 * The runtime matrix: the packed package (built and packed once for this file) installed into a
 * fresh consumer project per runtime, and the same end-to-end scenario (scenario.ts) run in a
 * separate process of each runtime against its own stand-in API on 127.0.0.1:
 * the machine's Node, Node 22/24/26, Bun, Deno, and Cloudflare's workerd (with and without
 * `nodejs_compat`). Every runtime but workerd also `require()`s the package from CommonJS.
 * Then the packaging claims of the README's "Runtimes" section, on the same tarball: `engines`,
 * and the consumer type-checking stories (consumer-types.ts).
 *
 * Per runtime, each step has its own seeded policy (and faults on that policy's path), so what the
 * stand-in received is checked step by step. The file ends by printing the matrix: runtime,
 * version, and each step's result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { updateAllowPolicyMetadata } from '../../generated/operations.js';
import { NODE_TYPES } from '../package/consumer-source.js';
import {
  buildAndPack,
  installIntoFreshProject,
  makeTempDir,
  type PackedPackage,
  removeDir,
  repoRoot,
  runCommand,
  runTsc,
} from '../package/packed-package.js';
import {
  type RecordedRequest,
  type StandInServer,
  startStandInServer,
} from '../support/stand-in-server.js';
import { createConsumer, parseReport } from './consumer.js';
import { missingName, parseDiagnostics, SOURCES, TYPE_CASES } from './consumer-types.js';
import {
  binariesSupported,
  binaryVersion,
  entryArgs,
  locateBinary,
  minimalEnv,
  type ProcessResult,
  pinnedVersion,
  RUNTIMES,
  type Runtime,
  RuntimeStepError,
  runProcess,
} from './runtimes.js';
import {
  type ErrorReport,
  type ScenarioConfig,
  type ScenarioReport,
  STEP_NAMES,
  type StepName,
  type StepReport,
} from './scenario.js';
import { startWorkerd } from './workerd.js';

/** The stand-in holds these answers far longer than the client waits (timeout and abort steps). */
const STALL_MS = 5_000;
const TIMEOUT_MS = 250;
const ABORT_AFTER_MS = 100;
const RUN_TIMEOUT_MS = 60_000;
/** The `list-pages` step's page size: the seeded policies (one per step) span several pages. */
const PER_PAGE = 3;

const isSender = updateAllowPolicyMetadata.deprecations.find(
  (deprecation) => deprecation.field === 'is_sender',
);

interface RuntimeRun {
  readonly version: string;
  readonly report: ScenarioReport;
  /** Everything the runtime printed (stdout and stderr), for its warnings. */
  readonly output: string;
  /** The process ended by itself, exit code 0, after the scenario (not meaningful for workerd). */
  readonly exitedOnItsOwn: boolean;
  readonly config: ScenarioConfig;
  readonly server: StandInServer;
  readonly requirePolicyId: string;
  readonly projectDir: string;
}

interface StepCheck {
  readonly step: StepName;
  readonly want: string;
  /** What the stand-in received for this step; default: the requests on the step's policy. */
  readonly sent?: (requests: readonly RecordedRequest[], run: RuntimeRun) => RecordedRequest[];
  check(observed: Record<string, unknown>, sent: readonly RecordedRequest[], run: RuntimeRun): void;
}

const failed = (observed: Record<string, unknown>) => {
  expect(observed.threw, 'the call should have failed').toBe(true);
  return observed.error as ErrorReport;
};

const STEPS: readonly StepCheck[] = [
  {
    step: 'token-update',
    want: 'one PATCH with the Bearer token; the policy comes back updated; printing the client shows no secret',
    check(observed, sent, run) {
      expect(observed).toMatchObject({
        id: run.config.policies['token-update'],
        comments: `updated on ${run.report.runtime}`,
        is_trusted_sender: true,
      });
      expect(observed.printedClient).not.toContain(run.config.apiToken);
      expect(sent.map((request) => request.method)).toEqual(['PATCH']);
      expect(sent[0]?.headers.authorization).toBe(`Bearer ${run.config.apiToken}`);
      expect(sent[0]?.body).toEqual({
        comments: `updated on ${run.report.runtime}`,
        is_trusted_sender: true,
      });
    },
  },
  {
    step: 'legacy-auth',
    want: 'X-Auth-Email + X-Auth-Key, no Authorization; the API-token advisory is printed',
    check(observed, sent, run) {
      expect(observed).toEqual({ verify_sender: false });
      expect(sent).toHaveLength(1);
      expect(sent[0]?.headers['x-auth-email']).toBe(run.config.apiEmail);
      expect(sent[0]?.headers['x-auth-key']).toBe(run.config.apiKey);
      expect(sent[0]?.headers.authorization).toBeUndefined();
      expect(run.output).toContain('Cloudflare recommends API tokens');
    },
  },
  {
    step: 'validation-refusal',
    want: 'ValidationError (an EmailSecurityError); nothing reaches the stand-in',
    check(observed, sent) {
      expect(failed(observed).classes).toEqual(
        expect.arrayContaining(['ValidationError', 'EmailSecurityError']),
      );
      expect(sent).toEqual([]);
    },
  },
  {
    step: 'deprecation-migration',
    want: 'is_sender is sent as its replacement; the event is returned and a CFES_DEPRECATION warning printed',
    check(observed, sent, run) {
      const replacement = isSender?.replacement;
      expect(replacement, 'the spec deprecates is_sender with a replacement').toBeTypeOf('string');
      expect(observed).toEqual({
        [replacement as string]: true,
        deprecations: [{ field: 'is_sender', replacement, action: 'migrated' }],
      });
      expect(sent.map((request) => request.body)).toEqual([{ [replacement as string]: true }]);
      expect(run.output).toContain('[CFES_DEPRECATION]');
    },
  },
  {
    step: 'rate-limit-retried',
    want: 'the 429 (Retry-After: 0) is retried once and the update succeeds',
    check(observed, sent) {
      expect(observed).toEqual({ comments: 'after a 429' });
      expect(sent.map((request) => request.method)).toEqual(['PATCH', 'PATCH']);
    },
  },
  {
    step: 'bad-gateway',
    want: "Cloudflare's 502 edge page becomes an InternalServerError (a CloudflareApiError) with status and cf-ray",
    check(observed, sent) {
      const error = failed(observed);
      expect(error.classes).toEqual(
        expect.arrayContaining(['InternalServerError', 'CloudflareApiError', 'EmailSecurityError']),
      );
      expect(error.status).toBe(502);
      expect(error.cfRay).toMatch(/\S/);
      expect(sent).toHaveLength(1);
    },
  },
  {
    step: 'timeout',
    want: `TimeoutError after timeoutMs (${TIMEOUT_MS} ms), long before the stand-in answers`,
    check(observed, sent) {
      expect(failed(observed).classes).toEqual(
        expect.arrayContaining(['TimeoutError', 'EmailSecurityError']),
      );
      expect(observed.elapsedMs).toBeLessThan(STALL_MS / 2);
      expect(sent).toHaveLength(1);
    },
  },
  {
    step: 'abort',
    want: "AbortError whose cause is the caller's reason, long before the stand-in answers",
    check(observed, sent) {
      const error = failed(observed);
      expect(error.classes).toEqual(expect.arrayContaining(['AbortError', 'EmailSecurityError']));
      expect(error.causeMessage).toBe('stopped by the scenario');
      expect(observed.elapsedMs).toBeLessThan(STALL_MS / 2);
      expect(sent).toHaveLength(1);
    },
  },
  {
    step: 'list-pages',
    want: `for await over list({ per_page: ${PER_PAGE} }) yields every policy once, one GET per page, stopping on the last page`,
    sent: (requests) =>
      requests.filter((request) => request.method === 'GET' && request.path.includes('?')),
    check(observed, sent, run) {
      const seeded = Object.values(run.config.policies);
      const pages = Math.ceil(seeded.length / PER_PAGE);
      expect(pages, 'the seeded policies span several pages').toBeGreaterThan(2);
      expect(observed.firstPage).toBe(PER_PAGE);
      expect(observed.resultInfo).toMatchObject({
        page: 1,
        per_page: PER_PAGE,
        total_count: seeded.length,
      });
      const ids = observed.ids as string[];
      expect(ids).toHaveLength(seeded.length);
      expect([...ids].sort()).toEqual([...seeded].sort());
      // The iteration reuses the page already awaited: one GET per page in all.
      const asked = sent.map((request) => new URL(request.path, 'http://stand-in').searchParams);
      expect(asked.map((query) => query.get('page') ?? '1')).toEqual(
        Array.from({ length: pages }, (_, index) => String(index + 1)),
      );
      expect(new Set(asked.map((query) => query.get('per_page')))).toEqual(
        new Set([String(PER_PAGE)]),
      );
    },
  },
];

/** runtime id → step → result, printed as the matrix at the end. */
const results = new Map<string, { label: string; version: string; steps: Map<string, string> }>();

function record(runtime: Runtime, step: string, outcome: string): void {
  const row = results.get(runtime.id);
  row?.steps.set(step, outcome);
}

let packed: PackedPackage | undefined;

beforeAll(async () => {
  packed = await buildAndPack();
}, 180_000);

afterAll(() => {
  removeDir(packed?.stagingDir);
  printMatrix();
});

function printMatrix(): void {
  const columns = ['import', ...STEP_NAMES, 'require()', 'exits'];
  const lines = [`runtime matrix (${columns.join(', ')}):`];
  for (const { label, version, steps } of results.values()) {
    const cells = columns.map((column) => `${column} ${steps.get(column) ?? '-'}`);
    lines.push(`  ${label} — ${version}: ${cells.join(' · ')}`);
  }
  console.log(lines.join('\n'));
}

function seedPolicies(server: StandInServer): Record<StepName, string> {
  const policies = Object.fromEntries(
    STEP_NAMES.map((step) => [
      step,
      server.seedPolicy({ comments: null, is_trusted_sender: false, verify_sender: true }).id,
    ]),
  ) as Record<StepName, string>;
  const on = (step: StepName) => ({ pathIncludes: policies[step] });
  server.injectFault({ kind: 'rate-limit', retryAfter: '0' }, on('rate-limit-retried'));
  server.injectFault({ kind: 'html', status: 502 }, on('bad-gateway'));
  server.injectFault({ kind: 'delay', ms: STALL_MS }, on('timeout'));
  server.injectFault({ kind: 'delay', ms: STALL_MS }, on('abort'));
  return policies;
}

/** Runs an entry file of the consumer project in a Node, Bun or Deno process (offline flags). */
function runEntry(
  runtime: Runtime,
  projectDir: string,
  entry: string,
  config: unknown,
  port: number,
): Promise<ProcessResult> {
  const env = minimalEnv(
    runtime.kind === 'deno' ? { DENO_DIR: join(projectDir, '.deno-dir') } : {},
  );
  const args = entryArgs(runtime, entry, JSON.stringify(config), { projectDir, port });
  return runProcess(locateBinary(runtime), args, {
    cwd: projectDir,
    env,
    timeoutMs: RUN_TIMEOUT_MS,
  });
}

async function runScenarioIn(
  runtime: Runtime,
  projectDir: string,
  config: ScenarioConfig,
  port: number,
): Promise<{ report: ScenarioReport; output: string; exitedOnItsOwn: boolean }> {
  if (runtime.kind === 'workerd') {
    const worker = await startWorkerd(runtime, projectDir);
    const answer = await fetch(worker.url, {
      method: 'POST',
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
    })
      .then(async (response) => ({ status: response.status, text: await response.text() }))
      .finally(() => worker.stop());
    // workerd flushes the Worker's console output when it stops. A Worker does not exit by
    // itself: the `exits` check does not apply.
    if (answer.status !== 200) {
      throw new RuntimeStepError(
        runtime,
        'run scenario',
        `the Worker answered ${answer.status}: ${answer.text}\n${worker.output()}`,
      );
    }
    const report = JSON.parse(answer.text) as ScenarioReport;
    return { report, output: worker.output(), exitedOnItsOwn: false };
  }
  const result = await runEntry(runtime, projectDir, 'entry.mjs', config, port);
  const output = `${result.stdout}${result.stderr}`;
  const report = parseReport<ScenarioReport>(result.stdout);
  if (!report) {
    throw new RuntimeStepError(
      runtime,
      'run scenario',
      `no report (exit ${String(result.code ?? result.signal)}${result.timedOut ? ', killed after the time limit' : ''}):\n${output.trim()}`,
    );
  }
  return { report, output, exitedOnItsOwn: !result.timedOut && result.code === 0 };
}

async function runRuntime(
  runtime: Runtime,
  tarball: string,
  packageName: string,
): Promise<RuntimeRun> {
  const row = { label: runtime.label, version: 'did not start', steps: new Map<string, string>() };
  results.set(runtime.id, row);
  const version = await binaryVersion(runtime);
  const pinned = pinnedVersion(runtime);
  row.version = pinned && !version.includes(pinned) ? `${version} (npm ${pinned})` : version;
  const server = await startStandInServer();
  let projectDir: string | undefined;
  try {
    projectDir = await createConsumer(tarball, packageName).catch((error: unknown) => {
      throw new RuntimeStepError(runtime, 'install the packed package', String(error), {
        cause: error,
      });
    });
    const config: ScenarioConfig = {
      baseUrl: server.baseUrl,
      accountId: server.accountId,
      apiToken: server.apiToken,
      apiEmail: server.apiEmail,
      apiKey: server.apiKey,
      policies: seedPolicies(server),
      timeoutMs: TIMEOUT_MS,
      abortAfterMs: ABORT_AFTER_MS,
      perPage: PER_PAGE,
    };
    const port = Number(new URL(server.baseUrl).port);
    const run = await runScenarioIn(runtime, projectDir, config, port);
    const requirePolicyId = server.seedPolicy({ comments: null }).id;
    return { ...run, version, config, server, requirePolicyId, projectDir };
  } catch (error) {
    await server.close();
    removeDir(projectDir);
    throw error;
  }
}

function stepReport(run: RuntimeRun, step: string): StepReport {
  const report = run.report.steps.find((candidate) => candidate.step === step);
  if (!report) {
    const importStep = run.report.steps.find((candidate) => candidate.step === 'import');
    throw new Error(
      `${run.report.runtime} did not run ${step}` +
        (importStep?.error
          ? `: importing the package failed: ${JSON.stringify(importStep.error)}`
          : ''),
    );
  }
  if (!report.ok) {
    throw new Error(
      `${step} threw in ${run.report.runtime}: ${JSON.stringify(report.error, null, 2)}`,
    );
  }
  return report;
}

describe.each(RUNTIMES)('$label', (runtime) => {
  const unavailable = runtime.npmPackage !== undefined && !binariesSupported;
  let run: RuntimeRun | undefined;

  const current = (): RuntimeRun => {
    if (!run)
      throw new Error(`${runtime.label}: the scenario did not run (see the hook error above)`);
    return run;
  };
  /** Marks the step failed unless the body completes. */
  const recorded = (step: string, body: () => Promise<void> | void) => async () => {
    record(runtime, step, '✗');
    await body();
    record(runtime, step, '✓');
  };

  beforeAll(async () => {
    if (unavailable) return;
    if (!packed) throw new Error('build or pack failed (see the first hook error)');
    run = await runRuntime(runtime, packed.tarball, packed.packageName);
  }, 120_000);

  afterAll(async () => {
    await run?.server.close();
    removeDir(run?.projectDir);
  });

  describe.skipIf(unavailable)('scenario', () => {
    test(
      'starts, imports the package and says which runtime and version it is',
      recorded('import', () => {
        const { version, report } = current();
        console.log(`${runtime.label}: binary ${version}; reports itself as ${report.runtime}`);
        expect(stepReport(current(), 'import').observed.exports).toBeGreaterThan(0);
      }),
    );

    test.each(STEPS)('$step: $want', ({ step, check, sent: sentFor }) =>
      recorded(step, () => {
        const active = current();
        const policyId = active.config.policies[step];
        const { requests } = active.server;
        const sent = sentFor
          ? sentFor(requests, active)
          : requests.filter((request) => request.path.includes(policyId));
        check({ ...stepReport(active, step).observed }, sent, active);
      })(),
    );

    test.skipIf(runtime.kind === 'workerd')(
      'require() of the package from CommonJS works and makes a call',
      recorded('require()', async () => {
        const active = current();
        const { server } = active;
        const config = {
          baseUrl: server.baseUrl,
          accountId: server.accountId,
          apiToken: server.apiToken,
          policyId: active.requirePolicyId,
        };
        const port = Number(new URL(server.baseUrl).port);
        const result = await runEntry(runtime, active.projectDir, 'require.cjs', config, port);
        expect(parseReport(result.stdout), result.stderr).toEqual({
          required: true,
          comments: 'updated through require()',
        });
        expect(server.policies.get(active.requirePolicyId)?.comments).toBe(
          'updated through require()',
        );
      }),
    );

    test.skipIf(runtime.kind === 'workerd')(
      'the process ends on its own after the scenario (no timer or socket left holding it)',
      recorded('exits', () => {
        expect(current().exitedOnItsOwn).toBe(true);
      }),
    );
  });
});

describe('a runtime that cannot start says which step failed', () => {
  const byId = (id: string) => RUNTIMES.find((runtime) => runtime.id === id) as Runtime;
  let projectDir: string | undefined;
  afterAll(() => removeDir(projectDir));

  test('a missing binary: "could not locate binary", with the package and the reinstall command', () => {
    const bun = { ...byId('bun'), binary: '/nonexistent/bin/bun' };
    expect(() => locateBinary(bun)).toThrow(
      /^Bun: could not locate binary: \/nonexistent\/bin\/bun is missing\. It comes from the npm package @oven\/bun-linux-x64 .*`npm ci --prefix test\/runtimes\/binaries`/,
    );
  });

  test.skipIf(!binariesSupported)(
    "a Worker that cannot be bundled, or throws when loaded: the step and the tool's own message",
    async () => {
      projectDir = makeTempDir('email-security-broken-worker');
      const workerd = byId('workerd');
      writeFileSync(join(projectDir, 'worker.mjs'), "import 'no-such-package';\n");
      await expect(startWorkerd(workerd, projectDir)).rejects.toThrow(
        /could not bundle the Worker \(esbuild\): .*no-such-package/s,
      );
      writeFileSync(
        join(projectDir, 'worker.mjs'),
        "throw new Error('broken at load');\nexport default { fetch: () => new Response('') };\n",
      );
      await expect(startWorkerd(workerd, projectDir)).rejects.toThrow(
        /could not start workerd: .*broken at load/s,
      );
    },
    60_000,
  );
});

/** Node lines whose require() cannot load ES modules (require(esm) unflagged in 20.19 and 22.12). */
const WITHOUT_REQUIRE_ESM = ['18.20.8', '20.18.3', '21.7.3', '22.11.0'];

describe('packaging that tells the truth', () => {
  let projectDir: string | undefined;
  const project = () => {
    if (!projectDir) throw new Error('the types consumer was not installed (see the hook error)');
    return projectDir;
  };
  const cases = TYPE_CASES.flatMap((typeCase, index) =>
    typeCase.compilers.map((compiler) => ({
      ...typeCase,
      compiler,
      tsconfig: `tsconfig.case-${index}.json`,
    })),
  );

  beforeAll(async () => {
    if (!packed) throw new Error('build or pack failed (see the first hook error)');
    projectDir = await installIntoFreshProject(packed.tarball, [NODE_TYPES]);
    for (const [file, source] of Object.entries(SOURCES)) {
      writeFileSync(join(projectDir, file), source(packed.packageName));
    }
    TYPE_CASES.forEach(({ file, compilerOptions }, index) => {
      const tsconfig = { compilerOptions: { ...compilerOptions, rootDir: '.' }, files: [file] };
      writeFileSync(
        join(project(), `tsconfig.case-${index}.json`),
        `${JSON.stringify(tsconfig, null, 2)}\n`,
      );
    });
  }, 120_000);

  afterAll(() => removeDir(projectDir));

  test('engines admits every Node the matrix runs, and no Node whose require() cannot load ESM', () => {
    const range = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    const tested = RUNTIMES.filter((runtime) => runtime.kind === 'node').map((runtime) =>
      runtime.npmPackage ? pinnedVersion(runtime) : process.versions.node,
    );
    expect(tested.filter((version) => !version || !semver.satisfies(version, range))).toEqual([]);
    expect(WITHOUT_REQUIRE_ESM.filter((version) => semver.satisfies(version, range))).toEqual([]);
  });

  test.each(cases)(
    '$name ($compiler)',
    async ({ compiler, tsconfig, want }) => {
      const output = await runTsc(compiler, join(project(), tsconfig), ['--noEmit']).then(
        ({ stdout }) => stdout,
        (error: Error) => error.message,
      );
      const diagnostics = parseDiagnostics(output);
      if (want === 'ok') {
        expect(diagnostics, output).toEqual([]);
        return;
      }
      expect(diagnostics.length, output).toBeGreaterThan(0);
      expect(
        diagnostics.filter(({ code }) => !want.onlyCodes.includes(code)),
        output,
      ).toEqual([]);
      if (want.names) {
        const names = new Set(diagnostics.flatMap((diagnostic) => missingName(diagnostic) ?? []));
        expect(names.size, output).toBeGreaterThan(0);
        expect(
          [...names].filter((name) => !want.names?.includes(name)),
          output,
        ).toEqual([]);
      }
    },
    60_000,
  );

  test("the node10 CommonJS consumer, compiled by TypeScript, runs on the machine's Node", async () => {
    const index = TYPE_CASES.findIndex((typeCase) => typeCase.file === 'runnable.cts');
    await runTsc('TypeScript 5.9', join(project(), `tsconfig.case-${index}.json`), [
      '--noEmit',
      'false',
      '--outDir',
      'out-node10',
    ]);
    const server = await startStandInServer();
    try {
      const { id } = server.seedPolicy({ comments: null });
      const { stdout } = await runCommand(process.execPath, [join('out-node10', 'runnable.cjs')], {
        cwd: project(),
        env: minimalEnv({
          STAND_IN_BASE_URL: server.baseUrl,
          STAND_IN_ACCOUNT_ID: server.accountId,
          STAND_IN_API_TOKEN: server.apiToken,
          STAND_IN_POLICY_ID: id,
        }),
        timeoutMs: 30_000,
      });
      expect(readFileSync(join(project(), 'out-node10', 'runnable.cjs'), 'utf8')).toMatch(
        /require\(/,
      );
      expect(JSON.parse(stdout.trim())).toEqual({ comments: 'from a node10 CommonJS consumer' });
    } finally {
      await server.close();
    }
  }, 60_000);
});
