/**
 * Every name the generator puts into emitted code comes from here: function names, type-name
 * prefixes, resource and method names, positional parameter names. Names are built from the
 * words of an untrusted string (an operationId, a path segment, a parameter name) and are then
 * made safe: a valid identifier, never a reserved word, never a name the emitted code already uses.
 * Each change of a name is reported as a note, so `npm run generate` can say what it renamed.
 */

/** Reserved words of ECMAScript (strict mode) and TypeScript that cannot name a function, variable or parameter. */
const RESERVED_WORDS = new Set([
  'arguments',
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'eval',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'implements',
  'import',
  'in',
  'instanceof',
  'interface',
  'let',
  'new',
  'null',
  'package',
  'private',
  'protected',
  'public',
  'return',
  'static',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'undefined',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

/** Module-level names of the emitted `operations.ts` (imports and shared exports) a function must not shadow. */
export const EMITTED_MODULE_NAMES: readonly string[] = [
  'ApiResponse',
  'Client',
  'FetchResponse',
  'OperationEntry',
  'OperationMetadata',
  'OperationName',
  'OperationTypes',
  'RequestBodyOption',
  'RequestOptions',
  'Resources',
  'UuidArg',
  'WithWritable',
  'operationRegistry',
  'operations',
  'paths',
];

/** Lower-case words of a name: split at non-alphanumerics and camelCase humps (`getThingById` → get, thing, by, id). */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** `['allow', 'policies']` → `allowPolicies` (may still be empty, digit-first or reserved: see `safeName`). */
export function camelCase(words: readonly string[]): string {
  return words
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A name and, when it had to be changed to be safe, why. */
export interface SafeName {
  readonly name: string;
  /** Set when the name differs from the plain camelCase of the input, e.g. `"delete" is a reserved word`. */
  readonly note: string | null;
}

export interface SafeNameOptions {
  /** What the name is for, in notes: `function name`, `parameter name`, … */
  readonly role: string;
  /** Used when the input has no letters or digits at all. */
  readonly fallback: string;
  /** Names that are taken where this one lands (e.g. the client's own members). */
  readonly taken?: readonly string[];
  /** Whether reserved words are allowed (true for property names: `cf.allowPolicies.delete` is valid). */
  readonly allowReserved?: boolean;
}

/**
 * A valid TypeScript identifier for `text`, by one rule: camelCase of its words; `op` before a
 * leading digit; the fallback for no words; `_` appended to a reserved word or a taken name.
 */
export function safeName(text: string, options: SafeNameOptions): SafeName {
  const plain = camelCase(wordsOf(text));
  let name = plain;
  const reasons: string[] = [];
  if (name === '') {
    name = options.fallback;
    reasons.push('it has no letters or digits');
  } else if (/^[0-9]/.test(name)) {
    name = `op${pascalCase(name)}`;
    reasons.push('an identifier cannot start with a digit');
  }
  const taken = new Set(options.taken ?? []);
  while ((!options.allowReserved && RESERVED_WORDS.has(name)) || taken.has(name)) {
    reasons.push(
      RESERVED_WORDS.has(name) ? `"${name}" is a reserved word` : `"${name}" is already used there`,
    );
    name = `${name}_`;
  }
  return {
    name,
    note: reasons.length
      ? `${options.role} for "${text}" is "${name}" (${reasons.join('; ')})`
      : null,
  };
}

/** Removes the configured prefix (`email_security_`) when the operationId has more than it. */
export function withoutPrefix(operationId: string, prefix: string): string {
  return prefix && operationId.startsWith(prefix) && operationId.length > prefix.length
    ? operationId.slice(prefix.length)
    : operationId;
}

/** `email_security_update_allow_policy` with prefix `email_security_` → `updateAllowPolicy`. */
export function functionNameFor(operationId: string, prefix: string): SafeName {
  return safeName(withoutPrefix(operationId, prefix), {
    role: 'function name',
    fallback: 'operation',
    taken: EMITTED_MODULE_NAMES,
  });
}

/** Prefix of the emitted type names (`UpdateAllowPolicy` → `UpdateAllowPolicyBody`): PascalCase is never reserved. */
export function typeNameFor(functionName: string): string {
  return pascalCase(functionName.replace(/_+$/, ''));
}
