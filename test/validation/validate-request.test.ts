import { describe, expect, it } from 'vitest';
import type { OperationMetadata } from '../../src/metadata.js';
import { validateRequest } from '../../src/validate.js';
import {
  ACCOUNT_ID,
  createAllowPolicyMetadata,
  POLICY_ID,
  updateAllowPolicyMetadata,
} from '../deprecations/support/allow-policy-metadata.js';

const path = { account_id: ACCOUNT_ID, policy_id: POLICY_ID };
/** After the end of life of is_recipient, is_sender and is_spoof (the client's clock). */
const now = new Date('2026-11-26T00:00:00Z');
const update = (body: unknown, p: Record<string, unknown> = path) =>
  validateRequest(updateAllowPolicyMetadata, { path: p, body }, { now });
/** Writable fields as messages list them at `now`: deprecated names apart. */
const WRITABLE =
  'comments, is_acceptable_sender, is_exempt_recipient, is_regex, is_trusted_sender, pattern, ' +
  'pattern_type, verify_sender; deprecated: is_recipient (past end of life: use is_exempt_recipient), ' +
  'is_sender (past end of life: use is_trusted_sender), is_spoof (past end of life: use is_acceptable_sender)';

describe('validateRequest: valid update requests', () => {
  it.each([
    { is_trusted_sender: true },
    { pattern: 'test@example.com', pattern_type: 'EMAIL' },
    { comments: null },
    { comments: 'x'.repeat(1024) },
    { pattern: 'x'.repeat(1024) },
    { pattern: '😀'.repeat(1024) }, // length counts characters, not UTF-16 units
    { is_sender: true }, // deprecated but still accepted here; deprecations.ts migrates it
    { pattern_type: 'IP', is_regex: false, verify_sender: true },
  ])('accepts %j', (body) => {
    expect(update(body)).toEqual([]);
  });

  it('ignores fields set to undefined (JSON drops them)', () => {
    expect(update({ pattern: 'a', comments: undefined })).toEqual([]);
  });
});

describe('validateRequest: path parameters', () => {
  it('rejects a policy id that is not a UUID, without echoing it', () => {
    expect(
      update({ pattern: 'a' }, { account_id: ACCOUNT_ID, policy_id: 'secret-ish-42' }),
    ).toEqual([
      {
        at: 'path.policy_id',
        message:
          'must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. f174e90a-fafe-4643-bbbc-4a0ed4fc8415)',
      },
    ]);
  });

  it('rejects an integer id (older spec versions) because this spec says string', () => {
    expect(update({ pattern: 'a' }, { account_id: ACCOUNT_ID, policy_id: 42 })).toEqual([
      { at: 'path.policy_id', message: 'must be a string (got a number)' },
    ]);
  });

  it('requires every path parameter', () => {
    expect(update({ pattern: 'a' }, {})).toEqual([
      { at: 'path.account_id', message: 'is required; pass it as path.account_id' },
      { at: 'path.policy_id', message: 'is required; pass it as path.policy_id' },
    ]);
    expect(validateRequest(updateAllowPolicyMetadata, { body: { pattern: 'a' } })).toHaveLength(2);
  });

  it.each(['.', '..'])('rejects the dot segment %j as an account id', (value) => {
    expect(update({ pattern: 'a' }, { account_id: value, policy_id: POLICY_ID })).toEqual([
      {
        at: 'path.account_id',
        message:
          'must not be "." or "..": a dot segment would change the URL path; pass the real id',
      },
    ]);
  });

  it('rejects unknown path parameters with a suggestion', () => {
    expect(update({ pattern: 'a' }, { ...path, policyid: POLICY_ID })).toEqual([
      { at: 'path.policyid', message: 'unknown parameter; did you mean "policy_id"?' },
    ]);
  });

  it('rejects query parameters the operation does not declare', () => {
    expect(
      validateRequest(updateAllowPolicyMetadata, {
        path,
        query: { page: 1 },
        body: { pattern: 'a' },
      }),
    ).toEqual([{ at: 'query.page', message: 'unknown parameter; known: none' }]);
  });
});

