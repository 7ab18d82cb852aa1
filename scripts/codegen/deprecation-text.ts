import { Remembered } from './remembered.js';

/**
 * Reading the prose of a spec: what a deprecation description says (replacement, dates, whether
 * the thing may still be sent), which enum values a description calls deprecated, and what a
 * description says that the reader could not read (`unreadableRules`: a safety rule must never
 * be dropped silently because it was worded differently). Pure functions of the text; they never
 * throw. Structured markers (deprecation-markers.ts) come first; this fills what they lack.
 */

/** What a deprecation description says. Dates are ISO `YYYY-MM-DD`. */
export interface DeprecationText {
  readonly replacement: string | null;
  readonly deprecatedSince: string | null;
  readonly endOfLife: string | null;
  /** The text says the thing may not be sent ("cannot be used when creating or updating"). */
  readonly forbiddenOnWrite: boolean;
}

const NOTHING: DeprecationText = {
  replacement: null,
  deprecatedSince: null,
  endOfLife: null,
  forbiddenOnWrite: false,
};

// ---------------------------------------------------------------- normalising

/**
 * One line of plain text: markdown emphasis, links and HTML tags removed, smart quotes and
 * dashes made plain. Code spans keep their backticks (they mark names).
 */
export function plainText(text: string): string {
  return PLAIN_TEXTS.get(text, () => toPlainText(text));
}

const PLAIN_TEXTS = new Remembered<string>();

