import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { buildPath, encodePathParam } from '../../src/validate.js';
import { updateAllowPolicyMetadata } from '../deprecations/support/allow-policy-metadata.js';

const template = updateAllowPolicyMetadata.path;

describe('buildPath', () => {
  it('fills every parameter', () => {
    expect(buildPath(template, { account_id: 'acc', policy_id: 'f174e90a-fafe-4643' })).toBe(
      '/accounts/acc/email-security/settings/allow_policies/f174e90a-fafe-4643',
    );
  });

  it.each([
    ['../../zones', '..%2F..%2Fzones'],
    ['a/b', 'a%2Fb'],
    ['a?b#c', 'a%3Fb%23c'],
    ['100%', '100%25'],
    ['a b', 'a%20b'],
    ['é', '%C3%A9'],
    ['...', '...'],
  ])('percent-encodes %j so it stays one segment', (value, encoded) => {
    const path = buildPath(template, { account_id: value, policy_id: 'p' });
    expect(path).toBe(`/accounts/${encoded}/email-security/settings/allow_policies/p`);
    // The URL parser keeps the segment: no traversal.
    expect(new URL(path, 'https://api.example').pathname).toBe(path);
  });

  it.each(['.', '..'])('rejects the dot segment %j', (value) => {
    expect(() => buildPath(template, { account_id: value, policy_id: 'p' })).toThrow(
      'path.account_id: must not be "." or ".."',
    );
  });

  it.each([undefined, null, ''])('rejects a missing value (%j) naming the parameter', (value) => {
    const call = () => buildPath(template, { account_id: 'acc', policy_id: value });
    expect(call).toThrow(ValidationError);
    expect(call).toThrow('path.policy_id: is required; pass it as path.policy_id');
  });

  it('does not read parameters from the prototype', () => {
    expect(() => buildPath('/x/{constructor}', {})).toThrow('path.constructor: is required');
  });

  it('rejects objects instead of stringifying them', () => {
    expect(() => encodePathParam('policy_id', { id: 1 })).toThrow(
      'path.policy_id: must be a string (got an object)',
    );
  });

  it('adds the request context to the error', () => {
    const context = { operationId: 'op', method: 'PATCH', path: '/x' };
    expect(() => encodePathParam('policy_id', '..', context)).toThrow(
      /^PATCH \/x: invalid request/,
    );
  });
});
