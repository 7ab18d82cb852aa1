import {
  deprecationRules,
  deprecationTextOf,
  enumDeprecations,
  isMarkedDeprecated,
} from './deprecation-markers.js';
import {
  deprecatedEnumValues,
  plainText,
  unreadableEnumValues,
  unreadableRules,
} from './deprecation-text.js';
import { CodegenError } from './errors.js';
import { formatLocation, isRecord, type Location } from './refs.js';

/** A deprecation whose text announces a rule the reader could not read. */
export interface UnreadableRule {
  /** Where: `components.schemas["email-security_PatternType"]`. */
  readonly location: string;
  /** What could not be read: `end of life`, `whether it may be sent`, `replacement`, `whether "X" is deprecated`. */
  readonly missing: readonly string[];
  readonly text: string;
}

/** Keys whose values are data or names, not schemas: never searched. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-examples']);

/**
 * Every schema or parameter whose text says "deprecated" (or announces an end of life, a
 * replacement, a write restriction) where the reader cannot read the rule: a safety rule the
 * generator would otherwise drop without a word.
 */
export function findUnreadableDeprecations(document: unknown): UnreadableRule[] {
  const found: UnreadableRule[] = [];
  const stack: Visit[] = [{ node: document, parent: null, key: null }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { node } = visit;
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        if (typeof child === 'object' && child !== null)
          stack.push({ node: child, parent: visit, key: index });
      });
      continue;
    }
    if (!isRecord(node)) continue;
    // Operations only warn when deprecated: their prose sets no rule the client enforces.
    const isOperation = typeof node.operationId === 'string' || isRecord(node.responses);
    if (!isOperation) found.push(...unreadableIn(node, visit));
    for (const [key, child] of Object.entries(node)) {
      if (!DATA_KEYS.has(key) && typeof child === 'object' && child !== null)
        stack.push({ node: child, parent: visit, key });
    }
  }
  return found.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
}

/** A node on the way, with the way there (its location is only built for a node with a finding). */
interface Visit {
  readonly node: unknown;
  readonly parent: Visit | null;
  readonly key: string | number | null;
}

function locationOf(visit: Visit): Location {
  const location: (string | number)[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) location.unshift(at.key);
  return location;
}

function unreadableIn(node: Record<string, unknown>, visit: Visit): UnreadableRule[] {
  const found: UnreadableRule[] = [];
  const marked = isMarkedDeprecated(node);
  if (!marked && !Array.isArray(node.enum)) return found;
  let formatted: string | undefined;
  const where = () => (formatted ??= formatLocation(locationOf(visit)));
  if (marked) {
    const text = deprecationTextOf(node);
    const missing = unreadableRules(text, deprecationRules(node, text));
    if (missing.length > 0) found.push({ location: where(), missing, text });
  }
  if (Array.isArray(node.enum)) {
    const description = typeof node.description === 'string' ? node.description : undefined;
    const deprecated = enumDeprecations(node);
    const values = deprecated.map((entry) => entry.value);
    const unread = unreadableEnumValues(description, node.enum, [
      ...values,
      ...deprecatedEnumValues(description, node.enum),
    ]);
    if (unread.length > 0) {
      found.push({
        location: where(),
        missing: unread.map((value) => `whether ${JSON.stringify(value)} is deprecated`),
        text: description ?? '',
      });
    }
    for (const entry of deprecated) {
      const missing = unreadableRules(entry.text, entry.rules);
      if (missing.length > 0) {
        found.push({
          location: `${where()} value ${JSON.stringify(entry.value)}`,
          missing,
          text: entry.text,
        });
      }
    }
  }
  return found;
}

/** One line per problem, for error messages and reports. */
export function describeUnreadable(rule: UnreadableRule): string {
  const text = plainText(rule.text);
  const quoted = text.length > 200 ? `${text.slice(0, 197)}...` : text;
  return `${rule.location}: cannot read ${rule.missing.join(', ')} from "${quoted}"`;
}

/**
 * Refuses a document with a deprecation rule the reader cannot read: generating from it would
 * silently drop the rule (the client would send what the API no longer accepts).
 */
export function assertDeprecationsReadable(document: unknown, file: string): void {
  const unreadable = findUnreadableDeprecations(document);
  if (unreadable.length === 0) return;
  const shown = unreadable.slice(0, 5).map(describeUnreadable);
  const more =
    unreadable.length > shown.length ? ` (and ${unreadable.length - shown.length} more)` : '';
  throw new CodegenError(
    `"${file}" states deprecation rules the generator cannot read, so it refuses to generate rather than drop them: ${shown.join('; ')}${more}. Nothing was written.`,
    {
      hint: 'Reword the text ("Deprecated as of <date>. Use `<field>` instead. End of life: <date>.", "<VALUE> is deprecated and cannot be used when creating or updating"), or state the rule in structure (deprecated: true, x-sunset, x-replaced-by, x-enum-deprecated).',
    },
  );
}
