/**
 * The sample messages README.md shows (```text blocks) are what the library really prints: each
 * is produced here by a real call against a local server (or a real client creation) and compared
 * character for character. Only the port of the local server is normalised to the sample's.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmailSecurityClient, type EmailSecurityClientOptions } from '../../src/index.js';
import { ROOT } from '../generator/helpers.js';
import { extractFencedBlocks } from './code-blocks.js';

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353';
const POLICY = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
const TOKEN = 'tok-error-samples-0123456789abcdef';
/** The origin README's samples show for a local server. */
const SAMPLE_ORIGIN = 'http://127.0.0.1:8787';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const samples = extractFencedBlocks('README.md', readme, new Set(['text'])).map((b) => b.code);

let server: Server;
let origin: string;

beforeAll(async () => {
  // Serves the API under /client/v4 only; `x-answer: forbidden` makes it refuse the token.
  server = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!request.url?.startsWith('/client/v4/')) return json(404, { error: 'Not Found' });
    if (request.headers['x-answer'] === 'forbidden') {
      return json(403, {
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }],
        messages: [],
        result: null,
      });
    }
    json(200, { success: true, errors: [], messages: [], result: { id: POLICY } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(options: EmailSecurityClientOptions = {}) {
  return createEmailSecurityClient({
    accountId: ACCOUNT,
    auth: { apiToken: TOKEN },
    baseUrl: `${origin}/client/v4`,
    maxRetries: 0,
    onDeprecation: () => {},
    ...options,
  });
}

async function messageOf(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    return (error as Error).message.replaceAll(origin, SAMPLE_ORIGIN);
  }
  throw new Error('expected the call to fail');
}

/** Each sample README shows: how to recognise its block, and the real text. */
const cases: { name: string; is: (sample: string) => boolean; real: () => Promise<string> }[] = [
  {
    name: 'a call refused by the API starts with the request line, ids in full',
    is: (sample) => sample.startsWith('PATCH /accounts/') && sample.includes(': 403 '),
    real: () =>
      messageOf(() =>
        client().allowPolicies.update(
          POLICY,
          { comments: 'x' },
          { headers: { 'x-answer': 'forbidden' } },
        ),
      ),
  },
  {
    name: 'an error of createEmailSecurityClient starts with its name',
    is: (sample) => sample.startsWith('createEmailSecurityClient: '),
    real: () => messageOf(() => client({ accountId: 'my-account' })),
  },
  {
    name: 'an answer that is not an envelope names the URL that answered',
    is: (sample) => sample.startsWith('PATCH /accounts/') && sample.includes(' from http'),
    real: () =>
      messageOf(() => client({ baseUrl: origin }).allowPolicies.update(POLICY, { comments: 'x' })),
  },
  {
    name: 'the default deprecation warning',
    is: (sample) => sample.includes('[CFES_DEPRECATION] DeprecationWarning: '),
    real: async () => {
      const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      let message: unknown;
      try {
        await client({ onDeprecation: undefined }).allowPolicies.update(POLICY, {
          is_sender: true,
        } as never);
        message = emit.mock.calls[0]?.[0];
      } finally {
        emit.mockRestore();
      }
      return `(node:12345) [CFES_DEPRECATION] DeprecationWarning: ${String(message)}`;
    },
  },
];

describe('README sample messages are real', () => {
  it('every text sample of the README is covered by one case', () => {
    const covered = samples.filter((sample) => cases.some((c) => c.is(sample)));
    const messageLike = samples.filter((s) => /^(PATCH|createEmailSecurityClient|\(node)/.test(s));
    expect(covered).toEqual(messageLike);
  });

  it.each(cases)('$name', async ({ is, real }) => {
    const matching = samples.filter(is);
    expect(matching).toHaveLength(1);
    expect(await real()).toBe(matching[0]);
  });
});

describe('an uncaught creation error, as Node prints it', () => {
  it('shows the message and the issues, no undefined request fields', async () => {
    const dir = join(ROOT, '.tmp', `uncaught-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const script = join(dir, 'uncaught.ts');
    writeFileSync(
      script,
      `import { createEmailSecurityClient } from '../../src/index.js';\n` +
        `createEmailSecurityClient({ accountId: 'my-account', auth: { apiToken: '${TOKEN}' } });\n`,
    );
    try {
      const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        timeout: 30_000,
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failure?.code).toBe(1);
      const stderr = failure?.stderr ?? '';
      expect(stderr).toContain(
        'ValidationError: createEmailSecurityClient: invalid options, no client was created: options.accountId: ',
      );
      expect(stderr).toContain("at: 'options.accountId'");
      expect(stderr).not.toContain('undefined');
      expect(stderr).not.toContain(TOKEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
