import type { Logger, LogLevel } from '../../src/logger.js';

export interface LogLine {
  level: LogLevel;
  message: string;
  data?: Record<string, unknown>;
}

/** A logger that records every line (all four levels). */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, data?: Record<string, unknown>): void => {
      lines.push(data === undefined ? { level, message } : { level, message, data });
    };
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

/** Fast retries for tests (real backoff is 0.5 s, 1 s, …). */
export const fastRetries = { initialDelayMs: 1, maxDelayMs: 4 } as const;

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
