/**
 * Issue 13's rate-limit run: 150 updates through one client against the stand-in's scaled-down
 * budget (40 requests per 4 s, then every call blocked for the window), sequential and 20-way
 * concurrent. The block must be tripped zero times and the run must take at most 1.3× the
 * budget's minimum: with windows opening at the first request, 150 requests need 4 windows, so
 * the last batch cannot start before 3 × 4 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEmailSecurityClient,
  type EmailSecurityClientOptions,
  type RateLimitWait,
} from '../../src/index.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

const BUDGET = { requests: 40, windowMs: 4_000 };
const UPDATES = 150;
const MINIMUM_MS = (Math.ceil(UPDATES / BUDGET.requests) - 1) * BUDGET.windowMs;

let server: StandInServer | undefined;

/** A client of the running stand-in. */
function clientOf(stand: StandInServer, options: EmailSecurityClientOptions = {}) {
  return createEmailSecurityClient({
    accountId: stand.accountId,
    auth: { apiToken: stand.apiToken },
    baseUrl: stand.baseUrl,
    onDeprecation: () => {},
    ...options,
  });
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(concurrency: number) {
  server = await startStandInServer({ rateLimit: BUDGET, recordRequests: false });
  const ids = Array.from({ length: 10 }, () => (server as StandInServer).seedPolicy().id);
  const waits: RateLimitWait[] = [];
  const debug: string[] = [];
  const cf = clientOf(server, {
    onRateLimit: (wait) => waits.push(wait),
    logger: { debug: (message) => debug.push(message) },
    logLevel: 'debug',
  });
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < UPDATES) {
      const n = next++;
      await cf.allowPolicies.update(ids[n % ids.length] as string, { comments: `update ${n}` });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Date.now() - started;
  return { elapsed, waits, debug, stats: { ...server.rateLimitStats } };
}

describe('150 updates against a 40 per 4 s budget with a block of every call', () => {
  it.each([1, 20])(
    '%i-way: zero blocks, within 1.3× of the minimum',
    async (concurrency) => {
      const { elapsed, waits, debug, stats } = await run(concurrency);
      console.info(
        `rate-limit run, ${concurrency}-way: ${stats.accepted} answered, ${stats.rejected} × 429, ${stats.trips} blocks, ` +
          `${elapsed} ms (minimum ${MINIMUM_MS} ms, ${(elapsed / MINIMUM_MS).toFixed(2)}×), ${waits.length} waits`,
      );
      expect(stats).toEqual({ accepted: UPDATES, rejected: 0, trips: 0 });
      expect(elapsed).toBeGreaterThanOrEqual(MINIMUM_MS);
      expect(elapsed).toBeLessThanOrEqual(MINIMUM_MS * 1.3);
      expect(waits.length).toBeGreaterThan(0);
      expect(waits.every((w) => w.reason === 'server-budget' || w.reason === 'server-policy')).toBe(
        true,
      );
      expect(
        debug.some((line) =>
          /^waiting \d+ ms for the rate limit \(server-(budget|policy)\)$/.test(line),
        ),
      ).toBe(true);
    },
    40_000,
  );
});

describe('a 429 pauses the whole client', () => {
  it('when another tool spent the budget: every call waits out the Retry-After, none is sent meanwhile', async () => {
    server = await startStandInServer({
      rateLimit: { requests: 3, windowMs: 1_000, blockMs: 1_000 },
    });
    const policy = server.seedPolicy();
    const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies/${policy.id}`;
    // Another tool on the same account trips the block.
    for (let i = 0; i < 4; i++) {
      await (await fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } })).text();
    }
    const waits: RateLimitWait[] = [];
    const cf = clientOf(server, {
      onRateLimit: (wait) => waits.push(wait),
      retryDelay: { initialDelayMs: 1, maxDelayMs: 2 },
      // One at a time: the next call gets its slot as soon as the 429 arrives, so only the
      // client-wide pause keeps it from meeting the block too.
      maxConcurrency: 1,
    });
    const before = server.rateLimitStats.rejected;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        cf.allowPolicies.update(policy.id, { comments: `c${i}` }),
      ),
    );
    const elapsed = Date.now() - started;
    // The first call met the block; the others waited for the pause instead of each meeting it.
    expect(server.rateLimitStats.rejected - before).toBe(1);
    expect(server.rateLimitStats.trips).toBe(1);
    expect(waits.some((w) => w.reason === 'rate-limited')).toBe(true);
    expect(elapsed).toBeLessThan(10_000);
  }, 20_000);

  it('rateLimit: false turns budgeting off; maxConcurrency still bounds calls in flight', async () => {
    server = await startStandInServer({ rateLimit: { requests: 1_000, windowMs: 60_000 } });
    const policy = server.seedPolicy();
    let inFlight = 0;
    let peak = 0;
    const cf = clientOf(server, {
      rateLimit: false,
      maxConcurrency: 3,
      fetch: async (request) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await fetch(request);
        } finally {
          inFlight--;
        }
      },
    });
    await Promise.all(
      Array.from({ length: 12 }, () => cf.allowPolicies.update(policy.id, { comments: 'x' })),
    );
    expect(peak).toBe(3);
  });

  it('a throwing onRateLimit hook does not strand the calls waiting', async () => {
    server = await startStandInServer();
    const policy = server.seedPolicy();
    const cf = clientOf(server, {
      rateLimit: { requests: 1, windowMs: 100 },
      onRateLimit: () => {
        throw new Error('hook broke');
      },
    });
    const results = await Promise.all(
      [1, 2, 3].map(() => cf.allowPolicies.update(policy.id, { comments: 'x' })),
    );
    expect(results).toHaveLength(3);
  });

  it('the options are checked', () => {
    const base = {
      accountId: '023e105f4ecef8ad9ca31a8372d0c353',
      auth: { apiToken: 'tok_0123456789abcdef' },
    };
    expect(() =>
      createEmailSecurityClient({ ...base, rateLimit: { requests: 0, windowMs: 1 } }),
    ).toThrow(/options\.rateLimit/);
    expect(() => createEmailSecurityClient({ ...base, maxConcurrency: 0 })).toThrow(
      /options\.maxConcurrency/,
    );
  });
});
