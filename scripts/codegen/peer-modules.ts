import { createRequire } from 'node:module';

/**
 * The generator's peer dependencies, loaded on first use with `require`: the no-op regeneration
 * path never pays for them, and `require` skips what an ES `import` of a CommonJS package costs
 * first (Node's ESM loader detects the module format and scans the source for export names:
 * 9 MB for TypeScript alone). openapi-typescript ships a CommonJS build: required, it and what
 * it loads (TypeScript, @redocly/openapi-core) skip that scan too.
 */
const requireModule = createRequire(import.meta.url);

export const loadYaml = (): typeof import('yaml') => requireModule('yaml');

export const loadOpenapiTypescript = (): typeof import('openapi-typescript') =>
  requireModule('openapi-typescript');

/**
 * ts-morph, parsing with the TypeScript openapi-typescript uses (the project's `typescript`)
 * instead of the copy @ts-morph/common bundles: one 9 MB compiler loaded instead of two. The
 * generator uses ts-morph to print structures to text and to parse text, which TypeScript 5.9
 * does as the bundled copy does (the goldens pin the output). With any other TypeScript, or when
 * either package is laid out differently, ts-morph keeps its own copy.
 */
export function loadTsMorph(): typeof import('ts-morph') {
  shareTypeScript();
  return requireModule('ts-morph');
}

let shared = false;

function shareTypeScript(): void {
  if (shared) return;
  shared = true;
  try {
    const fromOpenapiTs = createRequire(requireModule.resolve('openapi-typescript'));
    const typescriptFile = fromOpenapiTs.resolve('typescript');
    const common = createRequire(requireModule.resolve('ts-morph')).resolve('@ts-morph/common');
    const bundledFile = createRequire(common).resolve('./typescript');
    if (requireModule.cache[bundledFile] !== undefined) return; // ts-morph is loaded already
    const { version } = fromOpenapiTs('typescript/package.json') as { version: string };
    const [major, minor] = version.split('.').map(Number);
    if (major !== 5 || (minor ?? 0) < 9) return;
    requireModule(typescriptFile);
    const loaded = requireModule.cache[typescriptFile];
    if (loaded !== undefined) requireModule.cache[bundledFile] = loaded;
  } catch {
    // a layout this does not know: ts-morph loads its own TypeScript
  }
}
