import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { typecheckProject } from './support/tsc.js';

const root = resolve(import.meta.dirname, '..');

// The whole project (src, generated, scripts, tests, benches) must compile under strict TypeScript.
test('tsc --noEmit passes on the whole project', async () => {
  const result = await typecheckProject('tsconfig.json');
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 120_000);

// Vitest's typecheck mode is off (vitest.config.ts): the type tests are checked by the test above.
test('every type test (*.test-d.ts) is part of that project', () => {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const project = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const typeTests = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test-d.ts'))
    .map((file) => join(root, 'test', file));
  expect(typeTests.length).toBeGreaterThan(0);
  const compiled = new Set(project.fileNames.map((file) => resolve(file)));
  expect(typeTests.filter((file) => !compiled.has(file))).toEqual([]);
});
