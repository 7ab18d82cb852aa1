/**
 * Rate limits, per client. Cloudflare allows 1,200 requests per 5 minutes per user and, past that,
 * blocks every API call for 5 minutes; its responses say how much is left:
 *
 *   Ratelimit: "default";r=<remaining>;t=<seconds until reset>
 *   Ratelimit-Policy: "burst";q=<quota>;w=<window seconds>
 *
 * (IETF draft-ietf-httpapi-ratelimit-headers: each header is a Structured Field List, RFC 8941 /
 * RFC 9651, of Items with parameters.) One `RateLimiter` is shared by every call of a client:
 *
 * - at most `maxConcurrency` calls are in flight; the rest wait in order;
 * - a client-side budget (default 1,200 per 300 s, a sliding window over send times) and, once
 *   the server has said so, its budget: when few requests remain (`r` minus what was sent since,
 *   keeping `DEFAULT_RESERVE_FRACTION` of the quota for other tools on the same account), calls
 *   wait for the reset instead of spending the last ones;
 * - a 429 pauses the whole client for its `Retry-After` (capped), not just the one call;
 * - every wait is reported (`onWait`: the wait, the reason, how many calls are queued).
 *
 * Pure: the clock and timers are injected.
 */

// ---------------------------------------------------------------------------- parsing

/** One `Ratelimit` member: `r` requests left in the current window, which resets in `t` s. */
export interface RateLimitState {
  readonly policy: string;
  readonly remaining: number;
  readonly resetSeconds: number;
}

/** One `Ratelimit-Policy` member: `q` requests per `w` seconds. */
export interface RateLimitPolicy {
  readonly policy: string;
  readonly quota: number;
  readonly windowSeconds: number | undefined;
}

type BareItem = string | number | boolean | { readonly token: string } | { readonly bytes: string };
interface Item {
  readonly value: BareItem;
  readonly params: ReadonlyMap<string, BareItem>;
}
type Member =
  | Item
  | { readonly inner: readonly Item[]; readonly params: ReadonlyMap<string, BareItem> };

class SyntaxProblem extends Error {}

/**
 * RFC 8941 bare items, one group per kind: string, boolean, byte sequence, number (at most 15
 * integer digits, or 12 with up to 3 decimals), token. Keys and tokens have a length cap, past
 * which the field does not parse (no header of these drafts comes near it).
 */
const BARE_ITEM =
  /"((?:[ !#-[\]-~]|\\["\\])*)"|\?([01])|:([A-Za-z0-9+/=]*):|(-?(?:\d{1,12}\.\d{1,3}|\d{1,15}))(?![\d.])|([A-Za-z*][\w!#$%&'*+\-.^`|~:/]{0,1023})(?![\w!#$%&'*+\-.^`|~:/])/y;
const KEY = /[a-z*][a-z0-9_\-.*]{0,255}(?![a-z0-9_\-.*])/y;

/**
 * An RFC 8941 List (`sf-list`), or undefined when the field does not parse (RFC 8941 §4.2: a
 * field that fails to parse is ignored as a whole).
 */
