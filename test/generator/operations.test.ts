import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../scripts/codegen/load.js';
import { locateOperations, nearestOperationIds } from '../../scripts/codegen/operations.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import { SPEC_PATH } from './helpers.js';

const document: OpenApiDocument = validateDocument(
  (await loadDocument(SPEC_PATH)).document,
  SPEC_PATH,
);

describe('suggestions (names: names.test.ts)', () => {
  test('nearest operationIds for a typo', () => {
    const ids = locateOperations(document).map((entry) => entry.operationId);
    expect(nearestOperationIds('email_security_update_allow_polcy', ids)[0]).toBe(
      'email_security_update_allow_policy',
    );
    expect(nearestOperationIds('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', ids)).toEqual(
      [],
    );
  });
});
