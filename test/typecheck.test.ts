import { expect, test } from 'vitest';
import { typecheckProject } from './support/tsc.js';

// The whole project (src, generated, scripts, tests, benches) must compile under strict TypeScript.
test('tsc --noEmit passes on the whole project', async () => {
  const result = await typecheckProject('tsconfig.json');
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 120_000);
