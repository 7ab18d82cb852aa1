/**
 * The end-to-end scenario of the runtime matrix. It runs INSIDE each runtime (a Node, Bun or Deno
 * process, or a Worker in workerd) against the stand-in API on 127.0.0.1, using only the package's
 * public API and web globals (no `node:` imports, no `process`), so the same code runs everywhere.
 *
 * It observes and reports; it asserts nothing. `matrix.test.ts` prepares the stand-in (one seeded
 * policy and its faults per step), then checks the report against its table and against what the
 * stand-in received. A step that throws where it should not is reported with the error's name,
 * message and the first stack lines, so a runtime that breaks inside the library says where.
 *
 * Compiled to `scenario.mjs` in each consumer project by esbuild (a transform: the package is
 * passed in by the entry, so this file never names it).
 */
import type * as Library from '../../src/index.js';

export const STEP_NAMES = [
  'token-update',
  'legacy-auth',
  'validation-refusal',
  'deprecation-migration',
  'rate-limit-retried',
  'bad-gateway',
  'timeout',
  'abort',
  'list-pages',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

export interface ScenarioConfig {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly apiToken: string;
  readonly apiEmail: string;
  readonly apiKey: string;
  /** The stand-in policy each step updates (faults are injected per policy path). */
  readonly policies: Readonly<Record<StepName, string>>;
  /** Per-attempt timeout of the `timeout` step; the stand-in delays far longer. */
  readonly timeoutMs: number;
  /** When the `abort` step aborts its call; the stand-in delays far longer. */
  readonly abortAfterMs: number;
  /** Page size of the `list-pages` step: several pages over the seeded policies. */
  readonly perPage: number;
}

export interface ErrorReport {
  readonly name: string;
  readonly message: string;
  /** `instanceof` the package's own classes, as a consumer would test them. */
  readonly classes: readonly string[];
  readonly status?: number;
  readonly cfRay?: string | null;
  readonly causeMessage?: string;
  readonly stack?: string;
}

export interface StepReport {
  readonly step: StepName | 'import';
  /** false: the step threw something it did not expect (see `error`). */
  readonly ok: boolean;
  readonly observed: Readonly<Record<string, unknown>>;
  readonly error?: ErrorReport;
}

export interface ScenarioReport {
  /** What the runtime says it is (the test prints it beside the binary's own `--version`). */
  readonly runtime: string;
  readonly steps: readonly StepReport[];
}

type Lib = typeof Library;

const ERROR_CLASSES = [
  'EmailSecurityError',
  'ValidationError',
  'CloudflareApiError',
  'InternalServerError',
  'RateLimitError',
  'TimeoutError',
  'AbortError',
  'ConnectionError',
] as const;

function describeError(error: unknown, lib: Lib | undefined): ErrorReport {
  const value = error as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    cfRay?: unknown;
    cause?: unknown;
    stack?: unknown;
  } | null;
  const classes = lib
    ? ERROR_CLASSES.filter((name) => typeof lib[name] === 'function' && error instanceof lib[name])
    : [];
  const cause = value?.cause as { message?: unknown } | undefined;
  return {
    name: String(value?.name ?? typeof error),
    message: String(value?.message ?? error),
    classes,
    ...(typeof value?.status === 'number' ? { status: value.status } : {}),
    ...(value?.cfRay !== undefined ? { cfRay: value.cfRay as string | null } : {}),
    ...(cause?.message !== undefined ? { causeMessage: String(cause.message) } : {}),
    ...(typeof value?.stack === 'string'
      ? { stack: value.stack.split('\n').slice(0, 6).join('\n') }
      : {}),
  };
}

/** The runtime as it describes itself: Deno, Bun, Node (`process.versions`) or workerd. */
export function describeRuntime(): string {
  const scope = globalThis as {
    Deno?: { version?: { deno?: string } };
    Bun?: { version?: string };
    process?: { versions?: { node?: string } };
    navigator?: { userAgent?: string };
  };
  if (scope.Deno?.version?.deno) return `Deno ${scope.Deno.version.deno}`;
  if (scope.Bun?.version) return `Bun ${scope.Bun.version}`;
  const userAgent = scope.navigator?.userAgent ?? '';
  if (userAgent.startsWith('Cloudflare-Workers')) return 'Cloudflare Workers (workerd)';
  if (scope.process?.versions?.node) return `Node.js ${scope.process.versions.node}`;
  return userAgent || 'unknown runtime';
}

