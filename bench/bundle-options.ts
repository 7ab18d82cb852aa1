/**
 * How the bundle figures bundle an entry (esbuild, minified ESM for no particular platform, the
 * way a Worker or a browser app ships it): shared by bench/bundle.bench.ts and the tree-shaking
 * test, so that the test checks the bundle the bench measures.
 */
import type { BuildOptions } from 'esbuild';

export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;
