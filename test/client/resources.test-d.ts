import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApiResponse,
  type CallByOperationId,
  createEmailSecurityClient,
  isUuid,
  type OperationId,
  type RequestOptions,
  type UpdateAllowPolicyBody,
  type UpdateAllowPolicyMethod,
  type UpdateAllowPolicyResult,
  type Uuid,
} from '../../src/index.js';

const cf = createEmailSecurityClient({ accountId: 'x', auth: { apiToken: 't' } });
const id = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
declare const fromJson: string;

describe('resource methods (emitted types)', () => {
  it('update(policyId, patch, options?) and withResponse take the same arguments', () => {
    expectTypeOf(cf.allowPolicies.update).toEqualTypeOf<UpdateAllowPolicyMethod>();
    expectTypeOf(cf.allowPolicies.update).parameters.toEqualTypeOf<
      [policyId: string, patch: UpdateAllowPolicyBody, options?: RequestOptions]
    >();
    expectTypeOf(cf.allowPolicies.update.withResponse).parameters.toEqualTypeOf<
      [policyId: string, patch: UpdateAllowPolicyBody, options?: RequestOptions]
    >();
    expectTypeOf(
      cf.allowPolicies.update.withResponse(id, { comments: null }, { timeoutMs: 1 }),
    ).resolves.toEqualTypeOf<ApiResponse<UpdateAllowPolicyResult>>();
    // @ts-expect-error the patch is required
    cf.allowPolicies.update(id);
    // @ts-expect-error options come third and are checked
    cf.allowPolicies.update(id, { pattern: 'a' }, { retries: 2 });
    // @ts-expect-error no fourth argument
    cf.allowPolicies.update(id, { pattern: 'a' }, {}, {});
  });

  it('UUID ids: any string passes, a literal must be shaped like a UUID', () => {
    cf.allowPolicies.update(fromJson, { pattern: 'a' });
    cf.allowPolicies.update(id, { pattern: 'a' });
    cf.allowPolicies.update('F174E90A-FAFE-4643-BBBC-4A0ED4FC8415', { pattern: 'a' });
    // @ts-expect-error a pattern where the policy id belongs
    cf.allowPolicies.update('ceo@example.com', { pattern: 'a' });
    // @ts-expect-error the arguments swapped
    cf.allowPolicies.update({ pattern: 'a' }, id);
    // @ts-expect-error not a string
    cf.allowPolicies.update(42, { pattern: 'a' });
  });

  it('isUuid narrows to Uuid, which every id argument accepts', () => {
    const value: unknown = fromJson;
    if (isUuid(value)) {
      expectTypeOf(value).toEqualTypeOf<Uuid>();
      cf.allowPolicies.update(value, { pattern: 'a' });
    }
    expectTypeOf<`${string}-${string}-${string}-${string}-${string}`>().toEqualTypeOf<Uuid>();
  });
});

describe('client.call (typed per operationId)', () => {
  it('path without account_id, body and result of that operation', () => {
    expectTypeOf(cf.call).toEqualTypeOf<CallByOperationId>();
    expectTypeOf<'email_security_update_allow_policy'>().toExtend<OperationId>();
    expectTypeOf(
      cf.call('email_security_update_allow_policy', {
        path: { policy_id: id },
        body: { is_trusted_sender: true },
      }),
    ).resolves.toEqualTypeOf<UpdateAllowPolicyResult>();
    expectTypeOf(
      cf.call.withResponse(
        'email_security_update_allow_policy',
        { path: { policy_id: fromJson }, body: { comments: null } },
        { maxRetries: 0 },
      ),
    ).resolves.toEqualTypeOf<ApiResponse<UpdateAllowPolicyResult>>();
  });

  it('refuses unknown operationIds and wrong input', () => {
    // @ts-expect-error not a registered operationId
    cf.call('email_security_update_allow_polcy', { path: { policy_id: id }, body: {} });
    // @ts-expect-error the input is required for this operation
    cf.call('email_security_update_allow_policy');
    cf.call('email_security_update_allow_policy', {
      // @ts-expect-error account_id comes from the client
      path: { policy_id: id, account_id: 'a' },
      body: { pattern: 'a' },
    });
    cf.call('email_security_update_allow_policy', {
      path: { policy_id: id },
      // @ts-expect-error read-only field
      body: { id },
    });
  });
});
