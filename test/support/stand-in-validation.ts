/**
 * Hand-written request validation of the stand-in allow-policy API.
 *
 * This is the oracle that checks our generated client, so it deliberately does NOT import
 * anything from `src/` or `generated/`: its rules are written out from the spec by hand
 * (`email-security_AllowPolicy`, `…CreateAllowPolicy`, `…UpdateAllowPolicy`, `…PatternType`).
 */
import {
  type ApiMessage,
  STAND_IN_ERROR_CODES as CODES,
  type Rejection,
  reject,
} from './stand-in-codes.js';

export type PatternType = 'EMAIL' | 'DOMAIN' | 'IP' | 'UNKNOWN';

/** Writable fields with the values the stand-in stores. */
export interface AllowPolicyWritable {
  comments: string | null;
  is_acceptable_sender: boolean;
  is_exempt_recipient: boolean;
  is_regex: boolean;
  is_trusted_sender: boolean;
  pattern: string;
  pattern_type: PatternType;
  verify_sender: boolean;
}

type FieldRule =
  | { kind: 'boolean' }
  | { kind: 'string'; minLength: number; maxLength: number; nullable: boolean }
  | { kind: 'enum'; writable: readonly string[]; readOnlyValues: readonly string[] };

const BOOLEAN: FieldRule = { kind: 'boolean' };

const WRITABLE_FIELD_RULES: Readonly<Record<keyof AllowPolicyWritable, FieldRule>> = {
  comments: { kind: 'string', minLength: 0, maxLength: 1024, nullable: true },
  is_acceptable_sender: BOOLEAN,
  is_exempt_recipient: BOOLEAN,
  is_regex: BOOLEAN,
  is_trusted_sender: BOOLEAN,
  pattern: { kind: 'string', minLength: 1, maxLength: 1024, nullable: false },
  // UNKNOWN "cannot be used when creating or updating policies, but may be returned".
  pattern_type: { kind: 'enum', writable: ['EMAIL', 'DOMAIN', 'IP'], readOnlyValues: ['UNKNOWN'] },
  verify_sender: BOOLEAN,
};

/**
 * Deprecated write fields past their end of life (2026-07-01): accepted when they are
 * booleans but not stored, modelling an API that silently stops trusting them.
 */
export const IGNORED_DEPRECATED_FIELDS: Readonly<Record<string, string>> = {
  is_recipient: 'is_exempt_recipient',
  is_sender: 'is_trusted_sender',
  is_spoof: 'is_acceptable_sender',
};

export const READ_ONLY_FIELDS: readonly string[] = [
  'id',
  'created_at',
  'modified_at',
  'last_modified',
];

export const CREATE_REQUIRED_FIELDS: readonly (keyof AllowPolicyWritable)[] = [
  'is_exempt_recipient',
  'is_trusted_sender',
  'is_acceptable_sender',
  'pattern',
  'is_regex',
  'verify_sender',
  'pattern_type',
];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID_PATTERN.test(value);
}

export type JsonAttempt = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses request text once (the result is both recorded and validated); '' is "no body". */
export function tryParseJson(text: string): JsonAttempt {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; rejection: Rejection };

/** The request body as JSON, or the 415/400 rejection; `value: undefined` means "no body". */
export function interpretBody(
  bodyText: string,
  contentType: string | undefined,
  attempt: JsonAttempt,
): ParsedBody {
  if (bodyText.length === 0) return { ok: true, value: undefined };
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      rejection: reject(
        415,
        CODES.unsupportedMediaType,
        `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}: send the body as JSON with 'Content-Type: application/json'.`,
      ),
    };
  }
  if (!attempt.ok) {
    return {
      ok: false,
      rejection: reject(
        400,
        CODES.invalidJson,
        `Request body is not valid JSON: ${attempt.reason}`,
      ),
    };
  }
  return attempt;
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

export type ValidatedWrite =
  | { ok: true; fields: Partial<AllowPolicyWritable> }
  | { ok: false; rejection: Rejection };

/** Validates a PATCH body: a non-empty object of writable fields (all optional). */
export function validateUpdateBody(body: unknown): ValidatedWrite {
  const objectCheck = requireObject(body);
  if (objectCheck) return objectCheck;
  const record = body as Record<string, unknown>;
  if (Object.keys(record).length === 0) {
    return invalidBody(
      'Request body must contain at least one field to update (minProperties: 1); send only the fields to change.',
    );
  }
  return collectFields(record, []);
}

