import { describe, expect, it } from 'vitest';
import {
  deprecationEventsFromHeaders,
  parseDeprecationHeader,
  parseDeprecationLinks,
  parseSunsetHeader,
} from '../../src/deprecation-headers.js';
import { updateAllowPolicyMetadata as metadata } from './support/allow-policy-metadata.js';

const today = new Date('2026-11-26T00:00:00Z');

describe('parseDeprecationHeader (RFC 9745)', () => {
  it.each([
    ['@1688169599', '2023-06-30T23:59:59.000Z'],
    [' @0 ', '1970-01-01T00:00:00.000Z'],
    ['@1782864000', '2026-07-01T00:00:00.000Z'],
  ])('%j → %s', (value, iso) => {
    expect(parseDeprecationHeader(value)?.toISOString()).toBe(iso);
  });

  it.each([
    null,
    '',
    'true',
    '@',
    '@12.5',
    '1688169599',
    '@1688169599, @1688169600',
    'Sun, 01 Nov 2026 00:00:00 GMT',
    '@9999999999999999',
    `@${'1'.repeat(10_000)}`,
  ])('ignores malformed %j', (value) => {
    expect(parseDeprecationHeader(value)).toBeUndefined();
  });
});

describe('parseSunsetHeader (RFC 8594)', () => {
  it.each([
    ['Sun, 01 Nov 2026 00:00:00 GMT', '2026-11-01T00:00:00.000Z'],
    ['Wed, 01 Jul 2026 12:30:45 GMT', '2026-07-01T12:30:45.000Z'],
  ])('%j → %s', (value, iso) => {
    expect(parseSunsetHeader(value)?.toISOString()).toBe(iso);
  });

  it.each([
    null,
    'tomorrow',
    '2026-11-01',
    '1',
    'Sun, 31 Feb 2026 00:00:00 GMT',
    'Mon, 01 Nov 2026 00:00:00 GMT', // wrong weekday
    ' Sun,  01 Nov 2026 00:00:00 GMT',
    'Sun, 01 Foo 2026 00:00:00 GMT',
    'Sun, 01 Nov 2026 25:00:00 GMT',
    'Sun, 01 Nov 2026 00:00:00 CET',
    'Sunday, 01-Nov-26 00:00:00 GMT',
  ])('ignores malformed %j', (value) => {
    expect(parseSunsetHeader(value)).toBeUndefined();
  });
});

describe('parseDeprecationLinks', () => {
  it('keeps deprecation and sunset links only', () => {
    expect(
      parseDeprecationLinks(
        '<https://developers.cloudflare.com/changelog>; rel="deprecation"; type="text/html", ' +
          '<https://example.com/next>; rel=next, <https://example.com/sunset>; rel="sunset policy", ' +
          '<https://example.com/upper>; REL="Deprecation"',
      ),
    ).toEqual([
      'https://developers.cloudflare.com/changelog',
      'https://example.com/sunset',
      'https://example.com/upper',
    ]);
  });

  it.each([
    null,
    '',
    'garbage',
    '<https://x>',
    '<https://x>; rel="next"',
    '<https://x y>; rel="deprecation"',
    '<https://x\u0007>; rel="deprecation"',
    '<>; rel="deprecation"',
    'https://x; rel="deprecation"',
  ])('ignores %j', (value) => {
    expect(parseDeprecationLinks(value)).toEqual([]);
  });
});

describe('deprecationEventsFromHeaders', () => {
  const op = 'email_security_update_allow_policy';

  it('returns nothing without deprecation headers', () => {
    expect(deprecationEventsFromHeaders(metadata, new Headers(), { now: today })).toEqual([]);
    const headers = new Headers({ Deprecation: 'true', Sunset: 'soon', Link: '<x>; rel=next' });
    expect(deprecationEventsFromHeaders(metadata, headers, { now: today })).toEqual([]);
  });

  it('combines Deprecation, Sunset and Link into one event', () => {
    const headers = new Headers({
      Deprecation: '@1751328000',
      Sunset: 'Wed, 01 Jul 2026 00:00:00 GMT',
      Link: '<https://developers.cloudflare.com/changelog>; rel="deprecation"',
    });
    expect(deprecationEventsFromHeaders(metadata, headers, { now: today })).toEqual([
      {
        kind: 'http-header',
        operationId: op,
        field: null,
        replacement: null,
        deprecatedSince: '2025-07-01T00:00:00.000Z',
        endOfLife: '2026-07-01T00:00:00.000Z',
        pastEndOfLife: true,
        action: 'reported',
        message: `The server marks operation ${op} as deprecated since 2025-07-01T00:00:00.000Z; it reached end of life (Sunset) on 2026-07-01T00:00:00.000Z; see https://developers.cloudflare.com/changelog. The response was returned unchanged.`,
        source: 'header',
        links: ['https://developers.cloudflare.com/changelog'],
      },
    ]);
  });

  it('announces a future deprecation and sunset', () => {
    const headers = new Headers({
      Deprecation: '@1798761600', // 2027-01-01
      Sunset: 'Sat, 01 Jan 2028 00:00:00 GMT',
    });
    const [event] = deprecationEventsFromHeaders(metadata, headers, { now: today });
    expect(event?.pastEndOfLife).toBe(false);
    expect(event?.message).toBe(
      `The server marks operation ${op} as deprecated, effective 2027-01-01T00:00:00.000Z; it reaches end of life (Sunset) on 2028-01-01T00:00:00.000Z. The response was returned unchanged.`,
    );
  });

  it('reports a valid header even when another one is malformed', () => {
    const headers = new Headers({ Deprecation: '@nope', Sunset: 'Sun, 01 Nov 2026 00:00:00 GMT' });
    const [event] = deprecationEventsFromHeaders(metadata, headers, { now: today });
    expect(event).toMatchObject({
      deprecatedSince: null,
      endOfLife: '2026-11-01T00:00:00.000Z',
      pastEndOfLife: true,
      links: [],
    });
  });

  it('reports a lone Link', () => {
    const headers = new Headers({ Link: '<https://example.com/d>; rel=deprecation' });
    const [event] = deprecationEventsFromHeaders(metadata, headers, { now: today });
    expect(event?.message).toBe(
      `The server marks operation ${op} as deprecated; see https://example.com/d. The response was returned unchanged.`,
    );
  });
});
