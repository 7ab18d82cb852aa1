/**
 * Request validation before sending. Interprets only the generated metadata (rules extracted from
 * the spec), so a spec change flows through the generator with no change here. Messages never
 * echo the values given (a token pasted into the wrong argument must not end up in a log).
 */

import { compileOperation, type TimedDeprecation } from './compiled-operation.js';
import { type RequestContext, ValidationError, type ValidationIssue } from './errors.js';
import { clip, isPlainObject } from './guards.js';
import type { ObjectRule, OperationMetadata, ValueRule } from './metadata.js';
import { suggest } from './suggest.js';
import { UUID_PATTERN } from './uuid.js';

export interface RequestInput {
  readonly path?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
}

/** Formats the validator understands (others are left to the server): test and description. */
const FORMATS: Record<string, [RegExp, string]> = {
  uuid: [
    UUID_PATTERN,
    'a UUID (8-4-4-4-12 hexadecimal digits, e.g. f174e90a-fafe-4643-bbbc-4a0ed4fc8415)',
  ],
};

const DOT_SEGMENT =
  'must not be "." or "..": a dot segment would change the URL path; pass the real id';

const PLACES = ['path', 'query'] as const;

/**
 * Issues listed per error (the rest are counted): a hostile input with 50,000 unknown keys gives
 * a readable error, and suggestion work stops with the list.
 */
export const MAX_LISTED_ISSUES = 50;

/**
 * All problems with a request, in a stable order (path, query, body); empty when it may be sent.
 * `now` (the client's clock) decides which deprecated fields messages list apart from the others.
 */
export function validateRequest(
  metadata: OperationMetadata,
  request: RequestInput,
  options: { readonly now?: Date } = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  let unlisted = 0;
  const add: Add = (at, message) => {
    if (issues.length < MAX_LISTED_ISSUES) issues.push({ at, message });
    else unlisted++;
  };
  add.full = () => issues.length >= MAX_LISTED_ISSUES;
  const time = (options.now ?? new Date()).getTime();
  add.object = (rule, value, at) => checkObject(metadata, rule, value, at, add, time);
  const operation = compileOperation(metadata);
  for (const place of PLACES) {
    const given = request[place] ?? {};
    const declared = operation.parameters[place];
    if (!isPlainObject(given)) {
      add(place, `must be a plain object of ${place} parameters`);
      continue;
    }
    for (const { name, required, rule } of declared) {
      const at = `${place}.${name}`;
      const value = given[name];
      if (value === undefined || value === null || value === '') {
        if (required) add(at, `is required; pass it as ${at}`);
      } else if (place === 'path' && (value === '.' || value === '..')) {
        add(at, DOT_SEGMENT);
      } else {
        checkValue(rule, value, at, add);
      }
    }
    const names = operation.parameterNames[place];
    for (const key of Object.keys(given)) {
      if (!names.includes(key)) {
        add(
          `${place}.${clip(key)}`,
          unknown(
            'parameter',
            add.full() ? undefined : suggest(key, names),
            () => names.join(', ') || 'none',
          ),
        );
      }
    }
  }
  checkBody(metadata, request.body, add, time);
  if (unlisted > 0) {
    issues.push({
      at: 'request',
      message: `and ${unlisted} more problem${unlisted === 1 ? '' : 's'} not listed`,
    });
  }
  return issues;
}

interface Add {
  (at: string, message: string): void;
  /** No more issues will be listed: skip work that only improves their messages. */
  full: () => boolean;
  /** Checks an object against its described properties (an item of a body array). */
  object?: (rule: ObjectRule, value: Record<string, unknown>, at: string) => void;
}

function checkBody(metadata: OperationMetadata, body: unknown, add: Add, time: number): void {
  const spec = metadata.requestBody;
  if (!spec || body === undefined) {
    if (spec?.required) add('body', 'is required; pass an object');
    if (!spec && body !== undefined)
      add('body', `${metadata.operationId} takes no body; remove it`);
    return;
  }
  if (!isPlainObject(body)) {
    add('body', `must be a plain object (got ${kindOf(body)})`);
    return;
  }
  checkObject(metadata, spec, body, 'body', add, time);
}

/**
 * The body fields of `spec` (the body itself, or one item of a body array at `where`): unknown
 * and read-only fields, each value's rule, the field counts and the required fields.
 */