export function parseStructuredList(field: string): Member[] | undefined {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxProblem();
  };
  const skip = (chars: string) => {
    while (at < field.length && chars.includes(field[at] as string)) at++;
  };
  const match = (pattern: RegExp): RegExpExecArray => {
    pattern.lastIndex = at;
    const found = pattern.exec(field) ?? fail();
    at = pattern.lastIndex;
    return found;
  };
  const bareItem = (): BareItem => {
    const [, string, flag, bytes, number, token] = match(BARE_ITEM);
    if (string !== undefined) return string.replace(/\\(.)/g, '$1');
    if (flag !== undefined) return flag === '1';
    if (bytes !== undefined) return { bytes };
    return number !== undefined ? Number(number) : { token: token as string };
  };
  const params = () => {
    const out = new Map<string, BareItem>();
    while (field[at] === ';') {
      at++;
      skip(' ');
      const [key] = match(KEY);
      let value: BareItem = true;
      if (field[at] === '=') {
        at++;
        value = bareItem();
      }
      out.set(key, value); // a repeated key: the last one wins (RFC 8941 §4.2.3.2)
    }
    return out;
  };
  const item = (): Item => ({ value: bareItem(), params: params() });
  const member = (): Member => {
    if (field[at] !== '(') return item();
    at++;
    const inner: Item[] = [];
    for (;;) {
      skip(' ');
      if (field[at] === ')') {
        at++;
        return { inner, params: params() };
      }
      inner.push(item());
      if (field[at] !== ' ' && field[at] !== ')') fail();
    }
  };
  try {
    const members: Member[] = [];
    skip(' '); // an empty field is an empty list
    while (at < field.length) {
      members.push(member());
      skip(' \t');
      if (at < field.length) {
        if (field[at++] !== ',') fail();
        skip(' \t');
        if (at >= field.length) fail(); // a trailing comma
      }
    }
    return members;
  } catch (error) {
    if (error instanceof SyntaxProblem) return undefined;
    throw error;
  }
}

const isCount = (value: BareItem | undefined): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** The Items of a field named by a string or a token, with their parameters; others ignored. */
function namedItems(field: string | null): [string, ReadonlyMap<string, BareItem>][] {
  const named: [string, ReadonlyMap<string, BareItem>][] = [];
  for (const member of (field === null ? undefined : parseStructuredList(field)) ?? []) {
    const value = 'value' in member ? member.value : undefined;
    const name = typeof value === 'object' && 'token' in value ? value.token : value;
    if (typeof name === 'string') named.push([name, member.params]);
  }
  return named;
}

/** The valid members of a `Ratelimit` field (`r` required, `t` defaults to 0); others ignored. */
export function parseRateLimit(field: string | null): RateLimitState[] {
  return namedItems(field).flatMap(([policy, params]) => {
    const remaining = params.get('r');
    const reset = params.get('t') ?? 0;
    return isCount(remaining) && isCount(reset) ? [{ policy, remaining, resetSeconds: reset }] : [];
  });
}

/** The valid members of a `Ratelimit-Policy` field (`q` > 0 required, `w` > 0 if given). */
export function parseRateLimitPolicy(field: string | null): RateLimitPolicy[] {
  return namedItems(field).flatMap(([policy, params]) => {
    const quota = params.get('q');
    const window = params.get('w');
    if (!isCount(quota) || quota === 0) return [];
    if (window !== undefined && (!isCount(window) || window === 0)) return [];
    return [{ policy, quota, windowSeconds: window }];
  });
}

// ---------------------------------------------------------------------------- the limiter

