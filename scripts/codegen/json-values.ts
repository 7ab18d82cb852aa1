/** Plain values read from untrusted JSON, and the one text order used for deterministic output. */

/** A non-blank string, else null. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** The string entries of an array (e.g. `tags`, `required`, `x-api-token-group`); [] when not an array. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

/** Code-unit order, independent of the locale (generated files must be the same everywhere). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