/** A call that must fail: its error, or a report that it did not fail. */
async function failure(lib: Lib, call: () => Promise<unknown>) {
  const started = Date.now();
  try {
    const result = await call();
    return { threw: false, result, elapsedMs: Date.now() - started };
  } catch (error) {
    return { threw: true, error: describeError(error, lib), elapsedMs: Date.now() - started };
  }
}

function steps(lib: Lib, config: ScenarioConfig, runtime: string) {
  const { baseUrl, accountId } = config;
  const fast = { initialDelayMs: 1, maxDelayMs: 20 };
  const withToken = () =>
    lib.createEmailSecurityClient({ baseUrl, accountId, auth: { apiToken: config.apiToken } });
  const id = config.policies;

  return {
    'token-update': async () => {
      const client = withToken();
      const policy = await client.allowPolicies.update(id['token-update'], {
        comments: `updated on ${runtime}`,
        is_trusted_sender: true,
      });
      return {
        id: policy.id,
        comments: policy.comments,
        is_trusted_sender: policy.is_trusted_sender,
        printedClient: JSON.stringify(client),
      };
    },
    'legacy-auth': async () => {
      const client = lib.createEmailSecurityClient({
        baseUrl,
        accountId,
        auth: { apiEmail: config.apiEmail, apiKey: config.apiKey },
      });
      const policy = await client.allowPolicies.update(id['legacy-auth'], { verify_sender: false });
      return { verify_sender: policy.verify_sender };
    },
    'validation-refusal': async () =>
      failure(lib, () =>
        withToken().allowPolicies.update(id['validation-refusal'], { pattern: '' }),
      ),
    'deprecation-migration': async () => {
      // Default deprecation policy and handler: the handler's warning is part of the scenario.
      const { result, deprecations } = await withToken().allowPolicies.update.withResponse(
        id['deprecation-migration'],
        { is_sender: true },
      );
      return {
        is_trusted_sender: result.is_trusted_sender,
        deprecations: deprecations.map(({ field, replacement, action }) => ({
          field,
          replacement,
          action,
        })),
      };
    },
    'rate-limit-retried': async () => {
      const client = lib.createEmailSecurityClient({
        baseUrl,
        accountId,
        auth: { apiToken: config.apiToken },
        retryDelay: fast,
      });
      const policy = await client.allowPolicies.update(id['rate-limit-retried'], {
        comments: 'after a 429',
      });
      return { comments: policy.comments };
    },
    'bad-gateway': async () =>
      failure(lib, () =>
        withToken().allowPolicies.update(
          id['bad-gateway'],
          { comments: 'behind a failing edge' },
          { maxRetries: 0 },
        ),
      ),
    timeout: async () =>
      failure(lib, () =>
        withToken().allowPolicies.update(
          id.timeout,
          { comments: 'too slow' },
          { timeoutMs: config.timeoutMs, maxRetries: 0 },
        ),
      ),
    abort: async () => {
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new Error('stopped by the scenario')),
        config.abortAfterMs,
      );
      try {
        return await failure(lib, () =>
          withToken().allowPolicies.update(
            id.abort,
            { comments: 'aborted' },
            { signal: controller.signal, maxRetries: 0 },
          ),
        );
      } finally {
        clearTimeout(timer);
      }
    },
    'list-pages': async () => {
      const list = withToken().allowPolicies.list({ per_page: config.perPage });
      const first = await list;
      const ids: string[] = [];
      for await (const policy of list) ids.push(policy.id);
      return { firstPage: first.items.length, resultInfo: first.resultInfo, ids };
    },
  } satisfies Record<StepName, () => Promise<Record<string, unknown>>>;
}

/** Imports the package (a failure is the `import` step), then runs every step in order. */
export async function runScenario(
  load: () => Promise<Lib>,
  config: ScenarioConfig,
): Promise<ScenarioReport> {
  const runtime = describeRuntime();
  let lib: Lib;
  try {
    lib = await load();
  } catch (error) {
    const importStep = {
      step: 'import',
      ok: false,
      observed: {},
      error: describeError(error, undefined),
    };
    return { runtime, steps: [importStep as StepReport] };
  }
  const reports: StepReport[] = [
    { step: 'import', ok: true, observed: { exports: Object.keys(lib).length } },
  ];
  const table = steps(lib, config, runtime);
  for (const step of STEP_NAMES) {
    try {
      reports.push({ step, ok: true, observed: await table[step]() });
    } catch (error) {
      reports.push({ step, ok: false, observed: {}, error: describeError(error, lib) });
    }
  }
  return { runtime, steps: reports };
}
