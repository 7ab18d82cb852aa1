import type { OperationMetadata, RequestBodyMetadata } from '../../src/metadata.js';
import { operationContext } from './context.js';
import { type DeprecationIndex, indexOf } from './deprecation-walk.js';
import { operationDeprecations } from './deprecations.js';
import { CodegenError } from './errors.js';
import { compareText, stringList, stringOrNull } from './json-values.js';
import { functionNameFor, typeNameFor } from './names.js';
import {
  DEFAULT_OPERATION_ID_PREFIX,
  findOperation,
  type LocatedOperation,
  locateOperations,
} from './operations.js';
import { planPagination } from './pagination.js';
import { type ParameterDocPlan, planParameters } from './parameters.js';
import { type BodyPropertyPlan, omittedAsEmpty, planRequestBody } from './request-body.js';
import { assertUniqueResourceMethods, planResource } from './resources.js';
import { planSuccess } from './responses.js';
import { planSecurity } from './security.js';
import type { OpenApiDocument } from './validate.js';

export type { ParameterDocPlan } from './parameters.js';
export type { BodyPropertyPlan } from './request-body.js';

/**
 * The plan stage: each configured operationId → `OperationMetadata` and what the emitted types
 * need. It composes one step per OpenAPI concept (parameters.ts, security.ts, request-body.ts,
 * responses.ts, deprecations.ts), each reading one `OperationContext`.
 */

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

/**
 * Builds the plan for the configured operationIds (duplicates ignored). `deprecations`: what
 * walks of `doc` for deprecations have read (shared with `collectDeprecations`), else read anew.
 */
export function planOperations(
  doc: OpenApiDocument,
  operationIds: readonly string[],
  options: { operationIdPrefix?: string; deprecations?: DeprecationIndex } = {},
): GenerationPlan {
  const all = locateOperations(doc);
  const prefix = options.operationIdPrefix ?? DEFAULT_OPERATION_ID_PREFIX;
  const deprecations = indexOf(doc, options.deprecations);
  const plans = [...new Set(operationIds)].map((id) =>
    planOperation(doc, findOperation(all, id), prefix, deprecations),
  );
  assertUniqueNames(plans);
  const operations = plans.sort((a, b) =>
    compareText(a.metadata.functionName, b.metadata.functionName),
  );
  assertUniqueResourceMethods(operations.map((plan) => plan.metadata));
  return { operations, notes: [...new Set(operations.flatMap((plan) => plan.notes))] };
}

/** Per operation, the module-level names derived from its function name (generated/operations.ts). */
const DERIVED_VALUE_SUFFIXES = ['Metadata', 'Operation'] as const;

function assertUniqueNames(plans: readonly OperationPlan[]): void {
  const seen = new Map<string, string>();
  const derived = new Map<string, string>(
    plans.flatMap((plan) =>
      DERIVED_VALUE_SUFFIXES.map(
        (suffix) => [`${plan.metadata.functionName}${suffix}`, plan.metadata.operationId] as const,
      ),
    ),
  );
  for (const plan of plans) {
    const owner = derived.get(plan.metadata.functionName);
    if (owner) {
      throw new CodegenError(
        `The function name "${plan.metadata.functionName}" of "${plan.metadata.operationId}" is also a name generated for "${owner}".`,
        {
          hint: 'Wrap only one of them, or change operationIdPrefix in openapi/codegen.config.ts.',
        },
      );
    }
  }
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

function withOmittedAsEmpty(body: RequestBodyMetadata, method: string): RequestBodyMetadata {
  const arrays = omittedAsEmpty(body, method);
  return arrays.length > 0 ? { ...body, omittedAsEmpty: arrays } : body;
}

/** `{ [key]: value }`, or nothing when there is no value: the metadata has no `undefined` fields. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return value === null ? {} : ({ [key]: value } as { [P in K]?: V });
}

function planOperation(
  doc: OpenApiDocument,
  located: LocatedOperation,
  prefix: string,
  deprecations: DeprecationIndex,
): OperationPlan {
  const ctx = operationContext(doc, located);
  const { operation } = ctx;
  const functionName = functionNameFor(ctx.operationId, prefix);
  const parameters = planParameters(ctx);
  const body = planRequestBody(ctx);
  const success = planSuccess(ctx);
  const planned = planResource(
    {
      operationId: ctx.operationId,
      method: ctx.method,
      path: ctx.path,
      parameters: parameters.map((entry) => entry.metadata),
      requestBody: body,
    },
    prefix,
  );
  const metadata: OperationMetadata = {
    operationId: ctx.operationId,
    functionName: functionName.name,
    resource: planned.resource,
    method: ctx.method,
    path: ctx.path,
    summary: stringOrNull(operation.summary),
    description: stringOrNull(operation.description),
    tags: stringList(operation.tags),
    deprecated: operation.deprecated === true,
    security: planSecurity(ctx),
    permissionGroups: stringList(operation['x-api-token-group']),
    parameters: parameters.map((entry) => entry.metadata),
    requestBody: body ? withOmittedAsEmpty(body.metadata, planned.resource.method) : null,
    successStatus: success.status,
    responseContentType: success.contentType,
    resultRule: success.resultRule,
    deprecations: operationDeprecations(
      ctx,
      { request: body?.schema ?? null, response: success.schema },
      deprecations,
    ),
    ...optional('pagination', planPagination(ctx, parameters, success)),
    ...optional('resultArrays', success.resultArrays.length > 0 ? success.resultArrays : null),
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
