/**
 * Iterating a paged list: 10,000 allow policies in pages of 1,000 from the stand-in (run in a
 * child process, so this process's CPU is the client's alone), with
 *   - the library: `for await (const policy of cf.allowPolicies.list({ per_page: 1000 }))`
 *     (the list operation from the vendored spec, as a registry);
 *   - the baseline: a hand-written loop of raw `fetch` + `JSON.parse` over the same pages.
 * Reports the client CPU per page (user + system, median of the runs) and the ratio, and the
 * resident set size after the first and after the last page of a 10-page and a 40-page
 * iteration (it must not grow with the number of pages: one page is held at a time).
 *
 * Usage: `tsx bench/pagination.bench.ts [--runs N]`
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOperations } from '../scripts/codegen/plan.js';
import type { OpenApiDocument } from '../scripts/codegen/validate.js';
import { createEmailSecurityClient } from '../src/index.js';
import { median, printResults } from './report.js';
import { repoRoot, startStandInProcess, supportModule } from './stand-in-process.js';

const LIST = 'email_security_list_allow_policies';
const PER_PAGE = 1000;

interface Server {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly apiToken: string;
  readonly child: ChildProcess;
}

/** The stand-in with `count` policies, in its own process. */
function startServer(count: number): Promise<Server> {
  return startStandInProcess<Omit<Server, 'child'>>(`
    import { startStandInServer } from ${supportModule('stand-in-server.ts')};
    const server = await startStandInServer({ recordRequests: false });
    for (let i = 0; i < ${count}; i += 1) server.seedPolicy({ pattern: 'sender-' + i + '@example.com', comments: 'bench policy ' + i });
    console.log(JSON.stringify({ baseUrl: server.baseUrl, accountId: server.accountId, apiToken: server.apiToken }));
  `);
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function registry() {
  const doc = JSON.parse(
    readFileSync(join(repoRoot, 'openapi/cloudflare-email-security.openapi.json'), 'utf8'),
  ) as OpenApiDocument;
  const [list] = planOperations(doc, [LIST]).operations;
  if (!list) throw new Error(`${LIST} is not in the vendored spec`);
  return { [list.metadata.functionName]: { metadata: list.metadata } };
}

async function libraryRun(server: Server, operations: ReturnType<typeof registry>) {
  const cf = createEmailSecurityClient({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    auth: { apiToken: server.apiToken },
    operations,
  }) as unknown as {
    allowPolicies: {
      list(
        query: object,
      ): AsyncIterable<{ id: string }> & { pages(): AsyncIterable<{ items: readonly unknown[] }> };
    };
  };
  const started = process.cpuUsage();
  let pages = 0;
  let items = 0;
  const rss: number[] = [];
  for await (const page of cf.allowPolicies.list({ per_page: PER_PAGE }).pages()) {
    pages += 1;
    items += page.items.length;
    rss.push(process.memoryUsage().rss);
  }
  return { cpuPerPage: cpuMs(started) / pages, pages, items, rss };
}

async function rawRun(server: Server) {
  const started = process.cpuUsage();
  let pages = 0;
  let items = 0;
  for (let page = 1; ; page += 1) {
    const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies?per_page=${PER_PAGE}&page=${page}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } });
    const body = JSON.parse(await response.text()) as {
      result: unknown[];
      result_info: { total_count: number };
    };
    pages += 1;
    items += body.result.length;
    if (page * PER_PAGE >= body.result_info.total_count) break;
  }
  return { cpuPerPage: cpuMs(started) / pages, pages, items };
}

async function main(): Promise<void> {
  const runsIndex = process.argv.indexOf('--runs');
  const runs =
    runsIndex === -1 ? 7 : Math.min(Math.max(Number(process.argv[runsIndex + 1]) || 7, 1), 50);
  const operations = registry();
  const small = await startServer(10_000);
  const large = await startServer(40_000);
  try {
    await libraryRun(small, operations); // warm-up: JIT, connection
    await rawRun(small);
    const library: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < runs; round += 1) {
      const lib = await libraryRun(small, operations);
      if (lib.items !== 10_000 || lib.pages !== 10)
        throw new Error(`library saw ${lib.items} items in ${lib.pages} pages`);
      library.push(lib.cpuPerPage);
      raw.push((await rawRun(small)).cpuPerPage);
    }
    const ten = await libraryRun(small, operations);
    const forty = await libraryRun(large, operations);
    const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `pagination benchmark: ${runs} runs, 10,000 policies in pages of ${PER_PAGE}, client CPU only`,
    );
    console.log(
      `  RSS, 10 pages: after page 1 ${mb(ten.rss[0])}, after page 10 ${mb(ten.rss.at(-1))}`,
    );
    console.log(
      `  RSS, 40 pages: after page 1 ${mb(forty.rss[0])}, after page 40 ${mb(forty.rss.at(-1))}; peak ${mb(Math.max(...forty.rss))}`,
    );
    const libraryMedian = median(library);
    const rawMedian = median(raw);
    printResults([
      {
        name: 'for await over cf.allowPolicies.list (CPU per page of 1,000)',
        medianMs: libraryMedian,
        baselineName: 'raw fetch + JSON.parse loop (CPU per page)',
        baselineMedianMs: rawMedian,
        ratio: libraryMedian / rawMedian,
        target: null,
      },
      {
        unit: 'MB',
        name: 'RSS after page 40 (40,000 policies)',
        medianMs: (forty.rss.at(-1) ?? 0) / 1024 / 1024,
        baselineName: 'RSS after page 1',
        baselineMedianMs: (forty.rss[0] ?? 0) / 1024 / 1024,
        ratio: (forty.rss.at(-1) ?? 0) / (forty.rss[0] ?? 1),
        target: null,
      },
    ]);
  } finally {
    small.child.kill();
    large.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
