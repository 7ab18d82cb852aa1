/**
 * Secret redaction. Two layers: header values under a sensitive name are replaced wholesale, and
 * every credential the client has held is replaced wherever it appears in free text (a server
 * echoing a header, a fetch error message, a provider's error), in each form it can take there:
 * raw, percent-encoded (`encodeURIComponent`, form encoding, either hex case), JSON-escaped and
 * HTML-escaped.
 *
 * A `SecretStore` keeps fingerprints, not values: for each form of each credential, two 32-bit
 * polynomial hashes of its text. Redaction slides a rolling hash of each remembered length over the
 * text (work: text length × distinct lengths, whatever the number of credentials) and replaces
 * every window whose fingerprint is known. Overlapping matches are merged before anything is
 * replaced, so no part of any credential survives (an email that is a substring of the key, or a
 * token that overlaps another). Keeping fingerprints rather than values means a rotated-out token
 * is not kept in memory for the client's lifetime, and 65,536 credentials cost a few MB at most;
 * past that, the oldest are forgotten. A hash collision can only redact harmless text, never miss
 * a credential.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are always redacted (lower case), whatever the operation. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-auth-key',
  'x-auth-email',
  'x-auth-user-service-key',
  'cookie',
  'set-cookie',
]);

/** Credentials remembered per store; the oldest are forgotten past this. */
export const MAX_REMEMBERED_CREDENTIALS = 65_536;

/** Deeper values in `redactDeep` are replaced as a whole (parsed JSON can nest arbitrarily). */
const MAX_DEPTH = 64;

/** A plain-object copy of `headers` with sensitive values replaced by `[REDACTED]`. */
export function redactHeaders(
  headers: Headers,
  extraSensitive: ReadonlySet<string> = SENSITIVE_HEADERS,
): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = SENSITIVE_HEADERS.has(name) || extraSensitive.has(name) ? REDACTED : value;
  });
  return out;
}

/**
 * How common HTML encoders write `& < > " '` (undefined: left as is): lodash/React, Go, Python,
 * PHP, HTML5 `&apos;`, DOM text and attribute serialisation, all-decimal and all-hex entities.
 */
const HTML_STYLES: readonly (readonly [string?, string?, string?, string?, string?])[] = [
  ['&amp;', '&lt;', '&gt;', '&quot;', '&#39;'],
  ['&amp;', '&lt;', '&gt;', '&#34;', '&#39;'],
  ['&amp;', '&lt;', '&gt;', '&quot;', '&#x27;'],
  ['&amp;', '&lt;', '&gt;', '&quot;', '&#039;'],
  ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;'],
  ['&amp;', '&lt;', '&gt;'],
  ['&amp;', undefined, undefined, '&quot;'],
  ['&#38;', '&#60;', '&#62;', '&#34;', '&#39;'],
  ['&#x26;', '&#x3C;', '&#x3E;', '&#x22;', '&#x27;'],
  ['&#x26;', '&#x3c;', '&#x3e;', '&#x22;', '&#x27;'],
];
const HTML_SPECIAL = '&<>"\'';

/**
 * The forms `secret` can take in text: raw; `encodeURIComponent`, `encodeURI` and form encoding
 * (`+` for space), with upper- and lower-case hex; JSON-escaped (also with `\/` and with `<>&'`
 * as `\u00XX`, as Go and PHP encoders write them); HTML-escaped as common encoders write it.
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
  for (const encoded of [
    encodeURIComponent(secret),
    safeEncodeURI(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
  ]) {
    forms.add(encoded);
    forms.add(lowerHex(encoded));
  }
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  forms.add(json.replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`));
  for (const style of HTML_STYLES) {
    forms.add(secret.replace(/[&<>"']/g, (c) => style[HTML_SPECIAL.indexOf(c)] ?? c));
  }
  forms.delete('');
  return [...forms];
}

function safeEncodeURI(secret: string): string {
  try {
    return encodeURI(secret);
  } catch {
    return secret; // lone surrogates: not sendable as a header anyway
  }
}

const BASE_1 = 0x01000193;
const BASE_2 = 0x5bd1e995;
const TWO_POW_21 = 2 ** 21;

/** Two polynomial hashes (mod 2^32) of `text[start, start + length)`, as one 53-bit number. */
function fingerprint(text: string, start: number, length: number): number {
  let h1 = 0;
  let h2 = 0;
  for (let i = start; i < start + length; i++) {
    const c = text.charCodeAt(i);
    h1 = (Math.imul(h1, BASE_1) + c) | 0;
    h2 = (Math.imul(h2, BASE_2) + c) | 0;
  }
  return combine(h1, h2);
}

