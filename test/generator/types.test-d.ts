import type { Client } from 'openapi-fetch';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type BatchAllowPoliciesBody,
  type BatchAllowPoliciesRequest,
  batchAllowPolicies,
  type OperationTypes,
  type UpdateAllowPolicyBody,
  type UpdateAllowPolicyPathParams,
  type UpdateAllowPolicyRequest,
  type UpdateAllowPolicyResult,
  type UpdateAllowPolicyWritableBody,
  updateAllowPolicy,
} from '../../generated/operations.js';
import type { paths } from '../../generated/schema.js';

declare const client: Client<paths>;
const path = {
  account_id: '023e105f4ecef8ad9ca31a8372d0c353',
  policy_id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
};

describe('UpdateAllowPolicyBody (request: writable fields only, all optional)', () => {
  test('accepts a single writable field', () => {
    expectTypeOf({ pattern: 'x@example.com' }).toExtend<UpdateAllowPolicyBody>();
    updateAllowPolicy(client, { path, body: { pattern: 'x@example.com' } });
  });

  test('rejects read-only properties', () => {
    // @ts-expect-error `id` is read-only (response-only)
    updateAllowPolicy(client, { path, body: { id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415' } });
    // @ts-expect-error `created_at` is read-only
    updateAllowPolicy(client, { path, body: { created_at: '2014-01-01T05:20:00Z' } });
    expectTypeOf<UpdateAllowPolicyBody>().not.toHaveProperty('id');
    expectTypeOf<UpdateAllowPolicyBody>().not.toHaveProperty('created_at');
    expectTypeOf<UpdateAllowPolicyBody>().not.toHaveProperty('last_modified');
    expectTypeOf<UpdateAllowPolicyBody>().not.toHaveProperty('modified_at');
  });

  test('openapi-fetch Writable<> also strips the read-only properties', () => {
    expectTypeOf<UpdateAllowPolicyWritableBody['id']>().toEqualTypeOf<undefined>();
    expectTypeOf<UpdateAllowPolicyWritableBody>().toHaveProperty('pattern');
  });

  test('rejects misspelled keys', () => {
    // @ts-expect-error `patern` is not a field
    const body: UpdateAllowPolicyBody = { patern: 'x@example.com' };
    expectTypeOf(body).toEqualTypeOf<UpdateAllowPolicyBody>();
  });

  test('every writable field is optional', () => {
    expectTypeOf<UpdateAllowPolicyBody>().toEqualTypeOf<Partial<UpdateAllowPolicyBody>>();
    expectTypeOf<UpdateAllowPolicyBody['comments']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<UpdateAllowPolicyBody['pattern']>().toEqualTypeOf<string | undefined>();
  });

  test('accepts the deprecated is_sender (marked @deprecated, see operations-declaration.test.ts)', () => {
    expectTypeOf({ is_sender: true }).toExtend<UpdateAllowPolicyBody>();
    expectTypeOf<UpdateAllowPolicyBody['is_sender']>().toEqualTypeOf<boolean | undefined>();
  });

  test('the deprecated enum value UNKNOWN cannot be sent', () => {
    expectTypeOf<NonNullable<UpdateAllowPolicyBody['pattern_type']>>().toEqualTypeOf<
      'EMAIL' | 'DOMAIN' | 'IP'
    >();
    // @ts-expect-error UNKNOWN is deprecated and cannot be used when updating
    updateAllowPolicy(client, { path, body: { pattern_type: 'UNKNOWN' } });
  });
});

describe('path parameters and result', () => {
  test('policy_id and account_id are strings', () => {
    expectTypeOf<UpdateAllowPolicyPathParams['policy_id']>().toEqualTypeOf<string>();
    expectTypeOf<UpdateAllowPolicyPathParams['account_id']>().toEqualTypeOf<string>();
    // @ts-expect-error policy_id is required
    updateAllowPolicy(client, { path: { account_id: 'a' }, body: { pattern: 'x' } });
  });

  test('the result keeps the read-only fields', () => {
    expectTypeOf<UpdateAllowPolicyResult['modified_at']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UpdateAllowPolicyResult['id']>().toEqualTypeOf<string>();
    expectTypeOf<UpdateAllowPolicyResult['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<UpdateAllowPolicyResult['pattern_type']>>().toEqualTypeOf<
      'EMAIL' | 'DOMAIN' | 'IP' | 'UNKNOWN'
    >();
  });

  test('the wrapper returns openapi-fetch data whose result is the AllowPolicy', () => {
    type Data = NonNullable<Awaited<ReturnType<typeof updateAllowPolicy>>['data']>;
    expectTypeOf<NonNullable<Data['result']>>().toEqualTypeOf<UpdateAllowPolicyResult>();
  });

  test('OperationTypes and the request agree', () => {
    expectTypeOf<
      OperationTypes['updateAllowPolicy']['body']
    >().toEqualTypeOf<UpdateAllowPolicyBody>();
    expectTypeOf<OperationTypes['updateAllowPolicy']['query']>().toBeNever();
    expectTypeOf<UpdateAllowPolicyRequest['path']>().toEqualTypeOf<UpdateAllowPolicyPathParams>();
  });
});

describe('the batch thin wrapper (openapi-fetch sends the body as given)', () => {
  const batchPath = { account_id: path.account_id };
  const none = { deletes: [], patches: [], posts: [], puts: [] };

  test('patches and puts carry the id of the policy they change', () => {
    batchAllowPolicies(client, {
      path: batchPath,
      body: { ...none, patches: [{ id: path.policy_id, comments: 'reviewed' }] },
    });
    batchAllowPolicies(client, {
      path: batchPath,
      body: {
        ...none,
        puts: [
          {
            id: path.policy_id,
            pattern: 'x@example.com',
            pattern_type: 'EMAIL',
            is_regex: false,
            is_exempt_recipient: false,
            is_trusted_sender: true,
            is_acceptable_sender: false,
            verify_sender: true,
          },
        ],
      },
    });
    expectTypeOf<
      BatchAllowPoliciesRequest['body']['patches'][number]['id']
    >().toEqualTypeOf<string>();
  });

  test('every array is required (the endpoint wants [] for an unused one)', () => {
    // @ts-expect-error `puts` is missing: only the client's resource method fills it in
    batchAllowPolicies(client, { path: batchPath, body: { deletes: [], patches: [], posts: [] } });
    type AllArrays = Required<
      Pick<BatchAllowPoliciesBody, 'deletes' | 'patches' | 'posts' | 'puts'>
    >;
    expectTypeOf<AllArrays>().toExtend<BatchAllowPoliciesRequest['body']>();
    expectTypeOf<BatchAllowPoliciesRequest['body']>().toExtend<AllArrays>();
  });

  test('items keep the rules of the resource method body', () => {
    expectTypeOf<BatchAllowPoliciesRequest['body']['patches']>().toEqualTypeOf<
      NonNullable<BatchAllowPoliciesBody['patches']>
    >();
    batchAllowPolicies(client, {
      path: batchPath,
      // @ts-expect-error a patch without the id of the policy it changes
      body: { ...none, patches: [{ comments: 'reviewed' }] },
    });
  });
});
