/**
 * The modular entry is tree-shakable for real: bench/entry-update.ts (what the README's "A small
 * bundle" shows: `createClient` with `updateAllowPolicyOperation`) bundled by esbuild, minified,
 * carries the update operation's spec facts and no other configured operation's operationId or
 * path. The operation list comes from openapi/codegen.config.ts and the paths from its spec; the
 * entry that uses every resource is the control (every operationId is in it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { UPDATE_ONLY_LIMIT_BYTES } from '../../bench/bundle-limit.js';
import { BUNDLE_OPTIONS } from '../../bench/bundle-options.js';
import { operationRegistry } from '../../generated/operations.js';
import config from '../../openapi/codegen.config.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import type { OperationMetadata } from '../../src/metadata.js';

const ROOT = join(import.meta.dirname, '../..');
const UPDATE = 'email_security_update_allow_policy';

const spec = JSON.parse(readFileSync(join(ROOT, config.spec), 'utf8')) as OpenApiDocument;
const configured = locateOperations(spec).filter((operation) =>
  config.operations.includes(operation.operationId),
);

async function bundle(entry: string): Promise<{ code: string; bytesOf: (file: string) => number }> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(ROOT, entry)],
    metafile: true,
    absWorkingDir: ROOT,
  });
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  return {
    code: new TextDecoder().decode(result.outputFiles[0]?.contents),
    bytesOf: (file) => inputs[file]?.bytesInOutput ?? 0,
  };
}

/**
 * Modules of one kind of operation, reached only through the generated entries of that kind
 * (`resourceMethod`, `itemArrays` in generated/operations.ts), or only through an option the
 * update-only entry does not give: an update-only bundle holds none of their bytes.
 */
const KIND_MODULES = [
  { kind: 'paged lists', module: 'src/pagination.ts' },
  { kind: 'batches', module: 'src/batch.ts' },
  // openapi-fetch's query serializer, which only entries of operations with query parameters carry.
  { kind: 'query strings', module: 'node_modules/openapi-fetch/dist/index.mjs' },
  // Not kinds of operation: what createClient takes only when given (`withMiddleware`, `withLogger`).
  { kind: 'middleware', module: 'src/middleware.ts' },
  { kind: 'a logger', module: 'src/logger.ts' },
];

/** Whether the bundle has `text` as a whole string literal (any quote style). */
const hasLiteral = (code: string, text: string) =>
  ['"', "'", '`'].some((quote) => code.includes(`${quote}${text}${quote}`));

const update = configured.find((operation) => operation.operationId === UPDATE);
const updateBundle = await bundle('bench/entry-update.ts');
const allBundle = await bundle('bench/entry-all.ts');
const updateOnly = updateBundle.code;
const everyResource = allBundle.code;
const metadataById = new Map<string, OperationMetadata>(
  Object.values(operationRegistry).map(({ metadata }) => [metadata.operationId, metadata]),
);
const paged = configured.filter(
  (operation) => metadataById.get(operation.operationId)?.pagination !== undefined,
);
const batches = configured.filter(
  (operation) => metadataById.get(operation.operationId)?.requestBody?.omittedAsEmpty?.length,
);

describe('bench/entry-update.ts (createClient with one operation), bundled', () => {
  test('the configuration has the update and other operations to leave out', () => {
    expect(update).toBeDefined();
    expect(configured.length).toBeGreaterThan(1);
  });

  test('is within the budget of issue 14 (min+gzip)', () => {
    const gzipped = gzipSync(updateOnly, { level: 9 }).length;
    expect({ gzipped, within: gzipped <= UPDATE_ONLY_LIMIT_BYTES }).toEqual({
      gzipped,
      within: true,
    });
  });

  test("carries the update operation's operationId and path", () => {
    expect(hasLiteral(updateOnly, UPDATE)).toBe(true);
    expect(hasLiteral(updateOnly, update?.path ?? '')).toBe(true);
  });

  test.each(
    configured
      .filter((operation) => operation.operationId !== UPDATE)
      .map((operation) => ({
        operationId: operation.operationId,
        path: operation.path,
        // Get and delete share the update's path: only their operationId can tell them apart.
        pathIsOwn: operation.path !== update?.path,
      })),
  )('leaves $operationId out', ({ operationId, path, pathIsOwn }) => {
    expect({ operationId: hasLiteral(updateOnly, operationId) }).toEqual({ operationId: false });
    if (pathIsOwn) expect({ path: hasLiteral(updateOnly, path) }).toEqual({ path: false });
  });
});

describe('kind-specific and opt-in code, bundled only where it is used', () => {
  test('the configuration has paged lists and batches, and the update is neither', () => {
    expect(paged.length).toBeGreaterThan(0);
    expect(batches.length).toBeGreaterThan(0);
    expect([...paged, ...batches].map((operation) => operation.operationId)).not.toContain(UPDATE);
  });

  test.each(KIND_MODULES)(
    'the update-only bundle holds nothing of $module ($kind)',
    ({ module }) => {
      expect({ [module]: updateBundle.bytesOf(module) }).toEqual({ [module]: 0 });
    },
  );

  test.each(KIND_MODULES)('the every-resource bundle holds $module ($kind)', ({ module }) => {
    expect(allBundle.bytesOf(module)).toBeGreaterThan(0);
  });
});

describe('bench/entry-all.ts (the default client), bundled', () => {
  test.each(configured.map((operation) => operation.operationId))('carries %s', (operationId) => {
    expect(hasLiteral(everyResource, operationId)).toBe(true);
  });
});