/** A client-side budget: at most `requests` sent in any `windowMs`. */
export interface RateLimitBudget {
  readonly requests: number;
  readonly windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitBudget = { requests: 1_200, windowMs: 300_000 };
export const DEFAULT_MAX_CONCURRENCY = 8;
/** Of a server-announced quota, this share is left unspent (other tools share the account's budget). */
export const DEFAULT_RESERVE_FRACTION = 0.025;
/** Sliding windows longer than this many requests are not tracked (a hostile `q` cannot cost memory). */
const MAX_TRACKED_QUOTA = 100_000;

export type RateLimitReason =
  /** the client-side budget (`rateLimit` option) is spent until the oldest request leaves the window */
  | 'client-budget'
  /** the server's `Ratelimit` says (nearly) nothing remains until its reset */
  | 'server-budget'
  /** the server's `Ratelimit-Policy` quota is spent for its window */
  | 'server-policy'
  /** a 429 paused the whole client for its `Retry-After` */
  | 'rate-limited';

export interface RateLimitWait {
  readonly waitMs: number;
  readonly reason: RateLimitReason;
  /** Calls waiting for a slot, this one included. */
  readonly queued: number;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RateLimiterOptions {
  /** `false`: no budget (client-side or server-announced) and no client-wide 429 pause. */
  readonly budget: RateLimitBudget | false;
  readonly maxConcurrency: number;
  readonly clock?: Clock;
  readonly onWait?: (wait: RateLimitWait) => void;
}

/** A granted slot: call `done` exactly once with the response (or nothing when there was none). */
export interface Permit {
  done(response?: { readonly status: number; readonly headers: Headers }, pauseMs?: number): void;
}

/** Why a wait was aborted: the signal's reason is passed through as the rejection. */
export interface RateLimiter {
  /** Waits for a concurrency slot and the budget; rejects with `signal.reason` if it aborts. */
  acquire(signal?: AbortSignal): Promise<Permit>;
  /** In flight and queued, for tests and debugging. */
  readonly stats: { readonly inFlight: number; readonly queued: number; readonly sent: number };
}

/** Send times within a window, as a ring buffer: O(1) per request. */
class SlidingWindow {
  readonly #times: Float64Array;
  #start = 0;
  #count = 0;
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.#times = new Float64Array(Math.max(1, limit));
  }
  /** ms until one more request fits (0: now). */
  waitMs(now: number): number {
    while (this.#count > 0 && (this.#times[this.#start] as number) + this.windowMs <= now) {
      this.#start = (this.#start + 1) % this.#times.length;
      this.#count--;
    }
    if (this.#count < this.limit) return 0;
    return (this.#times[this.#start] as number) + this.windowMs - now;
  }
  add(now: number) {
    if (this.limit === 0) return;
    if (this.#count === this.#times.length) {
      this.#start = (this.#start + 1) % this.#times.length;
      this.#count--;
    }
    this.#times[(this.#start + this.#count) % this.#times.length] = now;
    this.#count++;
  }
}

interface Waiter {
  resolve(permit: Permit): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return new ClientRateLimiter(options);
}

/**
 * One client's limiter: a queue of waiting calls, released while fewer than `maxConcurrency` are
 * in flight and the budget allows (the client-side window, the server's announced policy and
 * remaining count, a client-wide 429 pause).
 */
class ClientRateLimiter implements RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #clock: Clock;
  readonly #client: SlidingWindow | undefined;
  #policyWindow: SlidingWindow | undefined;
  /** The server's latest word: `remaining` after the request numbered `seq`, until `resetAt`. */
  #server: { seq: number; remaining: number; resetAt: number; reserve: number } | undefined;
  /** The latest quota the server announced (`Ratelimit-Policy` may come only now and then). */
  #knownQuota: number | undefined;
  #pausedUntil = 0;
  #inFlight = 0;
  #sent = 0;
  readonly #queue: Waiter[] = [];
  #timer: unknown;
  #timerAt = 0;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    const { budget } = options;
    this.#client = budget ? new SlidingWindow(budget.requests, budget.windowMs) : undefined;
  }

  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && this.#inFlight < this.#options.maxConcurrency) {
      const now = this.#clock.now();
      if (this.#budgetWait(now)[0] === 0) return Promise.resolve(this.#grant(now));
    }
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index !== -1) this.#queue.splice(index, 1);
          // Nobody waits any more: a pending timer must not keep the process alive.
          if (this.#queue.length === 0 && this.#timer !== undefined) {
            this.#clock.clearTimeout(this.#timer);
            this.#timer = undefined;
          }
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  get stats() {
    return { inFlight: this.#inFlight, queued: this.#queue.length, sent: this.#sent };
  }

  #reserveFor(quota: number): number {
    return Math.floor(quota * DEFAULT_RESERVE_FRACTION);
  }

