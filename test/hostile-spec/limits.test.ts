/**
 * Scope 6 of issue 12: YAML aliases, sizes and shapes that would make the tools loop, exhaust
 * memory or crash are refused quickly, in the tool's own message format, writing nothing.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { DOCUMENT_LIMITS } from '../../scripts/codegen/limits.js';
import { EXIT, runSpecUpdate } from '../../scripts/spec/run.js';
import { removeDir } from '../package/packed-package.js';
import { embedInUpstream } from '../spec-update/upstream-fixture.js';
import {
  createHostileRepo,
  hostile,
  isToolMessage,
  POLICY_SCHEMA,
  protectedFiles,
  runScript,
  VENDORED_SPEC,
  writeSpec,
} from './support.js';

let dir = '';
beforeAll(() => {
  dir = createHostileRepo();
}, 60_000);
afterAll(() => removeDir(dir));

const VENDORED_YAML = stringify(VENDORED_SPEC);

/** The vendored spec as YAML with `extra` appended as top-level keys. */
const yamlWith = (extra: string) => `${VENDORED_YAML}${extra}`;

function billionLaughs(levels: number, fanOut: number): string {
  const lines = [`x-l0: &l0 [${Array(fanOut).fill('"lol"').join(', ')}]`];
  for (let level = 1; level < levels; level += 1) {
    lines.push(
      `x-l${level}: &l${level} [${Array(fanOut)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** [case, file name, contents, what the message must say] */
const GENERATE_CASES: [string, string, () => string, RegExp][] = [
  [
    'a YAML alias to the sequence that contains it',
    'loop.yaml',
    () => yamlWith('x-loop: &loop\n  - *loop\n'),
    /alias \*loop at line \d+, column \d+ refers to a node that contains it/,
  ],
  [
    'a YAML alias to the mapping that contains it',
    'loop-map.yaml',
    () => yamlWith('x-loop: &self\n  again: *self\n'),
    /alias \*self at line \d+, column \d+ refers to a node that contains it/,
  ],
  [
    'a "billion laughs" YAML document (aliases fanning out 10^9 times)',
    'laughs.yaml',
    () => yamlWith(billionLaughs(9, 10)),
    new RegExp(`aliases expand to more than ${DOCUMENT_LIMITS.maxYamlAliasExpansion} nodes`),
  ],
  [
    'a YAML alias with no anchor',
    'dangling.yaml',
    () => yamlWith('x-dangling: *nowhere\n'),
    /alias \*nowhere has no anchor &nowhere before it|Invalid YAML/,
  ],
  [
    'a YAML .nan (no JSON form)',
    'nan.yaml',
    () => yamlWith('x-number: .nan\n'),
    /the number NaN, which JSON cannot represent, at \["x-number"\]/,
  ],
  [
    'JSON nested 100,000 levels deep (would overflow recursive stages)',
    'deep.json',
    () => JSON.stringify(hostile(() => {})).replace(/}$/, `,"x-deep":${nested(100_000)}}`),
    new RegExp(`deeper than ${DOCUMENT_LIMITS.maxDepth} levels \\(below \\["x-deep"\\]`),
  ],
  [
    'a "__proto__" property name',
    'proto.json',
    () =>
      JSON.stringify(hostile(() => {})).replace(
        `"${POLICY_SCHEMA}":{`,
        `"${POLICY_SCHEMA}":{"__proto__":{"polluted":true},`,
      ),
    /a key named "__proto__" at components\.schemas\["email-security_AllowPolicy"\]\.__proto__/,
  ],
];

describe('generate refuses documents that would loop, explode or crash', () => {
  test.each(GENERATE_CASES)(
    '%s',
    async (_name, file, contents, message) => {
      writeSpec(dir, file, contents());
      const before = protectedFiles(dir);
      const result = await runScript(dir, 'generate.ts', ['--spec', file], 30_000);
      expect(result.code, result.stderr).toBe(1);
      expect(isToolMessage(result.stderr, 'generate'), result.stderr).toBe(true);
      expect(result.stderr).toMatch(message);
      expect(protectedFiles(dir)).toEqual(before);
      expect(result.ms).toBeLessThan(30_000);
    },
    40_000,
  );

  test('a 30 MB document is refused at once, naming the limit and the fix', async () => {
    const doc = hostile(() => {});
    const filler = JSON.stringify(doc.components.schemas[POLICY_SCHEMA]);
    for (let index = 0; JSON.stringify(doc).length < 30 * 1024 * 1024; index += 1000) {
      for (let one = index; one < index + 1000; one += 1) {
        doc.components.schemas[`x-extra-${one}`] = JSON.parse(filler);
      }
    }
    writeSpec(dir, 'big.json', JSON.stringify(doc));
    const before = protectedFiles(dir);
    const result = await runScript(dir, 'generate.ts', ['--spec', 'big.json'], 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(isToolMessage(result.stderr, 'generate'), result.stderr).toBe(true);
    expect(result.stderr).toMatch(
      /is too large: (29|30|31)\.\d MiB, the limit for generating is 16 MiB/,
    );
    expect(result.stderr).toContain('npm run spec:update');
    expect(protectedFiles(dir)).toEqual(before);
    expect(result.ms).toBeLessThan(20_000);
  }, 60_000);

  test('a FIFO as the spec is refused instead of blocking', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const result = await runScript(dir, 'generate.ts', ['--spec', 'pipe.json'], 20_000);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('it is not a regular file');
  }, 30_000);
});

async function specUpdate(...argv: string[]) {
  let [stdout, stderr] = ['', ''];
  const started = performance.now();
  const out = join(dir, 'openapi', 'cloudflare-email-security.openapi.json');
  const code = await runSpecUpdate([...argv, '--out', out, '--today', '2026-11-26'], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr, ms: performance.now() - started, out };
}

describe('spec:update refuses the same documents, and reads big ones quickly', () => {
  test.each(GENERATE_CASES.filter(([, file]) => file.endsWith('.yaml')))(
    '%s',
    async (_name, file, contents, message) => {
      writeSpec(dir, `upstream-${file}`, contents());
      const vendored = readFileSync(
        join(dir, 'openapi', 'cloudflare-email-security.openapi.json'),
        'utf8',
      );
      const result = await specUpdate(`upstream-${file}`.replace(/^/, `${dir}/`));
      expect(result.code, result.stderr).toBe(EXIT.error);
      expect(result.stderr).toMatch(/^spec:update: /);
      expect(result.stderr).toMatch(message);
      expect(readFileSync(result.out, 'utf8')).toBe(vendored);
      expect(result.ms).toBeLessThan(20_000);
    },
    30_000,
  );

  test('the self-referencing alias through the real command: exit 1, one message, no stack trace', async () => {
    writeSpec(dir, 'upstream-loop.yaml', yamlWith('x-loop: &loop\n  - *loop\n'));
    const result = await runScript(
      dir,
      'spec-update.ts',
      ['upstream-loop.yaml', '--dry-run'],
      30_000,
    );
    expect(result.code, result.stderr).toBe(1);
    expect(isToolMessage(result.stderr, 'spec:update'), result.stderr).toBe(true);
    expect(result.stderr).toContain('self-referencing alias');
  }, 40_000);

  test('a 30 MB upstream document is sliced and reported well under a minute', async () => {
    const upstream = embedInUpstream(structuredClone(VENDORED_SPEC));
    const filler = JSON.stringify(VENDORED_SPEC.components.schemas[POLICY_SCHEMA]);
    for (let index = 0; JSON.stringify(upstream).length < 30 * 1024 * 1024; index += 1000) {
      for (let one = index; one < index + 1000; one += 1) {
        upstream.components.schemas[`other-product_${one}`] = JSON.parse(filler);
      }
    }
    const file = join(dir, writeSpec(dir, 'upstream-big.json', JSON.stringify(upstream)));
    const result = await specUpdate(file, '--dry-run');
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toContain('No changes');
    expect(result.ms).toBeLessThan(30_000);
  }, 90_000);

  test('a file over the read limit is refused without being read', async () => {
    const file = join(dir, 'huge.json');
    const handle = openSync(file, 'w');
    ftruncateSync(handle, DOCUMENT_LIMITS.maxBytes + 1); // sparse: nothing to read anyway
    closeSync(handle);
    const result = await specUpdate(file, '--dry-run');
    expect(result.code).toBe(EXIT.error);
    expect(result.stderr).toMatch(/is too large: 64\.0 MiB, the limit for reading is 64 MiB/);
    expect(result.ms).toBeLessThan(5_000);
  });

  test('a download that never ends is cut at the limit', async () => {
    let sent = 0;
    const server = createServer((_request, response) => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const push = () => {
        while (sent < 2 * DOCUMENT_LIMITS.maxBytes && response.write(chunk)) sent += chunk.length;
        if (sent < 2 * DOCUMENT_LIMITS.maxBytes) response.once('drain', push);
        else response.end();
      };
      response.on('error', () => {});
      push();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await specUpdate(`http://127.0.0.1:${port}/openapi.json`, '--dry-run');
      expect(result.code).toBe(EXIT.error);
      expect(result.stderr).toMatch(/is too large: over 64 MiB, the limit for reading is 64 MiB/);
      expect(sent).toBeLessThan(2 * DOCUMENT_LIMITS.maxBytes);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
