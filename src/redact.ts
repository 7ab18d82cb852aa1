/**
 * Secret redaction. Two layers: header values under a sensitive name are replaced wholesale, and
 * any known credential value found in free text (a server echoing a header, a fetch error
 * message) is replaced wherever it appears.
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

/** `text` with every occurrence of every (non-empty) secret replaced by `[REDACTED]`. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep copy of a JSON-like value with `redactSecrets` applied to every string. */
export function redactDeep<T>(value: T, secrets: Iterable<string>): T {
  const list = [...secrets];
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
}
