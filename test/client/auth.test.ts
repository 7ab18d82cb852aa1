import { describe, expect, it } from 'vitest';
import {
  authHeaders,
  checkCredentials,
  createAuthState,
  credentialHeaders,
  credentialsFromEnv,
  resolveAuth,
  withCredentials,
} from '../../src/auth.js';
import { CLIENT_CREATION, CredentialsError } from '../../src/errors.js';
import { customHeaderMetadata, handMadeMetadata, tokenOnlyMetadata } from './metadata-fixture.js';

const TOKEN = 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXW';
const KEY = 'c2547eb745079dac9320b638f5e225cf483cc';
const EMAIL = 'ops@example.com';

function credentialsError(run: () => unknown): CredentialsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsError);
    return error as CredentialsError;
  }
  throw new Error('expected a CredentialsError');
}

describe('credential checks', () => {
  it('accepts a token or an email + key', () => {
    expect(checkCredentials({ apiToken: TOKEN }, 'options.auth')).toEqual({ apiToken: TOKEN });
    expect(checkCredentials({ apiEmail: EMAIL, apiKey: KEY }, 'options.auth')).toEqual({
      apiEmail: EMAIL,
      apiKey: KEY,
    });
  });

  it('rejects missing, ambiguous and partial credentials with a clear message', () => {
    expect(credentialsError(() => resolveAuth(undefined, {}, CLIENT_CREATION)).message).toBe(
      'createEmailSecurityClient: no credentials: pass auth: { apiToken } (preferred), auth: { apiEmail, apiKey } or ' +
        'auth: async () => credentials, or set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)',
    );
    expect(credentialsError(() => checkCredentials({}, 'options.auth')).message).toMatch(
      /^options\.auth: no credentials/,
    );
    const both = credentialsError(() =>
      checkCredentials({ apiToken: TOKEN, apiKey: KEY, apiEmail: EMAIL }, 'options.auth'),
    );
    expect(both.message).toMatch(/ambiguous/);
    expect(
      credentialsError(() => checkCredentials({ apiEmail: EMAIL }, 'options.auth')).message,
    ).toBe(
      'options.auth: apiEmail was given without apiKey: the Global API key needs both; nothing was sent',
    );
    expect(
      credentialsError(() => checkCredentials({ apiKey: KEY }, 'options.auth')).message,
    ).toMatch(/apiKey was given without apiEmail/);
    expect(credentialsError(() => checkCredentials(null, 'credentials provider')).message).toMatch(
      /^credentials provider: expected an object/,
    );
  });

  it('rejects header-injection and whitespace without echoing the value', () => {
    const bad: [string, RegExp][] = [
      [`${TOKEN}\r\nX-Evil: 1`, /CR\/LF/],
      [`${TOKEN}\n`, /CR\/LF/],
      [` ${TOKEN}`, /surrounding whitespace/],
      [`${TOKEN}\t`, /surrounding whitespace/],
      [`${TOKEN}\u0000`, /non-printable/],
      [`${TOKEN}é`, /non-printable or non-ASCII/],
      ['', /is empty/],
    ];
    for (const [value, problem] of bad) {
      const error = credentialsError(() => checkCredentials({ apiToken: value }, 'options.auth'));
      expect(error.message).toMatch(problem);
      expect(error.message).not.toContain(TOKEN);
    }
    const notString = credentialsError(() =>
      checkCredentials({ apiToken: 42 as unknown as string }, 'options.auth'),
    );
    expect(notString.message).toMatch(/apiToken must be a string, got number/);
  });

  it('reads CLOUDFLARE_API_TOKEN first, then CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(
      credentialsFromEnv({
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_EMAIL: EMAIL,
        CLOUDFLARE_API_KEY: KEY,
      }),
    ).toEqual({ apiToken: TOKEN });
    expect(credentialsFromEnv({ CLOUDFLARE_EMAIL: EMAIL, CLOUDFLARE_API_KEY: KEY })).toEqual({
      apiEmail: EMAIL,
      apiKey: KEY,
    });
    const partial = credentialsError(() => credentialsFromEnv({ CLOUDFLARE_API_KEY: KEY }));
    expect(partial.message).toBe(
      'createEmailSecurityClient: env: CLOUDFLARE_API_KEY was given without CLOUDFLARE_EMAIL: the Global API key needs both; no client was created',
    );
    const newline = credentialsError(() =>
      credentialsFromEnv({ CLOUDFLARE_API_TOKEN: `${TOKEN}\n` }),
    );
    expect(newline.message).toMatch(
      /^createEmailSecurityClient: env: CLOUDFLARE_API_TOKEN contains CR\/LF/,
    );
  });

  it('an explicit auth option wins over the environment', () => {
    expect(resolveAuth({ apiToken: TOKEN }, { CLOUDFLARE_EMAIL: EMAIL }, CLIENT_CREATION)).toEqual({
      apiToken: TOKEN,
    });
  });
});

