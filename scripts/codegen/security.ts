import type { SecurityAlternatives, SecuritySchemeMetadata } from '../../src/metadata.js';
import type { OperationContext } from './context.js';
import { CodegenError } from './errors.js';
import { deref, isRecord, type JsonObject } from './refs.js';

/** An operation's security requirements (its own, else the document's), as described schemes. */

/** Alternatives (any one suffices), each a list of schemes that are all required. */
export function planSecurity(ctx: OperationContext): SecurityAlternatives {
  const { doc, operation } = ctx;
  const requirements = Array.isArray(operation.security)
    ? operation.security
    : Array.isArray(doc.security)
      ? doc.security
      : [];
  const schemes = isRecord(doc.components?.securitySchemes) ? doc.components.securitySchemes : {};
  return requirements
    .filter(isRecord)
    .map((requirement) => Object.keys(requirement).map((name) => planScheme(ctx, schemes, name)));
}

function planScheme(
  ctx: OperationContext,
  schemes: JsonObject,
  name: string,
): SecuritySchemeMetadata {
  if (!(name in schemes)) {
    throw new CodegenError(
      `Security scheme "${name}" used by ${ctx.location.slice(1).join(' ').toUpperCase()} is not declared in components.securitySchemes.`,
      {
        hint: "Declare it in components.securitySchemes or fix the name in the operation's `security`.",
      },
    );
  }
  const { node } = deref(ctx.doc, schemes[name], ['components', 'securitySchemes', name]);
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
