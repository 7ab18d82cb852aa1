import type {
  DeprecationMetadata,
  HttpMethod,
  OperationMetadata,
  ParameterMetadata,
  RequestBodyMetadata,
  SecurityAlternatives,
  SecuritySchemeMetadata,
  ValueRule,
} from '../../src/metadata.js';
import {
  compareDeprecations,
  dedupeFound,
  deprecatedEnumValues,
  deprecationKey,
  type FoundDeprecation,
  isForbiddenOnWrite,
  operationDeprecation,
  parameterDeprecations,
  parseDeprecationText,
  schemaDeprecations,
  toDeprecationMetadata,
} from './deprecations.js';
import { CodegenError } from './errors.js';
import { HTTP_METHODS } from './http-methods.js';
import { functionNameFor, typeNameFor } from './names.js';
import {
  deref,
  flattenSchema,
  isRecord,
  type JsonObject,
  type Location,
  schemaComponentName,
} from './refs.js';
import { assertUniqueResourceMethods, planResource } from './resources.js';
import type { OpenApiDocument } from './validate.js';

/**
 * The plan stage's output: everything the emit stage needs, as plain JSON-serialisable data
 * (no functions, no class instances), so it can be printed, diffed and tested with tables.
 */
export interface GenerationPlan {
  /** One entry per configured operation, sorted by `metadata.functionName`. */
  readonly operations: readonly OperationPlan[];
  /** Names the generator had to change to be valid and safe (reserved words, leading digits, …). */
  readonly notes: readonly string[];
}

/** One operation to wrap. */
export interface OperationPlan {
  /** Exactly what `generated/operations.ts` exports as `<functionName>Metadata`. */
  readonly metadata: OperationMetadata;
  /** PascalCase prefix of the emitted types, e.g. `UpdateAllowPolicy` (`UpdateAllowPolicyBody`, …). */
  readonly typeName: string;
  /** Parameter names of the resource method's signature, one per `metadata.resource.positional` entry. */
  readonly argumentNames: readonly string[];
  /** Names changed to be safe, for the generate summary. */
  readonly notes: readonly string[];
  /** Writable body properties, alphabetical, with what their JSDoc needs. Empty without a JSON object body. */
  readonly bodyProperties: readonly BodyPropertyPlan[];
  /** Whether the body is an object with declared properties (otherwise the body type is the schema type as is). */
  readonly bodyIsObject: boolean;
  /** Descriptions of parameters, by `in` then name, for JSDoc. */
  readonly parameterDocs: readonly ParameterDocPlan[];
  /** `result` when the success response wraps its payload in `{ result }` (the Cloudflare envelope), else null. */
  readonly resultProperty: string | null;
}

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

export interface ParameterDocPlan {
  readonly name: string;
  readonly in: ParameterMetadata['in'];
  readonly required: boolean;
  readonly description: string | null;
  readonly deprecated: boolean;
}

/** Removed from operationIds to name functions unless configured otherwise. */
export const DEFAULT_OPERATION_ID_PREFIX = 'email_security_';

/** An operation as found in the document. */
export interface LocatedOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathItem: JsonObject;
  readonly operation: JsonObject;
}

/** Every operation with an operationId, in document order. Duplicate operationIds are an error. */
export function listOperations(doc: OpenApiDocument): LocatedOperation[] {
  const found: LocatedOperation[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    if (!isRecord(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!isRecord(operation) || typeof operation.operationId !== 'string') continue;
      const duplicate = found.find((entry) => entry.operationId === operation.operationId);
      if (duplicate) {
        throw new CodegenError(
          `operationId "${operation.operationId}" is used twice: ${duplicate.method.toUpperCase()} ${duplicate.path} and ${method.toUpperCase()} ${path}.`,
          { hint: 'operationIds must be unique; fix the spec.' },
        );
      }
      found.push({ operationId: operation.operationId, method, path, pathItem, operation });
    }
  }
  return found;
}

