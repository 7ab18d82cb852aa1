import {
  type DeprecationText,
  deprecatedEnumValues,
  enumValueLines,
  parseLeadingDate,
  readDeprecationText,
  saysDeprecated,
} from './deprecation-text.js';
import { isRecord, type JsonObject } from './refs.js';

/**
 * Deprecations from structure first: `deprecated: true`, `x-deprecated`,
 * `x-stainless-deprecation-message`, dated extensions (`x-deprecation-date`, `x-sunset`, …),
 * a replacement extension (`x-replaced-by`, …) and enum lists (`x-enum-deprecated`, …). Prose
 * (deprecation-text.ts) only fills in what the structure lacks.
 */

const MESSAGE_KEYS = [
  'x-stainless-deprecation-message',
  'x-deprecation-message',
  'x-deprecated-message',
];
const SINCE_KEYS = [
  'x-deprecation-date',
  'x-deprecated-since',
  'x-deprecated-at',
  'x-deprecated-on',
];
const END_OF_LIFE_KEYS = [
  'x-sunset',
  'x-sunset-date',
  'x-end-of-life',
  'x-eol',
  'x-removal-date',
  'x-removed-on',
];
const REPLACEMENT_KEYS = [
  'x-replaced-by',
  'x-replacement',
  'x-deprecated-replacement',
  'x-use-instead',
];
const ENUM_LIST_KEYS = [
  'x-enum-deprecated',
  'x-deprecated-enum',
  'x-deprecated-enum-values',
  'x-enum-deprecated-values',
  'x-deprecated-values',
];

function firstString(node: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = node[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** Whether structure marks the node deprecated (the standard flag or a vendor extension). */
export function isMarkedDeprecated(node: JsonObject): boolean {
  return (
    node.deprecated === true ||
    node['x-deprecated'] === true ||
    firstString(node, MESSAGE_KEYS) !== null ||
    firstString(node, END_OF_LIFE_KEYS) !== null ||
    firstString(node, SINCE_KEYS) !== null
  );
}

/** The text to read a deprecation from: the description and any deprecation message. */
export function deprecationTextOf(node: JsonObject): string {
  const parts = [
    typeof node.description === 'string' ? node.description : '',
    firstString(node, MESSAGE_KEYS) ?? '',
  ].filter((part) => part.trim() !== '');
  return [...new Set(parts)].join('\n\n');
}

/** Rules of a deprecated node: structure first, then what its text says. */
export function deprecationRules(
  node: JsonObject,
  text = deprecationTextOf(node),
): DeprecationText {
  const prose = readDeprecationText(text);
  const date = (keys: readonly string[]) => {
    const value = firstString(node, keys);
    return value === null ? null : parseLeadingDate(value);
  };
  const replacement = firstString(node, REPLACEMENT_KEYS)?.replace(/^`|`$/g, '') ?? null;
  return {
    replacement: replacement ?? prose.replacement,
    deprecatedSince: date(SINCE_KEYS) ?? prose.deprecatedSince,
    endOfLife: date(END_OF_LIFE_KEYS) ?? prose.endOfLife,
    forbiddenOnWrite: node['x-write-forbidden'] === true || prose.forbiddenOnWrite,
  };
}

/** Enum values a vendor extension lists as deprecated (`x-enum-deprecated: [UNKNOWN]`). */
export function markedDeprecatedEnumValues(node: JsonObject): (string | number)[] {
  if (!Array.isArray(node.enum)) return [];
  for (const key of ENUM_LIST_KEYS) {
    const listed = node[key];
    if (Array.isArray(listed)) {
      return node.enum.filter(
        (value): value is string | number =>
          (typeof value === 'string' || typeof value === 'number') && listed.includes(value),
      );
    }
  }
  return [];
}

/** Per-value descriptions (`x-enum-descriptions` / `x-enumDescriptions`, an object or a list aligned with `enum`). */
export function enumValueDescriptions(node: JsonObject): Map<string | number, string> {
  const found = new Map<string | number, string>();
  if (!Array.isArray(node.enum)) return found;
  for (const key of ['x-enum-descriptions', 'x-enumDescriptions']) {
    const descriptions = node[key];
    node.enum.forEach((value, index) => {
      if (typeof value !== 'string' && typeof value !== 'number') return;
      const text = Array.isArray(descriptions)
        ? descriptions[index]
        : isRecord(descriptions)
          ? descriptions[String(value)]
          : undefined;
      if (typeof text === 'string') found.set(value, text);
    });
  }
  return found;
}

/** A deprecated enum value with the text about it and the rules read from it. */
export interface EnumValueDeprecation {
  readonly value: string | number;
  readonly text: string;
  readonly rules: DeprecationText;
}

/**
 * Every deprecated value of an enum schema: listed by an extension, described as deprecated in
 * per-value descriptions, or called deprecated by the description (a line or bullet per value is
 * that value's own text). Document order of `enum`.
 */
export function enumDeprecations(node: JsonObject): EnumValueDeprecation[] {
  if (!Array.isArray(node.enum)) return [];
  const description = typeof node.description === 'string' ? node.description : '';
  const listed = markedDeprecatedEnumValues(node);
  const perValue = enumValueDescriptions(node);
  const fromProse = deprecatedEnumValues(description, node.enum);
  const found: EnumValueDeprecation[] = [];
  let lines: Map<string | number, string> | undefined; // only read for a deprecated value
  for (const value of node.enum) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const own = perValue.get(value);
    const deprecated =
      listed.includes(value) ||
      (own !== undefined && saysDeprecated(own)) ||
      fromProse.includes(value);
    if (!deprecated) continue;
    lines ??= enumValueLines(description, node.enum);
    const text = own ?? lines.get(value) ?? description;
    found.push({ value, text, rules: readDeprecationText(text) });
  }
  return found;
}
