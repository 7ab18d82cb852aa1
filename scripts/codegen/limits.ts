/**
 * Bounds on an untrusted spec document: past them it is refused with a clear error, before it
 * can exhaust time, memory or the stack of the stages after it.
 */
export const DOCUMENT_LIMITS = {
  /**
   * Bytes of a document `spec:update` reads (Cloudflare's full document for every product is
   * about 9 MiB). Slicing visits only the selected paths, so it stays fast up to this size.
   */
  maxBytes: 64 * 1024 * 1024,
  /**
   * Bytes of a document `npm run generate` reads. openapi-typescript converts every path and
   * component, so generation time grows with the document; past this it is refused, pointing at
   * spec:update (the vendored slice is about 120 KiB).
   */
  maxGenerateBytes: 16 * 1024 * 1024,
  /** Nesting of objects and arrays (real OpenAPI documents stay far below). */
  maxDepth: 200,
  /** YAML alias expansion (the `yaml` package's `maxAliasCount`): stops "billion laughs" documents. */
  maxYamlAliasExpansion: 1_000,
} as const;

/** `64 MiB`, `1.5 MiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
