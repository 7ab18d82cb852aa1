import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerValueProblem } from '../../src/auth.js';
import {
  encodedForms,
  MAX_REMEMBERED_CREDENTIALS,
  REDACTED,
  redactDeep,
  redactError,
  redactSecrets,
  SecretStore,
} from '../../src/redact.js';
import { unwrapEnvelope } from '../../src/response.js';

/** Printable ASCII (what a header can carry), weighted towards URL-, JSON- and HTML-special characters. */
const special = fc.constantFrom(...'%&+/=?#"\\<>\'; :@[]{}~!$*,');
const plain = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const credential = fc
  .string({ unit: fc.oneof(plain, special), minLength: 8, maxLength: 48 })
  .filter((s) => headerValueProblem(s) === null);

const html = (table: Record<string, string>) => (s: string) =>
  s.replace(/[&<>"']/g, (c) => table[c] ?? c);
/** HTML escapers as lodash, Go's html.EscapeString and Python's html.escape write them. */
const lodashEscape = html({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });
const goEscape = html({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' });
const pythonEscape = html({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' });
const textContent = html({ '&': '&amp;', '<': '&lt;', '>': '&gt;' });

/** Every way a careless server, proxy or library may echo `secret`. */
function echoes(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    encodeURI(secret),
    new URLSearchParams({ token: secret }).toString(),
    JSON.stringify({ token: secret }),
    JSON.stringify(secret).replace(/\//g, '\\/'),
    lodashEscape(secret),
    goEscape(secret),
    pythonEscape(secret),
    `<pre>${textContent(`Authorization: Bearer ${secret}`)}</pre>`,
    `https://api.example.com/x?token=${encodeURIComponent(secret)}&y=1`,
  ];
}

/** Whether any form of `secret` of at least 4 characters survives in `text`. */
function leaks(text: string, secret: string): boolean {
  return encodedForms(secret).some((form) => text.includes(form));
}

describe('encoding-aware redaction (property tests)', () => {
  it('removes every credential in raw, percent-, form-, JSON- and HTML-encoded forms', () => {
    fc.assert(
      fc.property(
        credential,
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (secret, before, after) => {
          const store = new SecretStore();
          store.remember(secret);
          for (const echo of echoes(secret)) {
            const out = store.redact(`${before}${echo}${after}`);
            expect(leaks(out, secret)).toBe(false);
            expect(out).toContain(REDACTED);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves no part of a longer credential when a shorter one is inside it or overlaps it', () => {
    fc.assert(
      fc.property(
        credential,
        fc.integer({ min: 1, max: 6 }),
        fc.string({ unit: plain, minLength: 3, maxLength: 8 }),
        (key, cut, tail) => {
          const email = key.slice(cut); // a suffix of the key
          fc.pre(email.length >= 4);
          const overlapping = `${key.slice(-3)}${tail}`; // starts inside the key's end
          const store = new SecretStore();
          store.remember(email);
          store.remember(key);
          store.remember(overlapping);
          // Newlines cannot be part of a credential (header values), so they separate cleanly.
          const out = store.redact(`k\n${key}${tail}\ne\n${email}`);
          expect(out).toBe(`k\n${REDACTED}\ne\n${REDACTED}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('redacts keys and values of echoed JSON, and only those', () => {
    fc.assert(
      fc.property(credential, (secret) => {
        const echoed = { [secret]: [{ message: `bad token ${secret}`, code: 1 }], ok: 'fine' };
        const out = redactDeep(echoed, [secret]);
        expect(JSON.stringify(out)).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(out.ok).toBe('fine');
        expect(Object.keys(out)[0]).toBe(REDACTED);
      }),
      { numRuns: 200 },
    );
  });

  it('never redacts text that holds no credential', () => {
    fc.assert(
      fc.property(credential, fc.string({ maxLength: 200 }), (secret, text) => {
        fc.pre(!leaks(text, secret));
        expect(redactSecrets(text, [secret])).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SecretStore memory', () => {
  it('remembers far more than 16 rotated credentials, as fingerprints', () => {
    const store = new SecretStore();
    const tokens = Array.from(
      { length: 2_000 },
      (_, i) => `rotated-token-${i}-${'x'.repeat(i % 7)}`,
    );
    for (const token of tokens) store.remember(token);
    expect(store.size).toBe(2_000);
    for (const token of [tokens[0], tokens[999], tokens[1_999]] as string[]) {
      expect(store.redact(`echo ${token}.`)).toBe(`echo ${REDACTED}.`);
    }
    store.remember(tokens[0] as string); // remembering again is a no-op
    expect(store.size).toBe(2_000);
  });

  it('forgets the oldest credential only past the cap', () => {
    const store = new SecretStore();
    for (let i = 0; i <= MAX_REMEMBERED_CREDENTIALS; i++) store.remember(`t${i}`);
    expect(store.size).toBe(MAX_REMEMBERED_CREDENTIALS);
    expect(store.redact('t0,')).toBe('t0,');
    expect(store.redact(`t${MAX_REMEMBERED_CREDENTIALS},`)).toBe(`${REDACTED},`);
  });

  it('does not keep the credential text itself', () => {
    const store = new SecretStore();
    store.remember('tok_kept_only_as_fingerprints_0123');
    const seen: string[] = [];
    const walk = (value: unknown, depth: number) => {
      if (depth > 6 || value === null || typeof value !== 'object') {
        if (typeof value === 'string') seen.push(value);
        return;
      }
      const entries = value instanceof Map ? [...value.entries()].flat() : Object.values(value);
      for (const v of entries) walk(v, depth + 1);
    };
    walk(store, 0);
    expect(seen.join(' ')).not.toContain('tok_kept_only');
  });
});

describe('redactError', () => {
  it("copies a provider's error whose message, stack or cause chain holds a token", () => {
    const token = 'tok_from_vault_"quoted"/0123456789';
    const inner = new Error(`vault said: ${encodeURIComponent(token)}`);
    const outer = new TypeError(`refresh failed for ${token}`, { cause: inner });
    (outer as unknown as { response: unknown }).response = { body: JSON.stringify({ token }) };
    const clean = redactError(outer, [token]) as Error & { response: { body: string } };
    expect(clean).not.toBe(outer);
    expect(clean.name).toBe('TypeError');
    const text = `${clean.message} ${clean.stack} ${(clean.cause as Error).message} ${(clean.cause as Error).stack} ${clean.response.body}`;
    expect(leaks(text, token)).toBe(false);
    expect(clean.message).toBe(`refresh failed for ${REDACTED}`);
  });

  it('returns a clean error untouched (the original stays for debugging)', () => {
    const error = new Error('ECONNREFUSED 127.0.0.1:1', { cause: new Error('inner') });
    expect(redactError(error, ['tok_unrelated_0123'])).toBe(error);
  });

  it('redacts AggregateError members and non-Error causes', () => {
    const token = 'tok_aggregate_0123456789';
    const error = new AggregateError([new Error(`a ${token}`), new Error('b')], 'all failed', {
      cause: { detail: token },
    });
    const clean = redactError(error, [token]) as AggregateError;
    expect(JSON.stringify(clean.cause)).not.toContain(token);
    expect(clean.errors.map((e: Error) => e.message)).toEqual([`a ${REDACTED}`, 'b']);
  });
});

describe('success path', () => {
  it('redacts messages of a success envelope', () => {
    const token = 'tok_success_echo_&<>_0123';
    const response = new Response(null, { status: 200 });
    const payload = JSON.stringify({
      success: true,
      errors: [],
      messages: [{ code: 1, message: `used token ${goEscape(token)}` }],
      result: { id: 'x' },
    });
    const context = {
      request: { operationId: 'op', method: 'PATCH', path: '/x' },
      permissionGroups: [],
      secrets: [token],
    };
    const out = unwrapEnvelope(response, payload, context);
    expect(out.messages[0]?.message).toBe(`used token ${REDACTED}`);
  });
});
