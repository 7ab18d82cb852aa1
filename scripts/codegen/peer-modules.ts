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
 * The openapi-typescript releases whose `openapiTS()` is exactly: redocly's lint with one rule
 * (unique operationIds), redocly's bundle, then `transformSchema` with the context
 * `emit-schema.ts` builds; and whose dist files `loadOpenapiTypescriptTransform` reads. The
 * tests compare both ways of converting byte for byte; add a release here only with them green
 * on it, and after reading its `openapiTS()` (a lint with more rules needs checks of its own).
 */
export const VERIFIED_OPENAPI_TYPESCRIPT: readonly string[] = ['7.13.0'];

type OpenapiTypescript = typeof import('openapi-typescript');

/** What converting without `openapiTS()` needs of openapi-typescript. */
export type OpenapiTypescriptTransform = Pick<
  OpenapiTypescript,
  'transformSchema' | 'scanDiscriminators' | 'resolveRef' | 'astToString'
>;

let transform: OpenapiTypescriptTransform | null | undefined;

/**
 * openapi-typescript's conversion step alone, from the dist files that hold it (its package
 * exports them), so that loading it does not load redocly; null when the installed release is
 * not a verified one or is laid out differently: then `openapiTS()` converts.
 */
export function loadOpenapiTypescriptTransform(): OpenapiTypescriptTransform | null {
  if (transform !== undefined) return transform;
  transform = null;
  try {
    const { version } = requireModule('openapi-typescript/package.json') as { version: string };
    if (!VERIFIED_OPENAPI_TYPESCRIPT.includes(version)) return null;
    const dist = (file: string) => requireModule(`openapi-typescript/dist/${file}`);
    const utils = dist('lib/utils.cjs') as OpenapiTypescript;
    const loaded = {
      transformSchema: dist('transform/index.cjs') as unknown, // module.exports = the function
      scanDiscriminators: utils.scanDiscriminators,
      resolveRef: utils.resolveRef,
      astToString: (dist('lib/ts.cjs') as OpenapiTypescript).astToString,
    };
    if (Object.values(loaded).every((value) => typeof value === 'function')) {
      transform = loaded as OpenapiTypescriptTransform;
    }
  } catch {
    // not laid out as verified: openapiTS() converts
  }
  return transform;
}

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