function combine(h1: number, h2: number): number {
  return (h1 >>> 0) * TWO_POW_21 + (h2 >>> 11);
}

/** `base^(length - 1)` mod 2^32. */
function topPower(base: number, length: number): number {
  let power = 1;
  for (let i = 1; i < length; i++) power = Math.imul(power, base);
  return power;
}

function keyOf(secret: string): string {
  return `${secret.length}:${fingerprint(secret, 0, secret.length)}`;
}

interface LengthGroup {
  readonly length: number;
  readonly top1: number;
  readonly top2: number;
  /** fingerprint → how many remembered credentials have a form with it */
  readonly counts: Map<number, number>;
}

/**
 * Every credential a client has held (static, or each value a provider returned), as
 * fingerprints of their encoded forms. See the module comment for the design.
 */
export class SecretStore {
  readonly #groups = new Map<number, LengthGroup>();
  /** Per remembered credential, in order: its raw fingerprint and its forms' [length, fp] pairs. */
  readonly #entries = new Map<string, number[]>();
  /** The shortest remembered form's length, kept up to date by `remember` and forgetting. */
  #shortest = Number.POSITIVE_INFINITY;

  /** How many credentials are remembered. */
  get size(): number {
    return this.#entries.size;
  }

  /** The length of the shortest remembered form: shorter text cannot hold a credential. */
  get shortest(): number {
    return this.#shortest;
  }

  /** Whether `secret` is remembered (by its fingerprint). */
  has(secret: string): boolean {
    return this.#entries.has(keyOf(secret));
  }

