import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Type tests (`test/**/*.test-d.ts`, `expectTypeOf`) are compiled by `tsc --noEmit -p .` in
    // test/typecheck.test.ts, which checks the whole project once. Vitest's own typecheck mode
    // would run tsc a second time and print its "experimental feature" banner on every run.
    typecheck: { enabled: false },
    setupFiles: ['test/support/no-stray-warnings.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
