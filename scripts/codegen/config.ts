import { CodegenError } from './errors.js';

/** What `npm run generate` reads from `openapi/codegen.config.ts`. Paths are relative to the repo root. */
export interface CodegenConfig {
  /** The vendored OpenAPI document (JSON or YAML). */
  readonly spec: string;
  /** Directory the generator owns and rewrites as a whole. */
  readonly outDir: string;
  /** operationIds to wrap with a typed function (any operation of the spec). */
  readonly operations: readonly string[];
  /**
   * Prefix removed from operationIds to name the wrapper functions
   * (`email_security_update_allow_policy` → `updateAllowPolicy`).
   */
  readonly operationIdPrefix?: string;
}

/** Identity function that gives a config file its type. */
export function defineCodegenConfig(config: CodegenConfig): CodegenConfig {
  return config;
}

/** Checks a config loaded from a file; every problem is a `CodegenError` naming the file. */
export function validateConfig(value: unknown, file: string): CodegenConfig {
  const candidate = (value as { default?: unknown } | undefined)?.default ?? value;
  const problems: string[] = [];
  const config = candidate as Partial<Record<keyof CodegenConfig, unknown>>;
  if (typeof candidate !== 'object' || candidate === null) {
    problems.push('it must `export default defineCodegenConfig({ … })`');
  } else {
    if (typeof config.spec !== 'string' || config.spec === '')
      problems.push('`spec` must be a file path');
    if (typeof config.outDir !== 'string' || config.outDir === '')
      problems.push('`outDir` must be a directory path');
    if (!Array.isArray(config.operations) || config.operations.length === 0) {
      problems.push('`operations` must be a non-empty list of operationIds');
    } else if (config.operations.some((id) => typeof id !== 'string' || id === '')) {
      problems.push('every entry of `operations` must be a non-empty string');
    }
    if (config.operationIdPrefix !== undefined && typeof config.operationIdPrefix !== 'string') {
      problems.push('`operationIdPrefix` must be a string');
    }
  }
  if (problems.length > 0) {
    throw new CodegenError(`Invalid codegen config "${file}": ${problems.join('; ')}.`, {
      hint: 'See openapi/codegen.config.ts for the expected shape (type `CodegenConfig` in scripts/codegen/config.ts).',
    });
  }
  return candidate as CodegenConfig;
}
