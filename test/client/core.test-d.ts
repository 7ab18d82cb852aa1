import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  getAllowPolicyOperation,
  type UpdateAllowPolicyMethod,
  updateAllowPolicyOperation,
} from '../../src/core.js';
import type { ApiResponse, UpdateAllowPolicyResult } from '../../src/index.js';

const only = createClient({ auth: { apiToken: 't' }, operations: { updateAllowPolicyOperation } });
const two = createClient({
  auth: { apiToken: 't' },
  operations: { updateAllowPolicyOperation, getAllowPolicyOperation },
});

describe('createClient is typed from the entries it is given', () => {
  it('one entry: its resource method, operation and operationId only', () => {
    expectTypeOf(only.allowPolicies.update).toEqualTypeOf<UpdateAllowPolicyMethod>();
    expectTypeOf(
      only.operations.updateAllowPolicy,
    ).returns.resolves.toEqualTypeOf<UpdateAllowPolicyResult>();
    expectTypeOf(
      only.call.withResponse('email_security_update_allow_policy', {
        path: { policy_id: 'x' },
        body: { comments: null },
      }),
    ).resolves.toEqualTypeOf<ApiResponse<UpdateAllowPolicyResult>>();
    // @ts-expect-error get was not given
    only.allowPolicies.get('x');
    // @ts-expect-error no other resource
    only.blockSenders;
    // @ts-expect-error not a registered operationId
    only.call('email_security_get_allow_policy', { path: { policy_id: 'x' } });
  });

  it('two entries on one resource: both methods', () => {
    expectTypeOf(two.allowPolicies).toHaveProperty('get');
    expectTypeOf(two.allowPolicies).toHaveProperty('update');
    // @ts-expect-error the body is checked
    two.allowPolicies.update('x', { is_trusted_sender: 'yes' });
  });
});