function checkObject(
  metadata: OperationMetadata,
  spec: ObjectRule,
  body: Record<string, unknown>,
  where: string,
  add: Add,
  time: number,
): void {
  const compiled = compileOperation(metadata);
  const { renamedFrom } = compiled;
  const top = spec === metadata.requestBody;
  const writable = top ? compiled.writable : Object.keys(spec.properties);
  const readOnly = top ? compiled.readOnly : new Set(spec.readOnlyProperties);
  const fields = () => writableFields(metadata, time, writable);
  let given = 0;
  let rejected = 0;
  for (const key of Object.keys(body)) {
    const value = body[key];
    const at = `${where}.${key}`;
    const rule = Object.hasOwn(spec.properties, key) ? spec.properties[key] : undefined;
    if (readOnly.has(key)) {
      rejected++;
      add(at, 'is read-only: it is set by Cloudflare and cannot be sent; remove it');
    } else if (!rule && !spec.additionalProperties) {
      rejected++;
      if (add.full()) {
        add(at, ''); // counted, not listed: no message to build
        continue;
      }
      // Suggest the replacement when the nearest name is a deprecated field.
      let near = suggest(key, writable);
      const replacement = metadata.deprecations.find((d) => d.field === near)?.replacement;
      if (replacement && writable.includes(replacement)) near = replacement;
      add(`${where}.${clip(key)}`, unknown('field', near, fields));
    } else if (value !== undefined) {
      given++;
      if (rule) checkValue(rule, value, at, add);
    }
  }
  const { minProperties: min = 0, maxProperties: max = Number.POSITIVE_INFINITY } = spec;
  if (given < min) {
    const got = rejected > 0 ? 'none left besides the fields above' : `got ${given}`;
    add(
      where,
      `needs at least ${min} field${min === 1 ? '' : 's'} to send (${got}); writable fields: ${fields()}`,
    );
  }
  if (given > max) add(where, `accepts at most ${max} fields (got ${given}); remove some`);
  for (const name of spec.requiredProperties) {
    // A deprecated field counts as the field that replaces it (it is migrated before sending).
    const old = renamedFrom.get(name);
    if (body[name] === undefined && (!old || body[old] === undefined)) {
      add(`${where}.${name}`, `is required by ${metadata.operationId}; add it`);
    }
  }
}

/** `known` is only built when there is no suggestion. */
function unknown(what: string, near: string | undefined, known: () => string) {
  return `unknown ${what}; ${near ? `did you mean "${near}"?` : `known: ${known()}`}`;
}

/**
 * The body fields that may be sent, then, apart, the deprecated ones in effect at `time`:
 * `comments, …, verify_sender; deprecated: is_sender (past end of life: use is_trusted_sender)`.
 */
function writableFields(
  metadata: OperationMetadata,
  time: number,
  writable: readonly string[],
): string {
  const { deprecations } = compileOperation(metadata);
  const inEffect = new Map<string, TimedDeprecation>();
  for (const timed of deprecations) {
    const { kind, field, appliesTo } = timed.deprecation;
    if (kind !== 'property' || !field || appliesTo === 'response' || time < timed.since) continue;
    if (writable.includes(field)) inEffect.set(field, timed);
  }
  const current = writable.filter((field) => !inEffect.has(field));
  const deprecated = [...inEffect].map(
    ([field, timed]) => `${field} (${deprecationNote(timed, time)})`,
  );
  return [
    current.join(', ') || 'none',
    ...(deprecated.length ? [`deprecated: ${deprecated.join(', ')}`] : []),
  ].join('; ');
}

/** `past end of life: use is_trusted_sender`; before then `use is_trusted_sender, end of life 2026-07-01`. */
function deprecationNote({ deprecation, end }: TimedDeprecation, time: number): string {
  const { replacement, endOfLife } = deprecation;
  if (time >= end)
    return `past end of life: ${replacement ? `use ${replacement}` : 'cannot be sent'}`;
  const notes = [replacement && `use ${replacement}`, endOfLife && `end of life ${endOfLife}`];
  return notes.filter(Boolean).join(', ') || 'no replacement';
}

/** Checks one value against its rule, adding one issue per problem found. */
function checkValue(rule: ValueRule, value: unknown, at: string, add: Add): void {
  if (value === null) {
    if (!rule.nullable && !rule.enum?.includes(null)) {
      add(at, `must not be null; omit it or pass ${expectedKind(rule.type)}`);
    }
    return;
  }
  if (!hasType(rule.type, value)) {
    add(at, `must be ${expectedKind(rule.type)} (got ${kindOf(value)})`);
    return;
  }
  if (rule.enum) checkEnum(rule, value, at, add);
  if (typeof value === 'string') checkString(rule, value, at, add);
  else if (typeof value === 'number') checkNumber(rule, value, at, add);
  else if (Array.isArray(value)) checkArray(rule, value, at, add);
}

function checkArray(rule: ValueRule, value: readonly unknown[], at: string, add: Add): void {
  const { minItems, maxItems, items } = rule;
  if (maxItems !== undefined && value.length > maxItems) {
    // Over the limit the items are not checked: the request cannot be sent as it is anyway.
    add(at, `has ${value.length} items; at most ${maxItems} are accepted per request; split it`);
    return;
  }
  if (minItems !== undefined && value.length < minItems) {
    add(at, `needs at least ${minItems} item${minItems === 1 ? '' : 's'} (got ${value.length})`);
  }
  if (!items) return;
  for (const [i, item] of value.entries()) {
    const itemAt = `${at}[${i}]`;
    checkValue(items, item, itemAt, add);
    if (items.object && add.object && isPlainObject(item)) add.object(items.object, item, itemAt);
  }
}

