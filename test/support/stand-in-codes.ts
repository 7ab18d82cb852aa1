/**
 * Error codes and the response envelope of the stand-in Cloudflare API.
 *
 * Cloudflare does not publish the Email Security error numbers, so the validation codes
 * (1001-1011) are the stand-in's own, stable and documented here; the platform-level codes
 * (971, 7000, 7001, 7003, 9109, 10000) are the ones Cloudflare's edge/API gateway really uses.
 *
 * | HTTP | code  | when                                                                    |
 * |------|-------|-------------------------------------------------------------------------|
 * | 400  | 1001  | body is not valid JSON                                                  |
 * | 400  | 1002  | `policy_id` path segment is not a UUID                                  |
 * | 404  | 1003  | no allow policy with that id                                            |
 * | 400  | 1004  | body missing, not a JSON object, or `{}` on PATCH (minProperties 1)     |
 * | 400  | 1005  | a field has the wrong type/length/enum value (incl. `UNKNOWN` on write) |
 * | 400  | 1006  | a read-only field (`id`, `created_at`, `modified_at`, `last_modified`)  |
 * | 400  | 1007  | a field the schema does not define                                      |
 * | 400  | 1008  | a field required on create is missing                                   |
 * | 400  | 1009  | invalid query parameter (`page`, `per_page`, filters)                   |
 * | 415  | 1010  | body sent without `Content-Type: application/json`                      |
 * | 413  | 1011  | body larger than the stand-in's limit (1 MiB)                           |
 * | 4xx+ | 1099  | an injected `status` fault that did not specify its own errors          |
 * | 429  | 971   | injected `rate-limit` fault (Cloudflare's real throttling code)         |
 * | 404  | 7000  | no route for the URI                                                    |
 * | 405  | 7001  | method not allowed on a known route                                     |
 * | 404  | 7003  | malformed account id ("perhaps your object identifier is invalid?")     |
 * | 403  | 9109  | well-formed account id that is not the stand-in's account               |
 * | 403  | 10000 | missing or wrong credentials ("Authentication error")                   |
 *
 * Field errors carry `source.pointer` (JSON pointer into the body), as the spec's
 * `email-security_messages` schema allows. Code 971 is below the spec's `minimum: 1000`
 * for message codes: the real API sends it anyway, so clients must tolerate it.
 */

export const STAND_IN_ERROR_CODES = {
  invalidJson: 1001,
  invalidPolicyId: 1002,
  policyNotFound: 1003,
  invalidBody: 1004,
  invalidField: 1005,
  readOnlyField: 1006,
  unknownField: 1007,
  missingField: 1008,
  invalidQuery: 1009,
  unsupportedMediaType: 1010,
  payloadTooLarge: 1011,
  injectedFault: 1099,
  rateLimited: 971,
  noRoute: 7000,
  methodNotAllowed: 7001,
  invalidObjectIdentifier: 7003,
  accountForbidden: 9109,
  authenticationError: 10000,
} as const;

export interface ApiMessage {
  code: number;
  message: string;
  source?: { pointer: string };
}

export interface SuccessEnvelope<T> {
  success: true;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: T;
  result_info?: ResultInfo;
}

export interface FailureEnvelope {
  success: false;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: null;
}

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
}

/** A rejected request: the HTTP status and the `errors` of the failure envelope. */
export interface Rejection {
  status: number;
  errors: ApiMessage[];
}

export function successEnvelope<T>(result: T, resultInfo?: ResultInfo): SuccessEnvelope<T> {
  const envelope: SuccessEnvelope<T> = { success: true, errors: [], messages: [], result };
  if (resultInfo) envelope.result_info = resultInfo;
  return envelope;
}

export function failureEnvelope(errors: ApiMessage[]): FailureEnvelope {
  return { success: false, errors, messages: [], result: null };
}

export function reject(status: number, code: number, message: string): Rejection {
  return { status, errors: [{ code, message }] };
}

export const AUTHENTICATION_ERROR: Rejection = reject(
  403,
  STAND_IN_ERROR_CODES.authenticationError,
  'Authentication error',
);

/**
 * Cheap, unique `cf-ray` ids (16 hex digits + colo, like `8f2c1a0b3d4e5f60-SJC`): a random
 * per-server prefix plus a counter, so the hot path does no crypto work per request.
 */
export function createRayIdSource(prefixHex: string, colo = 'SJC'): () => string {
  let counter = 0;
  return () => {
    counter = (counter + 1) >>> 0;
    return `${prefixHex}${counter.toString(16).padStart(8, '0')}-${colo}`;
  };
}

/** The HTML page Cloudflare's edge serves when the origin fails (e.g. 502 Bad Gateway). */
export function edgeErrorPage(status: number, statusText: string, rayId: string): string {
  return [
    '<html>',
    `<head><title>${status} ${statusText}</title></head>`,
    '<body>',
    `<center><h1>${status} ${statusText}</h1></center>`,
    `<hr><center>cloudflare</center>`,
    `<!-- Ray ID: ${rayId} -->`,
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}
