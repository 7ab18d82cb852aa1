import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerValueProblem } from '../../src/auth.js';
import { createEmailSecurityClient, type EmailSecurityClientOptions } from '../../src/index.js';
import { recordingLogger } from './helpers.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

/** Printable ASCII tokens, 16–64 characters, including quotes and backslashes (JSON escaping). */
const secret = fc
  .string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 16,
    maxLength: 64,
  })
  .filter((s) => headerValueProblem(s) === null);

type Scenario =
  | 'echo-json-403'
  | 'echo-html-502'
  | 'echo-cf-ray'
  | 'fetch-throws-with-secret'
  | 'timeout'
  | 'validation'
  | 'success-debug-logs'
  | 'retry-then-429';

const scenarios: Scenario[] = [
  'echo-json-403',
  'echo-html-502',
  'echo-cf-ray',
  'fetch-throws-with-secret',
  'timeout',
  'validation',
  'success-debug-logs',
  'retry-then-429',
];

/** A fetch that behaves like a careless server: it echoes the credential headers back. */
function echoingFetch(scenario: Scenario) {
  return async (request: Request, init?: RequestInit): Promise<Response> => {
    const echoed = [...request.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
    switch (scenario) {
      case 'echo-json-403':
        return Response.json(
          {
            success: false,
            errors: [{ code: 10000, message: `Authentication error for ${echoed}` }],
            messages: [{ code: 1, message: echoed }],
            result: null,
          },
          { status: 403 },
        );
      case 'echo-html-502':
        return new Response(`<html><body><pre>${echoed}</pre></body></html>`, {
          status: 502,
          headers: { 'content-type': 'text/html' },
        });
      case 'echo-cf-ray':
        return Response.json(
          { success: false, errors: [], messages: [], result: null },
          { status: 400, headers: { 'cf-ray': echoed.replace(/\n/g, ' ') } },
        );
      case 'fetch-throws-with-secret':
        throw new TypeError(`fetch failed: ${echoed}`, { cause: new Error(echoed) });
      case 'timeout':
        return new Promise((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      case 'retry-then-429':
        return Response.json(
          { success: false, errors: [{ code: 971, message: echoed }], messages: [], result: null },
          { status: 429, headers: { 'retry-after-ms': '0' } },
        );
      default:
        return Response.json({
          success: true,
          errors: [],
          messages: [],
          result: { id: POLICY, echoed },
        });
    }
  };
}

describe('credentials never leak', () => {
  it('over 1,000 random tokens/keys: errors, toJSON, JSON.stringify, util.inspect and log lines', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(
        secret,
        secret,
        fc.boolean(),
        fc.constantFrom(...scenarios),
        async (token, key, useKey, scenario) => {
          const auth: EmailSecurityClientOptions['auth'] = useKey
            ? { apiEmail: `ops+${token}@example.com`.slice(0, 80), apiKey: key }
            : { apiToken: token };
          const secrets = useKey ? [key, (auth as { apiEmail: string }).apiEmail] : [token];
          const { logger, lines } = recordingLogger();
          const cf = createEmailSecurityClient({
            accountId: ACCOUNT,
            auth,
            fetch: echoingFetch(scenario),
            logger,
            logLevel: 'debug',
            timeoutMs: scenario === 'timeout' ? 1 : 1_000,
            maxRetries: scenario === 'retry-then-429' ? 1 : 0,
            retryDelay: { initialDelayMs: 0, maxDelayMs: 0 },
            onDeprecation: () => {},
          });
          const patch =
            scenario === 'validation' ? { pattern: '', note: token } : { pattern: 'a@b.c' };
          const outputs: string[] = [
            inspect(cf, { depth: 20, showHidden: true }),
            JSON.stringify(cf),
          ];
          try {
            const out = await cf.allowPolicies.update.withResponse(POLICY, patch as never);
            outputs.push(JSON.stringify(out.messages));
          } catch (error) {
            const e = error as Error & { toJSON?: () => unknown };
            outputs.push(
              e.message,
              String(e.stack),
              JSON.stringify(e),
              JSON.stringify(e.toJSON?.()),
              inspect(e, { depth: 20, showHidden: true }),
            );
          }
          outputs.push(...lines.map((l) => `${l.message} ${JSON.stringify(l.data)}`));
          for (const text of outputs) {
            for (const value of secrets) {
              expect(text).not.toContain(value);
              expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
            }
          }
          checked++;
        },
      ),
      { numRuns: 1_000 },
    );
    expect(checked).toBe(1_000);
  });

  it('the stand-in fetch really echoes credentials (so the redaction above is exercised)', async () => {
    const token = 'tok_visible_in_output_0123456789';
    const request = new Request('https://api.example.com/x', {
      headers: { authorization: `Bearer ${token}` },
    });
    for (const scenario of ['echo-json-403', 'echo-html-502'] as const) {
      const raw = await (await echoingFetch(scenario)(request)).text();
      expect(raw).toContain(token);
    }
  });
});
