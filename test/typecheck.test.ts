import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);

// The whole project (src, generated, scripts, tests, benches) must compile under strict TypeScript.
test('tsc --noEmit passes on the whole project', async () => {
  const result = await run(
    'node',
    ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  ).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 120_000);
