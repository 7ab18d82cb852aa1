import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CodegenError } from '../../scripts/codegen/errors.js';
import { parseDocumentText } from '../../scripts/codegen/load.js';
import { runGenerate } from '../../scripts/codegen/pipeline.js';
import { listFiles } from '../../scripts/codegen/write.js';
import { ROOT, repoTempDir, specCopy, UPDATE_OPERATION } from './helpers.js';

type Json = Record<string, unknown>;

/** The object at `keys` inside a parsed spec (throws if the fixture drifted). */
function at(doc: Json, ...keys: string[]): Json {
  let current: unknown = doc;
  for (const key of keys) {
    current = (current as Json | undefined)?.[key];
    if (typeof current !== 'object' || current === null)
      throw new Error(`fixture drifted: no ${keys.join('.')}`);
  }
  return current as Json;
}
const UPDATE_PATH = '/accounts/{account_id}/email-security/settings/allow_policies/{policy_id}';

async function expectGenerateError(
  spec: { file: string; text: string } | { missing: string },
  message: RegExp,
  operations: string[] = [UPDATE_OPERATION],
): Promise<CodegenError> {
  const dir = await repoTempDir('codegen-error');
  const specPath = 'missing' in spec ? join(dir, spec.missing) : join(dir, spec.file);
  if (!('missing' in spec)) await writeFile(specPath, spec.text);
  const outDir = join(dir, 'out');
  const error = await runGenerate({
    specPath,
    outDir,
    operations,
    rootDir: ROOT,
    useCache: false,
  }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CodegenError);
  const codegenError = error as CodegenError;
  expect(codegenError.message).toMatch(message);
  expect(codegenError.message).not.toContain('\n');
  expect(await listFiles(outDir)).toEqual([]);
  return codegenError;
}

async function mutated(change: (spec: Json) => void): Promise<{ file: string; text: string }> {
  const spec = await specCopy();
  change(spec);
  return { file: 'spec.json', text: JSON.stringify(spec, null, 2) };
}

describe('clear one-paragraph errors, nothing written', () => {
  test('unreadable file', async () => {
    await expectGenerateError(
      { missing: 'nope.json' },
      /Cannot read the OpenAPI spec ".*nope\.json": the file does not exist\. Pass an existing/,
    );
  });

  test('invalid JSON names line and column', async () => {
    const text = '{\n  "openapi": "3.0.3",\n  "paths": {,}\n}\n';
    await expectGenerateError(
      { file: 'bad.json', text },
      /Invalid JSON in ".*bad\.json" at line 3, column 13: /,
    );
  });

  test('truncated JSON points at the end', async () => {
    await expectGenerateError(
      { file: 'cut.json', text: '{\n  "openapi": "3.0.3",\n' },
      /Invalid JSON .* at line 3, column 1/,
    );
  });

  test('invalid YAML names line and column', async () => {
    const text = 'openapi: 3.0.3\npaths:\n  /a: [1, 2\n  b: c\n';
    await expectGenerateError(
      { file: 'bad.yaml', text },
      /Invalid YAML in ".*bad\.yaml" at line \d+, column \d+: /,
    );
  });

  test('not OpenAPI 3.x', async () => {
    await expectGenerateError(
      { file: 'v2.yaml', text: 'swagger: "2.0"\npaths: {}\n' },
      /is Swagger 2\.0, not OpenAPI 3\.x\. Convert it/,
    );
    await expectGenerateError(
      { file: 'other.json', text: '{"asyncapi": "2.6.0"}' },
      /is not an OpenAPI 3\.x document: it has no `openapi` field/,
    );
    await expectGenerateError({ file: 'array.json', text: '[1]' }, /top level is an array/);
  });

  test('unresolved $ref names the reference and where it is used', async () => {
    const spec = await mutated((doc) => {
      at(doc, 'components', 'schemas', 'email-security_AllowPolicy', 'properties').pattern_type = {
        $ref: '#/components/schemas/email-security_PatternTypo',
      };
    });
    await expectGenerateError(
      spec,
      /Unresolved \$ref "#\/components\/schemas\/email-security_PatternTypo" used at components\.schemas\["email-security_AllowPolicy"\]\.properties\.pattern_type/,
    );
  });

  test('unknown operationId suggests the nearest ones', async () => {
    const spec = await mutated(() => {});
    const error = await expectGenerateError(
      spec,
      /operationId "email_security_update_allow_polcy" does not exist in the spec\. Did you mean "email_security_update_allow_policy"/,
      ['email_security_update_allow_polcy'],
    );
    expect(error.hint).toMatch(/openapi\/codegen\.config\.ts/);
  });

  test('operation without a JSON success response', async () => {
    const spec = await mutated((doc) => {
      at(doc, 'paths', UPDATE_PATH, 'patch', 'responses', '200').content = {
        'text/plain': { schema: { type: 'string' } },
      };
    });
    await expectGenerateError(
      spec,
      /"email_security_update_allow_policy" \(PATCH .*\) has no JSON success response \(responses: 200, 4XX\)/,
    );
  });

  test('an undeclared security scheme', async () => {
    const spec = await mutated((doc) => {
      at(doc, 'paths', UPDATE_PATH, 'patch').security = [{ api_tokn: [] }];
    });
    await expectGenerateError(
      spec,
      /Security scheme "api_tokn" .* is not declared in components\.securitySchemes/,
    );
  });
});

describe('parseDocumentText', () => {
  test('YAML and JSON give the same document', () => {
    expect(parseDocumentText('openapi: 3.0.3\npaths: {}\n', 'a.yaml')).toEqual(
      parseDocumentText('{"openapi":"3.0.3","paths":{}}', 'a.json'),
    );
    expect(parseDocumentText('openapi: 3.0.3\n', 'no-extension')).toEqual({ openapi: '3.0.3' });
  });

  test('an empty file is an error', () => {
    expect(() => parseDocumentText('  \n', 'empty.json')).toThrow(/is empty/);
  });
});
