import { describe, expect, test } from 'vitest';
import { assertRefsResolve, collectRefs } from '../../scripts/codegen/refs.js';

describe('collectRefs', () => {
  test('every $ref with where it is used, in document order; example data is not searched', () => {
    const document = {
      paths: {
        '/a': {
          get: {
            parameters: [
              { $ref: '#/components/parameters/P' },
              { name: 'q', schema: { $ref: '#/x' } },
            ],
            responses: { '200': { $ref: '#/components/responses/R', example: { $ref: 'data' } } },
          },
        },
      },
      components: { schemas: { 'a.b': { items: { $ref: '#/components/schemas/a.b' } } } },
    };
    expect(collectRefs(document)).toEqual([
      { ref: '#/components/parameters/P', usedAt: ['paths', '/a', 'get', 'parameters', 0] },
      { ref: '#/x', usedAt: ['paths', '/a', 'get', 'parameters', 1, 'schema'] },
      { ref: '#/components/responses/R', usedAt: ['paths', '/a', 'get', 'responses', '200'] },
      { ref: '#/components/schemas/a.b', usedAt: ['components', 'schemas', 'a.b', 'items'] },
    ]);
    expect(() => assertRefsResolve(document)).toThrow(
      'Unresolved $ref "#/components/parameters/P" used at paths["/a"].get.parameters[0]',
    );
  });
});
