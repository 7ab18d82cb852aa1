/** Injectable faults of the stand-in server and the queue that hands them out. */

export type Fault =
  /** Any status with a Cloudflare failure envelope (default error code 1099). */
  | {
      kind: 'status';
      status: number;
      errors?: { code: number; message: string }[];
      headers?: Record<string, string>;
    }
  /** 429 with `Retry-After` and/or `retry-after-ms` (only the ones given are sent). */
  | { kind: 'rate-limit'; retryAfter?: string; retryAfterMs?: string }
  /** Cloudflare edge HTML page, `text/html`, default status 502. */
  | { kind: 'html'; status?: number }
  /** Destroys the socket without answering. */
  | { kind: 'reset' }
  /** Waits `ms`, then answers normally; cancelled by `close()` or by the client going away. */
  | { kind: 'delay'; ms: number }
  /** 200, `application/json`, with a truncated JSON body. */
  | { kind: 'invalid-json' }
  /** Empty body with `Content-Type: application/json`, default status 200. */
  | { kind: 'empty'; status?: number }
  /**
   * Answers normally and adds `Deprecation`/`Sunset`/`Link`. With none of the three given,
   * all three defaults are sent; otherwise only the given ones.
   */
  | { kind: 'deprecation-headers'; deprecation?: string; sunset?: string; link?: string };

export interface FaultOptions {
  /** How many matching requests get this fault (default 1). */
  times?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose raw path (with query) contains this string. */
  pathIncludes?: string;
}

interface QueuedFault {
  fault: Fault;
  remaining: number;
  method: string | undefined;
  pathIncludes: string | undefined;
}

/** RFC 9745 `Deprecation` (structured date) for July 1, 2025, RFC 8594 `Sunset` for the EOL. */
export const DEFAULT_DEPRECATION_HEADERS: Readonly<Record<string, string>> = {
  deprecation: '@1751328000',
  sunset: 'Wed, 01 Jul 2026 00:00:00 GMT',
  link: '<https://developers.cloudflare.com/api/resources/email_security/>; rel="deprecation"; type="text/html"',
};

export function deprecationHeaders(
  fault: Extract<Fault, { kind: 'deprecation-headers' }>,
): Record<string, string> {
  const given = { deprecation: fault.deprecation, sunset: fault.sunset, link: fault.link };
  const anyGiven = Object.values(given).some((value) => value !== undefined);
  if (!anyGiven) return { ...DEFAULT_DEPRECATION_HEADERS };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) if (value !== undefined) headers[name] = value;
  return headers;
}

export class FaultQueue {
  #queue: QueuedFault[] = [];

  add(fault: Fault, options: FaultOptions = {}): void {
    assertValidFault(fault);
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`injectFault: times must be a positive integer, got ${String(times)}.`);
    }
    this.#queue.push({
      fault,
      remaining: times,
      method: options.method?.toUpperCase(),
      pathIncludes: options.pathIncludes,
    });
  }

  /** The first queued fault matching this request, consumed once; `undefined` if none. */
  take(method: string, rawPath: string): Fault | undefined {
    if (this.#queue.length === 0) return undefined;
    const index = this.#queue.findIndex(
      (entry) =>
        (entry.method === undefined || entry.method === method) &&
        (entry.pathIncludes === undefined || rawPath.includes(entry.pathIncludes)),
    );
    const entry = this.#queue[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#queue.splice(index, 1);
    return entry.fault;
  }

  get pending(): number {
    return this.#queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  clear(): void {
    this.#queue = [];
  }
}

function assertValidFault(fault: Fault): void {
  if (fault.kind === 'status' && !isHttpStatus(fault.status)) {
    throw new RangeError(`injectFault: status must be 100-599, got ${String(fault.status)}.`);
  }
  if ((fault.kind === 'html' || fault.kind === 'empty') && fault.status !== undefined) {
    if (!isHttpStatus(fault.status)) {
      throw new RangeError(`injectFault: status must be 100-599, got ${String(fault.status)}.`);
    }
  }
  if (fault.kind === 'delay' && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
    throw new RangeError(`injectFault: delay ms must be a finite number >= 0, got ${fault.ms}.`);
  }
}

function isHttpStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 100 && status <= 599;
}