/** Builds the plan for the configured operationIds (duplicates ignored). */
export function planOperations(
  doc: OpenApiDocument,
  operationIds: readonly string[],
  options: { operationIdPrefix?: string } = {},
): GenerationPlan {
  const all = listOperations(doc);
  const plans = [...new Set(operationIds)].map((id) => {
    const located = all.find((entry) => entry.operationId === id);
    if (!located) throw unknownOperation(id, all);
    return planOperation(doc, located, options.operationIdPrefix ?? DEFAULT_OPERATION_ID_PREFIX);
  });
  assertUniqueNames(plans);
  const operations = plans.sort((a, b) =>
    compareText(a.metadata.functionName, b.metadata.functionName),
  );
  assertUniqueResourceMethods(operations.map((plan) => plan.metadata));
  return { operations, notes: [...new Set(operations.flatMap((plan) => plan.notes))] };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertUniqueNames(plans: readonly OperationPlan[]): void {
  const seen = new Map<string, string>();
  for (const plan of plans) {
    const other = seen.get(plan.metadata.functionName);
    if (other) {
      throw new CodegenError(
        `operationIds "${other}" and "${plan.metadata.operationId}" both map to the function name "${plan.metadata.functionName}".`,
        {
          hint: 'Wrap only one of them, or change operationIdPrefix in openapi/codegen.config.ts.',
        },
      );
    }
    seen.set(plan.metadata.functionName, plan.metadata.operationId);
  }
}

function unknownOperation(id: string, all: readonly LocatedOperation[]): CodegenError {
  const nearest = nearestOperationIds(
    id,
    all.map((entry) => entry.operationId),
  );
  const suggestion = nearest.length
    ? ` Did you mean ${nearest.map((name) => `"${name}"`).join(', ')}?`
    : '';
  return new CodegenError(
    `The configured operationId "${id}" does not exist in the spec.${suggestion}`,
    {
      hint: 'Fix the `operations` list in openapi/codegen.config.ts (operationIds are case-sensitive).',
    },
  );
}

/** Up to three operationIds closest to `id` by edit distance (close enough to be a typo or a rename). */
export function nearestOperationIds(id: string, candidates: readonly string[]): string[] {
  const scored = candidates
    .map((candidate) => ({
      candidate,
      distance: editDistance(id.toLowerCase(), candidate.toLowerCase()),
    }))
    .sort((a, b) => a.distance - b.distance || compareText(a.candidate, b.candidate));
  const limit = Math.max(3, Math.ceil(id.length / 2));
  return scored
    .filter((entry) => entry.distance <= limit)
    .slice(0, 3)
    .map((entry) => entry.candidate);
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function planOperation(
  doc: OpenApiDocument,
  located: LocatedOperation,
  prefix: string,
): OperationPlan {
  const { operation, method, path } = located;
  const location: Location = ['paths', path, method];
  const functionName = functionNameFor(located.operationId, prefix);
  const parameters = resolveParameters(doc, located);
  assertPathParametersDeclared(located, parameters);
  const body = planRequestBody(doc, located);
  const success = findJsonSuccess(doc, located);
  const planned = planResource(
    {
      operationId: located.operationId,
      method,
      path,
      parameters: parameters.map((entry) => entry.metadata),
      requestBody: body,
    },
    prefix,
  );
  const metadata: OperationMetadata = {
    operationId: located.operationId,
    functionName: functionName.name,
    resource: planned.resource,
    method,
    path,
    summary: stringOrNull(operation.summary),
    description: stringOrNull(operation.description),
    tags: Array.isArray(operation.tags)
      ? operation.tags.filter((tag): tag is string => typeof tag === 'string')
      : [],
    deprecated: operation.deprecated === true,
    security: resolveSecurity(doc, operation, location),
    permissionGroups: stringList(operation['x-api-token-group']),
    parameters: parameters.map((entry) => entry.metadata),
    requestBody: body?.metadata ?? null,
    successStatus: success.status,
    responseContentType: success.contentType,
    deprecations: operationDeprecations(doc, located, body?.schemaNode ?? null, success),
  };
  return {
    metadata,
    typeName: typeNameFor(functionName.name),
    argumentNames: planned.argumentNames,
    notes: [functionName.note, ...planned.notes].filter((note): note is string => note !== null),
    bodyProperties: body?.properties ?? [],
    bodyIsObject: body?.isObject ?? false,
    parameterDocs: parameters.map((entry) => entry.doc),
    resultProperty: success.resultProperty,
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

// ---------------------------------------------------------------- value rules

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
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) {
    if (typeof schema[key] === 'number') rule[key] = schema[key] as number;
  }
  if (typeof schema.pattern === 'string') rule.pattern = schema.pattern;
  if (Array.isArray(schema.enum)) {
    rule.enum = schema.enum.filter(isEnumLiteral);
    const forbidden =
      forWrite && isForbiddenOnWrite(stringOrNull(schema.description) ?? '')
        ? deprecatedEnumValues(schema)
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

// ---------------------------------------------------------------- parameters

interface ResolvedParameter {
  readonly metadata: ParameterMetadata;
  readonly doc: ParameterDocPlan;
}

const PARAMETER_ORDER: readonly ParameterMetadata['in'][] = ['path', 'query', 'header', 'cookie'];

function resolveParameters(doc: OpenApiDocument, located: LocatedOperation): ResolvedParameter[] {
  const byKey = new Map<string, ResolvedParameter>();
  const sources: [unknown, Location][] = [
    [located.pathItem.parameters, ['paths', located.path, 'parameters']],
    [located.operation.parameters, ['paths', located.path, located.method, 'parameters']],
  ];
  for (const [list, location] of sources) {
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      const parameter = resolveParameter(doc, entry, [...location, index]);
      byKey.set(`${parameter.metadata.in}:${parameter.metadata.name}`, parameter);
    });
  }
  const templateOrder = [...located.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  return [...byKey.values()].sort((a, b) => {
    const byIn = PARAMETER_ORDER.indexOf(a.metadata.in) - PARAMETER_ORDER.indexOf(b.metadata.in);
    if (byIn !== 0 || a.metadata.in !== 'path') return byIn;
    return templateOrder.indexOf(a.metadata.name) - templateOrder.indexOf(b.metadata.name);
  });
}

function resolveParameter(
  doc: OpenApiDocument,
  entry: unknown,
  location: Location,
): ResolvedParameter {
  const { node } = deref(doc, entry, location);
  const where = PARAMETER_ORDER.find((value) => value === node.in);
  if (typeof node.name !== 'string' || !where) {
    throw new CodegenError(
      `Invalid parameter at ${location.join('/')}: it needs a \`name\` and \`in\` (path, query, header or cookie).`,
      {
        hint: 'Fix the parameter in the spec.',
      },
    );
  }
  const required = where === 'path' || node.required === true;
  const rule: ValueRule =
    node.schema !== undefined
      ? valueRule(doc, node.schema, [...location, 'schema'])
      : { type: 'unknown' };
  const deprecated = node.deprecated === true;
  return {
    metadata: { name: node.name, in: where, required, rule, deprecated },
    doc: {
      name: node.name,
      in: where,
      required,
      description: stringOrNull(node.description),
      deprecated,
    },
  };
}

function assertPathParametersDeclared(
  located: LocatedOperation,
  parameters: readonly ResolvedParameter[],
): void {
  for (const match of located.path.matchAll(/\{([^}]+)\}/g)) {
    const name = match[1];
    if (!parameters.some((entry) => entry.metadata.in === 'path' && entry.metadata.name === name)) {
      throw new CodegenError(
        `Operation "${located.operationId}" (${located.method.toUpperCase()} ${located.path}) does not declare its path parameter "${name}".`,
        {
          hint: `Add a parameter { name: "${name}", in: "path", required: true } to the path item or the operation.`,
        },
      );
    }
  }
}

// ---------------------------------------------------------------- security

function resolveSecurity(
  doc: OpenApiDocument,
  operation: JsonObject,
  location: Location,
): SecurityAlternatives {
  const requirements = Array.isArray(operation.security)
    ? operation.security
    : Array.isArray(doc.security)
      ? doc.security
      : [];
  const schemes = isRecord(doc.components?.securitySchemes) ? doc.components.securitySchemes : {};
  return requirements
    .filter(isRecord)
    .map((requirement) =>
      Object.keys(requirement).map((name) => resolveScheme(doc, schemes, name, location)),
    );
}

function resolveScheme(
  doc: OpenApiDocument,
  schemes: JsonObject,
  name: string,
  location: Location,
): SecuritySchemeMetadata {
  if (!(name in schemes)) {
    throw new CodegenError(
      `Security scheme "${name}" used by ${location.slice(1).join(' ').toUpperCase()} is not declared in components.securitySchemes.`,
      {
        hint: "Declare it in components.securitySchemes or fix the name in the operation's `security`.",
      },
    );
  }
  const { node } = deref(doc, schemes[name], ['components', 'securitySchemes', name]);
  if (node.type === 'http' && typeof node.scheme === 'string') {
    return { name, type: 'http', scheme: node.scheme.toLowerCase() };
  }
  if (
    node.type === 'apiKey' &&
    typeof node.name === 'string' &&
    (node.in === 'header' || node.in === 'query' || node.in === 'cookie')
  ) {
    return { name, type: 'apiKey', in: node.in, headerName: node.name };
  }
  throw new CodegenError(
    `Security scheme "${name}" has type "${String(node.type)}", which the generated metadata cannot describe.`,
    {
      hint: 'Only `http` (e.g. bearer) and `apiKey` schemes are supported; wrap operations that use them.',
    },
  );
}

// ---------------------------------------------------------------- request body

interface PlannedBody {
  readonly metadata: RequestBodyMetadata;
  readonly properties: BodyPropertyPlan[];
  readonly isObject: boolean;
  readonly schemaNode: { node: unknown; location: Location };
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

function pickJsonMedia(content: unknown): [string, JsonObject] | null {
  if (!isRecord(content)) return null;
  const entry = Object.entries(content).find(
    ([type, media]) => JSON_MEDIA.test(type) && isRecord(media),
  );
  return entry ? [entry[0], entry[1] as JsonObject] : null;
}

function planRequestBody(doc: OpenApiDocument, located: LocatedOperation): PlannedBody | null {
  if (located.operation.requestBody === undefined) return null;
  const location: Location = ['paths', located.path, located.method, 'requestBody'];
  const { node: requestBody } = deref(doc, located.operation.requestBody, location);
  const media = pickJsonMedia(requestBody.content);
  if (!media) {
    const types = isRecord(requestBody.content)
      ? Object.keys(requestBody.content).join(', ')
      : 'none';
    throw new CodegenError(
      `Operation "${located.operationId}" has a request body without a JSON content type (found: ${types}).`,
      {
        hint: 'Only JSON request bodies are supported; remove this operation from openapi/codegen.config.ts.',
      },
    );
  }
  const [contentType, mediaObject] = media;
  const schemaLocation: Location = [...location, 'content', contentType, 'schema'];
  const schemaNode = mediaObject.schema ?? {};
  const flat = flattenSchema(doc, schemaNode, schemaLocation);
  const declared = isRecord(flat.schema.properties) ? flat.schema.properties : {};
  const names = Object.keys(declared).sort(compareText);
  const readOnly = names.filter(
    (name) =>
      flattenSchema(doc, declared[name], [...schemaLocation, 'properties', name]).schema
        .readOnly === true,
  );
  const writable = names.filter((name) => !readOnly.includes(name));
  const specRequired = stringList(flat.schema.required);
  const requiredProperties = writable.filter((name) => specRequired.includes(name));
  const properties: Record<string, ValueRule> = {};
  for (const name of writable)
    properties[name] = valueRule(
      doc,
      declared[name],
      [...schemaLocation, 'properties', name],
      true,
    );
  const metadata: RequestBodyMetadata = {
    schema:
      isRecord(schemaNode) && typeof schemaNode.$ref === 'string'
        ? schemaComponentName(schemaNode.$ref)
        : null,
    contentType,
    required: requestBody.required === true,
    properties,
    requiredProperties,
    readOnlyProperties: readOnly,
    ...(typeof flat.schema.minProperties === 'number'
      ? { minProperties: flat.schema.minProperties }
      : {}),
    ...(typeof flat.schema.maxProperties === 'number'
      ? { maxProperties: flat.schema.maxProperties }
      : {}),
    // Strict unless the spec explicitly allows extra properties: a misspelled key is a mistake.
    additionalProperties:
      flat.schema.additionalProperties === true || isRecord(flat.schema.additionalProperties),
  };
  const bodyProperties = writable.map((name) =>
    bodyPropertyPlan(
      doc,
      name,
      declared[name],
      [...schemaLocation, 'properties', name],
      requiredProperties.includes(name),
      properties[name],
    ),
  );
  return {
    metadata,
    properties: bodyProperties,
    isObject: names.length > 0,
    schemaNode: { node: schemaNode, location: schemaLocation },
  };
}

function bodyPropertyPlan(
  doc: unknown,
  name: string,
  node: unknown,
  location: Location,
  required: boolean,
  rule: ValueRule | undefined,
): BodyPropertyPlan {
  const schema = flattenSchema(doc, node, location).schema;
  const description = stringOrNull(schema.description);
  const deprecation =
    schema.deprecated === true
      ? { ...parseDeprecationText(description ?? undefined), text: description ?? '' }
      : null;
  return {
    name,
    required,
    description,
    deprecation,
    forbiddenEnumValues: rule?.enumForbiddenOnWrite ?? [],
  };
}

// ---------------------------------------------------------------- responses

interface JsonSuccess {
  readonly status: string;
  readonly contentType: string;
  readonly resultProperty: string | null;
  readonly schemaNode: { node: unknown; location: Location } | null;
}

function successStatuses(responses: JsonObject): string[] {
  const exact = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  const ranges = Object.keys(responses).filter((code) => /^2xx$/i.test(code));
  return [...exact, ...ranges];
}

function findJsonSuccess(doc: OpenApiDocument, located: LocatedOperation): JsonSuccess {
  const responses = isRecord(located.operation.responses) ? located.operation.responses : {};
  for (const status of successStatuses(responses)) {
    const location: Location = ['paths', located.path, located.method, 'responses', status];
    const { node: response } = deref(doc, responses[status], location);
    const media = pickJsonMedia(response.content);
    if (!media) continue;
    const [contentType, mediaObject] = media;
    const schemaLocation: Location = [...location, 'content', contentType, 'schema'];
    const flat =
      mediaObject.schema === undefined
        ? null
        : flattenSchema(doc, mediaObject.schema, schemaLocation);
    const hasResult =
      flat !== null && isRecord(flat.schema.properties) && 'result' in flat.schema.properties;
    return {
      status,
      contentType,
      resultProperty: hasResult ? 'result' : null,
      schemaNode:
        mediaObject.schema === undefined
          ? null
          : { node: mediaObject.schema, location: schemaLocation },
    };
  }
  const declared = Object.keys(responses).join(', ') || 'none';
  throw new CodegenError(
    `Operation "${located.operationId}" (${located.method.toUpperCase()} ${located.path}) has no JSON success response (responses: ${declared}).`,
    {
      hint: 'The wrapper returns the parsed JSON result, so only operations with a 2xx application/json response can be wrapped; remove it from openapi/codegen.config.ts or fix the spec.',
    },
  );
}

// ---------------------------------------------------------------- deprecations

function operationDeprecations(
  doc: OpenApiDocument,
  located: LocatedOperation,
  requestSchema: { node: unknown; location: Location } | null,
  success: JsonSuccess,
): DeprecationMetadata[] {
  const base: Location = ['paths', located.path, located.method];
  const request: FoundDeprecation[] = [
    ...parameterDeprecations(doc, located.pathItem.parameters, [
      'paths',
      located.path,
      'parameters',
    ]),
    ...parameterDeprecations(doc, located.operation.parameters, [...base, 'parameters']),
    ...(requestSchema
      ? schemaDeprecations(doc, requestSchema.node, {
          location: requestSchema.location,
          skipReadOnly: true,
        })
      : []),
  ];
  const response = success.schemaNode
    ? schemaDeprecations(doc, success.schemaNode.node, { location: success.schemaNode.location })
    : [];
  const requestKeys = new Set(request.map(deprecationKey));
  const responseKeys = new Set(response.map(deprecationKey));
  const all = dedupeFound([
    ...(located.operation.deprecated === true
      ? [operationDeprecation(located.operation, base)]
      : []),
    ...request,
    ...response,
  ]);
  return all.sort(compareDeprecations).map((item) => {
    const key = deprecationKey(item);
    const appliesTo =
      item.kind === 'operation' || (requestKeys.has(key) && responseKeys.has(key))
        ? 'both'
        : requestKeys.has(key)
          ? 'request'
          : 'response';
    return toDeprecationMetadata(item, appliesTo);
  });
}
