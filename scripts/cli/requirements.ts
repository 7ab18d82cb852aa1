import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CodegenError } from '../codegen/errors.js';

/**
 * The generator's dependencies are optional peer dependencies of the package: consumers who only
 * use the client never install them. `cfes generate` checks them first, so a missing one is one
 * clear message with the install command instead of a "cannot find module" from deep inside.
 * TypeScript comes with openapi-typescript (its peer dependency); it must be 5.x, since
 * TypeScript 7 has no compiler API.
 */
export const GENERATOR_PEERS = {
  'openapi-typescript': '^7.13.0',
  'ts-morph': '^28.0.0',
  yaml: '^2.9.1',
} as const;

const INSTALL = `npm install --save-dev ${Object.entries(GENERATOR_PEERS)
  .map(([name, range]) => `${name}@${range}`)
  .join(' ')}`;

/** Resolves `name` the way the generator's own imports will (from the running file). */
type Resolver = (name: string) => string | null;

function defaultResolver(from: string): Resolver {
  const require = createRequire(from);
  return (name) => {
    try {
      return import.meta.resolve?.(name) ?? require.resolve(name);
    } catch {
      try {
        return require.resolve(name);
      } catch {
        return null;
      }
    }
  };
}

export function assertGeneratorDependencies(
  packageName: string,
  resolve: Resolver = defaultResolver(import.meta.url),
): void {
  const missing = Object.keys(GENERATOR_PEERS).filter((name) => resolve(name) === null);
  if (resolve('typescript') === null && !missing.includes('openapi-typescript')) {
    missing.push('typescript');
  }
  if (missing.length > 0) {
    throw new CodegenError(
      `cfes generate needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed. Nothing was written.`,
      {
        hint: `They are optional peer dependencies of ${packageName} (the client does not need them): install them in your project with \`${INSTALL}\`${missing.includes('typescript') ? ' typescript@^5.9' : ''}.`,
      },
    );
  }
  const major = typescriptMajor(resolve);
  if (major !== null && major !== 5) {
    throw new CodegenError(
      `cfes generate needs TypeScript 5 (openapi-typescript and ts-morph use its compiler API), but TypeScript ${major} is installed. Nothing was written.`,
      { hint: 'Install typescript@^5.9 as a dev dependency (TypeScript 7 has no compiler API).' },
    );
  }
}

function typescriptMajor(resolve: Resolver): number | null {
  const manifest = resolve('typescript/package.json');
  if (manifest === null) return null;
  try {
    const path = manifest.startsWith('file:') ? fileURLToPath(manifest) : manifest;
    const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: string };
    const major = Number.parseInt(version ?? '', 10);
    return Number.isNaN(major) ? null : major;
  } catch {
    return null;
  }
}
