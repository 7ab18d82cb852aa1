/**
 * Scope 4 of issue 12: nothing outside the document is read. Every `$ref` (and its relatives)
 * that does not point inside the document is refused before any stage sees it, wherever it
 * stands; a canary file and a canary HTTP server count the reads: zero.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeDir } from '../package/packed-package.js';
import {
  createHostileRepo,
  type Doc,
  hostile,
  isToolMessage,
  POLICY_SCHEMA,
  protectedFiles,
  runScript,
  startCanaryFile,
  startCanaryServer,
  UPDATE_PATH,
  writeSpec,
} from './support.js';

let dir = '';
let server: Awaited<ReturnType<typeof startCanaryServer>>;
let canary: Awaited<ReturnType<typeof startCanaryFile>>;

beforeAll(async () => {
  dir = createHostileRepo();
  server = await startCanaryServer();
  canary = await startCanaryFile(join(dir, 'canary.json'));
}, 60_000);

afterAll(async () => {
  await canary?.stop();
  await server?.close();
  removeDir(dir);
});

const policy = (doc: Doc) => doc.components.schemas[POLICY_SCHEMA];
const update = (doc: Doc) => doc.paths[UPDATE_PATH].patch;

/** [case, mutation (gets the canary URLs), text the error must contain (the location)] */
const CASES: [string, (doc: Doc, urls: { http: string; file: string }) => void, string][] = [
  [
    'a file $ref inside a property `example`',
    (doc) => {
      policy(doc).properties.comments.example = { $ref: './canary.json' };
    },
    `components.schemas["${POLICY_SCHEMA}"].properties.comments.example`,
  ],
  [
    'a URL $ref in a request body `examples` entry',
    (doc, urls) => {
      update(doc).requestBody.content['application/json'].examples = {
        leak: { $ref: `${urls.http}/example.json` },
      };
    },
    '.requestBody.content["application/json"].examples.leak',
  ],
  [
    'a file path in `discriminator.mapping`',
    (doc) => {
      doc.components.schemas.Pet = {
        oneOf: [{ $ref: `#/components/schemas/${POLICY_SCHEMA}` }],
        discriminator: { propertyName: 'pattern_type', mapping: { EMAIL: './canary.json' } },
      };
    },
    'components.schemas.Pet.discriminator.mapping.EMAIL',
  ],
  [
    'a URL in `discriminator.mapping`',
    (doc, urls) => {
      doc.components.schemas.Pet = {
        oneOf: [{ $ref: `#/components/schemas/${POLICY_SCHEMA}` }],
        discriminator: { propertyName: 'pattern_type', mapping: { EMAIL: `${urls.http}/Pet` } },
      };
    },
    'components.schemas.Pet.discriminator.mapping.EMAIL',
  ],
  [
    'a URL $ref as a response link',
    (doc, urls) => {
      update(doc).responses['200'].links = { next: { $ref: `${urls.http}/link.json` } };
    },
    '.responses["200"].links.next',
  ],
  [
    'a URL `operationRef` in a response link',
    (doc, urls) => {
      update(doc).responses['200'].links = { next: { operationRef: `${urls.http}/op` } };
    },
    '.responses["200"].links.next.operationRef',
  ],
  [
    'a file $ref as a callback path item',
    (doc) => {
      update(doc).callbacks = { onChange: { '{$request.body#/url}': { $ref: './canary.json' } } };
    },
    '.callbacks.onChange["{$request.body#/url}"]',
  ],
  [
    'a URL $ref inside a vendor extension',
    (doc, urls) => {
      doc.info['x-logo'] = { $ref: `${urls.http}/logo.json` };
    },
    'info["x-logo"]',
  ],
  [
    'an absolute file: URL $ref on a property schema',
    (doc, urls) => {
      policy(doc).properties.comments = { $ref: urls.file };
    },
    `components.schemas["${POLICY_SCHEMA}"].properties.comments`,
  ],
  [
    'a remote $ref next to a local-looking fragment',
    (doc, urls) => {
      policy(doc).properties.pattern = { $ref: `${urls.http}/#/components/schemas/x` };
    },
    `components.schemas["${POLICY_SCHEMA}"].properties.pattern`,
  ],
  [
    'a URL $dynamicRef',
    (doc, urls) => {
      policy(doc).properties.pattern.$dynamicRef = `${urls.http}/meta`;
    },
    `components.schemas["${POLICY_SCHEMA}"].properties.pattern`,
  ],
  [
    'an $id that would re-base the references below it',
    (doc, urls) => {
      policy(doc).$id = `${urls.http}/base/`;
    },
    `components.schemas["${POLICY_SCHEMA}"]`,
  ],
  [
    'an example `externalValue` (openapi-typescript would fetch it)',
    (doc, urls) => {
      update(doc).requestBody.content['application/json'].examples = {
        remote: { externalValue: `${urls.http}/example.json` },
      };
    },
    '.examples.remote.externalValue',
  ],
  [
    'a $ref that is not a string',
    (doc) => {
      policy(doc).properties.comments = { $ref: { path: './canary.json' } };
    },
    `components.schemas["${POLICY_SCHEMA}"].properties.comments`,
  ],
];