describe('headers from the security metadata', () => {
  it('bearer token and the two X-Auth headers of the spec', () => {
    expect(authHeaders(handMadeMetadata.security, { apiToken: TOKEN })).toEqual({
      headers: [['Authorization', `Bearer ${TOKEN}`]],
      legacy: false,
    });
    expect(authHeaders(handMadeMetadata.security, { apiEmail: EMAIL, apiKey: KEY })).toEqual({
      headers: [
        ['X-Auth-Email', EMAIL],
        ['X-Auth-Key', KEY],
      ],
      legacy: true,
    });
  });

  it('takes header names and the scheme from metadata, not from code', () => {
    expect(authHeaders(customHeaderMetadata.security, { apiToken: TOKEN }).headers).toEqual([
      ['Authorization', `Token ${TOKEN}`],
    ]);
    expect(
      authHeaders(customHeaderMetadata.security, { apiEmail: EMAIL, apiKey: KEY }).headers,
    ).toEqual([
      ['X-Custom-Email', EMAIL],
      ['X-Custom-Key', KEY],
    ]);
  });

  it('refuses a scheme the operation does not allow', () => {
    const error = credentialsError(() =>
      authHeaders(tokenOnlyMetadata.security, { apiEmail: EMAIL, apiKey: KEY }),
    );
    expect(error.message).toBe(
      'this operation does not accept apiEmail + apiKey; it accepts apiToken; nothing was sent',
    );
  });
});

describe('credential headers', () => {
  const context = { operationId: 'op', method: 'PATCH', path: '/x' };

  it('static credentials: the headers, and the legacy key reported once per state', async () => {
    let advisories = 0;
    const state = createAuthState({ apiEmail: EMAIL, apiKey: KEY }, () => advisories++);
    for (let i = 0; i < 3; i++) {
      expect(credentialHeaders(state, handMadeMetadata, context)).toEqual({
        'X-Auth-Email': EMAIL,
        'X-Auth-Key': KEY,
      });
    }
    expect(advisories).toBe(1);
    expect(state.secrets.size).toBe(2);
    expect(state.secrets.has(EMAIL) && state.secrets.has(KEY)).toBe(true);
  });

  it('calls a provider for every call (rotation) and remembers values for redaction', async () => {
    let n = 0;
    const state = createAuthState(
      async () => ({ apiToken: `${TOKEN}${n++}` }),
      () => {},
    );
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const headers = await credentialHeaders(state, handMadeMetadata, context);
      seen.push(headers.Authorization as string);
    }
    expect(seen).toEqual([`Bearer ${TOKEN}0`, `Bearer ${TOKEN}1`, `Bearer ${TOKEN}2`]);
    expect(state.secrets.has(`${TOKEN}2`)).toBe(true);
  });

  it('credentials the operation does not accept fail the call with its context', () => {
    const state = createAuthState({ apiEmail: EMAIL, apiKey: KEY }, () => {});
    const error = credentialsError(() => credentialHeaders(state, tokenOnlyMetadata, context));
    expect(error.message).toBe(
      'PATCH /x: this operation does not accept apiEmail + apiKey; it accepts apiToken; nothing was sent',
    );
  });

  it('a provider returning bad values or throwing gives a CredentialsError with context', async () => {
    const run = (provider: () => Promise<{ apiToken: string }>) =>
      Promise.resolve(
        credentialHeaders(
          createAuthState(provider, () => {}),
          handMadeMetadata,
          context,
        ),
      ).catch((e: unknown) => e);
    const error = (await run(async () => ({ apiToken: ` ${TOKEN}` }))) as CredentialsError;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toBe(
      'PATCH /x: credentials provider: apiToken has surrounding whitespace (check for a trailing newline); nothing was sent',
    );
    const failed = (await run(async () => {
      throw new Error('vault down');
    })) as CredentialsError;
    expect(failed.message).toBe('PATCH /x: the credentials provider failed; nothing was sent');
    expect((failed.cause as Error).message).toBe('vault down');
  });

  it('withCredentials sets them on a copy, overriding same-named headers in any case', () => {
    const credentials = { Authorization: `Bearer ${TOKEN}` };
    const plain = {
      url: 'http://127.0.0.1/x',
      method: 'PATCH',
      headers: { 'User-Agent': 'ua' },
      body: '{}',
    };
    const sent = withCredentials(plain, credentials);
    expect(sent.headers).toEqual({ 'User-Agent': 'ua', Authorization: `Bearer ${TOKEN}` });
    expect(plain.headers).toEqual({ 'User-Agent': 'ua' });

    const merged = new Headers({ authorization: 'Bearer per-call', 'x-request-id': 'abc' });
    const copy = withCredentials({ ...plain, headers: merged }, credentials);
    expect(Object.fromEntries(copy.headers as Headers)).toEqual({
      authorization: `Bearer ${TOKEN}`,
      'x-request-id': 'abc',
    });
    expect(merged.get('authorization')).toBe('Bearer per-call');
  });
});
