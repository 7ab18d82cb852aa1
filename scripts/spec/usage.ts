import { isRecord, refTokens, resolveRef } from '../codegen/refs.js';
import { arrayAt, listOperations } from './operations.js';
import type { JsonValue } from './report.js';

/** Whether a component is sent by callers (`request`), returned to them (`response`), or both. */
export type UsageContext = 'request' | 'response';

/** `section/name` of a component → the contexts it is used in. Unused components are absent. */
export type ComponentUsage = ReadonlyMap<string, ReadonlySet<UsageContext>>;

export function componentKey(section: string, name: string): string {
  return `${section}/${name}`;
}

/**
 * Where each component is used: parameters and request bodies are `request`, responses are
 * `response`, following `$ref`s transitively. A `readOnly` subtree is not followed on the request
 * side (read-only properties are response-only) and a `writeOnly` one not on the response side,
 * so e.g. a schema only reachable through read-only `id` properties is response-only.
 */
export function componentUsage(document: JsonValue): ComponentUsage {
  const usage = new Map<string, Set<UsageContext>>();
  for (const { operation, pathItem } of listOperations(document)) {
    const parameters = [...arrayAt(pathItem, 'parameters'), ...arrayAt(operation, 'parameters')];
    markUsage(document, parameters, 'request', usage);
    if (operation.requestBody !== undefined) {
      markUsage(document, operation.requestBody, 'request', usage);
    }
    if (operation.responses !== undefined)
      markUsage(document, operation.responses, 'response', usage);
  }
  return usage;
}

function markUsage(
  document: JsonValue,
  start: unknown,
  context: UsageContext,
  usage: Map<string, Set<UsageContext>>,
): void {
  const stack: unknown[] = [start];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!isRecord(node) || isHiddenIn(node, context)) continue;
    if (typeof node.$ref === 'string') {
      const key = refComponentKey(node.$ref);
      const contexts = key === null ? undefined : (usage.get(key) ?? new Set<UsageContext>());
      if (key !== null && contexts !== undefined && !contexts.has(context)) {
        contexts.add(context);
        usage.set(key, contexts);
        stack.push(resolveRef(document, node.$ref));
      }
      continue;
    }
    for (const value of Object.values(node)) if (typeof value === 'object') stack.push(value);
  }
}

function isHiddenIn(node: Record<string, unknown>, context: UsageContext): boolean {
  return context === 'request' ? node.readOnly === true : node.writeOnly === true;
}

function refComponentKey(ref: string): string | null {
  const [root, section, name] = ref.startsWith('#') ? refTokens(ref) : [];
  return root === 'components' && section && name ? componentKey(section, name) : null;
}
