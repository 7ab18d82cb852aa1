import { describe, expect, test } from 'vitest';
import { DOCUMENT_LIMITS } from '../../scripts/codegen/limits.js';
import { assertSafeDocument } from '../../scripts/codegen/untrusted-document.js';

/**
 * `assertSafeDocument` on small documents: which refusal, with which location, when a document
 * has one problem or several (the first in document order wins; within one object the checks
 * run in a fixed order, and a parent's non-JSON numbers come before its children).
 */

const deep = (levels: number, leaf: unknown = 1): unknown => {
  let node: unknown = leaf;
  for (let level = 0; level < levels; level += 1) node = level % 2 ? [node] : { next: node };
  return node;
};

const cyclic = (): unknown => {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return { components: { schemas: { Loop: node } } };
};

/** [case, document (JSON text or a value), the message, from "at" on; null: accepted] */
const CASES: [string, unknown, string | null][] = [
  ['a local $ref', { a: { $ref: '#/components/schemas/X' } }, null],
  ['a "__proto__" key', '{"a":{"__proto__":{"x":1}}}', 'a key named "__proto__" at a.__proto__'],
  [
    'an external $ref',
    { a: { $ref: 'other.json#/X' } },
    'the $ref "other.json#/X" points outside the document at a',
  ],
  [
    'a $ref that is not a string',
    { a: { $ref: 3 } },
    'a $ref that is not a string (number 3) at a',
  ],
  [
    'a $ref inside example data',
    { a: { example: { b: [{ $ref: 'x' }] } } },
    'the $ref "x" points outside the document at a.example.b[0]',
  ],
  [
    'an external $dynamicRef',
    { a: { $dynamicRef: 'https://x/meta' } },
    'the $dynamicRef "https://x/meta" points outside the document at a.$dynamicRef',
  ],
  ['a local $dynamicRef', { a: { $dynamicRef: '#meta' } }, null],
  [
    'a $recursiveRef that is not a string',
    { a: { $recursiveRef: true } },
    'the $recursiveRef true points outside the document at a.$recursiveRef',
  ],
  ['an $id', { a: { $id: 'https://x/' } }, 'an $id ("https://x/") at a.$id'],
  [
    'an externalValue',
    { a: { externalValue: 'https://x' } },
    'the externalValue "https://x" points outside the document at a.externalValue',
  ],
  [
    'an external operationRef',
    { a: { operationRef: 'https://x#/paths' } },
    'the operationRef "https://x#/paths" points outside the document at a.operationRef',
  ],
  ['a local operationRef', { a: { operationRef: '#/paths/~1x/get' } }, null],
  [
    'a discriminator mapping to a component name',
    { components: { schemas: { Cat: {}, Pet: { discriminator: { mapping: { cat: 'Cat' } } } } } },
    null,
  ],
  [
    'a discriminator mapping to nothing known',
    { components: { schemas: { Pet: { discriminator: { mapping: { cat: 'Dog' } } } } } },
    'the discriminator mapping "Dog" (neither "#/…" nor the name of a component schema) at components.schemas.Pet.discriminator.mapping.cat',
  ],
  [
    'NaN in an array',
    { a: [1, Number.NaN] },
    'the number NaN, which JSON cannot represent, at a[1]',
  ],
  [
    'Infinity as a value',
    { a: { b: Number.POSITIVE_INFINITY } },
    'the number Infinity, which JSON cannot represent, at a.b',
  ],
  ['nesting at the limit', deep(DOCUMENT_LIMITS.maxDepth), null],
  [
    'nesting over the limit',
    { x: deep(DOCUMENT_LIMITS.maxDepth + 5) },
    `it nests objects and arrays deeper than ${DOCUMENT_LIMITS.maxDepth} levels (below x.next[0].next[0].next)`,
  ],
  [
    'an object that contains itself',
    cyclic(),
    `it nests objects and arrays deeper than ${DOCUMENT_LIMITS.maxDepth} levels (below components.schemas.Loop.self.self.self)`,
  ],
  [
    'a $ref inherited from a prototype',
    { a: Object.create({ $ref: 'https://x' }) },
    'the $ref "https://x" points outside the document at a',
  ],
  // several problems: which one is reported
  [
    '"__proto__" and an external $ref in one object',
    '{"a":{"$ref":"x","__proto__":{}}}',
    'a key named "__proto__" at a.__proto__',
  ],
  [
    'an $id and an externalValue in one object',
    { a: { externalValue: 'e', $id: 'i' } },
    'an $id ("i") at a.$id',
  ],
  [
    'an external $ref and a NaN beside it',
    { a: [{ $ref: 'x' }, Number.NaN] },
    'the number NaN, which JSON cannot represent, at a[1]',
  ],
  [
    'two non-JSON numbers in one array',
    { a: [Number.NaN, Number.POSITIVE_INFINITY] },
    'the number Infinity, which JSON cannot represent, at a[1]',
  ],
  [
    'a problem deep in the first member and one in the second',
    { a: { b: { $ref: 'x' } }, c: { $id: 'i' } },
    'the $ref "x" points outside the document at a.b',
  ],
  [
    'a parent object refused before its children',
    { a: { $id: 'i', b: { $ref: 'x' } } },
    'an $id ("i") at a.$id',
  ],
  [
    'a deep nest before a later problem',
    { a: deep(DOCUMENT_LIMITS.maxDepth + 5), b: { $ref: 'x' } },
    `it nests objects and arrays deeper than ${DOCUMENT_LIMITS.maxDepth} levels (below a.next[0].next[0].next)`,
  ],
];

describe('assertSafeDocument', () => {
  test.each(CASES)('%s', (_name, document, message) => {
    const parsed = typeof document === 'string' ? JSON.parse(document) : document;
    const check = () => assertSafeDocument(parsed, 'spec.json');
    if (message === null) {
      expect(check).not.toThrow();
      return;
    }
    expect(check).toThrow(`Refusing the OpenAPI spec "spec.json": ${message}. Nothing was `);
  });
});
