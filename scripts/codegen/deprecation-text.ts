/**
 * Reading the prose of a spec: what a deprecation description says (replacement, dates, whether
 * the thing may still be sent) and which enum values a description calls deprecated. Pure
 * functions of the text; anything they cannot read is null (or false, or empty), never a throw.
 */

/** What a deprecation description says. Dates are ISO `YYYY-MM-DD`. */
export interface DeprecationText {
  readonly replacement: string | null;
  readonly deprecatedSince: string | null;
  readonly endOfLife: string | null;
  /** The text says the thing may not be sent ("cannot be used when creating or updating"). */
  readonly forbiddenOnWrite: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_PATTERNS: readonly {
  regex: RegExp;
  toParts: (m: RegExpExecArray) => [string, string, string];
}[] = [
  { regex: /^(\d{4})-(\d{1,2})-(\d{1,2})\b/, toParts: (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? ''] },
  {
    regex: new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[1]), m[2] ?? ''],
  },
  {
    regex: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[2]), m[1] ?? ''],
  },
];

function monthNumber(name: string | undefined): string {
  const key = (name ?? '').toLowerCase().replace('.', '');
  return String(MONTHS[key] ?? MONTHS[key.slice(0, 3)] ?? 0);
}

/** Parses a date at the start of `text` ("July 1, 2025", "1 July 2025", "2025-07-01") to ISO, or null. */
function parseLeadingDate(text: string): string | null {
  for (const { regex, toParts } of DATE_PATTERNS) {
    const match = regex.exec(text);
    if (match) return isoDate(...toParts(match));
  }
  return null;
}

function isoDate(year: string, month: string, day: string): string | null {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const SINCE_MARKERS = /\bdeprecated\s+(?:as\s+of|since|on|from|starting(?:\s+on)?|effective)\s+/gi;
const END_OF_LIFE_MARKERS =
  /\b(?:end[\s-]+of[\s-]+life|eol|sunset(?:\s+date)?|removal\s+date|(?:will\s+be\s+)?removed\s+(?:on|after))\b\s*(?::|\bon\b|\bis\b|\bdate\b:?)?\s*/gi;
const REPLACEMENT_PATTERNS: readonly RegExp[] = [
  /\buse\s+`([^`\s]+)`/i,
  /\b(?:replaced|superseded)\s+by\s+`([^`\s]+)`/i,
  /\bin\s+favou?r\s+of\s+`([^`\s]+)`/i,
  /\buse\s+([A-Za-z_][\w.]*)\s+instead\b/i,
  /\b(?:replaced|superseded)\s+by\s+([A-Za-z_][\w.]*[A-Za-z0-9_])/i,
];

function dateAfter(markers: RegExp, text: string): string | null {
  for (const match of text.matchAll(markers)) {
    const date = parseLeadingDate(text.slice((match.index ?? 0) + match[0].length));
    if (date) return date;
  }
  return null;
}

/**
 * Reads a deprecation description such as
 * "Deprecated as of July 1, 2025. Use `is_exempt_recipient` instead. End of life: July 1, 2026."
 */
export function readDeprecationText(text: string | undefined): DeprecationText {
  if (typeof text !== 'string' || text.trim() === '') {
    return { replacement: null, deprecatedSince: null, endOfLife: null, forbiddenOnWrite: false };
  }
  const oneLine = text.replace(/\s+/g, ' ');
  return {
    ...readReplacementAndDates(oneLine),
    forbiddenOnWrite: FORBIDDEN_ON_WRITE.test(oneLine),
  };
}

function readReplacementAndDates(oneLine: string): Omit<DeprecationText, 'forbiddenOnWrite'> {
  try {
    let replacement: string | null = null;
    for (const pattern of REPLACEMENT_PATTERNS) {
      const match = pattern.exec(oneLine);
      if (match?.[1]) {
        replacement = match[1].replace(/[.,;:]+$/, '');
        break;
      }
    }
    return {
      replacement,
      deprecatedSince: dateAfter(SINCE_MARKERS, oneLine),
      endOfLife: dateAfter(END_OF_LIFE_MARKERS, oneLine),
    };
  } catch {
    return { replacement: null, deprecatedSince: null, endOfLife: null };
  }
}

const FORBIDDEN_ON_WRITE =
  /\b(?:cannot|can\s?not|must\s+not|may\s+not|can't)\s+be\s+(?:used|sent|set|specified|provided|written)\b[^.]*\b(?:creat|updat|writ|request|set)/i;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The `values` (an enum) that `text` (its description) calls deprecated ("UNKNOWN is deprecated …",
 * "`X` (deprecated)", "Deprecated values: X, Y"). Matching of the value is case-sensitive.
 */
export function deprecatedEnumValues(
  text: string | undefined,
  values: readonly unknown[],
): (string | number)[] {
  if (typeof text !== 'string') return [];
  const oneLine = text.replace(/\s+/g, ' ');
  if (!/deprecated/i.test(oneLine)) return [];
  return values.filter((value): value is string | number => {
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const v = escapeRegExp(String(value));
    const q = '[`\'"]?';
    return [
      new RegExp(
        `(?:^|[^\\w])${q}${v}${q}\\s+(?:is|are|has\\s+been|was)\\s+(?:now\\s+)?[Dd]eprecated\\b`,
      ),
      new RegExp(`(?:^|[^\\w])${q}${v}${q}\\s*\\([Dd]eprecated\\)`),
      new RegExp(
        `[Dd]eprecated\\s+(?:enum\\s+)?(?:values?|options?)\\s*(?::|are|is)?\\s*(?:[\`'"]?[\\w-]+[\`'"]?\\s*(?:,|and|or)\\s*)*${q}${v}${q}(?![\\w])`,
      ),
    ].some((regex) => regex.test(oneLine));
  });
}
