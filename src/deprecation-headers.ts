/**
 * Server-announced deprecations: `Deprecation` (RFC 9745, `@<epoch seconds>`), `Sunset`
 * (RFC 8594, IMF-fixdate HTTP date) and `Link` with `rel="deprecation"` / `rel="sunset"`.
 * Malformed values are ignored (never thrown): a header must not break a successful call.
 */
import { checkNow, type DeprecationEvent } from './deprecations.js';
import type { OperationMetadata } from './metadata.js';

/** Longer header values are ignored rather than parsed. */
const MAX_HEADER_LENGTH = 8192;

function usable(value: string | null): string {
  return value !== null && value.length <= MAX_HEADER_LENGTH ? value.trim() : '';
}

/** `@1688169599` → that instant; anything else → undefined. */
export function parseDeprecationHeader(value: string | null): Date | undefined {
  const match = /^@(-?\d{1,15})$/.exec(usable(value));
  const date = new Date(Number(match?.[1]) * 1000);
  return match && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * `Sun, 01 Nov 2026 00:00:00 GMT` → that instant. Only IMF-fixdate is accepted, checked by
 * round-tripping (so impossible dates and wrong weekdays are rejected); anything else → undefined.
 */
export function parseSunsetHeader(value: string | null): Date | undefined {
  const text = usable(value);
  const date = new Date(Date.parse(text));
  return !Number.isNaN(date.getTime()) && date.toUTCString() === text ? date : undefined;
}

/** Targets of `Link` entries whose `rel` includes `deprecation` or `sunset` (visible ASCII only). */
export function parseDeprecationLinks(value: string | null): string[] {
  const links: string[] = [];
  for (const entry of usable(value).split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(entry);
    if (!match) continue;
    const rels = (match[2] as string)
      .split(';')
      .map((param) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1])
      .find((rel) => rel !== undefined);
    const target = match[1] as string;
    const wanted = rels
      ?.toLowerCase()
      .split(/\s+/)
      .some((r) => r === 'deprecation' || r === 'sunset');
    if (wanted && /^[\x21-\x7e]{1,2048}$/.test(target)) links.push(target);
  }
  return links;
}

/** At most one `http-header` event per response, combining the three headers. */
export function deprecationEventsFromHeaders(
  metadata: OperationMetadata,
  headers: Headers,
  options: { readonly now: Date },
): DeprecationEvent[] {
  const time = checkNow(options.now);
  const rawDeprecation = headers.get('deprecation');
  const rawSunset = headers.get('sunset');
  const rawLink = headers.get('link');
  if (rawDeprecation === null && rawSunset === null && rawLink === null) return [];
  const deprecation = parseDeprecationHeader(rawDeprecation);
  const sunset = parseSunsetHeader(rawSunset);
  const links = parseDeprecationLinks(rawLink);
  if (!deprecation && !sunset && links.length === 0) return [];
  const since = deprecation?.toISOString() ?? null;
  const end = sunset?.toISOString() ?? null;
  const past = sunset !== undefined && time >= sunset.getTime();
  const parts = [`The server marks operation ${metadata.operationId} as deprecated`];
  if (deprecation) {
    parts[0] += `${time >= deprecation.getTime() ? ' since' : ', effective'} ${since}`;
  }
  if (sunset) parts.push(`it ${past ? 'reached' : 'reaches'} end of life (Sunset) on ${end}`);
  if (links.length > 0) parts.push(`see ${links.join(', ')}`);
  return [
    {
      kind: 'http-header',
      operationId: metadata.operationId,
      field: null,
      replacement: null,
      deprecatedSince: since,
      endOfLife: end,
      pastEndOfLife: past,
      action: 'reported',
      message: `${parts.join('; ')}. The response was returned unchanged.`,
      source: 'header',
      links,
    },
  ];
}
