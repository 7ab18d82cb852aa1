/**
 * Which channel a library warning takes in each runtime (the matrix checks that it is printed;
 * this pins the rule with stand-in scopes). `listeners` is what `process.listenerCount('warning')`
 * returns there: 1 in Node, Bun and Deno (their printer), 0 in Workers and under `--no-warnings`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitWarning } from '../../src/warnings.js';

const WORKERS = { userAgent: 'Cloudflare-Workers' };

const CASES = [
  {
    runtime: 'Node, Bun, Deno',
    navigator: { userAgent: 'Node.js/24' },
    listeners: 1,
    want: 'emitWarning',
  },
  {
    runtime: 'Node --no-warnings (silence asked for)',
    navigator: undefined,
    listeners: 0,
    want: 'emitWarning',
  },
  { runtime: 'Workers, nodejs_compat', navigator: WORKERS, listeners: 0, want: 'console.warn' },
  {
    runtime: "Workers, nodejs_compat, a 'warning' listener",
    navigator: WORKERS,
    listeners: 1,
    want: 'emitWarning',
  },
] as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('emitWarning', () => {
  it.each(CASES)('$runtime → $want', ({ navigator, listeners, want }) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const processWarning = vi.fn();
    const scope = {
      process: { emitWarning: processWarning, listenerCount: () => listeners },
      navigator,
    };
    emitWarning(
      'is_sender is deprecated',
      { code: 'CFES_DEPRECATION', type: 'DeprecationWarning' },
      scope,
    );
    if (want === 'emitWarning') {
      expect(processWarning).toHaveBeenCalledWith('is_sender is deprecated', {
        code: 'CFES_DEPRECATION',
        type: 'DeprecationWarning',
      });
      expect(warn).not.toHaveBeenCalled();
    } else {
      expect(warn).toHaveBeenCalledWith('[CFES_DEPRECATION] is_sender is deprecated');
      expect(processWarning).not.toHaveBeenCalled();
    }
  });

  it('uses console.warn where there is no process.emitWarning (browsers, no_nodejs_compat)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    emitWarning('advice', { code: 'CFES_API_KEY_ADVISORY' }, { process: {}, navigator: WORKERS });
    emitWarning('advice', { code: 'CFES_API_KEY_ADVISORY' }, {});
    expect(warn.mock.calls).toEqual([
      ['[CFES_API_KEY_ADVISORY] advice'],
      ['[CFES_API_KEY_ADVISORY] advice'],
    ]);
  });
});
