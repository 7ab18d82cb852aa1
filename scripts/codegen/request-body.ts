import type { RequestBodyMetadata, ValueRule } from '../../src/metadata.js';
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
  const flat = flattenSchema(ctx.doc, schema.node, schema.location).schema;
  const declared = declaredProperties(ctx, flat, schema.location);
  const readOnly = declared.filter((property) => property.schema.readOnly === true);
  const writable = declared.filter((property) => property.schema.readOnly !== true);
  const specRequired = stringList(flat.required);
  const required = writable
    .map((property) => property.name)
    .filter((name) => specRequired.includes(name));
  const rules: Record<string, ValueRule> = {};
  for (const property of writable)
    rules[property.name] = valueRule(ctx.doc, property.node, property.location, true);
  const metadata: RequestBodyMetadata = {
    schema:
      isRecord(schema.node) && typeof schema.node.$ref === 'string'
        ? schemaComponentName(schema.node.$ref)
        : null,
    contentType,
    required: requestBody.required === true,
    properties: rules,
    requiredProperties: required,
    readOnlyProperties: readOnly.map((property) => property.name),
    ...(typeof flat.minProperties === 'number' ? { minProperties: flat.minProperties } : {}),
    ...(typeof flat.maxProperties === 'number' ? { maxProperties: flat.maxProperties } : {}),
    // Strict unless the spec explicitly allows extra properties: a misspelled key is a mistake.
    additionalProperties: flat.additionalProperties === true || isRecord(flat.additionalProperties),
  };
  return {
    metadata,
    properties: writable.map((property) =>
      bodyPropertyPlan(property, required.includes(property.name), rules[property.name]),
    ),
    isObject: declared.length > 0,
    schema,
  };
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
  ctx: OperationContext,
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
        schema: flattenSchema(ctx.doc, node, propertyLocation).schema,
      };
    });
}

function bodyPropertyPlan(
  property: DeclaredProperty,
  required: boolean,
  rule: ValueRule | undefined,
): BodyPropertyPlan {
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
