/**
 * Setup file of every test file: a library deprecation warning (`CFES_DEPRECATION`) that reaches
 * Node's warning printer is noise in `npm test`, so it fails the file. A test that exercises the
 * default handler captures the warnings it expects (e.g. `vi.spyOn(process, 'emitWarning')`).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { DEPRECATION_WARNING_CODE } from '../../src/deprecations.js';

const stray: string[] = [];
const onWarning = (warning: Error & { code?: string }) => {
  if (warning.code === DEPRECATION_WARNING_CODE) stray.push(warning.message);
};

beforeAll(() => {
  process.on('warning', onWarning);
});

afterAll(async () => {
  // Node emits warnings on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  expect(stray, 'uncaptured CFES_DEPRECATION warnings (capture them in the test)').toEqual([]);
});