function toPlainText(text: string): string {
  return text
    .replace(/<[^>]{1,80}>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, ' - ')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------- dates

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
const ORDINAL = '(?:st|nd|rd|th)?';
const DATE_PATTERNS: readonly {
  regex: RegExp;
  toParts: (m: RegExpExecArray) => [string, string, string];
}[] = [
  {
    regex: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/,
    toParts: (m) => [m[1] ?? '', m[2] ?? '', m[3] ?? ''],
  },
  {
    regex: new RegExp(`^${MONTH}\\s+(\\d{1,2})${ORDINAL},?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[1]), m[2] ?? ''],
  },
  {
    regex: new RegExp(`^(\\d{1,2})${ORDINAL}\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[3] ?? '', monthNumber(m[2]), m[1] ?? ''],
  },
  // A month without a day counts from its first day: the earlier date is the safe one.
  {
    regex: new RegExp(`^${MONTH},?\\s+(\\d{4})\\b`, 'i'),
    toParts: (m) => [m[2] ?? '', monthNumber(m[1]), '1'],
  },
];

function monthNumber(name: string | undefined): string {
  const key = (name ?? '').toLowerCase().replace('.', '');
  return String(MONTHS[key] ?? MONTHS[key.slice(0, 3)] ?? 0);
}

/**
 * A date at the start of `text` ("July 1, 2025", "1st of July 2025", "2025-07-01",
 * "2025/07/01", "July 2025") as ISO, or null. Ambiguous forms ("07/01/2025") are not guessed.
 */
export function parseLeadingDate(text: string): string | null {
  const start = text.replace(/^[`"'*_(]+/, '');
  for (const { regex, toParts } of DATE_PATTERNS) {
    const match = regex.exec(start);
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

/** "Deprecated as of …", "deprecated since …", "deprecation date: …". */
const SINCE_MARKERS =
  /\b(?:deprecated|deprecation(?:\s+date)?)\s*(?::|\s)\s*(?:(?:as\s+of|since|on|from|starting(?:\s+(?:on|from))?|effective(?:\s+(?:on|from))?|beginning(?:\s+on)?|in)\s+)?/gi;
/** "End of life: …", "sunset on …", "will be removed on or after …", "supported until …". */
const END_OF_LIFE_MARKERS =
  /\b(?:end[\s-]+of[\s-]+life(?:\s+date)?|eol|sunset(?:\s+date)?|sunsets?|removal(?:\s+date)?|retire(?:s|d|ment)?(?:\s+date)?|(?:(?:will|is\s+scheduled\s+to|is\s+going\s+to)\s+be\s+|to\s+be\s+)?(?:removed|deleted|discontinued|retired|shut\s+down|turned\s+off)|(?:will\s+)?stop\s+working|(?:will\s+)?(?:no\s+longer|not)\s+be\s+(?:available|accepted|supported|honou?red)|(?:supported|available|accepted|honou?red)\s+(?:only\s+)?until)\b\s*(?::|-|\bis\b|\bdate\b:?)?\s*(?:(?:on\s+or\s+after|on\s+or\s+before|on|after|by|at|from|starting(?:\s+on)?|effective|in)\s+)?/gi;

function dateAfter(markers: RegExp, text: string): string | null {
  for (const match of text.matchAll(markers)) {
    const date = parseLeadingDate(text.slice((match.index ?? 0) + match[0].length));
    if (date) return date;
  }
  return null;
}

// ---------------------------------------------------------------- replacement

/** A name: a code span, a quoted or bold word, or a bare identifier. */
const NAME =
  '(?:`([^`\\s]+)`|"([A-Za-z_][\\w.-]*)"|\'([A-Za-z_][\\w.-]*)\'|([A-Za-z_][\\w.]*[A-Za-z0-9_]|[A-Za-z_]))';
const NOT_NAMES = new Set([
  'this',
  'that',
  'it',
  'the',
  'a',
  'an',
  'another',
  'other',
  'them',
  'these',
  'those',
  'one',
  'something',
  'instead',
]);
/** Strongest first: "use `x` instead" before a bare "use x". */
const REPLACEMENT_PATTERNS: readonly RegExp[] = [
  new RegExp(
    `\\b(?:please\\s+)?(?:use|prefer|switch\\s+to|migrate\\s+to|move\\s+to)\\s+(?:the\\s+)?(?:(?:new|newer|updated|current)\\s+)?${NAME}(?:\\s+(?:field|property|parameter|value|option|setting))?\\s+instead\\b`,
    'i',
  ),
  new RegExp(`\\b(?:replaced|superseded|succeeded)\\s+(?:by|with)\\s+(?:the\\s+)?${NAME}`, 'i'),
  new RegExp(`\\bin\\s+favou?r\\s+of\\s+(?:the\\s+)?${NAME}`, 'i'),
  new RegExp(`\\b(?:renamed|moved)\\s+to\\s+(?:the\\s+)?${NAME}`, 'i'),
  new RegExp(`\\b(?:migrate|switch|move)\\s+to\\s+(?:the\\s+)?${NAME}`, 'i'),
  /\b(?:use|prefer)\s+(?:the\s+)?`([^`\s]+)`/i,
  new RegExp(`${NAME}\\s+(?:replaces|supersedes)\\s+(?:it|this)\\b`, 'i'),
];

function readReplacement(text: string): string | null {
  for (const pattern of REPLACEMENT_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, 'gi'))) {
      const name = match.slice(1).find((group) => group !== undefined);
      const cleaned = name?.replace(/[.,;:]+$/, '');
      if (cleaned && !NOT_NAMES.has(cleaned.toLowerCase())) return cleaned;
    }
  }
  return null;
}

// ---------------------------------------------------------------- "cannot be sent"

const WRITE_CONTEXT =
  '(?:creat\\w*|updat\\w*|writ\\w*|requests?|set\\w*|input|POST|PUT|PATCH|new\\s+(?:entries|policies|items|records))';
const FORBIDDEN_ON_WRITE: readonly RegExp[] = [
  new RegExp(
    `\\b(?:cannot|can\\s?not|can't|must\\s+not|mustn't|may\\s+not|should\\s+not|shouldn't|must\\s+never|is\\s+not\\s+allowed\\s+to|are\\s+not\\s+allowed\\s+to)\\s+(?:be\\s+)?(?:used|sent|set|specified|provided|written|passed|supplied|submitted|included|chosen|selected)\\b[^.;]*\\b${WRITE_CONTEXT}`,
    'i',
  ),
  new RegExp(
    `\\b(?:(?:is|are)\\s+)?(?:not|no\\s+longer|never)\\s+(?:be\\s+)?(?:accepted|allowed|permitted|supported|valid)\\s+(?:in|on|for|when|as)\\s+(?:an?\\s+)?(?:input|${WRITE_CONTEXT})`,
    'i',
  ),
  new RegExp(
    `\\b(?:rejected|refused)\\s+(?:in|on|for|when|by)\\s+(?:an?\\s+)?(?:the\\s+API\\s+(?:on|in|for)\\s+)?${WRITE_CONTEXT}`,
    'i',
  ),
  new RegExp(
    `\\bdo\\s+not\\s+(?:send|use|set|pass|submit|specify)\\b[^.;]*\\b(?:in|when|on|for)\\b[^.;]*\\b${WRITE_CONTEXT}`,
    'i',
  ),
  /\b(?:only|solely)\s+(?:be\s+)?(?:returned|appears?|shown|reported|used)\s+(?:in|for|on)\s+(?:responses?|existing|reads?|output)/i,
  /\b(?:read[\s-]only|response[\s-]only|output[\s-]only)\b/i,
  /\bmay\s+(?:still\s+)?be\s+returned\b[^.;]*\bbut\s+(?:not|never)\s+(?:be\s+)?(?:sent|set|used|written|accepted)/i,
];

function readForbiddenOnWrite(text: string): boolean {
  return FORBIDDEN_ON_WRITE.some((pattern) => pattern.test(text));
}

// ---------------------------------------------------------------- deprecated or not

const DEPRECATED_WORD =
  /\b(?:deprecated|deprecation|obsolete|sunset(?:ted)?|end[\s-]of[\s-]life|no\s+longer\s+(?:supported|recommended|maintained))\b/i;
const NEGATED =
  /\b(?:not|never|no\s+longer|isn't|aren't|wasn't|un-?|non-?)\s*(?:been\s+|be\s+)?(?:deprecated|obsolete)\b|\bundeprecated\b|\bpreviously\s+deprecated\b|\bdeprecated\s+(?:but|and)\s+(?:is\s+)?(?:now\s+)?(?:supported|restored|un-?deprecated)\s+again\b/i;

/**
 * Whether the text states that the thing it describes is deprecated ("Deprecated.", "This field
 * is deprecated", "obsolete, use x instead"), and does not deny it ("not deprecated", "no longer
 * deprecated", "previously deprecated").
 */
export function saysDeprecated(text: string | undefined): boolean {
  if (typeof text !== 'string') return false;
  const plain = plainText(text);
  return DEPRECATED_WORD.test(plain) && !NEGATED.test(plain);
}

/** Reads a deprecation description (structure, if any, is merged by the caller and wins). */
export function readDeprecationText(text: string | undefined): DeprecationText {
  if (typeof text !== 'string' || text.trim() === '') return NOTHING;
  try {
    return READ_TEXTS.get(text, () => Object.freeze(readText(plainText(text))));
  } catch {
    return NOTHING;
  }
}

const READ_TEXTS = new Remembered<DeprecationText>();

function readText(plain: string): DeprecationText {
  return {
    replacement: readReplacement(plain),
    deprecatedSince: dateAfter(SINCE_MARKERS, plain),
    endOfLife: dateAfter(END_OF_LIFE_MARKERS, plain),
    forbiddenOnWrite: readForbiddenOnWrite(plain),
  };
}

// ---------------------------------------------------------------- enum values

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Optional quoting around a value: backticks, quotes or bold. */
const Q = '(?:`|"|\'|\\*\\*)?';

/**
 * The text about each value, when the description has one line or bullet per value
 * ("- `UNKNOWN`: deprecated, cannot be used when creating"): value → that line.
 */
export function enumValueLines(
  text: string,
  values: readonly unknown[],
): Map<string | number, string> {
  const lines = text
    .split(/\r?\n|(?=\s[-*+•]\s+(?:`|"|\*\*)?[\w-]+(?:`|"|\*\*)?\s*[:(-])/)
    .map((line) => line.trim())
    .filter(Boolean);
  const found = new Map<string | number, string>();
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    if (!text.includes(String(value))) continue; // every pattern below needs the value as written
    const v = escapeRegExp(String(value));
    const start = new RegExp(
      `^(?:[-*+•]|\\d+[.)])?\\s*${Q}${v}${Q}(?![\\w])\\s*(?::|-|\\(|\u2014)`,
    );
    const line = lines.find((candidate) => start.test(candidate));
    if (line !== undefined) found.set(value, plainText(line.replace(/^(?:[-*+•]|\d+[.)])\s*/, '')));
  }
  return found;
}

/**
 * The `values` (an enum) that `text` (its description) calls deprecated: "UNKNOWN is
 * deprecated", "`X` (deprecated)", "X - deprecated", "Deprecated values: X, Y", "X and Y are
 * deprecated", "the X value is deprecated", or a bullet per value whose line says deprecated.
 * Matching of the value is case-sensitive.
 */
export function deprecatedEnumValues(
  text: string | undefined,
  values: readonly unknown[],
): (string | number)[] {
  if (typeof text !== 'string' || !DEPRECATED_WORD.test(text)) return [];
  const perValue = enumValueLines(text, values);
  const plain = plainText(text);
  return values.filter((value): value is string | number => {
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    const line = perValue.get(value);
    if (line !== undefined) return saysDeprecated(line);
    return valueCalledDeprecated(plain, String(value));
  });
}

function valueCalledDeprecated(plain: string, value: string): boolean {
  if (!plain.includes(value)) return false; // every pattern below needs the value as written
  const v = escapeRegExp(value);
  const item = `${Q}[\\w-]+${Q}`;
  const verb =
    '(?:is|are|has\\s+been|have\\s+been|was|were|is\\s+now|are\\s+now|is\\s+considered|are\\s+considered)';
  const word = '(?:[Dd]eprecated|DEPRECATED|[Oo]bsolete)';
  const patterns = [
    // UNKNOWN is deprecated; UNKNOWN and LEGACY are deprecated; the UNKNOWN value is deprecated
    `(?:^|[^\\w])${Q}${v}${Q}(?:\\s*(?:,|and|or)\\s*${item})*\\s+(?:(?:value|option|type)s?\\s+)?${verb}\\s+(?:now\\s+)?${word}\\b`,
    `(?:^|[^\\w])${item}(?:\\s*(?:,|and|or)\\s*${item})*\\s*(?:,|and|or)\\s*${Q}${v}${Q}\\s+(?:(?:value|option|type)s?\\s+)?${verb}\\s+(?:now\\s+)?${word}\\b`,
    `\\b(?:[Tt]he\\s+)?(?:[Vv]alue|[Oo]ption|[Tt]ype)\\s+${Q}${v}${Q}\\s+${verb}\\s+${word}\\b`,
    // `X` (deprecated), X [deprecated], X - deprecated, X: deprecated
    `(?:^|[^\\w])${Q}${v}${Q}\\s*(?:\\((?:now\\s+)?${word}[^)]*\\)|\\[${word}\\]|(?:-|:)\\s*${word}\\b)`,
    // Deprecated values: X, Y; the following values are deprecated: X
    `\\b${word}\\s+(?:enum\\s+)?(?:values?|options?|types?)\\s*(?::|are|is|include)?\\s*(?:${item}\\s*(?:,|and|or)\\s*)*${Q}${v}${Q}(?![\\w])`,
    `\\b(?:[Vv]alues?|[Oo]ptions?)\\s+(?:that\\s+are\\s+|which\\s+are\\s+)?${word}\\s*(?::|are|is|include)?\\s*(?:${item}\\s*(?:,|and|or)\\s*)*${Q}${v}${Q}(?![\\w])`,
    `\\b[Ff]ollowing\\s+(?:values?|options?)\\s+(?:are|is)\\s+${word}\\s*:?\\s*(?:${item}\\s*(?:,|and|or)\\s*)*${Q}${v}${Q}(?![\\w])`,
    // using UNKNOWN is deprecated
    `\\b[Uu]sing\\s+${Q}${v}${Q}\\s+is\\s+${word}\\b`,
  ];
  return patterns.some((pattern) => new RegExp(pattern).test(plain) && !negatedNear(plain, value));
}

function negatedNear(plain: string, value: string): boolean {
  const v = escapeRegExp(value);
  return new RegExp(
    `(?:^|[^\\w])${Q}${v}${Q}\\s+(?:is|are|was)\\s+(?:not|no\\s+longer|never)\\s+(?:been\\s+)?(?:deprecated|obsolete)`,
  ).test(plain);
}

// ---------------------------------------------------------------- what could not be read

/** Words that announce a rule; when present, the reader must have read the rule. */
const ANNOUNCES = {
  endOfLife:
    /\b(?:end[\s-]+of[\s-]+life|eol|sunset|removal\s+date|(?:will|to)\s+be\s+removed\s+(?:on|after|by|in)|stop\s+working\s+(?:on|after)|supported\s+until|retire[sd]?\s+(?:on|after))\b/i,
  forbiddenOnWrite:
    /\b(?:cannot|can\s?not|can't|must\s+not|mustn't|may\s+not|should\s+not|do\s+not|don't|never|not\s+(?:be\s+)?(?:allowed|accepted|permitted)|rejected|refused)\b[^.;]{0,60}\b(?:send|sent|set|use|used|pass|submit|creat\w*|updat\w*|writ\w*|requests?|POST|PUT|PATCH)\b/i,
  replacement:
    /\b(?:use|prefer|replaced|superseded|in\s+favou?r\s+of|renamed|migrate|switch)\b[^.;]{0,40}`[^`\s]+`/i,
};

/**
 * What a deprecation's text announces but `read` (what was read from it and from structure) does
 * not have: `end of life`, `whether it may be sent`, `replacement`. Empty when everything
 * announced was read.
 */
export function unreadableRules(text: string, read: DeprecationText): string[] {
  const plain = plainText(text);
  const missing: string[] = [];
  if (read.endOfLife === null && ANNOUNCES.endOfLife.test(plain)) missing.push('end of life');
  if (!read.forbiddenOnWrite && ANNOUNCES.forbiddenOnWrite.test(plain))
    missing.push('whether it may be sent');
  if (read.replacement === null && ANNOUNCES.replacement.test(plain)) missing.push('replacement');
  return missing;
}

/**
 * Enum values an enum's description seems to call deprecated (the word within a short distance
 * of the value) that `deprecatedEnumValues` did not read as deprecated.
 */
export function unreadableEnumValues(
  text: string | undefined,
  values: readonly unknown[],
  read: readonly unknown[],
): (string | number)[] {
  if (typeof text !== 'string' || !saysDeprecated(text)) return [];
  const plain = plainText(text);
  return values.filter((value): value is string | number => {
    if ((typeof value !== 'string' && typeof value !== 'number') || read.includes(value))
      return false;
    if (!plain.includes(String(value))) return false; // the pattern below needs the value as written
    const v = escapeRegExp(String(value));
    const near = new RegExp(
      `(?:^|[^\\w])${Q}${v}${Q}(?![\\w])[^.;]{0,60}\\b(?:deprecated|obsolete)\\b|\\b(?:deprecated|obsolete)\\b[^.;]{0,60}(?:^|[^\\w])${Q}${v}${Q}(?![\\w])`,
    );
    return near.test(plain) && !negatedNear(plain, String(value));
  });
}
