import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  CloudflareApiError,
  ConflictError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/errors.js';
import { unwrapEnvelope } from '../../src/response.js';

const SECRET = 'tok_f00dfacecafe0123456789abcdefSECRET';
const context = {
  request: {
    operationId: 'email_security_update_allow_policy',
    method: 'PATCH',
    path: '/accounts/023e105f4ecef8ad9ca31a8372d0c353/email-security/settings/allow_policies/f174e90a-fafe-4643-bbbc-4a0ed4fc8415',
  },
  permissionGroups: ['Cloud Email Security: Write'],
  secrets: [SECRET],
};

function failure(status: number, errors: unknown[], headers: Record<string, string> = {}) {
  const body = { success: false, errors, messages: [], result: null };
  return { response: new Response(null, { status, headers }), payload: body };
}

function thrown(response: Response, payload: unknown): CloudflareApiError {
  try {
    unwrapEnvelope(response, payload, context);
  } catch (error) {
    expect(error).toBeInstanceOf(CloudflareApiError);
    return error as CloudflareApiError;
  }
  throw new Error('expected an error');
}

describe('unwrapEnvelope', () => {
  it('returns result and messages of a success envelope (string or parsed payload)', () => {
    const envelope = {
      success: true,
      errors: [],
      messages: [{ code: 1, message: 'ok' }],
      result: { id: 'x' },
    };
    const response = new Response(null, { status: 200 });
    expect(unwrapEnvelope(response, JSON.stringify(envelope), context)).toEqual({
      result: { id: 'x' },
      messages: [{ code: 1, message: 'ok' }],
      envelope,
    });
    expect(unwrapEnvelope(response, envelope, context).result).toEqual({ id: 'x' });
  });

  it('maps statuses to the error family', () => {
    const cases: [number, typeof CloudflareApiError][] = [
      [400, BadRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, NotFoundError],
      [409, ConflictError],
      [422, UnprocessableEntityError],
      [429, RateLimitError],
      [500, InternalServerError],
      [503, InternalServerError],
      [418, CloudflareApiError],
    ];
    for (const [status, Class] of cases) {
      const { response, payload } = failure(status, [{ code: 1000, message: 'x' }]);
      const error = thrown(response, payload);
      expect(error, String(status)).toBeInstanceOf(Class);
      expect(error.name).toBe(Class.name);
      expect(error.status).toBe(status);
    }
  });

  it('403 names the permission the operation needs; carries errors, cf-ray and context', () => {
    const { response, payload } = failure(403, [{ code: 10000, message: 'Authentication error' }], {
      'cf-ray': '8d1f2a3b4c5d6e7f-SJC',
    });
    const error = thrown(response, payload);
    expect(error.message).toBe(
      `PATCH ${context.request.path}: 403 Forbidden (code 10000: Authentication error) — the token needs "Cloud Email Security: Write"`,
    );
    expect(error.cfRay).toBe('8d1f2a3b4c5d6e7f-SJC');
    expect(error.requiredPermissions).toEqual(['Cloud Email Security: Write']);
    expect(error.errors).toEqual([{ code: 10000, message: 'Authentication error' }]);
    expect(error.operationId).toBe('email_security_update_allow_policy');
    expect(error.toJSON()).toMatchObject({ name: 'PermissionDeniedError', status: 403 });
  });

  it('lists several errors with documentation links and sources kept', () => {
    const errors = [
      { code: 1005, message: 'pattern too long', source: { pointer: '/pattern' } },
      { code: 1006, message: 'id is read-only', documentation_url: 'https://example.com/d' },
    ];
    const error = thrown(...(Object.values(failure(400, errors)) as [Response, unknown]));
    expect(error.message).toMatch(
      /400 Bad Request \(code 1005: pattern too long; code 1006: id is read-only\)$/,
    );
    expect(error.errors).toEqual(errors);
  });

  it('429 carries retryAfterMs', () => {
    const { response, payload } = failure(429, [{ code: 971, message: 'throttled' }], {
      'retry-after': '120',
    });
    const error = thrown(response, payload) as RateLimitError;
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toMatch(
      /429 Too Many Requests \(code 971: throttled\) — the server asked to wait 120 s$/,
    );
  });

  it('an HTML 502 from the edge gives the status and a short excerpt', () => {
    const html = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'x'.repeat(500)}</body></html>`;
    const response = new Response(null, { status: 502, headers: { 'content-type': 'text/html' } });
    const error = thrown(response, html);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.bodyExcerpt?.length).toBeLessThanOrEqual(161);
    expect(error.message).toMatch(
      /: 502 Bad Gateway \(response is not JSON: "<html> <head><title>502 Bad Gateway<\/title><\/head> <body>x+…"\)$/,
    );
  });

  it('empty, invalid or non-envelope 2xx bodies are InvalidResponseError', () => {
    const ok = () => new Response(null, { status: 200 });
    expect(thrown(ok(), undefined).message).toMatch(/200 OK \(empty response body\)$/);
    expect(thrown(ok(), '{"success": tr')).toBeInstanceOf(InvalidResponseError);
    expect(thrown(ok(), '{"success": tr').message).toMatch(
      /response is not JSON: "\{"success": tr"/,
    );
    expect(thrown(ok(), '[1,2]').message).toMatch(/is not a Cloudflare envelope/);
    expect(thrown(new Response(null, { status: 500 }), '').message).toMatch(
      /500 Internal Server Error \(empty response body\)$/,
    );
  });

  it('redacts credentials the server echoes back', () => {
    const { response, payload } = failure(400, [
      { code: 1, message: `bad header Bearer ${SECRET}` },
    ]);
    const error = thrown(response, payload);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    const html = thrown(
      new Response(null, { status: 502 }),
      `<p>Authorization: Bearer ${SECRET}</p>`,
    );
    expect(html.bodyExcerpt).toBe('<p>Authorization: Bearer [REDACTED]</p>');
  });
});