describe('the canaries', () => {
  test('count a read of the file and a request to the server (so zero means zero)', async () => {
    const [hits, reads] = [server.hits(), canary.reads()];
    await fetch(`${server.url}/probe`).then((response) => response.text());
    expect(await readFile(join(dir, 'canary.json'), 'utf8')).toContain('CANARY-FILE-CONTENT');
    expect(server.hits() - hits).toBe(1);
    expect(canary.reads() - reads).toBe(1);
  });
});

describe('references outside the document are refused before anything reads them', () => {
  test.each(CASES)(
    '%s',
    async (_name, mutate, location) => {
      const urls = { http: server.url, file: `file://${join(dir, 'canary.json')}` };
      const spec = writeSpec(
        dir,
        'hostile.json',
        hostile((doc) => mutate(doc, urls)),
      );
      const before = protectedFiles(dir);
      const [hitsBefore, readsBefore] = [server.hits(), canary.reads()];

      const result = await runScript(dir, 'generate.ts', ['--spec', spec], 30_000);

      expect(result.code, result.stderr).toBe(1);
      expect(isToolMessage(result.stderr, 'generate'), result.stderr).toBe(true);
      expect(result.stderr).toContain(location);
      expect(result.stderr).toMatch(
        /points outside the document|not a string|an \$id|discriminator mapping/,
      );
      expect(result.stderr).toContain('Nothing was read from outside the document');
      expect(server.hits() - hitsBefore).toBe(0);
      expect(canary.reads() - readsBefore).toBe(0);
      expect(protectedFiles(dir)).toEqual(before);
      expect(result.ms).toBeLessThan(30_000);
    },
    40_000,
  );

  test('spec:update refuses them too, before slicing, and writes nothing', async () => {
    const upstream = writeSpec(
      dir,
      'upstream.json',
      hostile((doc) => {
        policy(doc).properties.comments.example = { $ref: `${server.url}/example.json` };
        update(doc).callbacks = { cb: { x: { $ref: './canary.json' } } };
      }),
    );
    const vendored = join(dir, 'openapi', 'cloudflare-email-security.openapi.json');
    const before = readFileSync(vendored, 'utf8');
    const [hitsBefore, readsBefore] = [server.hits(), canary.reads()];

    const result = await runScript(dir, 'spec-update.ts', [upstream], 30_000);

    expect(result.code, result.stderr).toBe(1);
    expect(isToolMessage(result.stderr, 'spec:update'), result.stderr).toBe(true);
    expect(result.stderr).toContain('points outside the document');
    expect(server.hits() - hitsBefore).toBe(0);
    expect(canary.reads() - readsBefore).toBe(0);
    expect(readFileSync(vendored, 'utf8')).toBe(before);
  }, 40_000);
});
