import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRateLimit, parseRateLimitPolicy } from '../../src/rate-limit.js';
import { createStandInRateLimit } from '../support/stand-in-rate-limit.js';
import { type StandInServer, startStandInServer } from '../support/stand-in-server.js';

describe("the stand-in's rate-limit mode", () => {
  it('answers the budget, then blocks EVERY call for the block time', () => {
    let now = 1_000;
    const limit = createStandInRateLimit({ requests: 3, windowMs: 4_000 }, () => now);
    const verdicts = [0, 1, 2].map(() => limit.check());
    expect(verdicts.map((v) => v.kind)).toEqual(['pass', 'pass', 'pass']);
    expect(verdicts.map((v) => v.headers.ratelimit)).toEqual([
      '"default";r=2;t=4',
      '"default";r=1;t=4',
      '"default";r=0;t=4',
    ]);
    now += 1_500;
    expect(limit.check()).toEqual({
      kind: 'blocked',
      headers: {
        'retry-after': '4',
        ratelimit: '"default";r=0;t=4',
        'ratelimit-policy': '"burst";q=3;w=4',
      },
    });
    now += 3_000; // the window is over, the block is not
    expect(limit.check().kind).toBe('blocked');
    now += 1_000;
    expect(limit.check().kind).toBe('pass');
    expect(limit.stats).toEqual({ accepted: 4, rejected: 2, trips: 1 });
  });

  it('opens a new window at the first request after the last one closed', () => {
    let now = 0;
    const limit = createStandInRateLimit({ requests: 2, windowMs: 1_000 }, () => now);
    limit.check();
    now = 999;
    expect(limit.check().headers.ratelimit).toBe('"default";r=0;t=1');
    now = 5_000;
    expect(limit.check().headers.ratelimit).toBe('"default";r=1;t=1');
    expect(limit.stats.trips).toBe(0);
  });

  it('refuses a window that is not whole seconds', () => {
    expect(() => createStandInRateLimit({ requests: 2, windowMs: 1_500 })).toThrow(/whole seconds/);
  });

  describe('over HTTP', () => {
    let server: StandInServer;
    beforeAll(async () => {
      server = await startStandInServer({ rateLimit: { requests: 2, windowMs: 60_000 } });
    });
    afterAll(() => server.close());

    it('sends parseable Ratelimit headers on answers and 429 with Retry-After once over', async () => {
      const policy = server.seedPolicy();
      const url = `${server.baseUrl}/accounts/${server.accountId}/email-security/settings/allow_policies/${policy.id}`;
      const get = () => fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } });
      const first = await get();
      expect(first.status).toBe(200);
      expect(parseRateLimit(first.headers.get('ratelimit'))).toEqual([
        { policy: 'default', remaining: 1, resetSeconds: 60 },
      ]);
      expect(parseRateLimitPolicy(first.headers.get('ratelimit-policy'))).toEqual([
        { policy: 'burst', quota: 2, windowSeconds: 60 },
      ]);
      await (await get()).text();
      const blocked = await get();
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('60');
      expect((await blocked.json()).errors[0].code).toBe(971);
      expect(server.rateLimitStats).toEqual({ accepted: 2, rejected: 1, trips: 1 });
    });
  });
});
