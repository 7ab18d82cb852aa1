/**
 * The type-checking stories of the README's "Runtimes" section, as consumer projects: which
 * `tsconfig` settings find the package's types and what a consumer must add. Each case is a
 * tsconfig file beside the consumer's sources, checked strictly (`skipLibCheck: false`, so the
 * package's `.d.ts` files and openapi-fetch's are checked too).
 */
import type { CompilerName } from '../package/packed-package.js';

/** The Fetch API names the public types use (ours and openapi-fetch's `Middleware`). */
export const FETCH_API_NAMES = [
  'AbortSignal',
  'BodyInit',
  'fetch',
  'Headers',
  'HeadersInit',
  'ReadableStream',
  'Request',
  'RequestInfo',
  'RequestInit',
  'Response',
  'ResponseInit',
  'URL',
] as const;

/** Uses the public API and types only: no `process`, no `console`, no Fetch API names. */
export function typesOnlySource(packageName: string): string {
  return `import {
  createEmailSecurityClient,
  type EmailSecurityClient,
  type UpdateAllowPolicyBody,
  ValidationError,
} from '${packageName}';

export const client: EmailSecurityClient = createEmailSecurityClient({
  accountId: '023e105f4ecef8ad9ca31a8372d0c353',
  auth: { apiToken: 'a-token' },
  baseUrl: 'http://127.0.0.1:8787/client/v4',
});
const patch: UpdateAllowPolicyBody = { comments: 'reviewed', is_trusted_sender: true };
export const update = (policyId: string) => client.allowPolicies.update(policyId, patch);
export const isRefusal = (error: unknown): boolean => error instanceof ValidationError;
// @ts-expect-error id is read-only (response-only)
export const sendsReadOnly = () => client.allowPolicies.update('x', { id: 'x' });
`;
}

/** A CommonJS program (TypeScript emits `require()`): one update on the stand-in. */
export function runnableCommonJsSource(packageName: string): string {
  return `import { createEmailSecurityClient } from '${packageName}';

const env = process.env;
const client = createEmailSecurityClient({
  baseUrl: env.STAND_IN_BASE_URL ?? '',
  accountId: env.STAND_IN_ACCOUNT_ID ?? '',
  auth: { apiToken: env.STAND_IN_API_TOKEN ?? '' },
});
client.allowPolicies
  .update(env.STAND_IN_POLICY_ID ?? '', { comments: 'from a node10 CommonJS consumer' })
  .then((policy) => console.log(JSON.stringify({ comments: policy.comments })));
`;
}

export const SOURCES = {
  'types-only.ts': typesOnlySource,
  'types-only.cts': typesOnlySource,
  'runnable.cts': runnableCommonJsSource,
} as const;

export interface TypeCase {
  readonly name: string;
  readonly file: keyof typeof SOURCES;
  readonly compilerOptions: Readonly<Record<string, unknown>>;
  readonly compilers: readonly CompilerName[];
  /** `ok`: no diagnostics. Otherwise the only error codes allowed (and at least one expected). */
  readonly want:
    | 'ok'
    | { readonly onlyCodes: readonly string[]; readonly names?: readonly string[] };
}

const strict = {
  target: 'ES2022',
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  noEmit: true,
};
const esm = { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext' };
const bothCompilers: readonly CompilerName[] = ['TypeScript 5.9', 'TypeScript 7'];

export const TYPE_CASES: readonly TypeCase[] = [
  {
    name: 'ESM with lib DOM, without @types/node (browsers, Deno, Workers)',
    file: 'types-only.ts',
    compilerOptions: { ...esm, lib: ['ES2023', 'DOM'], types: [] },
    compilers: bothCompilers,
    want: 'ok',
  },
  {
    name: 'ESM with @types/node, without lib DOM (Node, Bun)',
    file: 'types-only.ts',
    compilerOptions: { ...esm, lib: ['ES2023'], types: ['node'] },
    // TypeScript 5.9 with these settings: test/package/package.test.ts (its consumer.ts).
    compilers: ['TypeScript 7'],
    want: 'ok',
  },
  {
    name: 'ESM with neither: only the Fetch API names are missing (the README line adds them)',
    file: 'types-only.ts',
    compilerOptions: { ...esm, lib: ['ES2023'], types: [] },
    compilers: bothCompilers,
    // TS7017: openapi-fetch's `typeof globalThis.fetch` where no fetch is declared.
    want: { onlyCodes: ['TS2304', 'TS2552', 'TS7017'], names: FETCH_API_NAMES },
  },
  {
    name: 'CommonJS, moduleResolution node10 (types from the top-level "types")',
    file: 'runnable.cts',
    compilerOptions: {
      ...strict,
      module: 'commonjs',
      moduleResolution: 'node10',
      lib: ['ES2023'],
      types: ['node'],
    },
    // TypeScript 7 removed node10 resolution.
    compilers: ['TypeScript 5.9'],
    want: 'ok',
  },
  {
    name: 'CommonJS, module nodenext (require() of ESM, TypeScript 5.8 and later)',
    file: 'types-only.cts',
    compilerOptions: {
      ...strict,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM'],
      types: [],
    },
    compilers: bothCompilers,
    want: 'ok',
  },
  {
    name: 'CommonJS, module node16: refused by TypeScript (import() only), as attw reports',
    file: 'types-only.cts',
    compilerOptions: {
      ...strict,
      module: 'Node16',
      moduleResolution: 'Node16',
      lib: ['ES2023', 'DOM'],
      types: [],
    },
    compilers: ['TypeScript 5.9'],
    want: { onlyCodes: ['TS1479'] },
  },
];

export interface Diagnostic {
  readonly code: string;
  readonly text: string;
}

/** `file(line,col): error TS1234: text` lines of tsc's `--pretty false` output. */
export function parseDiagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/error (TS\d+): (.*)$/gm)].map((match) => ({
    code: match[1] as string,
    text: match[2] as string,
  }));
}

/** The name in "Cannot find name 'X'" (TS2304) or "Cannot find name 'X'. Did you mean …" (TS2552). */
export function missingName(diagnostic: Diagnostic): string | undefined {
  return /^Cannot find name '([^']+)'/.exec(diagnostic.text)?.[1];
}
