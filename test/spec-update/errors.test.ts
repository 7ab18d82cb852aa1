import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, runSpecUpdate } from '../../scripts/spec/run.js';
import { type Doc, embedInUpstream, VENDORED_TEXT, vendored } from './upstream-fixture.js';

let dir: string;
let out: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spec-update-errors-'));
  out = join(dir, 'vendored.openapi.json');
  await writeFile(out, VENDORED_TEXT);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command on `text` and checks the error contract: exit 1, one clear message, nothing written. */
async function failsWith(text: string | null, name: string, expected: RegExp): Promise<string> {
  const input = text === null ? name : join(dir, name);
  if (text !== null) await writeFile(input, text);
  let stdout = '';
  let stderr = '';
  const code = await runSpecUpdate([input, '--out', out, '--today', '2026-11-26'], {
    stdout: (chunk) => {
      stdout += chunk;
    },
    stderr: (chunk) => {
      stderr += chunk;
    },
  });
  expect(code).toBe(EXIT.error);
  expect(stderr).toMatch(expected);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stdout).toBe('');
  expect(await readFile(out, 'utf8')).toBe(VENDORED_TEXT);
  expect((await readdir(dir)).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  return stderr;
}

const upstreamWith = (mutate: (doc: Doc) => void) => {
  const doc = embedInUpstream(vendored());
  mutate(doc);
  return JSON.stringify(doc);
};

describe('spec:update errors (clear message, nothing written)', () => {
  it('no Email Security paths in the document', async () => {
    const text = upstreamWith((doc) => {
      for (const path of Object.keys(doc.paths)) {
        if (path.includes('/email-security/settings/')) delete doc.paths[path];
      }
    });
    const message = await failsWith(
      text,
      'openapi.json',
      /No Email Security paths in .*openapi\.json/,
    );
    expect(message).toContain('/accounts/{account_id}/email-security/settings/');
    expect(message).toContain('--prefix');
  });

  it('a dangling $ref, named with where it is used', async () => {
    const text = upstreamWith((doc) => {
      delete doc.components.schemas['email-security_timestamp'];
    });
    await failsWith(
      text,
      'openapi.json',
      /Dangling \$ref .*references "#\/components\/schemas\/email-security_timestamp"/,
    );
  });

  it('a reference the slicer cannot follow (outside components, or external)', async () => {
    const external = upstreamWith((doc) => {
      doc.components.schemas['email-security_AllowPolicyId'] = { $ref: 'other.json#/Id' };
    });
    await failsWith(
      external,
      'openapi.json',
      /the \$ref "other\.json#\/Id" points outside the document at components\.schemas\["email-security_AllowPolicyId"\]/,
    );
  });

  it('an operation requiring an undefined security scheme', async () => {
    const text = upstreamWith((doc) => {
      doc.components.securitySchemes = { api_token: doc.components.securitySchemes.api_token };
    });
    await failsWith(
      text,
      'openapi.json',
      /requires "api_(email|key)", which components\.securitySchemes does not define/,
    );
  });

  it('invalid JSON, with line and column', async () => {
    const text = JSON.stringify(embedInUpstream(vendored()), null, 2).replace(
      '"paths": {',
      '"paths": {,',
    );
    await failsWith(
      text,
      'openapi.json',
      /Invalid JSON in ".*openapi\.json" at line \d+, column \d+/,
    );
  });

  it('invalid YAML, with line and column', async () => {
    await failsWith(
      'openapi: 3.0.3\npaths:\n  "/a": [unclosed\n',
      'openapi.yaml',
      /Invalid YAML in ".*openapi\.yaml" at line \d+/,
    );
  });

  it('not OpenAPI 3.x: Swagger 2, a missing version, a top-level array', async () => {
    await failsWith(
      JSON.stringify({ swagger: '2.0', paths: {} }),
      'a.json',
      /not an OpenAPI 3\.x document: it is Swagger 2\.0/,
    );
    await failsWith(
      JSON.stringify({ paths: {} }),
      'b.json',
      /not an OpenAPI 3\.x document: it has no "openapi" field/,
    );
    await failsWith('[1, 2]', 'c.json', /not an OpenAPI 3\.x document: its top level is an array/);
  });

  it('a missing file', async () => {
    await failsWith(
      null,
      join(dir, 'nope.json'),
      /Cannot read the upstream document ".*nope\.json": no such file/,
    );
  });

  it('a URL while offline (nothing listens there)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await failsWith(
      null,
      `http://127.0.0.1:${port}/openapi.json`,
      /Cannot download "http:\/\/127\.0\.0\.1:\d+\/openapi\.json": ECONNREFUSED.*Are you offline\?/,
    );
  });

  it('a URL answering an HTTP error', async () => {
    const server = createServer((_request, response) => {
      response.statusCode = 404;
      response.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await failsWith(null, `http://127.0.0.1:${port}/openapi.json`, /answered HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('a corrupt previous vendored file', async () => {
    await writeFile(out, '{ "openapi": "3.0.3", ');
    const input = join(dir, 'openapi.json');
    await writeFile(input, JSON.stringify(embedInUpstream(vendored())));
    let stderr = '';
    const code = await runSpecUpdate([input, '--out', out], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
    });
    expect(code).toBe(EXIT.error);
    expect(stderr).toMatch(/Invalid JSON in ".*vendored\.openapi\.json"/);
    expect(await readFile(out, 'utf8')).toBe('{ "openapi": "3.0.3", ');
  });
});