/** Validates a POST body: writable fields, with `CreateAllowPolicy.required` present. */
export function validateCreateBody(body: unknown): ValidatedWrite {
  const objectCheck = requireObject(body);
  if (objectCheck) return objectCheck;
  return collectFields(body as Record<string, unknown>, CREATE_REQUIRED_FIELDS);
}

function requireObject(body: unknown): ValidatedWrite | undefined {
  if (body === undefined) return invalidBody('Request body is required: send a JSON object.');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const actual = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    return invalidBody(`Request body must be a JSON object, got ${actual}.`);
  }
  return undefined;
}

function invalidBody(message: string): ValidatedWrite {
  return { ok: false, rejection: reject(400, CODES.invalidBody, message) };
}

function collectFields(
  record: Record<string, unknown>,
  required: readonly (keyof AllowPolicyWritable)[],
): ValidatedWrite {
  const errors: ApiMessage[] = [];
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const error = checkField(name, value);
    if (error) errors.push(error);
    else if (Object.hasOwn(WRITABLE_FIELD_RULES, name)) fields[name] = value;
  }
  for (const name of required) {
    if (!Object.hasOwn(record, name)) {
      errors.push(fieldError(CODES.missingField, name, `Field '${name}' is required.`));
    }
  }
  if (errors.length > 0) return { ok: false, rejection: { status: 400, errors } };
  return { ok: true, fields: fields as Partial<AllowPolicyWritable> };
}

function checkField(name: string, value: unknown): ApiMessage | undefined {
  if (READ_ONLY_FIELDS.includes(name)) {
    return fieldError(
      CODES.readOnlyField,
      name,
      `Field '${name}' is read-only and cannot be set in a request; remove it from the body.`,
    );
  }
  const replacement = IGNORED_DEPRECATED_FIELDS[name];
  if (replacement !== undefined) {
    return typeof value === 'boolean'
      ? undefined
      : fieldError(CODES.invalidField, name, `Field '${name}' must be a boolean.`);
  }
  const rule = Object.hasOwn(WRITABLE_FIELD_RULES, name)
    ? WRITABLE_FIELD_RULES[name as keyof AllowPolicyWritable]
    : undefined;
  if (rule === undefined) {
    return fieldError(
      CODES.unknownField,
      name,
      `Unknown field '${name}'; allowed fields: ${Object.keys(WRITABLE_FIELD_RULES).join(', ')}.`,
    );
  }
  const problem = checkRule(rule, value);
  return problem ? fieldError(CODES.invalidField, name, `Field '${name}' ${problem}.`) : undefined;
}

function checkRule(rule: FieldRule, value: unknown): string | undefined {
  switch (rule.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be a boolean, got ${describe(value)}`;
    case 'string':
      return checkString(rule, value);
    case 'enum':
      return checkEnum(rule, value);
  }
}

function checkString(
  rule: Extract<FieldRule, { kind: 'string' }>,
  value: unknown,
): string | undefined {
  if (value === null) return rule.nullable ? undefined : 'must be a string, got null';
  if (typeof value !== 'string') {
    const expected = rule.nullable ? 'a string or null' : 'a string';
    return `must be ${expected}, got ${describe(value)}`;
  }
  // JSON Schema lengths count code points; UTF-16 length is an upper bound, so only
  // long strings pay for the exact count.
  const length = value.length > rule.maxLength ? [...value].length : value.length;
  if (length < rule.minLength) return `must be at least ${rule.minLength} character(s) long`;
  if (length > rule.maxLength) {
    return `must be at most ${rule.maxLength} characters long, got ${length}`;
  }
  return undefined;
}

function checkEnum(rule: Extract<FieldRule, { kind: 'enum' }>, value: unknown): string | undefined {
  if (typeof value === 'string' && rule.writable.includes(value)) return undefined;
  const allowed = rule.writable.join(', ');
  if (typeof value === 'string' && rule.readOnlyValues.includes(value)) {
    return `value '${value}' is deprecated and cannot be used when creating or updating policies; use one of ${allowed}`;
  }
  return `must be one of ${allowed}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function fieldError(code: number, name: string, message: string): ApiMessage {
  const pointer = `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return { code, message, source: { pointer } };
}
