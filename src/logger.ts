/**
 * What a client logs, to the user's `logger`. `createClient` (`/core`) takes a logger only as
 * `withLogger(logger)`, so that a bundle without one holds none of this module (the log lines'
 * data included); `createEmailSecurityClient` turns its `logger` into it itself.
 */
import { securityHeaderNames } from './auth.js';
import type { OperationMetadata } from './metadata.js';
import { redactDeep, redactHeaders, type SecretStore, storeOf } from './redact.js';
import type { SendableRequest } from './request.js';
import type { TransportCall } from './retry.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Anything with (some of) these methods: `console`, pino, winston, a test spy. Missing methods
 * are skipped. Every message and data object is passed through secret redaction first.
 */
export type Logger = Partial<
  Record<LogLevel, (message: string, data?: Record<string, unknown>) => void>
>;

/** Internal log function: already filtered by level and redacted. */
export type Log = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

/** The client's log, with the transport's lines (built only when there is a log). */
export interface ClientLog extends Log {
  /** `debug` `request`: operation, method, URL, attempt, headers (credentials redacted). */
  request(call: TransportCall, request: SendableRequest, attempt: number): void;
  /** `debug` `response`: operation, status, attempt, duration, `cf-ray`. */
  response(call: TransportCall, response: Response, attempt: number, started: number): void;
  /** `warn` `retrying after …`: operation, attempt, next attempt, `maxRetries`, delay. */
  retry(call: TransportCall, attempt: number, delayMs: number, after: string): void;
}

/** A logger as the client takes it (`withLogger(console)`), bound per client by `forClient`. */
export interface Logging {
  /** `operations` (every registered one) name the headers a request line always redacts. */
  forClient(
    minLevel: LogLevel | 'off',
    secrets: () => SecretStore | Iterable<string>,
    operations: readonly OperationMetadata[],
  ): ClientLog | undefined;
}

/** The `logger` option of `createClient` (`/core`): `logger: withLogger(console)`. */
export function withLogger(logger: Logger): Logging {
  return {
    forClient: (minLevel, secrets, operations) =>
      createLog(logger, minLevel, secrets, securityHeaderNames(operations)),
  };
}

/** `createEmailSecurityClient`'s `logger`: a logger, or `withLogger`'s. */
export function asLogging(logger: Logger | Logging): Logging {
  return typeof (logger as Partial<Logging>).forClient === 'function'
    ? (logger as Logging)
    : withLogger(logger as Logger);
}

const RANK: Record<LogLevel | 'off', number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/**
 * A level-filtered, redacting log function, or `undefined` when there is no logger (so callers
 * can skip building log data entirely with `log?.(…)`).
 */
export function createLog(
  logger: Logger | undefined,
  minLevel: LogLevel | 'off',
  secrets: () => SecretStore | Iterable<string>,
  sensitiveHeaders: ReadonlySet<string> = new Set(),
): ClientLog | undefined {
  if (!logger || minLevel === 'off') return undefined;
  const threshold = RANK[minLevel];
  const log: Log = (level, message, data) => {
    const write = logger[level];
    if (RANK[level] < threshold || typeof write !== 'function') return;
    const known = storeOf(secrets());
    const line = known.redact(message);
    if (data === undefined) write.call(logger, line);
    else write.call(logger, line, redactDeep(data, known));
  };
  return Object.assign(log, {
    request: (call: TransportCall, request: SendableRequest, attempt: number) =>
      log('debug', 'request', {
        operationId: call.context.operationId,
        method: request.method,
        url: request.url,
        attempt,
        headers: redactHeaders(new Headers(request.headers), sensitiveHeaders),
      }),
    response: (call: TransportCall, response: Response, attempt: number, started: number) =>
      log('debug', 'response', {
        operationId: call.context.operationId,
        status: response.status,
        attempt,
        durationMs: Date.now() - started,
        cfRay: response.headers.get('cf-ray'),
      }),
    retry: (call: TransportCall, attempt: number, delayMs: number, after: string) =>
      log('warn', `retrying after ${after}`, {
        operationId: call.context.operationId,
        attempt,
        nextAttempt: attempt + 1,
        maxRetries: call.options.maxRetries,
        delayMs: Math.round(delayMs),
      }),
  });
}
