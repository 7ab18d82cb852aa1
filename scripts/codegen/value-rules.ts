import type { ValueRule } from '../../src/metadata.js';
import { enumDeprecations } from './deprecation-markers.js';
import { flattenSchema, isRecord, type JsonObject, type Location } from './refs.js';

/** A schema as the validation rule of one value (`ValueRule`): type, format, limits, enum. */

const RULE_TYPES = new Set<ValueRule['type']>([
  'string',
  'boolean',
  'integer',
  'number',
  'array',
  'object',
]);

/** Validation rule of one value, after `$ref`/`allOf` resolution. `forWrite` adds `enumForbiddenOnWrite`. */
export function valueRule(
  doc: unknown,
  node: unknown,
  location: Location,
  forWrite = false,
): ValueRule {
  const schema = flattenSchema(doc, node, location).schema;
  const { type, nullable } = ruleType(schema);
  const rule: { -readonly [K in keyof ValueRule]: ValueRule[K] } = { type };
  if (nullable) rule.nullable = true;
  if (typeof schema.format === 'string') rule.format = schema.format;
  for (const key of [
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
  ] as const) {
    if (typeof schema[key] === 'number') rule[key] = schema[key] as number;
  }
  if (typeof schema.pattern === 'string') rule.pattern = schema.pattern;
  if (Array.isArray(schema.enum)) {
    rule.enum = schema.enum.filter(isEnumLiteral);
    const forbidden = forWrite
      ? enumDeprecations(schema)
          .filter((entry) => entry.rules.forbiddenOnWrite)
          .map((entry) => entry.value)
      : [];
    if (forbidden.length > 0) rule.enumForbiddenOnWrite = forbidden;
  }
  if (type === 'array' && schema.items !== undefined)
    rule.items = valueRule(doc, schema.items, [...location, 'items'], forWrite);
  return rule;
}

function isEnumLiteral(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function ruleType(schema: JsonObject): { type: ValueRule['type']; nullable: boolean } {
  const declared = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = schema.nullable === true || declared.includes('null');
  const named = declared.find(
    (entry): entry is ValueRule['type'] =>
      typeof entry === 'string' && RULE_TYPES.has(entry as ValueRule['type']),
  );
  if (named) return { type: named, nullable };
  if (Array.isArray(schema.enum)) {
    const kinds = new Set(
      schema.enum.filter((value) => value !== null).map((value) => typeof value),
    );
    if (kinds.size === 1) {
      const [kind] = kinds;
      if (kind === 'string' || kind === 'boolean' || kind === 'number')
        return { type: kind, nullable };
    }
  }
  if (isRecord(schema.properties)) return { type: 'object', nullable };
  if (schema.items !== undefined) return { type: 'array', nullable };
  return { type: 'unknown', nullable };
}
