import { HTTP_METHODS } from '../codegen/http-methods.js';
import { type JsonObject, objectAt, stringsAt } from './operations.js';
import type { JsonValue } from './report.js';

/** The part of Cloudflare's document this project vendors, unless told otherwise. */
export const DEFAULT_PATH_PREFIX = '/accounts/{account_id}/email-security/settings/';

/**
 * Which paths to keep. A path is kept when it starts with `prefix` (if given) and, when `tag` is
 * given, only its operations carrying that tag are kept. At least one of them must be set.
 */
export interface PathSelection {
  readonly prefix: string | null;
  readonly tag: string | null;
}

export const DEFAULT_SELECTION: PathSelection = { prefix: DEFAULT_PATH_PREFIX, tag: null };

/** Human description of a selection, for messages: `paths under "/…/" tagged "…"`. */
export function describeSelection(selection: PathSelection): string {
  const parts: string[] = [];
  if (selection.prefix !== null) parts.push(`paths under "${selection.prefix}"`);
  if (selection.tag !== null) parts.push(`operations tagged "${selection.tag}"`);
  return parts.join(' with ');
}

/**
 * The selected path items, in document order. Path items are shared with the source document
 * unless the tag filter drops some of their operations (then a filtered copy is returned).
 */
export function selectPaths(document: JsonValue, selection: PathSelection): JsonObject {
  const selected: JsonObject = {};
  for (const [path, pathItem] of Object.entries(objectAt(document, 'paths'))) {
    if (selection.prefix !== null && !path.startsWith(selection.prefix)) continue;
    const kept = selection.tag === null ? pathItem : keepTagged(pathItem, selection.tag);
    if (kept !== null) selected[path] = kept;
  }
  return selected;
}

/** The path item with only the operations tagged `tag`, or null when none is. */
function keepTagged(pathItem: JsonValue, tag: string): JsonObject | null {
  if (typeof pathItem !== 'object' || pathItem === null || Array.isArray(pathItem)) return null;
  const methods = new Set<string>(HTTP_METHODS);
  const kept: JsonObject = {};
  let operations = 0;
  for (const [key, value] of Object.entries(pathItem)) {
    if (!methods.has(key)) {
      kept[key] = value;
    } else if (stringsAt(value, 'tags').includes(tag)) {
      kept[key] = value;
      operations += 1;
    }
  }
  return operations > 0 ? kept : null;
}
