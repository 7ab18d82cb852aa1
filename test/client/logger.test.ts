import { describe, expect, it } from 'vitest';
import { createEmailSecurityClient } from '../../src/index.js';
import { createLog } from '../../src/logger.js';
import { redactHeaders } from '../../src/redact.js';
import { recordingLogger } from './helpers.js';

const TOKEN = 'log-test-token-0123456789abcdef';
const ok = JSON.stringify({ success: true, errors: [], messages: [], result: { id: 'x' } });

describe('logging', () => {
  it('filters by level and skips missing methods', () => {
    const { logger, lines } = recordingLogger();
    const log = createLog(logger, 'warn', () => []);
    log?.('debug', 'd');
    log?.('info', 'i');
    log?.('warn', 'w');
    log?.('error', 'e');
    expect(lines.map((l) => l.message)).toEqual(['w', 'e']);
    expect(createLog(logger, 'off', () => [])).toBeUndefined();
    expect(createLog(undefined, 'debug', () => [])).toBeUndefined();
    expect(() => createLog({}, 'debug', () => [])?.('warn', 'x')).not.toThrow();
  });

  it('redacts known secrets anywhere in messages and data', () => {
    const { logger, lines } = recordingLogger();
    createLog(logger, 'debug', () => [TOKEN])?.('info', `t=${TOKEN}`, { nested: [{ v: TOKEN }] });
    expect(lines).toEqual([
      { level: 'info', message: 't=[REDACTED]', data: { nested: [{ v: '[REDACTED]' }] } },
    ]);
  });

  it('redacts sensitive headers by name', () => {
    const headers = new Headers({
      authorization: 'Bearer x',
      'x-auth-key': 'k',
      'x-auth-email': 'e',
      'x-auth-user-service-key': 's',
      cookie: 'c',
      'content-type': 'application/json',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: '[REDACTED]',
      'x-auth-key': '[REDACTED]',
      'x-auth-email': '[REDACTED]',
      'x-auth-user-service-key': '[REDACTED]',
      cookie: '[REDACTED]',
      'content-type': 'application/json',
    });
  });

  it('the client logs each attempt and each retry, with credentials redacted', async () => {
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const cf = createEmailSecurityClient({
      accountId: '023e105f4ecef8ad9ca31a8372d0c353',
      auth: { apiToken: TOKEN },
      logger,
      logLevel: 'debug',
      retryDelay: { initialDelayMs: 0, maxDelayMs: 0 },
      fetch: async () =>
        calls++ === 0 ? new Response('{}', { status: 503 }) : new Response(ok, { status: 200 }),
    });
    await cf.allowPolicies.update('f174e90a-fafe-4643-bbbc-4a0ed4fc8415', { pattern: 'a@b.c' });
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'debug request',
      'debug response',
      'warn retrying after HTTP 503',
      'debug request',
      'debug response',
    ]);
    const first = lines[0]?.data as { headers: Record<string, string>; attempt: number };
    expect(first.headers.authorization).toBe('[REDACTED]');
    expect(first.attempt).toBe(0);
    expect(lines[2]?.data).toMatchObject({ attempt: 0, nextAttempt: 1, maxRetries: 2 });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
