import { CodegenError } from './errors.js';
import { DOCUMENT_LIMITS } from './limits.js';
import { formatLocation, isRecord } from './refs.js';

/**
 * The first check of every parsed spec, before any other stage sees it: the document may only
 * point inside itself, and its shape must be safe to walk.
 *
 * - Every `$ref` (wherever it stands: schemas, `example`/`examples` data, `links`, `callbacks`,
 *   extensions) must be a string `#/…`. `$dynamicRef`/`$recursiveRef` must start with `#`,
 *   `operationRef` with `#/`; `$id` (it would re-base the references below it) and an example's
 *   `externalValue` (openapi-typescript's bundler would fetch it) are refused.
 * - `discriminator.mapping` values must be `#/…` or the name of a component schema.
 * - No key may be `__proto__` (JavaScript gives it a meaning of its own), and nesting stays
 *   under `DOCUMENT_LIMITS.maxDepth` (so recursive stages cannot overflow the stack; a
 *   self-referencing structure is refused here too).
 *
 * Nothing is resolved or fetched: a refused reference is never opened.
 */
export function assertSafeDocument(document: unknown, source: string): void {
  const check: Check = { source, schemaNames: componentSchemaNames(document), path: [] };
  checkNode(check, document);
}

/** What every node's check reads; `path` is the location of the node being checked. */
interface Check {
  readonly source: string;
  readonly schemaNames: ReadonlySet<string>;
  readonly path: (string | number)[];
}

/**
 * Depth first in document order, a node's own checks before its children, and of several numbers
 * of one node that JSON cannot represent, the last: the first problem found is the one reported.
 */
function checkNode(check: Check, value: unknown): void {
  const { path } = check;
  if (path.length > DOCUMENT_LIMITS.maxDepth) {
    throw new CodegenError(
      `Refusing the OpenAPI spec "${check.source}": it nests objects and arrays deeper than ${DOCUMENT_LIMITS.maxDepth} levels (below ${formatLocation(path.slice(0, 6))}). Nothing was written.`,
      {
        hint: 'A real OpenAPI document is far shallower: this one is corrupted, hostile or self-referencing (a YAML alias to itself).',
      },
    );
  }
  if (Array.isArray(value)) {
    for (let index = value.length - 1; index >= 0; index -= 1) {
      const child = value[index];
      if (typeof child === 'number' && !Number.isFinite(child)) throw notJson(check, index, child);
    }
    for (let index = 0; index < value.length; index += 1) {
      const child = value[index];
      if (typeof child === 'object' && child !== null) checkChild(check, index, child);
    }
    return;
  }
  if (!isRecord(value)) return;
  // One pass over the own keys (for…in is the fast way to read a parsed object's keys and values).
  let needsObjectCheck = !isPlainObject(value);
  let notFiniteKey: string | null = null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (CHECKED_KEYS.has(key)) needsObjectCheck = true;
    const child = value[key];
    if (typeof child === 'number' && !Number.isFinite(child)) notFiniteKey = key;
  }
  if (needsObjectCheck) checkObject(value, check);
  if (notFiniteKey !== null) throw notJson(check, notFiniteKey, value[notFiniteKey] as number);
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child = value[key];
    if (typeof child === 'object' && child !== null) checkChild(check, key, child);
  }
}

function checkChild(check: Check, key: string | number, child: object): void {
  check.path.push(key);
  checkNode(check, child);
  check.path.pop();
}

/** The keys `checkObject` reads: an object with none of them, and nothing inherited, passes it. */
const CHECKED_KEYS = new Set([
  '__proto__',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
  '$id',
  'externalValue',
  'operationRef',
  'discriminator',
]);

function isPlainObject(node: object): boolean {
  const prototype = Object.getPrototypeOf(node);
  return prototype === Object.prototype || prototype === null;
}

const LOCAL = /^#\//;

function checkObject(node: Record<string, unknown>, check: Check): void {
  const { schemaNames } = check;
  if (Object.hasOwn(node, '__proto__')) {
    throw refused(
      check,
      'a key named "__proto__"',
      'JavaScript objects give "__proto__" a meaning of its own, so the generator cannot represent it safely; rename it in the spec.',
      '__proto__',
    );
  }
  if ('$ref' in node) {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !LOCAL.test(ref)) {
      throw refused(
        check,
        typeof ref === 'string'
          ? `the $ref ${JSON.stringify(ref)} points outside the document`
          : `a $ref that is not a string (${describe(ref)})`,
        'Only local references ("#/components/…") are followed, and nothing outside the document is ever read. Bundle external files into the document first (e.g. `npx @redocly/cli bundle`), or remove the reference.',
      );
    }
  }
  for (const key of ['$dynamicRef', '$recursiveRef'] as const) {
    const ref = node[key];
    if (ref !== undefined && (typeof ref !== 'string' || !ref.startsWith('#'))) {
      throw refused(
        check,
        `the ${key} ${JSON.stringify(ref)} points outside the document`,
        'Only references inside the document are allowed; remove it or make it local ("#…").',
        key,
      );
    }
  }
  if (typeof node.$id === 'string') {
    throw refused(
      check,
      `an $id (${JSON.stringify(node.$id)})`,
      '`$id` changes what the references below it point at (possibly outside the document); remove it.',
      '$id',
    );
  }
  if (typeof node.externalValue === 'string') {
    // openapi-typescript's bundler fetches it (a test proved it): an example from outside is not read.
    throw refused(
      check,
      `the externalValue ${JSON.stringify(node.externalValue)} points outside the document`,
      'Put the example in the document (`value`), or remove it.',
      'externalValue',
    );
  }
  if (typeof node.operationRef === 'string' && !LOCAL.test(node.operationRef)) {
    throw refused(
      check,
      `the operationRef ${JSON.stringify(node.operationRef)} points outside the document`,
      'Use a local operationRef ("#/paths/…") or an operationId.',
      'operationRef',
    );
  }
  if (isRecord(node.discriminator) && isRecord(node.discriminator.mapping)) {
    for (const [name, target] of Object.entries(node.discriminator.mapping)) {
      const local = typeof target === 'string' && (LOCAL.test(target) || schemaNames.has(target));
      if (!local) {
        throw refused(
          check,
          `the discriminator mapping ${JSON.stringify(target)} (neither "#/…" nor the name of a component schema)`,
          'Point the mapping at a schema of this document ("#/components/schemas/<name>").',
          'discriminator',
          'mapping',
          name,
        );
      }
    }
  }
}

/** YAML's `.nan` and `.inf` have no JSON form: the types and metadata could not carry them. */
function notJson(check: Check, key: string | number, value: number): CodegenError {
  return refused(
    check,
    `the number ${String(value)}, which JSON cannot represent,`,
    'Use a finite number (or a string) there.',
    key,
  );
}

function componentSchemaNames(document: unknown): Set<string> {
  if (!isRecord(document) || !isRecord(document.components)) return new Set();
  const schemas = document.components.schemas;
  return new Set(isRecord(schemas) ? Object.keys(schemas) : []);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function refused(
  check: Check,
  what: string,
  hint: string,
  ...more: (string | number)[]
): CodegenError {
  return new CodegenError(
    `Refusing the OpenAPI spec "${check.source}": ${what} at ${formatLocation([...check.path, ...more])}. Nothing was read from outside the document and nothing was written.`,
    { hint },
  );
}
