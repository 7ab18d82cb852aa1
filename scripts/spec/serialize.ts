/**
 * The vendored file's format: two-space JSON in the document's own key order, one trailing
 * newline. `sliceDocument` keeps the source's key order, so the output is stable across runs.
 */
export function serializeDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
