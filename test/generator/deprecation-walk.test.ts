import { describe, expect, test } from 'vitest';
import { deprecationIndex } from '../../scripts/codegen/deprecation-walk.js';
import { collectDeprecations } from '../../scripts/codegen/deprecations.js';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { planOperations } from '../../scripts/codegen/plan.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import type { DeprecationMetadata } from '../../src/metadata.js';
import { SPEC_PATH } from './helpers.js';

/**
 * The operations of one plan share what the deprecation walk has read of the document (each
 * `$ref` target walked with one set of flags is recorded once and replayed, with the property the
 * replaying walk arrived with). Planned together, every operation must get exactly what it gets
 * planned alone, whatever the order.
 */

const json = (schema: Record<string, unknown>) => ({
  content: { 'application/json': { schema } },
});

/**
 * `Kind`, `Wrapped` and `Shared` are reached by both operations: `Shared` from the same property
 * on either side (read-only properties are not walked on the request side), `Kind` from `kind`,
 * from `mode` (read-only on the response side only) and through `Wrapped` (an `allOf` of it)
 * from `alias`, `wrapped` and `also`: an enum value found at the top of a target is named after
 * the property the walk arrived with.
 */
function sharedSchemasDocument(): OpenApiDocument {
  const replaced = 'Deprecated. Use `current` instead.';
  return validateDocument(
    {
      openapi: '3.0.3',
      info: { title: 'shared schemas, different contexts', version: '1' },
      paths: {
        '/things': {
          patch: {
            operationId: 'update_thing',
            requestBody: json({
              type: 'object',
              properties: {
                result: { $ref: '#/components/schemas/Shared' },
                mode: { $ref: '#/components/schemas/Kind' },
                alias: { $ref: '#/components/schemas/Wrapped' },
              },
            }),
            responses: { '200': { description: 'ok', ...json({ type: 'object' }) } },
          },
          get: {
            operationId: 'get_thing',
            responses: {
              '200': {
                description: 'ok',
                ...json({
                  type: 'object',
                  properties: {
                    result: { $ref: '#/components/schemas/Shared' },
                    mode: { allOf: [{ $ref: '#/components/schemas/Kind' }], readOnly: true },
                    wrapped: { $ref: '#/components/schemas/Wrapped' },
                    also: { $ref: '#/components/schemas/Wrapped' },
                  },
                }),
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Kind: { type: 'string', enum: ['old', 'new'], 'x-enum-deprecated': ['old'] },
          Wrapped: { allOf: [{ $ref: '#/components/schemas/Kind' }] },
          Shared: {
            type: 'object',
            properties: {
              kind: { $ref: '#/components/schemas/Kind' },
              legacy: { type: 'string', deprecated: true, description: replaced },
              current: { type: 'string' },
              stamp: { type: 'string', readOnly: true, deprecated: true, description: replaced },
              parent: { $ref: '#/components/schemas/Shared' },
            },
          },
        },
      },
    },
    'shared.json',
  );
}

/** `[kind, schema, field, appliesTo, readOnly]` of each deprecation, by operationId. */
type Brief = [string, string | null, string | null, DeprecationMetadata['appliesTo'], boolean];

function deprecationsOf(doc: OpenApiDocument, ids: readonly string[]): Map<string, Brief[]> {
  return new Map(
    planOperations(doc, ids).operations.map((plan) => [
      plan.metadata.operationId,
      plan.metadata.deprecations.map(
        ({ kind, schema, field, appliesTo, readOnly }): Brief => [
          kind,
          schema ?? null,
          field ?? null,
          appliesTo,
          readOnly,
        ],
      ),
    ]),
  );
}

function fullDeprecationsOf(doc: OpenApiDocument, ids: readonly string[]) {
  return new Map(
    planOperations(doc, ids).operations.map((plan) => [
      plan.metadata.operationId,
      plan.metadata.deprecations,
    ]),
  );
}

describe('operations sharing schemas in different contexts', () => {
  const doc = sharedSchemasDocument();
  const ids = ['update_thing', 'get_thing'];

  test.each([{ order: ids }, { order: [...ids].reverse() }])(
    'planned together, $order: each gets its own',
    ({ order }) => {
      const found = deprecationsOf(doc, order);
      expect(found.get('update_thing')).toEqual([
        ['enum-value', 'Kind', 'alias', 'request', false],
        ['enum-value', 'Kind', 'kind', 'request', false],
        ['enum-value', 'Kind', 'mode', 'request', false],
        ['property', 'Shared', 'legacy', 'request', false],
      ]);
      expect(found.get('get_thing')).toEqual([
        ['enum-value', 'Kind', 'also', 'response', false],
        ['enum-value', 'Kind', 'kind', 'response', false],
        ['enum-value', 'Kind', 'mode', 'response', true],
        ['enum-value', 'Kind', 'wrapped', 'response', false],
        ['property', 'Shared', 'legacy', 'response', false],
        ['property', 'Shared', 'stamp', 'response', true],
      ]);
    },
  );

  test('planned together equals planned alone', () => {
    const together = fullDeprecationsOf(doc, ids);
    for (const id of ids) expect(together.get(id)).toEqual(fullDeprecationsOf(doc, [id]).get(id));
  });

  test('a later plan of the same document object sees a change made to it in between', () => {
    const changed = sharedSchemasDocument();
    expect(deprecationsOf(changed, ['get_thing']).get('get_thing')).toHaveLength(6);
    const shared = changed.components?.schemas as Record<string, { properties: object }>;
    Object.assign(shared.Shared?.properties ?? {}, {
      current: { type: 'string', deprecated: true, description: 'Deprecated. Use `legacy`.' },
    });
    expect(deprecationsOf(changed, ['get_thing']).get('get_thing')).toContainEqual([
      'property',
      'Shared',
      'current',
      'response',
      false,
    ]);
    expect(collectDeprecations(changed).map((item) => item.field)).toContain('current');
  });
});

describe('the vendored spec', async () => {
  const doc = validateDocument((await loadDocument(SPEC_PATH)).document, SPEC_PATH);
  const ids = locateOperations(doc).map((operation) => operation.operationId);

  test('every operation planned with all the others gets what it gets alone', () => {
    const together = fullDeprecationsOf(doc, [...ids].reverse());
    expect(together.size).toBe(ids.length);
    for (const id of ids) expect(together.get(id)).toEqual(fullDeprecationsOf(doc, [id]).get(id));
  });
});

describe('a walk skips only targets below which nothing can be found', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const deprecated = {
    type: 'string',
    deprecated: true,
    description: 'Deprecated. Use `other` instead.',
  };
  const get = (operationId: string, schema: unknown) => ({
    get: {
      operationId,
      responses: { '200': { description: 'ok', ...json({ ...(schema as object) }) } },
    },
  });
  /** One operation per way down to a deprecation, and one with none below it. */
  const document = (plain2: Record<string, unknown>) =>
    ({
      openapi: '3.0.3',
      info: { title: 'deprecations behind every kind of subschema', version: '1' },
      paths: {
        '/items': get('via_items', ref('ViaItems')),
        '/map': get('via_map', ref('ViaMap')),
        '/any': get('via_any', ref('ViaAny')),
        '/one': get('via_one', ref('ViaOne')),
        '/chain': get('via_chain', ref('A')),
        '/node': get('via_node', ref('Node')),
        '/inline': get('via_inline', ref('ViaInline')),
        '/marked': get('via_marked', ref('ViaMarked')),
        '/all-of': get('via_all_of', ref('ViaAllOf')),
        '/none': get('via_none', ref('Plain')),
      },
      components: {
        schemas: {
          Leaf: { type: 'object', properties: { old: deprecated, fine: { type: 'string' } } },
          ViaItems: { type: 'array', items: ref('Leaf') },
          OldString: deprecated,
          Alias: ref('OldString'),
          ViaMarked: {
            type: 'object',
            properties: { a: ref('Alias') },
          },
          ViaAllOf: {
            type: 'object',
            properties: { b: { allOf: [{ type: 'string' }, ref('OldString')] } },
          },
          ViaMap: { type: 'object', additionalProperties: ref('Leaf') },
          ViaAny: { anyOf: [{ type: 'string' }, ref('Leaf')] },
          ViaOne: { oneOf: [{ type: 'object', properties: { gone: deprecated } }] },
          ViaInline: {
            type: 'object',
            properties: {
              outer: {
                type: 'object',
                properties: {
                  inner: { type: 'array', items: { additionalProperties: ref('Kinds') } },
                },
              },
            },
          },
          A: { type: 'object', properties: { b: ref('B') } },
          B: { allOf: [ref('C')] },
          C: { type: 'object', properties: { c: { type: 'array', items: ref('Leaf') } } },
          Node: { type: 'object', properties: { child: ref('Node'), next: ref('Next') } },
          Next: { type: 'object', properties: { back: ref('Node'), legacy: deprecated } },
          Kinds: { type: 'string', enum: ['x', 'y'], 'x-enum-deprecated': ['y'] },
          Plain: {
            type: 'object',
            properties: { a: { type: 'string' }, self: ref('Plain'), p: ref('Plain2') },
          },
          Plain2: plain2,
        },
      },
    }) as unknown as OpenApiDocument;
  const ids = [
    'via_items',
    'via_map',
    'via_any',
    'via_one',
    'via_chain',
    'via_node',
    'via_inline',
    'via_marked',
    'via_all_of',
    'via_none',
  ];

  test.each([{ order: ids }, { order: [...ids].reverse() }])('$order', ({ order }) => {
    const leafOld: Brief = ['property', 'Leaf', 'old', 'response', false];
    expect(Object.fromEntries(deprecationsOf(document({ type: 'object' }), order))).toEqual({
      via_items: [leafOld],
      via_map: [leafOld],
      via_any: [leafOld],
      via_one: [['property', 'ViaOne', 'gone', 'response', false]],
      via_chain: [leafOld],
      via_node: [['property', 'Next', 'legacy', 'response', false]],
      via_inline: [['enum-value', 'Kinds', 'inner', 'response', false]],
      via_none: [],
      via_marked: [['property', 'ViaMarked', 'a', 'response', false]],
      via_all_of: [['property', 'ViaAllOf', 'b', 'response', false]],
    });
  });

  test('a target with nothing to find is still read: its errors are raised', () => {
    const broken = document({ type: 'object', properties: { q: true } });
    expect(() => planOperations(broken, ids)).toThrow(
      'Expected an object at components.schemas.Plain2.properties.q, found boolean.',
    );
  });
});

describe('the plan and the spec-wide list share one reading of the document', () => {
  test('the list read after the plan, from its index, equals the list read alone', async () => {
    const vendored = validateDocument((await loadDocument(SPEC_PATH)).document, SPEC_PATH);
    for (const doc of [vendored, sharedSchemasDocument()]) {
      const index = deprecationIndex(doc);
      const ids = locateOperations(doc).map((operation) => operation.operationId);
      const plan = planOperations(doc, ids, { deprecations: index });
      expect(collectDeprecations(doc, index)).toEqual(collectDeprecations(doc));
      expect(plan).toEqual(planOperations(doc, ids));
    }
  });

  test('an index of another document is refused', () => {
    const index = deprecationIndex(sharedSchemasDocument());
    expect(() => collectDeprecations(sharedSchemasDocument(), index)).toThrow(/another document/);
  });
});