  /** Remember `secret` (and its encoded forms) for the store's lifetime, up to the cap. */
  remember(secret: string): void {
    if (typeof secret !== 'string' || secret === '') return;
    const key = keyOf(secret);
    if (this.#entries.has(key)) return;
    if (this.#entries.size >= MAX_REMEMBERED_CREDENTIALS) this.#forgetOldest();
    const pairs: number[] = [];
    for (const form of encodedForms(secret)) {
      const fp = fingerprint(form, 0, form.length);
      const group = this.#group(form.length);
      group.counts.set(fp, (group.counts.get(fp) ?? 0) + 1);
      pairs.push(form.length, fp);
    }
    this.#entries.set(key, pairs);
  }

  #group(length: number): LengthGroup {
    let group = this.#groups.get(length);
    if (!group) {
      group = {
        length,
        top1: topPower(BASE_1, length),
        top2: topPower(BASE_2, length),
        counts: new Map(),
      };
      this.#groups.set(length, group);
      if (length < this.#shortest) this.#shortest = length;
    }
    return group;
  }

  #forgetOldest(): void {
    const [key, pairs] = this.#entries.entries().next().value as [string, number[]];
    this.#entries.delete(key);
    for (let i = 0; i < pairs.length; i += 2) {
      const group = this.#groups.get(pairs[i] as number) as LengthGroup;
      const fp = pairs[i + 1] as number;
      const left = (group.counts.get(fp) ?? 1) - 1;
      if (left > 0) group.counts.set(fp, left);
      else group.counts.delete(fp);
      if (group.counts.size === 0) this.#groups.delete(group.length);
    }
    this.#shortest = Math.min(Number.POSITIVE_INFINITY, ...this.#groups.keys());
  }

  /** Whether `text` contains any form of any remembered credential. */
  contains(text: string): boolean {
    return this.#matches(text, true).length > 0;
  }

  /** `text` with every occurrence of every form of every remembered credential replaced. */
  redact(text: string): string {
    const ranges = this.#matches(text, false);
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let at = 0;
    let i = 0;
    while (i < ranges.length) {
      const start = (ranges[i] as [number, number])[0];
      let end = (ranges[i] as [number, number])[1];
      for (i++; i < ranges.length && (ranges[i] as [number, number])[0] <= end; i++) {
        end = Math.max(end, (ranges[i] as [number, number])[1]);
      }
      out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  }

  /** [start, end) of every window whose fingerprint is remembered (the first one if `first`). */
  #matches(text: string, first: boolean): [number, number][] {
    const found: [number, number][] = [];
    if (typeof text !== 'string') return found;
    for (const group of this.#groups.values()) {
      const { length, counts, top1, top2 } = group;
      if (length > text.length) continue;
      let h1 = 0;
      let h2 = 0;
      for (let i = 0; i < length; i++) {
        const c = text.charCodeAt(i);
        h1 = (Math.imul(h1, BASE_1) + c) | 0;
        h2 = (Math.imul(h2, BASE_2) + c) | 0;
      }
      for (let start = 0; ; start++) {
        if (counts.has(combine(h1, h2))) {
          found.push([start, start + length]);
          if (first) return found;
        }
        const next = start + length;
        if (next >= text.length) break;
        const out = text.charCodeAt(start);
        const c = text.charCodeAt(next);
        h1 = (Math.imul((h1 - Math.imul(out, top1)) | 0, BASE_1) + c) | 0;
        h2 = (Math.imul((h2 - Math.imul(out, top2)) | 0, BASE_2) + c) | 0;
      }
    }
    return found;
  }
}

/** A store of `secrets`, or `secrets` itself when it is one. */
export function storeOf(secrets: SecretStore | Iterable<string>): SecretStore {
  if (secrets instanceof SecretStore) return secrets;
  const store = new SecretStore();
  for (const secret of secrets) store.remember(secret);
  return store;
}

/** `text` with every occurrence of every secret, in every encoded form, replaced by `[REDACTED]`. */
export function redactSecrets(text: string, secrets: SecretStore | Iterable<string>): string {
  return storeOf(secrets).redact(text);
}

/**
 * Deep copy of a JSON-like value with every string (keys too) redacted. Only own enumerable
 * data is copied; values deeper than 64 levels are replaced by `[REDACTED]` as a whole.
 */
export function redactDeep<T>(value: T, secrets: SecretStore | Iterable<string>): T {
  const store = storeOf(secrets);
  if (store.size === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return store.redact(v);
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(v)) return v.map((inner) => walk(inner, depth + 1));
    if (v instanceof Error) return redactError(v, store);
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(v)) out[store.redact(k)] = walk(inner, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

/**
 * `error` unchanged when no part of it (message, stack, `cause` chain, `errors` of an
 * AggregateError, own string properties) holds a credential; otherwise a plain `Error` copy
 * with the same name and everything redacted, so a provider's or transport's error cannot carry
 * a token out through `cause`.
 */
export function redactError(error: unknown, secrets: SecretStore | Iterable<string>): unknown {
  const store = storeOf(secrets);
  if (store.size === 0) return error;
  return redactErrorIn(error, store, 0);
}

function redactErrorIn(error: unknown, store: SecretStore, depth: number): unknown {
  if (typeof error === 'string') return store.redact(error);
  if (!(error instanceof Error)) {
    if (typeof error !== 'object' || error === null) return error;
    return store.contains(safeJson(error)) ? redactDeep(error, store) : error;
  }
  const cause =
    depth < 8 && 'cause' in error ? redactErrorIn(error.cause, store, depth + 1) : undefined;
  const inner =
    depth < 8 && error instanceof AggregateError
      ? error.errors.map((e) => redactErrorIn(e, store, depth + 1))
      : undefined;
  const own = Object.entries(error).filter(([k]) => k !== 'cause' && k !== 'errors');
  const dirty =
    store.contains(error.message) ||
    store.contains(String(error.stack)) ||
    ('cause' in error && cause !== error.cause) ||
    inner?.some((e, i) => e !== (error as AggregateError).errors[i]) ||
    store.contains(safeJson(Object.fromEntries(own)));
  if (!dirty) return error;
  const copy = new Error(store.redact(error.message), 'cause' in error ? { cause } : undefined);
  copy.name = error.name;
  copy.stack = store.redact(String(error.stack));
  for (const [k, v] of own) {
    if (k !== 'message' && k !== 'stack' && k !== 'name') {
      (copy as unknown as Record<string, unknown>)[k] = redactDeep(v, store);
    }
  }
  if (inner) (copy as unknown as { errors: unknown[] }).errors = inner;
  return copy;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