function hasType(type: ValueRule['type'], value: unknown): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    case 'unknown':
      return true;
    default:
      return typeof value === type;
  }
}

function expectedKind(type: ValueRule['type']): string {
  if (type === 'boolean') return 'a boolean (true or false)';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function checkEnum(rule: ValueRule, value: unknown, at: string, add: Add): void {
  if (rule.enumForbiddenOnWrite?.includes(value as string)) {
    add(at, forbiddenEnumMessage(value, allowedOnWrite(rule)));
  } else if (!rule.enum?.includes(value as string)) {
    const writable = allowedOnWrite(rule);
    const near = typeof value === 'string' && !add.full() && suggest(value, writable.map(String));
    add(at, `must be one of ${orList(writable)}${near ? ` (did you mean "${near}"?)` : ''}`);
  }
}

function checkString(rule: ValueRule, value: string, at: string, add: Add): void {
  const { minLength, maxLength } = rule;
  if (minLength !== undefined || maxLength !== undefined) {
    const length = characterCount(value);
    if (minLength !== undefined && length < minLength) {
      add(
        at,
        `must be at least ${minLength} character${minLength === 1 ? '' : 's'} (got ${length})`,
      );
    }
    if (maxLength !== undefined && length > maxLength) {
      add(at, `must be at most ${maxLength} characters (got ${length}); shorten it`);
    }
  }
  const format =
    rule.format !== undefined && Object.hasOwn(FORMATS, rule.format)
      ? FORMATS[rule.format]
      : undefined;
  if (format && !format[0].test(value)) add(at, `must be ${format[1]}`);
  // Over maxLength it is already wrong: a spec pattern is not run over an arbitrarily long value.
  const tooLong =
    maxLength !== undefined && value.length > maxLength && characterCount(value) > maxLength;
  if (rule.pattern !== undefined && !tooLong && !matches(rule.pattern, value)) {
    add(at, `must match the pattern /${rule.pattern}/`);
  }
}

function checkNumber(rule: ValueRule, value: number, at: string, add: Add): void {
  if (rule.minimum !== undefined && value < rule.minimum) add(at, `must be ≥ ${rule.minimum}`);
  if (rule.maximum !== undefined && value > rule.maximum) add(at, `must be ≤ ${rule.maximum}`);
}

/** Characters as JSON Schema counts them (code points); no allocation for BMP-only strings. */
function characterCount(value: string): number {
  return /[\uD800-\uDFFF]/.test(value) ? [...value].length : value.length;
}

const compiledPatterns = new Map<string, RegExp | null>();

function matches(pattern: string, value: string): boolean {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null; // a pattern this engine cannot compile is left to the server
    }
    compiledPatterns.set(pattern, regex);
  }
  return regex === null || regex.test(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`.replace(/a (?=[aeiou])/, 'an ');
}

/** Enum values a request may carry: the spec's enum minus the values it forbids on writes. */
export function allowedOnWrite(rule: ValueRule | undefined): readonly unknown[] {
  return (rule?.enum ?? []).filter((v) => !rule?.enumForbiddenOnWrite?.includes(v));
}

/** `UNKNOWN is deprecated and cannot be used when creating or updating; use EMAIL, DOMAIN or IP` */
export function forbiddenEnumMessage(value: unknown, allowed: readonly unknown[]): string {
  const use = allowed.length > 0 ? `; use ${orList(allowed)}` : '';
  return `${String(value)} is deprecated and cannot be used when creating or updating${use}`;
}

/** `EMAIL, DOMAIN or IP` */
export function orList(values: readonly unknown[]): string {
  return values.join(', ').replace(/, ([^,]*)$/, ' or $1');
}

/**
 * Percent-encodes one path parameter with encodeURIComponent, so `/`, `?`, `#` or `%` in an id stay
 * inside its segment. Throws a ValidationError for a missing or non-string value or a `.`/`..`
 * segment (which URL normalisation would resolve against the path).
 */
export function encodePathParam(name: string, value: unknown, context?: RequestContext): string {
  const at = `path.${name}`;
  const problem =
    value === undefined || value === null || value === ''
      ? `is required; pass it as ${at}`
      : typeof value !== 'string' && typeof value !== 'number'
        ? `must be a string (got ${kindOf(value)})`
        : value === '.' || value === '..'
          ? DOT_SEGMENT
          : undefined;
  if (problem) throw new ValidationError([{ at, message: problem }], context);
  return encodeURIComponent(String(value));
}

/** `/accounts/{account_id}/…` with every `{name}` replaced by its percent-encoded value. */
export function buildPath(
  template: string,
  params: Record<string, unknown>,
  context?: RequestContext,
): string {
  const parts = templateParts(template);
  let path = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    path += encodePathParam(name, value, context) + parts[i + 1];
  }
  return path;
}

const templates = new Map<string, readonly string[]>();

/** `/a/{x}/b` → `['/a/', 'x', '/b']`: parameter names at odd indexes; cached per template. */
function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = template.split(/\{([^}]+)\}/);
    templates.set(template, parts);
  }
  return parts;
}