  /** The longest wait the budget imposes now, and why (0: send now). */
  #budgetWait(now: number): [number, RateLimitReason] {
    let wait = 0;
    let reason: RateLimitReason = 'client-budget';
    const consider = (ms: number, why: RateLimitReason) => {
      if (ms > wait) {
        wait = ms;
        reason = why;
      }
    };
    if (this.#pausedUntil > now) consider(this.#pausedUntil - now, 'rate-limited');
    if (this.#client) consider(this.#client.waitMs(now), 'client-budget');
    if (this.#policyWindow) consider(this.#policyWindow.waitMs(now), 'server-policy');
    const server = this.#server;
    if (server) {
      if (server.resetAt <= now) this.#server = undefined;
      else if (server.remaining - (this.#sent - server.seq) <= server.reserve) {
        consider(server.resetAt - now, 'server-budget');
      }
    }
    return [Math.ceil(wait), reason];
  }

  #grant(now: number): Permit {
    this.#inFlight++;
    const seq = ++this.#sent;
    this.#client?.add(now);
    this.#policyWindow?.add(now);
    let finished = false;
    return {
      done: (response, pauseMs) => {
        if (finished) return;
        finished = true;
        this.#inFlight--;
        if (this.#options.budget && response) this.#observe(seq, response, pauseMs);
        this.#pump();
      },
    };
  }

  /** What an answer says: a 429's pause, the server's policy and its remaining count. */
  #observe(seq: number, response: { status: number; headers: Headers }, pauseMs?: number): void {
    const now = this.#clock.now();
    if (response.status === 429 && pauseMs !== undefined)
      this.#pausedUntil = Math.max(this.#pausedUntil, now + pauseMs);
    const stateField = response.headers.get('ratelimit');
    const policyField = response.headers.get('ratelimit-policy');
    if (stateField === null && policyField === null) return;
    const policy = parseRateLimitPolicy(policyField)[0];
    if (policy) this.#observePolicy(policy, now);
    this.#observeState(parseRateLimit(stateField), seq, policy?.quota, now);
  }

  #observePolicy(policy: RateLimitPolicy, now: number): void {
    this.#knownQuota = policy.quota;
    if (policy.windowSeconds === undefined || policy.quota > MAX_TRACKED_QUOTA) return;
    const limit = policy.quota - this.#reserveFor(policy.quota);
    const windowMs = policy.windowSeconds * 1000;
    const current = this.#policyWindow;
    if (current && current.limit === limit && current.windowMs === windowMs) return;
    // Requests sent before the policy was known count too, as if sent now (erring long).
    const earlier = current ?? this.#client;
    const window = new SlidingWindow(limit, windowMs);
    for (let i = Math.min(earlier ? this.#sent : this.#inFlight + 1, limit); i > 0; i--)
      window.add(now);
    this.#policyWindow = window;
  }

  #observeState(
    states: readonly RateLimitState[],
    seq: number,
    announcedQuota: number | undefined,
    now: number,
  ): void {
    // Several members: the one with the fewest requests left binds.
    const tightest = states.reduce<RateLimitState | undefined>(
      (best, s) => (best === undefined || s.remaining < best.remaining ? s : best),
      undefined,
    );
    const server = this.#server;
    if (!tightest || (server && seq < server.seq && server.resetAt > now)) return;
    // `t` is whole seconds, rounded up by the server: counted from when the answer arrived it
    // is an upper bound of the reset. Within one window each answer gives another bound, and
    // the smallest is the tightest (answers spread over a second pin the reset closely). More
    // left than expected means the server's window was reset already.
    const quota = announcedQuota ?? this.#knownQuota ?? tightest.remaining;
    const bound = now + tightest.resetSeconds * 1000;
    const sameWindow =
      server !== undefined &&
      server.resetAt > now &&
      tightest.remaining <= server.remaining - (seq - server.seq);
    this.#server = {
      seq,
      remaining: tightest.remaining,
      resetAt: sameWindow && server ? Math.min(server.resetAt, bound) : bound,
      reserve: this.#reserveFor(quota),
    };
  }

  /** Releases waiters while the concurrency and the budget allow; else schedules the next try. */
  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#options.maxConcurrency) {
      const now = this.#clock.now();
      const [wait, reason] = this.#budgetWait(now);
      if (wait > 0) {
        this.#schedule(now, wait, reason);
        return;
      }
      const waiter = this.#queue.shift() as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.#grant(now));
    }
  }

  #schedule(now: number, wait: number, reason: RateLimitReason): void {
    const at = now + wait;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, wait);
    this.#options.onWait?.({ waitMs: wait, reason, queued: this.#queue.length });
  }
}
