import type { ValueRule } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import { CodegenError } from './errors.js';
import { pickJsonMedia } from './media-types.js';
import {
  deref,
  flattenSchema,
  isRecord,
  type JsonObject,
  type Location,
  type SchemaAt,
} from './refs.js';
import { valueRule } from './value-rules.js';

/** An operation's success response: the first 2xx with a JSON body, and whether it is an envelope. */

export interface PlannedSuccess {
  readonly status: string;
  readonly contentType: string;
  /** `result` when the payload is wrapped in `{ result }` (the Cloudflare envelope), else null. */
  readonly resultProperty: string | null;
  /** The envelope's `result` as a value rule (its type, whether it may be null), when enveloped. */
  readonly resultRule: ValueRule | null;
  /** Properties of an object `result` that are arrays of objects (a batch's `patches`…). */
  readonly resultArrays: readonly string[];
  readonly schema: SchemaAt | null;
}

/** Exact 2xx codes in order, then `2XX` ranges. */
function successStatuses(responses: JsonObject): string[] {
  const exact = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  const ranges = Object.keys(responses).filter((code) => /^2xx$/i.test(code));
  return [...exact, ...ranges];
}

/** The first success response with a JSON body; an operation without one cannot be wrapped. */
export function planSuccess(ctx: OperationContext): PlannedSuccess {
  const responses = isRecord(ctx.operation.responses) ? ctx.operation.responses : {};
  for (const status of successStatuses(responses)) {
    const location: Location = [...ctx.location, 'responses', status];
    const { node: response } = deref(ctx.doc, responses[status], location);
    const media = pickJsonMedia(response.content);
    if (!media) continue;
    const [contentType, mediaObject] = media;
    const schema: SchemaAt | null =
      mediaObject.schema === undefined
        ? null
        : { node: mediaObject.schema, location: [...location, 'content', contentType, 'schema'] };
    const flat = schema && flattenSchema(ctx.doc, schema.node, schema.location).schema;
    const hasResult = flat !== null && isRecord(flat.properties) && 'result' in flat.properties;
    const resultRule =
      hasResult && schema
        ? valueRule(ctx.doc, (flat.properties as JsonObject).result, [
            ...schema.location,
            'properties',
            'result',
          ])
        : null;
    const resultArrays =
      resultRule?.type === 'object' && schema && flat
        ? arraysOfObjects(ctx.doc, (flat.properties as JsonObject).result, [
            ...schema.location,
            'properties',
            'result',
          ])
        : [];
    return {
      status,
      contentType,
      resultProperty: hasResult ? 'result' : null,
      resultRule,
      resultArrays,
      schema,
    };
  }
  const declared = Object.keys(responses).join(', ') || 'none';
  throw new CodegenError(
    `Operation "${ctx.operationId}" (${ctx.method.toUpperCase()} ${ctx.path}) has no JSON success response (responses: ${declared}).`,
    {
      hint: 'The wrapper returns the parsed JSON result, so only operations with a 2xx application/json response can be wrapped; remove it from openapi/codegen.config.ts or fix the spec.',
    },
  );
}

/** The properties of an object schema whose values are arrays of objects, sorted. */
function arraysOfObjects(doc: unknown, node: unknown, location: Location): string[] {
  const flat = flattenSchema(doc, node, location).schema;
  const properties = isRecord(flat.properties) ? flat.properties : {};
  return Object.keys(properties)
    .filter((name) => {
      const rule = valueRule(doc, properties[name], [...location, 'properties', name]);
      return rule.type === 'array' && rule.items?.type === 'object';
    })
    .sort();
}
