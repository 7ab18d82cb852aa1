import { describe, expect, it } from 'vitest';
import {
  type Clock,
  createRateLimiter,
  parseRateLimit,
  parseRateLimitPolicy,
  parseStructuredList,
  type RateLimitWait,
} from '../../src/rate-limit.js';

describe('Ratelimit (draft-ietf-httpapi-ratelimit-headers, RFC 8941 List of Items)', () => {
  it.each<[string, string | null, ReturnType<typeof parseRateLimit>]>([
    [
      "Cloudflare's form",
      '"default";r=50;t=30',
      [{ policy: 'default', remaining: 50, resetSeconds: 30 }],
    ],
    [
      'a token as the policy name',
      'default;r=0;t=1',
      [{ policy: 'default', remaining: 0, resetSeconds: 1 }],
    ],
    [
      'spaces after ; and around ,',
      '"a";  r=1; t=2 ,  "b";r=3;t=4',
      [
        { policy: 'a', remaining: 1, resetSeconds: 2 },
        { policy: 'b', remaining: 3, resetSeconds: 4 },
      ],
    ],
    ['t absent means 0', '"d";r=5', [{ policy: 'd', remaining: 5, resetSeconds: 0 }]],
    [
      'unknown parameters are ignored',
      '"d";r=5;t=9;pk=:cHsdsRa894==:;x="y"',
      [{ policy: 'd', remaining: 5, resetSeconds: 9 }],
    ],
    [
      'a repeated parameter: the last wins',
      '"d";r=5;r=2;t=9',
      [{ policy: 'd', remaining: 2, resetSeconds: 9 }],
    ],
    [
      'a member without r is skipped',
      '"a";t=3, "b";r=1;t=2',
      [{ policy: 'b', remaining: 1, resetSeconds: 2 }],
    ],
    [
      'negative, decimal or string r is skipped',
      '"a";r=-1, "b";r=1.5, "c";r="2", "d";r=?1, "e";r=3',
      [{ policy: 'e', remaining: 3, resetSeconds: 0 }],
    ],
    [
      'an inner list member is skipped',
      '("a" "b");r=1, "c";r=2',
      [{ policy: 'c', remaining: 2, resetSeconds: 0 }],
    ],
    ['absent', null, []],
    ['empty', '', []],
    ['unterminated string: the whole field is ignored', '"default;r=50;t=30', []],
    ['trailing comma: ignored', '"d";r=1,', []],
    ['upper-case key: ignored', '"d";R=1', []],
    ['16-digit integer: ignored', '"d";r=1234567890123456', []],
    ['garbage: ignored', '50, 30', []],
    [
      'a leading space is allowed, a tab separator between members too',
      ' "d";r=1,\t"e";r=2',
      [
        { policy: 'd', remaining: 1, resetSeconds: 0 },
        { policy: 'e', remaining: 2, resetSeconds: 0 },
      ],
    ],
    [
      'escaped quote in the name',
      '"a\\"b";r=1',
      [{ policy: 'a"b', remaining: 1, resetSeconds: 0 }],
    ],
    ['invalid escape: ignored', '"a\\nb";r=1', []],
  ])('%s', (_, field, want) => {
    expect(parseRateLimit(field)).toEqual(want);
  });
});

describe('Ratelimit-Policy', () => {
  it.each<[string, string | null, ReturnType<typeof parseRateLimitPolicy>]>([
    [
      "Cloudflare's form",
      '"burst";q=100;w=60',
      [{ policy: 'burst', quota: 100, windowSeconds: 60 }],
    ],
    ['w is optional', '"day";q=1000', [{ policy: 'day', quota: 1000, windowSeconds: undefined }]],
    [
      'quota units and partition keys are ignored',
      '"p";q=10;w=1;qu="requests";pk=:AQID:',
      [{ policy: 'p', quota: 10, windowSeconds: 1 }],
    ],
    [
      'q = 0 or w = 0 is skipped',
      '"a";q=0;w=5, "b";q=5;w=0, "c";q=5;w=5',
      [{ policy: 'c', quota: 5, windowSeconds: 5 }],
    ],
    ['a decimal quota is skipped', '"a";q=1.5;w=5', []],
    ['malformed: ignored', '"burst";q=100;w=', []],
  ])('%s', (_, field, want) => {
    expect(parseRateLimitPolicy(field)).toEqual(want);
  });

  it('parses the other RFC 8941 bare items it may meet (so they do not break a field)', () => {
    expect(parseStructuredList('a;x=?0;y=:AQID:;z=1.25;w=tok/en, (1 2);p')).toEqual([
      {
        value: { token: 'a' },
        params: new Map<string, unknown>([
          ['x', false],
          ['y', { bytes: 'AQID' }],
          ['z', 1.25],
          ['w', { token: 'tok/en' }],
        ]),
      },
      {
        inner: [
          { value: 1, params: new Map() },
          { value: 2, params: new Map() },
        ],
        params: new Map([['p', true]]),
      },
    ]);
  });
});

