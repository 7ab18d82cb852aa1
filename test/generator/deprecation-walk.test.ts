import { describe, expect, test } from 'vitest';
import { collectDeprecations } from '../../scripts/codegen/deprecations.js';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations } from '../../scripts/codegen/operations.js';
import { planOperations } from '../../scripts/codegen/plan.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import type { DeprecationMetadata } from '../../src/metadata.js';
import { SPEC_PATH } from './helpers.js';

/**
 * The operations of one plan share what the deprecation walk has read of the document (each
 * `$ref` target walked in one context is recorded once and replayed). Planned together, every
 * operation must get exactly what it gets planned alone, whatever the order.
 */

const json = (schema: Record<string, unknown>) => ({
  content: { 'application/json': { schema } },
});

/**
 * `Kind` and `Shared` are reached by both operations: `Shared` from the same property on either
 * side (read-only properties are not walked on the request side), `Kind` from `mode` read-only
 * on the response side only.
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

type Brief = Pick<DeprecationMetadata, 'kind' | 'schema' | 'field' | 'appliesTo' | 'readOnly'>;

function deprecationsOf(doc: OpenApiDocument, ids: readonly string[]): Map<string, Brief[]> {
  return new Map(
    planOperations(doc, ids).operations.map((plan) => [
      plan.metadata.operationId,
      plan.metadata.deprecations.map(({ kind, schema, field, appliesTo, readOnly }) => ({
        kind,
        schema,
        field,
        appliesTo,
        readOnly,
      })),
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
        {
          kind: 'enum-value',
          schema: 'Kind',
          field: 'kind',
          appliesTo: 'request',
          readOnly: false,
        },
        {
          kind: 'enum-value',
          schema: 'Kind',
          field: 'mode',
          appliesTo: 'request',
          readOnly: false,
        },
        {
          kind: 'property',
          schema: 'Shared',
          field: 'legacy',
          appliesTo: 'request',
          readOnly: false,
        },
      ]);
      expect(found.get('get_thing')).toEqual([
        {
          kind: 'enum-value',
          schema: 'Kind',
          field: 'kind',
          appliesTo: 'response',
          readOnly: false,
        },
        {
          kind: 'enum-value',
          schema: 'Kind',
          field: 'mode',
          appliesTo: 'response',
          readOnly: true,
        },
        {
          kind: 'property',
          schema: 'Shared',
          field: 'legacy',
          appliesTo: 'response',
          readOnly: false,
        },
        {
          kind: 'property',
          schema: 'Shared',
          field: 'stamp',
          appliesTo: 'response',
          readOnly: true,
        },
      ]);
    },
  );

  test('planned together equals planned alone', () => {
    const together = fullDeprecationsOf(doc, ids);
    for (const id of ids) expect(together.get(id)).toEqual(fullDeprecationsOf(doc, [id]).get(id));
  });

  test('a later plan of the same document object sees a change made to it in between', () => {
    const changed = sharedSchemasDocument();
    expect(deprecationsOf(changed, ['get_thing']).get('get_thing')).toHaveLength(4);
    const shared = changed.components?.schemas as Record<string, { properties: object }>;
    Object.assign(shared.Shared?.properties ?? {}, {
      current: { type: 'string', deprecated: true, description: 'Deprecated. Use `legacy`.' },
    });
    expect(deprecationsOf(changed, ['get_thing']).get('get_thing')).toContainEqual({
      kind: 'property',
      schema: 'Shared',
      field: 'current',
      appliesTo: 'response',
      readOnly: false,
    });
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
