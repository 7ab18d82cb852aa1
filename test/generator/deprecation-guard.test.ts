import { describe, expect, test } from 'vitest';
import {
  describeUnreadable,
  findUnreadableDeprecations,
} from '../../scripts/codegen/deprecation-guard.js';

/** Where the guard finds a rule it cannot read: locations through objects and arrays, sorted. */
describe('findUnreadableDeprecations', () => {
  const unreadableEndOfLife = {
    deprecated: true,
    description: 'Deprecated. Use `b` instead. End of life: when the moon is full.',
  };
  const document = {
    paths: {
      '/a': {
        get: {
          operationId: 'get_a',
          deprecated: true,
          description: 'Deprecated. End of life: one day.',
          parameters: [
            { name: 'fine', in: 'query', schema: { type: 'string' } },
            { name: 'old', in: 'query', ...unreadableEndOfLife, schema: { type: 'string' } },
          ],
          responses: {},
        },
      },
    },
    components: {
      schemas: {
        Z: { type: 'object', properties: { late: unreadableEndOfLife } },
        A: {
          type: 'string',
          enum: ['NEW', 'UNKNOWN'],
          description:
            'Type of pattern matching. UNKNOWN: this one is deprecated-ish and should be avoided.',
        },
        Examples: { type: 'object', example: { nested: unreadableEndOfLife } },
      },
    },
  };

  test('each finding names where it is; operations and example data are not read', () => {
    expect(findUnreadableDeprecations(document).map(describeUnreadable)).toEqual([
      'components.schemas.A: cannot read whether "UNKNOWN" is deprecated from "Type of pattern matching. UNKNOWN: this one is deprecated-ish and should be avoided."',
      'components.schemas.Z.properties.late: cannot read end of life from "Deprecated. Use `b` instead. End of life: when the moon is full."',
      'paths["/a"].get.parameters[1]: cannot read end of life from "Deprecated. Use `b` instead. End of life: when the moon is full."',
    ]);
  });
});
