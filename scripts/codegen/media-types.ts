import { isRecord, type JsonObject } from './refs.js';

/** Which entry of an OpenAPI `content` map the generated code speaks: the first JSON one. */

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json(?:\s*;.*)?$/i;

/** `[contentType, mediaObject]` of the first JSON media type (`application/json`, `…+json`), or null. */
export function pickJsonMedia(content: unknown): [string, JsonObject] | null {
  if (!isRecord(content)) return null;
  const entry = Object.entries(content).find(
    ([type, media]) => JSON_MEDIA.test(type) && isRecord(media),
  );
  return entry ? [entry[0], entry[1] as JsonObject] : null;
}
