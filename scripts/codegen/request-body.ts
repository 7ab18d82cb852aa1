import type { ObjectRule, RequestBodyMetadata, ValueRule } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import { deprecationRules, isMarkedDeprecated } from './deprecation-markers.js';
import { CodegenError } from './errors.js';
import { compareText, stringList, stringOrNull } from './json-values.js';
import { pickJsonMedia } from './media-types.js';
import {
  deref,
  flattenSchema,
  isRecord,
  type JsonObject,
  type Location,
  type SchemaAt,
  schemaComponentName,
} from './refs.js';
import { valueRule } from './value-rules.js';

/**
 * An operation's JSON request body: the rules `src/` validates against (read-only properties
 * split off, `allOf` resolved, enum values forbidden on write) and what the emitted types need.
 */

/** A writable property of the request body. */
export interface BodyPropertyPlan {
  readonly name: string;
  readonly required: boolean;
  readonly description: string | null;
  /** Set when the property is `deprecated: true`; the JSDoc gets an `@deprecated` tag from it. */
  readonly deprecation: {
    readonly replacement: string | null;
    readonly deprecatedSince: string | null;
    readonly endOfLife: string | null;
    readonly text: string;
  } | null;
  /** Enum values the spec forbids in requests; removed from the property's TypeScript type. */
  readonly forbiddenEnumValues: readonly (string | number | boolean | null)[];
  /**
   * For an array of objects: item properties that a shared schema marks read-only but the item
   * makes writable (a batch patch's `id`). openapi-typescript's `Writable<>` removes them, so the
   * emitted item type puts them back from the item's rule.
   */
  readonly restoredItemProperties: readonly string[];
}

export interface PlannedBody {
  readonly metadata: RequestBodyMetadata;
  readonly properties: BodyPropertyPlan[];
  /** Whether the body is an object with declared properties. */
  readonly isObject: boolean;
  readonly schema: SchemaAt;
}

/** A property declared by the body schema (after `allOf`), with its own schema flattened. */
interface DeclaredProperty {
  readonly name: string;
  readonly node: unknown;
  readonly location: Location;
  readonly schema: JsonObject;
}

/** The plan of the operation's request body, or null when it has none. Only JSON bodies are supported. */
export function planRequestBody(ctx: OperationContext): PlannedBody | null {
  if (ctx.operation.requestBody === undefined) return null;
  const location: Location = [...ctx.location, 'requestBody'];
  const { node: requestBody } = deref(ctx.doc, ctx.operation.requestBody, location);
  const media = pickJsonMedia(requestBody.content);
  if (!media) throw noJsonContent(ctx, requestBody);
  const [contentType, mediaObject] = media;
  const schema: SchemaAt = {
    node: mediaObject.schema ?? {},
    location: [...location, 'content', contentType, 'schema'],
  };
  const shape = objectShape(ctx.doc, schema.node, schema.location, true);
  const metadata: RequestBodyMetadata = {
    schema:
      isRecord(schema.node) && typeof schema.node.$ref === 'string'
        ? schemaComponentName(schema.node.$ref)
        : null,
    contentType,
    required: requestBody.required === true,
    ...shape.rule,
  };
  return {
    metadata,
    properties: shape.writable.map((property) => ({
      ...bodyPropertyPlan(
        property,
        shape.rule.requiredProperties.includes(property.name),
        shape.rule.properties[property.name],
      ),
      restoredItemProperties: restoredItemProperties(
        ctx.doc,
        property,
        shape.rule.properties[property.name],
      ),
    })),
    isObject: shape.declared > 0,
    schema,
  };
}

/**
 * An object schema as an `ObjectRule`: writable properties with their rules, required and
 * read-only ones. `withItems`: the items of its array properties are described too, one level
 * down (a batch body's `patches`…), so that validation and migration reach inside every item.
 */
