/** The one way src/ warns outside the logger: a Node process warning, else `console.warn`. */

interface WarningOptions {
  /** Stable code to filter on, e.g. in `process.on('warning')`. */
  readonly code: string;
  /** Node warning type (default `Warning`); `DeprecationWarning` is silenced by `--no-deprecation`. */
  readonly type?: string;
}

/**
 * `process.emitWarning(message, { type, code })`, or `console.warn('[code] message')` where there
 * is no `process` (edge runtimes, browsers). `scope` is injectable for tests.
 */
export function emitWarning(
  message: string,
  options: WarningOptions,
  scope: { process?: unknown } = globalThis as { process?: unknown },
): void {
  const proc = scope.process as { emitWarning?: unknown } | undefined;
  if (typeof proc?.emitWarning === 'function') {
    (proc.emitWarning as (m: string, o: object) => void)(message, options);
  } else {
    console.warn(`[${options.code}] ${message}`);
  }
}
