/** The one way src/ warns outside the logger: a Node process warning, else `console.warn`. */

interface WarningOptions {
  /** Stable code to filter on, e.g. in `process.on('warning')`. */
  readonly code: string;
  /** Node warning type (default `Warning`); `DeprecationWarning` is silenced by `--no-deprecation`. */
  readonly type?: string;
}

interface Scope {
  process?: unknown;
  navigator?: unknown;
}

/**
 * `process.emitWarning(message, { type, code })` where the runtime prints process warnings (Node,
 * Bun, Deno), else `console.warn('[code] message')`: where there is no `process` (browsers), and
 * in Cloudflare Workers unless the Worker listens for `'warning'`. `scope` is injectable for tests.
 */
export function emitWarning(
  message: string,
  options: WarningOptions,
  scope: Scope = globalThis as Scope,
): void {
  const proc = scope.process as { emitWarning?: unknown; listenerCount?: unknown } | undefined;
  if (typeof proc?.emitWarning === 'function' && printsProcessWarnings(proc, scope)) {
    (proc.emitWarning as (m: string, o: object) => void)(message, options);
  } else {
    console.warn(`[${options.code}] ${message}`);
  }
}

/**
 * Workers' `nodejs_compat` `process.emitWarning` only emits an event that nothing prints. Node's
 * printer is a `'warning'` listener too, but Node without one (`--no-warnings`) means silence.
 */
function printsProcessWarnings(proc: { listenerCount?: unknown }, scope: Scope): boolean {
  const userAgent = (scope.navigator as { userAgent?: unknown } | undefined)?.userAgent;
  if (userAgent !== 'Cloudflare-Workers') return true;
  const listeners =
    typeof proc.listenerCount === 'function'
      ? (proc.listenerCount as (event: string) => number)('warning')
      : 0;
  return listeners > 0;
}