function objectShape(
  doc: unknown,
  node: unknown,
  location: Location,
  withItems: boolean,
): { rule: ObjectRule; writable: DeclaredProperty[]; declared: number } {
  const flat = flattenSchema(doc, node, location).schema;
  const declared = declaredProperties(doc, flat, location);
  const readOnly = declared.filter((property) => property.schema.readOnly === true);
  const writable = declared.filter((property) => property.schema.readOnly !== true);
  const specRequired = stringList(flat.required);
  const required = writable
    .map((property) => property.name)
    .filter((name) => specRequired.includes(name));
  const rules: Record<string, ValueRule> = {};
  for (const property of writable) {
    const rule = valueRule(doc, property.node, property.location, true);
    rules[property.name] = withItems ? withItemObject(doc, property, rule) : rule;
  }
  const rule: ObjectRule = {
    properties: rules,
    requiredProperties: required,
    readOnlyProperties: readOnly.map((property) => property.name),
    ...(typeof flat.minProperties === 'number' ? { minProperties: flat.minProperties } : {}),
    ...(typeof flat.maxProperties === 'number' ? { maxProperties: flat.maxProperties } : {}),
    // Strict unless the spec explicitly allows extra properties: a misspelled key is a mistake.
    additionalProperties: flat.additionalProperties === true || isRecord(flat.additionalProperties),
  };
  return { rule, writable, declared: declared.length };
}

/** An array property's rule with its items' object properties, when they declare any. */
function withItemObject(doc: unknown, property: DeclaredProperty, rule: ValueRule): ValueRule {
  const items = property.schema.items;
  if (rule.type !== 'array' || !rule.items || items === undefined) return rule;
  const itemsLocation: Location = [...property.location, 'items'];
  const shape = objectShape(doc, items, itemsLocation, false);
  if (shape.declared === 0) return rule;
  return { ...rule, items: { ...rule.items, object: shape.rule } };
}

/** Writable properties of an array property's items that one of the items' `allOf` members marks read-only. */
function restoredItemProperties(
  doc: unknown,
  property: DeclaredProperty,
  rule: ValueRule | undefined,
): string[] {
  const item = rule?.items?.object;
  const items = property.schema.items;
  if (!item || items === undefined) return [];
  const location: Location = [...property.location, 'items'];
  const { node } = deref(doc, items, location);
  const members = Array.isArray(node.allOf) ? node.allOf : [];
  const readOnlyIn = (member: unknown, index: number, name: string): boolean => {
    const at: Location = [...location, 'allOf', index];
    const flat = flattenSchema(doc, member, at).schema;
    const declared = isRecord(flat.properties) ? flat.properties[name] : undefined;
    if (declared === undefined) return false;
    return flattenSchema(doc, declared, [...at, 'properties', name]).schema.readOnly === true;
  };
  return Object.keys(item.properties).filter((name) =>
    members.some((member, index) => readOnlyIn(member, index, name)),
  );
}

/**
 * The arrays a batch operation (resource method `batch`) requires: the client sends each as `[]`
 * when the caller leaves it out, as the endpoint asks for unused operations.
 */
export function omittedAsEmpty(body: RequestBodyMetadata, method: string | undefined): string[] {
  if (method !== 'batch') return [];
  return body.requiredProperties.filter((name) => body.properties[name]?.type === 'array');
}

function noJsonContent(ctx: OperationContext, requestBody: JsonObject): CodegenError {
  const types = isRecord(requestBody.content)
    ? Object.keys(requestBody.content).join(', ')
    : 'none';
  return new CodegenError(
    `Operation "${ctx.operationId}" has a request body without a JSON content type (found: ${types}).`,
    {
      hint: 'Only JSON request bodies are supported; remove this operation from openapi/codegen.config.ts.',
    },
  );
}

function declaredProperties(
  doc: unknown,
  flat: JsonObject,
  location: Location,
): DeclaredProperty[] {
  const properties = isRecord(flat.properties) ? flat.properties : {};
  return Object.keys(properties)
    .sort(compareText)
    .map((name) => {
      const propertyLocation: Location = [...location, 'properties', name];
      const node = properties[name];
      return {
        name,
        node,
        location: propertyLocation,
        schema: flattenSchema(doc, node, propertyLocation).schema,
      };
    });
}

function bodyPropertyPlan(
  property: DeclaredProperty,
  required: boolean,
  rule: ValueRule | undefined,
): Omit<BodyPropertyPlan, 'restoredItemProperties'> {
  const description = stringOrNull(property.schema.description);
  let deprecation: BodyPropertyPlan['deprecation'] = null;
  if (isMarkedDeprecated(property.schema)) {
    const { replacement, deprecatedSince, endOfLife } = deprecationRules(property.schema);
    deprecation = { replacement, deprecatedSince, endOfLife, text: description ?? '' };
  }
  return {
    name: property.name,
    required,
    description,
    deprecation,
    forbiddenEnumValues: rule?.enumForbiddenOnWrite ?? [],
  };
}
