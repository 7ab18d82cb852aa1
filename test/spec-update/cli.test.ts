import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { EXIT, runSpecUpdate } from '../../scripts/spec/run.js';
import {
  type Doc,
  embedInUpstream,
  POLICY_PATH,
  VENDORED_TEXT,
  vendored,
} from './upstream-fixture.js';

const TODAY = '2026-11-26';
let dir: string;
let out: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spec-update-'));
  out = join(dir, 'vendored.openapi.json');
  await writeFile(out, VENDORED_TEXT);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeUpstream(doc: Doc, name = 'openapi.json'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, name.endsWith('.json') ? JSON.stringify(doc) : stringify(doc));
  return file;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runSpecUpdate([...argv, '--out', out, '--today', TODAY], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr, written: await readFile(out, 'utf8') };
}

function mutated(mutate: (doc: Doc) => void): Doc {
  const doc = vendored();
  mutate(doc);
  return embedInUpstream(doc);
}

/** Compatible: a new optional, read-only (response-only) property. */
const addResponseProperty = (doc: Doc) => {
  doc.components.schemas['email-security_AllowPolicy'].properties.review_state = {
    type: 'string',
    readOnly: true,
    description: 'Review state of the policy.',
  };
};
const removeProperty = (doc: Doc) => {
  delete doc.components.schemas['email-security_AllowPolicy'].properties.comments;
};

describe('spec:update command', () => {
  it('exits 0 and leaves the file alone when nothing changed', async () => {
    const before = await stat(out);
    const result = await run(await writeUpstream(embedInUpstream(vendored())));
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('No changes to operations, schemas, deprecations or security.');
    expect(result.stderr).toContain('already up to date');
    expect((await stat(out)).mtimeMs).toBe(before.mtimeMs);
  });

  it('writes a compatible change and exits 0', async () => {
    const result = await run(await writeUpstream(mutated(addResponseProperty)));
    expect(result.code).toBe(EXIT.ok);
    expect(result.written).not.toBe(VENDORED_TEXT);
    expect(
      JSON.parse(result.written).components.schemas['email-security_AllowPolicy'].properties,
    ).toHaveProperty('review_state');
    expect(result.stderr).toMatch(/Wrote .*vendored\.openapi\.json .*Next: npm run generate/);
  });

  it('writes a spec the generator accepts', async () => {
    const result = await run(await writeUpstream(mutated(addResponseProperty)));
    expect(result.code).toBe(EXIT.ok);
    const summary = await runGenerate({
      specPath: out,
      outDir: join(dir, 'generated'),
      operations: ['email_security_update_allow_policy'],
      rootDir: fileURLToPath(new URL('../..', import.meta.url)),
      useCache: false,
    });
    expect(summary.status).toBe('written');
    const schema = await readFile(join(dir, 'generated', 'schema.ts'), 'utf8');
    expect(schema).toContain('review_state');
  });

  it('reads YAML: the slice equals the vendored file', async () => {
    await rm(out);
    const result = await run(await writeUpstream(embedInUpstream(vendored()), 'openapi.yaml'));
    expect(result.code).toBe(EXIT.ok);
    expect(result.written).toBe(VENDORED_TEXT);
    expect(result.stderr).toContain('No previous spec');
  });

  it('exits 3 on a breaking change and does not write, unless --allow-breaking', async () => {
    const upstream = await writeUpstream(mutated(removeProperty));
    const blocked = await run(upstream);
    expect(blocked.code).toBe(EXIT.breaking);
    expect(blocked.written).toBe(VENDORED_TEXT);
    expect(blocked.stdout).toContain('Verdict: BREAKING');
    expect(blocked.stderr).toContain('--allow-breaking');

    const allowed = await run(upstream, '--allow-breaking');
    expect(allowed.code).toBe(EXIT.ok);
    expect(
      JSON.parse(allowed.written).components.schemas['email-security_AllowPolicy'].properties,
    ).not.toHaveProperty('comments');
  });

  it('--dry-run reports without writing', async () => {
    const result = await run(await writeUpstream(mutated(addResponseProperty)), '--dry-run');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('review_state: optional property added');
    expect(result.written).toBe(VENDORED_TEXT);
    expect(result.stderr).toContain('Dry run');
  });

  it('--json prints the report alone on stdout, for CI bots', async () => {
    const result = await run(await writeUpstream(mutated(removeProperty)), '--json', '--dry-run');
    expect(result.code).toBe(EXIT.breaking);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ reportVersion: 1, today: TODAY, verdict: { breaking: true } });
    expect(report.schemas).toEqual([
      {
        kind: 'property-removed',
        severity: 'breaking',
        location: 'email-security_AllowPolicy.comments',
        message: 'property removed',
        before: 'string',
      },
    ]);
  });

  it('--markdown prints a pull-request description', async () => {
    const result = await run(
      await writeUpstream(mutated(removeProperty)),
      '--markdown',
      '--dry-run',
    );
    expect(result.stdout).toContain('## Email Security spec update');
    expect(result.stdout).toContain('**Verdict: breaking**');
    expect(result.stdout).toContain(
      '| **breaking** | `email-security_AllowPolicy.comments` | property removed |',
    );
  });

  it('compares with --previous when given', async () => {
    const previous = join(dir, 'older.json');
    const older = vendored();
    delete older.paths[POLICY_PATH].patch;
    await writeFile(previous, JSON.stringify(older));
    const result = await run(
      await writeUpstream(embedInUpstream(vendored())),
      '--previous',
      previous,
      '--json',
    );
    expect(JSON.parse(result.stdout).operations).toMatchObject([
      { kind: 'operation-added', location: `PATCH ${POLICY_PATH}` },
    ]);
    expect(result.code).toBe(EXIT.ok);
  });

  it('downloads a URL', async () => {
    const body = JSON.stringify(embedInUpstream(vendored()));
    const server = await listen((_request, response) => response.end(body));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await run(`http://127.0.0.1:${port}/openapi.json`);
      expect(result.code).toBe(EXIT.ok);
      expect(result.stderr).toContain('already up to date');
    } finally {
      server.close();
    }
  });

  it('prints help and rejects bad arguments with exit 2', async () => {
    const help = await run('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('Usage: npm run spec:update');
    expect((await run()).code).toBe(EXIT.usage);
    const both = await run('x.json', '--json', '--markdown');
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toContain('Choose one of --json and --markdown');
    const noSelection = await run('x.json', '--prefix', '');
    expect(noSelection.stderr).toContain('--tag');
  });
});

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('scripts/spec-update.ts entry point', () => {
  it('runs as a process and sets the exit code', async () => {
    const file = await writeUpstream(mutated(removeProperty));
    const result = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/spec-update.ts', file, '--out', out, '--today', TODAY],
      { timeout: 30_000 },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(EXIT.breaking);
    expect(result.stdout).toContain('email-security_AllowPolicy.comments: property removed');
  });
});
