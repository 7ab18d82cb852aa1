import { createRequire } from 'node:module';

/**
 * The generator's CommonJS peer dependencies, loaded on first use with `require`: the no-op
 * regeneration path never pays for them, and `require` skips what an ES `import` of a CommonJS
 * package costs first (Node's ESM loader detects the module format and scans the source for
 * export names: for ts-morph and the TypeScript it bundles, about 10 MB; see
 * bench/cfes-generate.bench.ts).
 */
const requireModule = createRequire(import.meta.url);

export const loadTsMorph = (): typeof import('ts-morph') => requireModule('ts-morph');

export const loadYaml = (): typeof import('yaml') => requireModule('yaml');