describe('validateRequest: body shape', () => {
  it.each([
    [undefined, 'is required; pass an object'],
    [null, 'must be a plain object (got null)'],
    [[], 'must be a plain object (got an array)'],
    ['{"pattern":"a"}', 'must be a plain object (got a string)'],
    [new Date(0), 'must be a plain object (got an object)'],
  ])('rejects body %j', (body, message) => {
    expect(update(body)).toEqual([{ at: 'body', message }]);
  });

  it('needs at least minProperties writable fields', () => {
    const message = `needs at least 1 field to send (got 0); writable fields: ${WRITABLE}`;
    expect(update({})).toEqual([{ at: 'body', message }]);
    expect(update({ pattern: undefined })).toEqual([{ at: 'body', message }]);
  });

  it('accepts a null-prototype object', () => {
    const body = Object.assign(Object.create(null), { pattern: 'a' });
    expect(update(body)).toEqual([]);
  });
});

describe('validateRequest: unknown and read-only fields', () => {
  it.each([
    ['patern', 'did you mean "pattern"?'],
    ['is_trusted_sendr', 'did you mean "is_trusted_sender"?'],
    ['commnets', 'did you mean "comments"?'],
    // nearest is the deprecated is_sender: suggest its replacement instead
    ['is_sendr', 'did you mean "is_trusted_sender"?'],
    ['owner', `known: ${WRITABLE}`],
  ])('rejects unknown field %s: %s', (field, hint) => {
    expect(update({ [field]: 'x', pattern: 'a' })).toEqual([
      { at: `body.${field}`, message: `unknown field; ${hint}` },
    ]);
  });

  it('rejects an own __proto__ key (JSON.parse input) as unknown', () => {
    const issues = update(JSON.parse('{"__proto__": {"x": 1}, "pattern": "a"}'));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.at).toBe('body.__proto__');
  });

  it.each(['id', 'created_at', 'modified_at', 'last_modified'])(
    'rejects read-only %s, saying Cloudflare sets it',
    (field) => {
      expect(update({ [field]: '2026-01-01T00:00:00Z', pattern: 'a' })).toEqual([
        {
          at: `body.${field}`,
          message: 'is read-only: it is set by Cloudflare and cannot be sent; remove it',
        },
      ]);
    },
  );

  it('does not count read-only or unknown fields towards minProperties', () => {
    expect(update({ id: POLICY_ID }).map((i) => i.at)).toEqual(['body.id', 'body']);
  });

  it('says no writable field is left (not "got 0") when the only fields were rejected', () => {
    const issue = update({ patern: 'x@example.com' }).find((i) => i.at === 'body');
    expect(issue?.message).toMatch(
      /^needs at least 1 field to send \(none left besides the fields above\)/,
    );
  });
});

describe('validateRequest: types and limits', () => {
  it.each([
    ['is_trusted_sender', 'true', 'must be a boolean (true or false) (got a string)'],
    ['is_regex', 1, 'must be a boolean (true or false) (got a number)'],
    ['verify_sender', null, 'must not be null; omit it or pass a boolean (true or false)'],
    ['pattern', '', 'must be at least 1 character (got 0)'],
    ['pattern', 'x'.repeat(1025), 'must be at most 1024 characters (got 1025); shorten it'],
    ['pattern', null, 'must not be null; omit it or pass a string'],
    ['pattern', 5, 'must be a string (got a number)'],
    ['comments', 'x'.repeat(1025), 'must be at most 1024 characters (got 1025); shorten it'],
    ['comments', ['a'], 'must be a string (got an array)'],
    ['pattern_type', 'email', 'must be one of EMAIL, DOMAIN or IP (did you mean "EMAIL"?)'],
    ['pattern_type', 'URL', 'must be one of EMAIL, DOMAIN or IP'],
    [
      'pattern_type',
      'UNKNOWN',
      'UNKNOWN is deprecated and cannot be used when creating or updating; use EMAIL, DOMAIN or IP',
    ],
  ])('%s = %j: %s', (field, value, message) => {
    expect(update({ [field]: value })).toEqual([{ at: `body.${field}`, message }]);
  });

  it('reports every problem at once, in field order', () => {
    expect(update({ pattern: '', is_regex: 'no', patern: 'x' })).toEqual([
      { at: 'body.pattern', message: 'must be at least 1 character (got 0)' },
      { at: 'body.is_regex', message: 'must be a boolean (true or false) (got a string)' },
      { at: 'body.patern', message: 'unknown field; did you mean "pattern"?' },
    ]);
  });
});

