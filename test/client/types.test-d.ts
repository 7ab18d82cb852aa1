import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApiResponse,
  createEmailSecurityClient,
  type EmailSecurityClientOptions,
  type UpdateAllowPolicyBody,
  type UpdateAllowPolicyResult,
} from '../../src/index.js';

const cf = createEmailSecurityClient({ accountId: 'x', auth: { apiToken: 't' } });
const id = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

describe('public types', () => {
  it('update resolves to the unwrapped result type', () => {
    expectTypeOf(
      cf.allowPolicies.update(id, { pattern: 'a' }),
    ).resolves.toEqualTypeOf<UpdateAllowPolicyResult>();
    expectTypeOf(cf.allowPolicies.update).parameter(1).toEqualTypeOf<UpdateAllowPolicyBody>();
    expectTypeOf<UpdateAllowPolicyResult>().toHaveProperty('id');
    expectTypeOf<UpdateAllowPolicyResult>().toHaveProperty('modified_at');
  });

  it('withResponse adds Response, messages and cfRay', () => {
    const out = cf.allowPolicies.update.withResponse(id, { is_trusted_sender: true });
    expectTypeOf(out).resolves.toEqualTypeOf<ApiResponse<UpdateAllowPolicyResult>>();
    expectTypeOf<ApiResponse<UpdateAllowPolicyResult>['response']>().toEqualTypeOf<Response>();
    expectTypeOf<ApiResponse<UpdateAllowPolicyResult>['cfRay']>().toEqualTypeOf<string | null>();
  });

  it('the patch rejects read-only, misspelled and write-forbidden values', () => {
    // @ts-expect-error read-only (response-only) field
    cf.allowPolicies.update(id, { id });
    // @ts-expect-error read-only (response-only) field
    cf.allowPolicies.update(id, { modified_at: '2026-01-01T00:00:00Z' });
    // @ts-expect-error misspelled field
    cf.allowPolicies.update(id, { patern: 'a' });
    // @ts-expect-error UNKNOWN cannot be sent
    cf.allowPolicies.update(id, { pattern_type: 'UNKNOWN' });
    // @ts-expect-error booleans are not nullable
    cf.allowPolicies.update(id, { is_trusted_sender: null });
    cf.allowPolicies.update(id, { comments: null, pattern_type: 'DOMAIN', verify_sender: false });
  });

  it('auth is one of the documented forms', () => {
    expectTypeOf<{ apiToken: string }>().toMatchTypeOf<
      NonNullable<EmailSecurityClientOptions['auth']>
    >();
    expectTypeOf<{ apiEmail: string; apiKey: string }>().toMatchTypeOf<
      NonNullable<EmailSecurityClientOptions['auth']>
    >();
    createEmailSecurityClient({ auth: async () => ({ apiToken: 't' }) });
    createEmailSecurityClient({ auth: () => ({ apiEmail: 'e', apiKey: 'k' }) });
    // @ts-expect-error token and key together are ambiguous
    createEmailSecurityClient({ auth: { apiToken: 't', apiKey: 'k', apiEmail: 'e' } });
    // @ts-expect-error the key needs the email
    createEmailSecurityClient({ auth: { apiKey: 'k' } });
    // @ts-expect-error unknown option name
    createEmailSecurityClient({ token: 't' });
  });

  it('generic operations are typed from OperationTypes; account_id comes from the client', () => {
    const op = cf.operations.updateAllowPolicy;
    expectTypeOf(
      op({ path: { policy_id: id }, body: { pattern: 'a' } }),
    ).resolves.toEqualTypeOf<UpdateAllowPolicyResult>();
    // @ts-expect-error account_id is filled from options
    op({ path: { policy_id: id, account_id: 'x' }, body: { pattern: 'a' } });
    // @ts-expect-error policy_id is required
    op({ path: {}, body: { pattern: 'a' } });
    // @ts-expect-error the body is required
    op({ path: { policy_id: id } });
  });

  it('per-call options', () => {
    cf.allowPolicies.update(
      id,
      { pattern: 'a' },
      { signal: AbortSignal.timeout(1), timeoutMs: 5, maxRetries: 0 },
    );
    // @ts-expect-error unknown per-call option
    cf.allowPolicies.update(id, { pattern: 'a' }, { retries: 1 });
  });
});
