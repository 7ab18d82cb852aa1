/**
 * A valid call input for any operation, built from its generated metadata alone (parameter
 * rules, request-body rules), so a test can call every operation of a spec without knowing
 * any of them: each required path parameter and body property gets the simplest value its rule
 * allows (a UUID for `format: uuid`, the first writable enum value, `minimum`, `minLength`
 * characters; an array of described objects (a batch's `patches`…) gets one such item, other
 * arrays `[]`); optional ones are left out unless `minProperties` needs one.
 */
import type { ObjectRule, OperationMetadata, ValueRule } from '../../src/metadata.js';

/** Path parameters the client fills itself. */
const FILLED_BY_CLIENT = new Set(['account_id']);
const EXAMPLE_UUID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';

export interface ExampleInput {
  readonly path?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: Record<string, unknown>;
}

export function exampleValue(
  rule: ValueRule,
  name = 'value',
  deprecated: ReadonlySet<string | null> = new Set(),
): unknown {
  const allowed = rule.enum?.filter((value) => !rule.enumForbiddenOnWrite?.includes(value));
  if (allowed && allowed.length > 0) return allowed[0];
  switch (rule.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return rule.minimum ?? 1;
    case 'array':
      return rule.items?.object ? [exampleObject(rule.items.object, deprecated)] : [];
    case 'object':
      return {};
    case 'string':
      return exampleString(rule, name);
    default:
      return 'example';
  }
}

function exampleString(rule: ValueRule, name: string): string {
  if (rule.format === 'uuid') return EXAMPLE_UUID;
  if (rule.format === 'email') return 'secops@example.com';
  if (rule.format === 'date-time') return '2026-11-26T00:00:00Z';
  const base = `${name.replace(/[^a-z0-9]/gi, '')}-example`;
  const length = Math.max(rule.minLength ?? 1, 1);
  const text = base.length >= length ? base : base.padEnd(length, 'x');
  return rule.maxLength !== undefined ? text.slice(0, rule.maxLength) : text;
}

export function exampleInput(metadata: OperationMetadata): ExampleInput {
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const parameter of metadata.parameters) {
    if (!parameter.required || FILLED_BY_CLIENT.has(parameter.name)) continue;
    const value = exampleValue(parameter.rule, parameter.name);
    if (parameter.in === 'path') path[parameter.name] = value;
    if (parameter.in === 'query') query[parameter.name] = value;
  }
  const input: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    body?: Record<string, unknown>;
  } = {};
  if (Object.keys(path).length > 0) input.path = path;
  if (Object.keys(query).length > 0) input.query = query;
  const body = metadata.requestBody;
  if (body) {
    input.body = exampleObject(body, new Set(metadata.deprecations.map((d) => d.field)));
  }
  return input;
}

/** The required properties of an object rule, plus non-deprecated optional ones up to `minProperties`. */
function exampleObject(
  rule: ObjectRule,
  deprecated: ReadonlySet<string | null>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of rule.requiredProperties) {
    const property = rule.properties[name];
    if (property) values[name] = exampleValue(property, name, deprecated);
  }
  const optional = Object.keys(rule.properties).filter((name) => !(name in values));
  for (const name of optional) {
    if (Object.keys(values).length >= (rule.minProperties ?? 0)) break;
    const property = rule.properties[name];
    if (property && !deprecated.has(name)) values[name] = exampleValue(property, name, deprecated);
  }
  return values;
}
