/**
 * The `cfes` bin emits the TypeScript files (openapi-typescript's schema.ts, ts-morph's
 * operations.ts) in a worker thread (scripts/codegen/typescript-worker.ts): the files it writes
 * are the files the in-thread pipeline writes, and an error raised in the worker reaches the
 * caller as it was raised (a `CodegenError` with its message and hint).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCfes } from '../../scripts/cli/run.js';
import { convertSchema, schemaInput } from '../../scripts/codegen/emit-schema.js';
import { CodegenError } from '../../scripts/codegen/errors.js';
import { planOperations } from '../../scripts/codegen/plan.js';
import { startTypeScriptWorker } from '../../scripts/codegen/typescript-worker.js';
import type { OpenApiDocument } from '../../scripts/codegen/validate.js';
import { PACKAGE_NAME, ROOT, repoTempDir } from '../generator/helpers.js';
import { multiProductDocument, ROUTING_OPERATIONS } from '../support/multi-product-document.js';

const FILES = ['deprecations.md', 'operations.ts', 'schema.ts'];

/** A worker entry that serves like the bin, loading the TypeScript sources through tsx. */
async function workerEntry(dir: string): Promise<URL> {
  const file = join(dir, 'worker-entry.mjs');
  const module = pathToFileURL(join(ROOT, 'scripts', 'codegen', 'typescript-worker.ts')).href;
  await writeFile(
    file,
    [
      "import { register } from 'tsx/esm/api';",
      'register();',
      `const { isTypeScriptWorker, serveTypeScriptWorker } = await import(${JSON.stringify(module)});`,
      'if (isTypeScriptWorker()) serveTypeScriptWorker();',
      '',
    ].join('\n'),
  );
  return pathToFileURL(file);
}

describe('cfes generate with the TypeScript files emitted in a worker thread', () => {
  test('writes byte for byte what the in-thread pipeline writes', async () => {
    const dir = await repoTempDir('cfes-worker');
    const spec = join(dir, 'openapi.json');
    await writeFile(spec, JSON.stringify(multiProductDocument()));
    const run = (out: string, typescriptWorker?: URL) =>
      runCfes(
        [
          'generate',
          '--spec',
          spec,
          '--operations',
          ...ROUTING_OPERATIONS,
          '--out',
          join(dir, out),
        ],
        { stdout: () => undefined, stderr: (text) => expect.fail(text) },
        { packageName: PACKAGE_NAME, typescriptWorker },
      );
    expect(await run('in-thread')).toBe(0);
    expect(await run('worker', await workerEntry(dir))).toBe(0);
    for (const file of FILES) {
      const written = await readFile(join(dir, 'worker', file), 'utf8');
      const expected = await readFile(join(dir, 'in-thread', file), 'utf8');
      // The headers name the output directory (in the rerun command): the rest is the same.
      expect(withoutHeader(written)).toBe(withoutHeader(expected));
      expect(withoutHeader(written).length).toBeGreaterThan(100);
    }
  }, 60_000);

  test("an error raised in the worker is the caller's CodegenError, message and hint", async () => {
    const dir = await repoTempDir('cfes-worker-error');
    // Passes schemaInput's checks, then openapi-typescript trips on the null property schema.
    const document = structuredClone(multiProductDocument());
    const [schema] = Object.values(document.components.schemas) as Record<string, unknown>[];
    if (!schema) throw new Error('fixture: a component schema needed');
    schema.properties = { broken: null };
    const header = { specFile: 'broken.json', specSha256: '0'.repeat(64) };
    const input = schemaInput(document, header.specFile);
    const expected = await convertSchema(input, header).then(
      () => null,
      (error: unknown) => error,
    );
    expect(expected).toBeInstanceOf(CodegenError);
    // (The plan stage refuses the document too: the plan comes from the intact one.)
    const plan = planOperations(
      multiProductDocument() as unknown as OpenApiDocument,
      ROUTING_OPERATIONS,
    );
    const worker = startTypeScriptWorker(await workerEntry(dir));
    try {
      worker.startSchema(input, header);
      const error = await worker.emit(plan, { header, metadataImport: PACKAGE_NAME }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CodegenError);
      expect((error as CodegenError).message).toBe((expected as CodegenError).message);
      expect((error as CodegenError).hint).toBe((expected as CodegenError).hint);
    } finally {
      await worker.close();
    }
  }, 60_000);

  test('a worker that is closed before it was given a document ends quietly', async () => {
    const worker = startTypeScriptWorker(await workerEntry(await repoTempDir('cfes-worker-close')));
    await expect(worker.close()).resolves.toBeUndefined();
    await expect(
      worker.emit({ operations: [], notes: [] }, { header: HEADER, metadataImport: PACKAGE_NAME }),
    ).rejects.toThrow(/emit before startSchema/);
  }, 60_000);
});

const HEADER = { specFile: 'x.json', specSha256: '0'.repeat(64) };

function withoutHeader(text: string): string {
  return text.replace(/^(\/\/ .*\n)+|^<!-- .* -->\n/, '');
}
