import { redactDeep, type SecretStore, storeOf } from './redact.js';

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

const RANK: Record<LogLevel | 'off', number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/**
 * A level-filtered, redacting log function, or `undefined` when there is no logger (so callers
 * can skip building log data entirely with `log?.(…)`).
 */
export function createLog(
  logger: Logger | undefined,
  minLevel: LogLevel | 'off',
  secrets: () => SecretStore | Iterable<string>,
): Log | undefined {
  if (!logger || minLevel === 'off') return undefined;
  const threshold = RANK[minLevel];
  return (level, message, data) => {
    const write = logger[level];
    if (RANK[level] < threshold || typeof write !== 'function') return;
    const known = storeOf(secrets());
    const line = known.redact(message);
    if (data === undefined) write.call(logger, line);
    else write.call(logger, line, redactDeep(data, known));
  };
}
