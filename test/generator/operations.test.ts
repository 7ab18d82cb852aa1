import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../scripts/codegen/load.js';
import {
  functionNameFor,
  locateOperations,
  nearestOperationIds,
} from '../../scripts/codegen/operations.js';
import { type OpenApiDocument, validateDocument } from '../../scripts/codegen/validate.js';
import { SPEC_PATH } from './helpers.js';

const document: OpenApiDocument = validateDocument(
  (await loadDocument(SPEC_PATH)).document,
  SPEC_PATH,
);

describe('naming and suggestions', () => {
  test.each([
    ['email_security_update_allow_policy', 'email_security_', 'updateAllowPolicy'],
    ['email_security_list_allow_policies', 'email_security_', 'listAllowPolicies'],
    ['getThingById', 'email_security_', 'getThingById'],
    ['zones-get', '', 'zonesGet'],
    ['email_security_', 'email_security_', 'emailSecurity'],
    ['2fa_enable', '', 'op2faEnable'],
  ])('functionNameFor(%s, %s) = %s', (id, prefix, want) => {
    expect(functionNameFor(id, prefix)).toBe(want);
  });

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
