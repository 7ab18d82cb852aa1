/**
 * Issue 14's budget for the update-only bundle (bench/entry-update.ts, esbuild minified with
 * bench/bundle-options.ts, gzip level 9): what bench/bundle.bench.ts reports against and
 * test/bundle/tree-shaking.test.ts holds the bundle to.
 */
export const UPDATE_ONLY_LIMIT_BYTES = 20 * 1024;
