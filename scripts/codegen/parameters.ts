import type { ParameterMetadata, ValueRule } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import { CodegenError } from './errors.js';
import { stringOrNull } from './json-values.js';
import { deref, type Location } from './refs.js';
import { valueRule } from './value-rules.js';

/** An operation's parameters: path-item and operation parameters merged, validated and ordered. */

/** What the JSDoc of a parameter needs. */
export interface ParameterDocPlan {
  readonly name: string;
  readonly in: ParameterMetadata['in'];
  readonly required: boolean;
  readonly description: string | null;
  readonly deprecated: boolean;
}

export interface PlannedParameter {
  readonly metadata: ParameterMetadata;
  readonly doc: ParameterDocPlan;
}

const PARAMETER_ORDER: readonly ParameterMetadata['in'][] = ['path', 'query', 'header', 'cookie'];

/**
 * The operation's parameters (an operation parameter overrides the path item's of the same
 * name and `in`), by `in` and then, for path parameters, in template order. Every `{name}` of
 * the path must be declared.
 */
export function planParameters(ctx: OperationContext): PlannedParameter[] {
  const byKey = new Map<string, PlannedParameter>();
  const sources: [unknown, Location][] = [
    [ctx.pathItem.parameters, ['paths', ctx.path, 'parameters']],
    [ctx.operation.parameters, [...ctx.location, 'parameters']],
  ];
  for (const [list, location] of sources) {
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      const parameter = planParameter(ctx, entry, [...location, index]);
      byKey.set(`${parameter.metadata.in}:${parameter.metadata.name}`, parameter);
    });
  }
  const templateOrder = pathTemplateNames(ctx.path);
  const parameters = [...byKey.values()].sort((a, b) => {
    const byIn = PARAMETER_ORDER.indexOf(a.metadata.in) - PARAMETER_ORDER.indexOf(b.metadata.in);
    if (byIn !== 0 || a.metadata.in !== 'path') return byIn;
    return templateOrder.indexOf(a.metadata.name) - templateOrder.indexOf(b.metadata.name);
  });
  assertPathParametersDeclared(ctx, parameters);
  return parameters;
}

function pathTemplateNames(path: string): (string | undefined)[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}

function planParameter(
  ctx: OperationContext,
  entry: unknown,
  location: Location,
): PlannedParameter {
  const { node } = deref(ctx.doc, entry, location);
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
      ? valueRule(ctx.doc, node.schema, [...location, 'schema'])
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
  ctx: OperationContext,
  parameters: readonly PlannedParameter[],
): void {
  for (const name of pathTemplateNames(ctx.path)) {
    if (!parameters.some((entry) => entry.metadata.in === 'path' && entry.metadata.name === name)) {
      throw new CodegenError(
        `Operation "${ctx.operationId}" (${ctx.method.toUpperCase()} ${ctx.path}) does not declare its path parameter "${name}".`,
        {
          hint: `Add a parameter { name: "${name}", in: "path", required: true } to the path item or the operation.`,
        },
      );
    }
  }
}