/** A manual clock: timers fire only when the test advances time. */
function manualClock() {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = ++nextId;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = next.at;
      next.callback();
      await Promise.resolve();
    }
    now = until;
    await Promise.resolve();
  };
  return {
    clock,
    advance,
    get now() {
      return now;
    },
  };
}

const headers = (h: Record<string, string>) => new Headers(h);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createRateLimiter', () => {
  it('lets maxConcurrency calls through and queues the rest in order', async () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({ budget: false, maxConcurrency: 2, clock });
    const order: number[] = [];
    const permits = [1, 2, 3, 4].map((n) =>
      limiter.acquire().then((p) => {
        order.push(n);
        return p;
      }),
    );
    await flush();
    expect(order).toEqual([1, 2]);
    (await permits[0])?.done();
    await flush();
    expect(order).toEqual([1, 2, 3]);
    (await permits[1])?.done();
    await flush();
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('client-side budget: N per window, then waits until the oldest leaves it (and says so)', async () => {
    const { clock, advance } = manualClock();
    const waits: RateLimitWait[] = [];
    const limiter = createRateLimiter({
      budget: { requests: 3, windowMs: 1000 },
      maxConcurrency: 10,
      clock,
      onWait: (w) => waits.push(w),
    });
    let granted = 0;
    for (let i = 0; i < 5; i++)
      void limiter.acquire().then((p) => {
        granted++;
        p.done();
      });
    await flush();
    expect(granted).toBe(3);
    expect(waits).toEqual([{ waitMs: 1000, reason: 'client-budget', queued: 1 }]);
    await advance(999);
    await flush();
    expect(granted).toBe(3);
    await advance(1);
    await flush();
    expect(granted).toBe(5);
  });

  it('server budget: stops before the last requests and waits for the reset it announced', async () => {
    const { clock, advance } = manualClock();
    const waits: RateLimitWait[] = [];
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 1,
      clock,
      onWait: (w) => waits.push(w),
    });
    const p1 = await limiter.acquire();
    // 40 per window, 2 left after this one, reset in 3 s: 2.5 % of 40 is 1 kept in reserve.
    p1.done({
      status: 200,
      headers: headers({ ratelimit: '"default";r=2;t=3', 'ratelimit-policy': '"burst";q=40;w=4' }),
    });
    const p2 = await limiter.acquire();
    p2.done({ status: 200, headers: headers({ ratelimit: '"default";r=1;t=3' }) });
    let third = false;
    void limiter.acquire().then((p) => {
      third = true;
      p.done();
    });
    await flush();
    expect(third).toBe(false);
    expect(waits[0]).toMatchObject({ reason: 'server-budget', waitMs: 3000 });
    await advance(3000);
    await flush();
    expect(third).toBe(true);
  });

  it('counts requests sent after the one the server answered (concurrent calls share one budget)', async () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 10,
      clock,
    });
    const first = await limiter.acquire();
    const others = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    // The server saw only the first: 4 left. Three more are already in flight, so 1 is left.
    first.done({ status: 200, headers: headers({ ratelimit: '"default";r=4;t=10' }) });
    let granted = 0;
    void limiter.acquire().then(() => granted++);
    void limiter.acquire().then(() => granted++);
    await flush();
    expect(granted).toBe(1);
    for (const p of others) p.done();
  });

  it('a 429 pauses every call of the client for its Retry-After', async () => {
    const { clock, advance } = manualClock();
    const waits: RateLimitWait[] = [];
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 10,
      clock,
      onWait: (w) => waits.push(w),
    });
    const p = await limiter.acquire();
    p.done({ status: 429, headers: headers({ 'retry-after': '2' }) }, 2_000);
    let granted = 0;
    for (let i = 0; i < 3; i++) void limiter.acquire().then(() => granted++);
    await flush();
    expect(granted).toBe(0);
    expect(waits).toEqual([{ waitMs: 2000, reason: 'rate-limited', queued: 1 }]);
    await advance(2000);
    await flush();
    expect(granted).toBe(3);
  });

  it('the server policy binds once announced (sliding window of q minus the reserve)', async () => {
    const { clock, advance } = manualClock();
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 100,
      clock,
    });
    const first = await limiter.acquire();
    first.done({ status: 200, headers: headers({ 'ratelimit-policy': '"burst";q=4;w=1' }) });
    let granted = 0;
    for (let i = 0; i < 6; i++)
      void limiter.acquire().then((p) => {
        granted++;
        p.done();
      });
    await flush();
    expect(granted).toBe(3); // 4 per second, the first already counted
    await advance(1000);
    await flush();
    expect(granted).toBe(6);
  });

  it('an aborted wait leaves the queue and rejects with the reason', async () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({ budget: false, maxConcurrency: 1, clock });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(limiter.stats.queued).toBe(0);
    held.done();
    expect(limiter.stats.inFlight).toBe(0);
  });

  it('budget false: no waits at all, whatever the server says', async () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({ budget: false, maxConcurrency: 100, clock });
    const p = await limiter.acquire();
    p.done({ status: 429, headers: headers({ ratelimit: '"d";r=0;t=300' }) }, 60_000);
    let granted = 0;
    for (let i = 0; i < 50; i++) void limiter.acquire().then(() => granted++);
    await flush();
    expect(granted).toBe(50);
  });

  it('ignores a malformed header instead of trusting it', async () => {
    const { clock } = manualClock();
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 100,
      clock,
    });
    const p = await limiter.acquire();
    p.done({
      status: 200,
      headers: headers({
        ratelimit: '"default";r=0;t=99999999999999999',
        'ratelimit-policy': 'q=oops',
      }),
    });
    let granted = 0;
    for (let i = 0; i < 10; i++) void limiter.acquire().then(() => granted++);
    await flush();
    expect(granted).toBe(10);
  });

  it('tightens the reset from several answers of one window (each t is rounded up)', async () => {
    const m = manualClock();
    const waits: RateLimitWait[] = [];
    const limiter = createRateLimiter({
      budget: { requests: 1_000, windowMs: 300_000 },
      maxConcurrency: 1,
      clock: m.clock,
      onWait: (w) => waits.push(w),
    });
    const answer = async (r: number, t: number) => {
      const p = await limiter.acquire();
      p.done({ status: 200, headers: headers({ ratelimit: `"default";r=${r};t=${t}` }) });
    };
    await answer(3, 4); // reset at most 4000 ms from now
    await m.advance(700);
    await answer(2, 4); // at most 4700: the earlier bound stays
    await m.advance(400);
    await answer(1, 3); // at most 1100 + 3000 = 4100: still 4000
    await m.advance(50);
    await answer(0, 3); // at most 1150 + 3000 = 4150
    void limiter.acquire();
    await flush();
    expect(waits.at(-1)).toMatchObject({ reason: 'server-budget', waitMs: 4000 - 1150 });
  });

  it('an aborted last waiter clears the pending timer (nothing keeps the process alive)', async () => {
    const m = manualClock();
    let timers = 0;
    const clock: Clock = {
      ...m.clock,
      setTimeout: (callback, ms) => {
        timers++;
        return m.clock.setTimeout(callback, ms);
      },
      clearTimeout: (id) => {
        timers--;
        m.clock.clearTimeout(id);
      },
    };
    const limiter = createRateLimiter({
      budget: { requests: 1, windowMs: 60_000 },
      maxConcurrency: 5,
      clock,
    });
    (await limiter.acquire()).done();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await flush();
    expect(timers).toBe(1);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(timers).toBe(0);
  });
});
