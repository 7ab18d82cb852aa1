/**
 * The stand-in's rate-limit mode: Cloudflare's budget, scaled down. A fixed window opens at the
 * first request after the previous one closed; up to `requests` are answered, each with
 *
 *   Ratelimit: "default";r=<left>;t=<seconds to the window's end, rounded up>
 *   Ratelimit-Policy: "burst";q=<requests>;w=<window seconds>
 *
 * and the first request over the budget trips a block: EVERY call is answered 429 (code 971,
 * `Retry-After`) for `blockMs` (default: the window), as Cloudflare blocks every API call for
 * 5 minutes once 1,200 per 5 minutes are exceeded.
 */
import type { OutgoingHttpHeaders } from 'node:http';

export interface StandInRateLimit {
  /** Requests answered per window (Cloudflare: 1,200). */
  readonly requests: number;
  /** Window length in ms, a whole number of seconds (Cloudflare: 300,000). */
  readonly windowMs: number;
  /** How long a tripped block lasts (default `windowMs`). */
  readonly blockMs?: number;
}

export interface RateLimitStats {
  /** Requests answered normally. */
  accepted: number;
  /** Requests answered 429. */
  rejected: number;
  /** How many times the block was tripped. */
  trips: number;
}

export type RateLimitVerdict =
  | { readonly kind: 'pass'; readonly headers: OutgoingHttpHeaders }
  | { readonly kind: 'blocked'; readonly headers: OutgoingHttpHeaders };

export function createStandInRateLimit(config: StandInRateLimit, now: () => number = Date.now) {
  if (!(config.requests > 0) || !(config.windowMs >= 1000) || config.windowMs % 1000 !== 0) {
    throw new TypeError(
      'startStandInServer: rateLimit needs requests > 0 and windowMs in whole seconds (≥ 1000)',
    );
  }
  const blockMs = config.blockMs ?? config.windowMs;
  const stats: RateLimitStats = { accepted: 0, rejected: 0, trips: 0 };
  let windowEnd = 0;
  let used = 0;
  let blockedUntil = 0;
  const policy = `"burst";q=${config.requests};w=${config.windowMs / 1000}`;
  const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

  const check = (): RateLimitVerdict => {
    const t = now();
    if (t < blockedUntil) {
      stats.rejected++;
      return { kind: 'blocked', headers: blockedHeaders(blockedUntil - t) };
    }
    if (t >= windowEnd) {
      windowEnd = t + config.windowMs;
      used = 0;
    }
    if (used >= config.requests) {
      stats.trips++;
      stats.rejected++;
      blockedUntil = t + blockMs;
      return { kind: 'blocked', headers: blockedHeaders(blockMs) };
    }
    used++;
    stats.accepted++;
    return {
      kind: 'pass',
      headers: {
        ratelimit: `"default";r=${config.requests - used};t=${seconds(windowEnd - t)}`,
        'ratelimit-policy': policy,
      },
    };
  };

  const blockedHeaders = (ms: number): OutgoingHttpHeaders => ({
    'retry-after': String(seconds(ms)),
    ratelimit: `"default";r=0;t=${seconds(ms)}`,
    'ratelimit-policy': policy,
  });

  return {
    check,
    stats,
    reset: () => {
      windowEnd = 0;
      used = 0;
      blockedUntil = 0;
      stats.accepted = 0;
      stats.rejected = 0;
      stats.trips = 0;
    },
  };
}
