/**
 * Small shared test data for the allow-policy API. Plain values and factories (no vitest),
 * written from the spec by hand so tests do not depend on generated code.
 */
import { randomUUID } from 'node:crypto';

/** A valid Cloudflare account id (32 lowercase hex): the spec example and the stand-in default. */
export const validAccountId = '023e105f4ecef8ad9ca31a8372d0c353';
/** Well-formed, but not the stand-in's account (answers 403, code 9109). */
export const otherAccountId = '9a7806061c88ada191ed06f989cc3dac';
/** The spec's example policy id. */
export const examplePolicyId = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

export function randomPolicyId(): string {
  return randomUUID();
}

export type SamplePatternType = 'EMAIL' | 'DOMAIN' | 'IP';

/** The writable fields of `email-security_CreateAllowPolicy` (all required except comments). */
export interface SampleCreateBody {
  comments?: string | null;
  is_acceptable_sender: boolean;
  is_exempt_recipient: boolean;
  is_regex: boolean;
  is_trusted_sender: boolean;
  pattern: string;
  pattern_type: SamplePatternType;
  verify_sender: boolean;
}

/** Writable fields of `email-security_UpdateAllowPolicy` (all optional, at least one). */
export type SampleUpdateBody = Partial<SampleCreateBody>;

export function makeCreateBody(overrides: Partial<SampleCreateBody> = {}): SampleCreateBody {
  return {
    comments: 'Trust all messages send from test@example.com',
    is_acceptable_sender: false,
    is_exempt_recipient: false,
    is_regex: false,
    is_trusted_sender: true,
    pattern: 'test@example.com',
    pattern_type: 'EMAIL',
    verify_sender: true,
    ...overrides,
  };
}

export function makeUpdateBody(overrides: SampleUpdateBody = {}): SampleUpdateBody {
  return { comments: 'Newsletter sender, reviewed', is_acceptable_sender: true, ...overrides };
}

export const sampleCreateBody: Readonly<SampleCreateBody> = Object.freeze(makeCreateBody());
export const sampleUpdateBody: Readonly<SampleUpdateBody> = Object.freeze(makeUpdateBody());

/**
 * PATCH bodies the API must reject, with the stand-in's error code and the JSON pointer of
 * the offending field (`undefined` for whole-body problems). Codes: `stand-in-codes.ts`.
 */
export const invalidUpdateBodies: readonly {
  name: string;
  body: unknown;
  code: number;
  pointer: string | undefined;
}[] = [
  { name: 'empty object (minProperties 1)', body: {}, code: 1004, pointer: undefined },
  { name: 'array body', body: [{ comments: 'x' }], code: 1004, pointer: undefined },
  { name: 'null body', body: null, code: 1004, pointer: undefined },
  { name: 'read-only id', body: { id: examplePolicyId }, code: 1006, pointer: '/id' },
  {
    name: 'read-only created_at',
    body: { created_at: '2026-01-01T00:00:00Z' },
    code: 1006,
    pointer: '/created_at',
  },
  {
    name: 'read-only modified_at',
    body: { modified_at: '2026-01-01T00:00:00Z' },
    code: 1006,
    pointer: '/modified_at',
  },
  {
    name: 'read-only last_modified',
    body: { last_modified: '2026-01-01T00:00:00Z' },
    code: 1006,
    pointer: '/last_modified',
  },
  { name: 'unknown field', body: { is_allowed: true }, code: 1007, pointer: '/is_allowed' },
  { name: 'boolean as string', body: { is_regex: 'true' }, code: 1005, pointer: '/is_regex' },
  { name: 'empty pattern', body: { pattern: '' }, code: 1005, pointer: '/pattern' },
  {
    name: 'pattern too long',
    body: { pattern: 'a'.repeat(1025) },
    code: 1005,
    pointer: '/pattern',
  },
  { name: 'null pattern', body: { pattern: null }, code: 1005, pointer: '/pattern' },
  {
    name: 'comments too long',
    body: { comments: 'c'.repeat(1025) },
    code: 1005,
    pointer: '/comments',
  },
  { name: 'comments number', body: { comments: 5 }, code: 1005, pointer: '/comments' },
  {
    name: 'pattern_type UNKNOWN (deprecated, read-only value)',
    body: { pattern_type: 'UNKNOWN' },
    code: 1005,
    pointer: '/pattern_type',
  },
  {
    name: 'pattern_type not in enum',
    body: { pattern_type: 'NOPE' },
    code: 1005,
    pointer: '/pattern_type',
  },
  {
    name: 'deprecated is_sender not boolean',
    body: { is_sender: 'yes' },
    code: 1005,
    pointer: '/is_sender',
  },
];

/** `{base}/accounts/{account}/email-security/settings/allow_policies[/{policy}]` */
export function allowPoliciesUrl(baseUrl: string, accountId: string, policyId?: string): string {
  const collection = `${baseUrl}/accounts/${encodeURIComponent(accountId)}/email-security/settings/allow_policies`;
  return policyId === undefined ? collection : `${collection}/${encodeURIComponent(policyId)}`;
}