describe('validateRequest: required fields (create)', () => {
  const complete = {
    is_acceptable_sender: false,
    is_exempt_recipient: false,
    is_regex: false,
    is_trusted_sender: true,
    pattern: 'test@example.com',
    pattern_type: 'EMAIL',
    verify_sender: true,
  };
  const create = (body: unknown) =>
    validateRequest(createAllowPolicyMetadata, { path: { account_id: ACCOUNT_ID }, body });

  it('accepts a complete body', () => {
    expect(create(complete)).toEqual([]);
  });

  it('names each missing required field', () => {
    const { pattern: _p, verify_sender: _v, ...partial } = complete;
    expect(create(partial)).toEqual([
      { at: 'body.pattern', message: 'is required by email_security_create_allow_policy; add it' },
      {
        at: 'body.verify_sender',
        message: 'is required by email_security_create_allow_policy; add it',
      },
    ]);
  });

  it('counts a deprecated field as its required replacement (it is migrated before sending)', () => {
    const { is_trusted_sender: _t, ...old } = complete;
    expect(create({ ...old, is_sender: true })).toEqual([]);
  });
});

describe('validateRequest: driven by the metadata only', () => {
  it('follows rules added to the spec with no code change', () => {
    const metadata: OperationMetadata = {
      ...updateAllowPolicyMetadata,
      parameters: [
        {
          name: 'limit',
          in: 'query',
          required: false,
          rule: { type: 'integer', minimum: 1, maximum: 100 },
          deprecated: false,
        },
      ],
      requestBody: {
        schema: null,
        contentType: 'application/json',
        required: false,
        properties: {
          code: { type: 'string', pattern: '^[A-Z]{3}$' },
          tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
          ratio: { type: 'number', minimum: 0, maximum: 1 },
        },
        requiredProperties: [],
        readOnlyProperties: [],
        maxProperties: 2,
        additionalProperties: true,
      },
    };
    const run = (query: Record<string, unknown>, body: unknown) =>
      validateRequest(metadata, { path: {}, query, body });
    expect(run({ limit: 10 }, { code: 'ABC', extra: 1 })).toEqual([]);
    expect(run({}, undefined)).toEqual([]);
    expect(run({ limit: 0.5 }, { code: 'abc', tags: ['ok', 'long'], ratio: 2 })).toEqual([
      { at: 'query.limit', message: 'must be an integer (got a number)' },
      { at: 'body.code', message: 'must match the pattern /^[A-Z]{3}$/' },
      { at: 'body.tags[1]', message: 'must be at most 3 characters (got 4); shorten it' },
      { at: 'body.ratio', message: 'must be ≤ 1' },
      { at: 'body', message: 'accepts at most 2 fields (got 3); remove some' },
    ]);
    expect(run({ limit: 500 }, {})).toEqual([{ at: 'query.limit', message: 'must be ≤ 100' }]);
  });

  it('rejects a body for an operation without one', () => {
    const metadata = { ...updateAllowPolicyMetadata, requestBody: null };
    expect(validateRequest(metadata, { path, body: {} })).toEqual([
      { at: 'body', message: 'email_security_update_allow_policy takes no body; remove it' },
    ]);
  });
});
