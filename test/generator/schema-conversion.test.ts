/**
 * The `transform` conversion (openapi-typescript's conversion alone, emit-schema.ts) against
 * `openapiTS()` itself: the same schema.ts byte for byte, and a refusal of what openapiTS()
 * refuses on purpose (its version check, its lint rule, its bundle's unresolved `$ref`) and of a
 * malformed operation its lint trips on. Both hold only for the verified releases
 * (peer-modules.ts), so the installed release must be one of them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import { describe, expect, test, vi } from 'vitest';
import { makeUpstreamDocument } from '../../bench/make-upstream-document.js';
import {
  emitSchema,
  OPENAPI_TS_OPTIONS,
  schemaConversion,
} from '../../scripts/codegen/emit-schema.js';
import { CodegenError } from '../../scripts/codegen/errors.js';
import { loadDocument } from '../../scripts/codegen/load.js';
import { listOperations } from '../../scripts/codegen/operations.js';
import {
  loadOpenapiTypescript,
  VERIFIED_OPENAPI_TYPESCRIPT,
} from '../../scripts/codegen/peer-modules.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import { sliceOperations } from '../../scripts/spec/slice.js';
import { multiProductDocument } from '../support/multi-product-document.js';
import { ROOT, SPEC_PATH } from './helpers.js';

const HEADER = { specFile: 'spec.json', specSha256: '0'.repeat(64) };
const FIXTURES = join(ROOT, 'test', 'generator', 'fixtures');

type Doc = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

/** Every 40th operation of the bench's document shaped like Cloudflare's full one, sliced. */
function scatteredSlice(): object {
  const whole = makeUpstreamDocument() as unknown as OpenApiDocument;
  const ids = listOperations(whole).flatMap(({ operation }) =>
    typeof operation.operationId === 'string' ? [operation.operationId] : [],
  );
  return sliceOperations(
    whole,
    ids.filter((_, index) => index % 40 === 0),
    { source: 'upstream.json' },
  );
}

async function documents(): Promise<[string, object][]> {
  const fixtures = (await readdir(FIXTURES)).filter((name) => /\.(?:json|ya?ml)$/.test(name));
  return [
    ['the vendored spec', JSON.parse(await readFile(SPEC_PATH, 'utf8'))],
    ['a multi-product document', multiProductDocument()],
    ['every 40th operation of a document shaped like the full one', scatteredSlice()],
    ...(await Promise.all(
      fixtures.map(
        async (name): Promise<[string, object]> => [
          `fixture ${name}`,
          (await loadDocument(join(FIXTURES, name))).document as object,
        ],
      ),
    )),
  ];
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

/** The operation objects of the document, in document order. */
function operations(doc: Doc): Record<string, unknown>[] {
  return listOperations(doc).map(({ operation }) => operation);
}

describe('the transform conversion', () => {
  test('is the one the generator uses: the installed openapi-typescript is a verified release', async () => {
    const installed = JSON.parse(
      await readFile(join(ROOT, 'node_modules', 'openapi-typescript', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(VERIFIED_OPENAPI_TYPESCRIPT).toContain(installed.version);
    expect(schemaConversion()).toBe('transform');
  });

  test('writes byte for byte what openapiTS() writes', async () => {
    for (const [name, document] of await documents()) {
      const expected = await emitSchema(structuredClone(document), HEADER, 'openapiTS');
      const written = await emitSchema(structuredClone(document), HEADER, 'transform');
      expect(written.length, name).toBeGreaterThan(1000);
      expect(written === expected, `${name}: the two conversions differ`).toBe(true);
    }
  }, 60_000);

  test.each<[string, (doc: Doc) => void, RegExp]>([
    [
      'a duplicate operationId',
      (doc) => {
        const [first, second] = operations(doc);
        if (!first || !second) throw new Error('fixture: two operations needed');
        second.operationId = first.operationId;
      },
      /operationId ".+" is used twice/,
    ],
    [
      'a $ref that does not resolve',
      (doc) => {
        const [first] = operations(doc);
        if (!first) throw new Error('fixture: an operation needed');
        first.requestBody = { $ref: '#/components/requestBodies/Missing' };
      },
      /#\/components\/requestBodies\/Missing/,
    ],
    [
      'an operation that is not an object',
      (doc) => {
        const [path] = Object.keys(doc.paths);
        if (!path) throw new Error('fixture: a path needed');
        (doc.paths[path] as Record<string, unknown>).get = null;
      },
      /the GET operation of ".+" is null, not an object/,
    ],
    [
      'an OpenAPI 2 document',
      (doc) => {
        doc.openapi = undefined;
        doc.swagger = '2.0';
      },
      /is Swagger 2\.0, not OpenAPI 3/,
    ],
    [
      'an OpenAPI 4 document',
      (doc) => {
        doc.openapi = '4.0.0';
      },
      /not an OpenAPI 3\.x document: its `openapi` field is "4\.0\.0"/,
    ],
  ])('refuses what openapiTS() refuses: %s', async (_name, mutate, message) => {
    const document = structuredClone(multiProductDocument()) as unknown as Doc;
    mutate(document);
    const { default: openapiTS } = loadOpenapiTypescript();
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined); // it prints them
    const byOpenapiTS = await refusal(
      openapiTS(structuredClone(document) as unknown as OpenAPI3, OPENAPI_TS_OPTIONS),
    );
    quiet.mockRestore();
    expect(byOpenapiTS).toBeInstanceOf(Error);
    const byTransform = await refusal(emitSchema(document, HEADER, 'transform'));
    expect(byTransform).toBeInstanceOf(CodegenError);
    expect((byTransform as CodegenError).message).toMatch(message);
  });
});
