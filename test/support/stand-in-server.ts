/**
 * A local stand-in of Cloudflare's Email Security allow-policy API (list, get, create,
 * update, delete) on `127.0.0.1` with a random port, for client, property and e2e tests,
 * the demo and benchmarks. Plain node:http, no vitest, cheap per request.
 *
 * Routes (under `basePath`, default `/client/v4`):
 *   GET    /accounts/{account_id}/email-security/settings/allow_policies        list (page, per_page ≤ 1000, filters)
 *   POST   /accounts/{account_id}/email-security/settings/allow_policies        create → 201
 *   GET    /accounts/{account_id}/email-security/settings/allow_policies/{id}   get
 *   PATCH  /accounts/{account_id}/email-security/settings/allow_policies/{id}   update only the given fields
 *   DELETE /accounts/{account_id}/email-security/settings/allow_policies/{id}   delete → { id }
 *   POST   /accounts/{account_id}/email-security/settings/allow_policies/batch  deletes, patches, puts, posts
 *
 * The batch is atomic and in order (deletes → patches → puts → posts, each array in its own
 * order): every item is validated and applied to a draft of the store; the first problem rejects
 * the whole batch (nothing changes) with `source.pointer` naming the item (`/patches/3/pattern`).
 * All four arrays are required (the spec: "send empty arrays for unused operations"), each at
 * most BATCH_MAX_ITEMS. A `puts` item replaces every writable field (the create rules apply).
 *
 * Order of checks: record → injected fault → route (7000/7003) → method (7001) →
 * credentials (10000) → account (9109) → policy id (1002) → body (1001, 1004-1008, 1010) →
 * existence (1003). Error codes: see `stand-in-codes.ts`.
 *
 * Credentials: `Authorization: Bearer <apiToken>` (scheme case-insensitive) or
 * `X-Auth-Email` + `X-Auth-Key`. When an `Authorization` header is present it alone decides.
 * Credentials are never echoed in responses.
 *
 * Deprecations (today is past their end of life): `is_sender`/`is_recipient`/`is_spoof` are
 * accepted in writes when boolean but not stored ("silently stops trusting"). Responses carry
 * `last_modified` alongside `modified_at`; `legacyResponse: true` omits `modified_at` to
 * model an older API. A successful PATCH always sets `modified_at` and `last_modified`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type BatchRequest, validateBatchBody } from './stand-in-batch.js';
import {
  type ApiMessage,
  AUTHENTICATION_ERROR,
  STAND_IN_ERROR_CODES as CODES,
  createRayIdSource,
  edgeErrorPage,
  failureEnvelope,
  type Rejection,
  type ResultInfo,
  reject,
  successEnvelope,
} from './stand-in-codes.js';
import {
  deprecationHeaders,
  type Fault,
  type FaultOptions,
  FaultQueue,
} from './stand-in-faults.js';
import {
  createStandInRateLimit,
  type RateLimitStats,
  type StandInRateLimit,
} from './stand-in-rate-limit.js';
import {
  type AllowPolicyWritable,
  interpretBody,
  isAccountId,
  isUuid,
  tryParseJson,
  validateCreateBody,
  validateUpdateBody,
} from './stand-in-validation.js';

export type { ApiMessage, Rejection } from './stand-in-codes.js';
export { STAND_IN_ERROR_CODES } from './stand-in-codes.js';
export type { Fault, FaultOptions } from './stand-in-faults.js';
export type { RateLimitStats, StandInRateLimit } from './stand-in-rate-limit.js';
export type { AllowPolicyWritable, PatternType } from './stand-in-validation.js';

/** A stored allow policy (response shape). Legacy `is_*` fields exist only if seeded. */
export interface AllowPolicy extends AllowPolicyWritable {
  id: string;
  created_at: string;
  last_modified: string;
  modified_at: string;
  is_recipient?: boolean;
  is_sender?: boolean;
  is_spoof?: boolean;
}

export interface StandInOptions {
  /** 32 lowercase hex digits; default `023e105f4ecef8ad9ca31a8372d0c353` (the spec example). */
  accountId?: string;
  /** Default: a random 40-character token. */
  apiToken?: string;
  apiEmail?: string;
  /** Default: a random 37-hex-digit Global API key. */
  apiKey?: string;
  /** Default `/client/v4`; must start with `/` and not end with one (or be ''). */
  basePath?: string;
  /** Omit `modified_at` from responses (an API from before `modified_at` existed). */
  legacyResponse?: boolean;
  /** Time source for `created_at`/`modified_at`/`last_modified` (default: the wall clock). */
  clock?: () => Date;
  /** Set `false` in benchmarks to keep memory flat; `requests` then stays empty. */
  recordRequests?: boolean;
  /** Enforce a (scaled-down) Cloudflare budget and send `Ratelimit` headers: `stand-in-rate-limit.ts`. */
  rateLimit?: StandInRateLimit;
}

export interface RecordedRequest {
  method: string;
  /** Raw request target, including the query string. */
  path: string;
  /** Lower-cased header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** The body exactly as received (UTF-8; cut at MAX_BODY_BYTES, which answers 413). */
  bodyText: string;
  /** Parsed JSON body, or `undefined` if empty or not valid JSON. */
  body: unknown;
}

export interface StandInServer {
  /** e.g. `http://127.0.0.1:PORT/client/v4` */
  baseUrl: string;
  accountId: string;
  apiToken: string;
  apiEmail: string;
  apiKey: string;
  /** Every request received, in order, recorded before any validation. */
  requests: RecordedRequest[];
  policies: Map<string, AllowPolicy>;
  seedPolicy(fields?: Partial<AllowPolicy>): AllowPolicy;
  injectFault(fault: Fault, options?: FaultOptions): void;
  /**
   * The server dies after `writes` more successful writes (PATCH, POST, PUT, DELETE): that last
   * write is applied but its answer is lost (the socket is destroyed), and every request after it
   * is dropped the same way, until `revive()` (a restart with the state kept).
   */
  dieAfterWrites(writes: number): void;
  revive(): void;
  /** Successful writes answered or applied since start (or `reset`). */
  readonly writeCount: number;
  /** Counts of the rate-limit mode (all zero without `rateLimit`). */
  readonly rateLimitStats: RateLimitStats;
  /** Clears requests, faults and policies (the same array/map objects stay in place). */
  reset(): void;
  /** Closes the server, destroys all sockets and cancels pending delayed answers. */
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353';
export const DEFAULT_API_EMAIL = 'stand-in@example.com';
/** Request bodies above this size are answered with 413 (code 1011). */
export const MAX_BODY_BYTES = 1024 * 1024;

const ALLOW_POLICIES_SUFFIX = '/email-security/settings/allow_policies';
const BATCH_SEGMENT = 'batch';
/**
 * `maxItems` of the arrays of the allow-policy batch body, read from the vendored spec (the
 * smallest, should they ever differ): the stand-in enforces what the spec says.
 */
export const BATCH_MAX_ITEMS = batchMaxItems();

function batchMaxItems(): number {
  const specFile = fileURLToPath(
    new URL('../../openapi/cloudflare-email-security.openapi.json', import.meta.url),
  );
  type Schema = { properties?: Record<string, { maxItems?: unknown }> };
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as {
    paths?: Record<
      string,
      { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } }
    >;
  };
  const path = `/accounts/{account_id}${ALLOW_POLICIES_SUFFIX}/${BATCH_SEGMENT}`;
  const schema = spec.paths?.[path]?.post?.requestBody?.content?.['application/json']?.schema;
  const limits = Object.values(schema?.properties ?? {}).map((property) => property.maxItems);
  if (limits.length === 0 || !limits.every((limit) => Number.isInteger(limit))) {
    throw new Error(
      `stand-in: the spec's ${path} body has no maxItems on every array (${specFile})`,
    );
  }
  return Math.min(...(limits as number[]));
}
const COLLECTION_METHODS = ['GET', 'POST'];
const ITEM_METHODS = ['GET', 'PATCH', 'DELETE'];
const BATCH_METHODS = ['POST'];
const WRITE_METHODS = ['PATCH', 'POST', 'PUT', 'DELETE'];
const LIST_BOOLEAN_FILTERS = [
  'is_acceptable_sender',
  'is_exempt_recipient',
  'is_trusted_sender',
  'verify_sender',
] as const;
const PATTERN_TYPES: readonly string[] = ['EMAIL', 'DOMAIN', 'IP', 'UNKNOWN'];

interface Answer {
  status: number;
  payload: unknown;
  headers?: OutgoingHttpHeaders;
}

interface Settings {
  accountId: string;
  apiToken: string;
  apiEmail: string;
  apiKey: string;
  basePath: string;
  legacyResponse: boolean;
  clock: () => Date;
  recordRequests: boolean;
}

export async function startStandInServer(options: StandInOptions = {}): Promise<StandInServer> {
  const settings = resolveSettings(options);
  const state = new StandInState(settings);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const nextRayId = createRayIdSource(randomBytes(4).toString('hex'));
  const route = createRouter(settings.basePath);
  const rateLimit = options.rateLimit ? createStandInRateLimit(options.rateLimit) : undefined;
  const life = { writes: 0, writesLeft: undefined as number | undefined, dead: false };

  const send = (res: ServerResponse, answer: Answer, extra?: OutgoingHttpHeaders): void => {
    if (res.destroyed || res.writableEnded) return;
    const text = answer.payload === undefined ? '' : JSON.stringify(answer.payload);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'cf-ray': nextRayId(),
      ...answer.headers,
      ...extra,
    });
    res.end(text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: ReceivedBody): void => {
    const call: Call = {
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath: req.url ?? '/',
      headers: copyHeaders(req.headers),
      bodyText: body.text,
      json: tryParseJson(body.text),
    };
    if (settings.recordRequests) requests.push(toRecord(call));
    if (life.dead) {
      res.socket?.destroy();
      return;
    }
    const verdict = rateLimit?.check();
    if (verdict?.kind === 'blocked') {
      writeRaw(res, 429, nextRayId(), rateLimitBody(), verdict.headers as Record<string, string>);
      return;
    }
    const fault = faults.take(call.method, call.rawPath);
    const respond = (extra?: OutgoingHttpHeaders) => {
      const answer = body.tooLarge ? payloadTooLarge() : route(call, settings, state);
      if (WRITE_METHODS.includes(call.method) && answer.status < 300) {
        life.writes += 1;
        if (life.writesLeft !== undefined && --life.writesLeft <= 0) {
          life.dead = true;
          res.socket?.destroy();
          return;
        }
      }
      send(res, answer, { ...verdict?.headers, ...extra });
    };
    if (fault === undefined) respond();
    else applyFault(fault, res, { respond, timers, rayId: nextRayId });
  };

  const server = createServer((req, res) => {
    readBody(req, (body) => handle(req, res, body));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    baseUrl: `http://127.0.0.1:${port}${settings.basePath}`,
    accountId: settings.accountId,
    apiToken: settings.apiToken,
    apiEmail: settings.apiEmail,
    apiKey: settings.apiKey,
    requests,
    policies: state.policies,
    seedPolicy: (fields) => ({ ...state.seed(fields) }),
    injectFault: (fault, faultOptions) => faults.add(fault, faultOptions),
    dieAfterWrites: (writes) => {
      if (!Number.isInteger(writes) || writes < 1) {
        throw new RangeError(`dieAfterWrites: writes must be a positive integer, got ${writes}.`);
      }
      life.writesLeft = writes;
    },
    revive: () => {
      life.dead = false;
      life.writesLeft = undefined;
    },
    get writeCount() {
      return life.writes;
    },
    rateLimitStats: rateLimit?.stats ?? { accepted: 0, rejected: 0, trips: 0 },
    reset: () => {
      requests.length = 0;
      faults.clear();
      state.policies.clear();
      rateLimit?.reset();
      life.writes = 0;
      life.writesLeft = undefined;
      life.dead = false;
    },
    close,
  };
}

// ---------------------------------------------------------------------------- settings

function resolveSettings(options: StandInOptions): Settings {
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!isAccountId(accountId)) {
    throw new TypeError(
      `startStandInServer: accountId must be 32 lowercase hex digits (a Cloudflare account id), got ${JSON.stringify(accountId)}.`,
    );
  }
  const basePath = options.basePath ?? '/client/v4';
  if (basePath !== '' && (!basePath.startsWith('/') || basePath.endsWith('/'))) {
    throw new TypeError(
      `startStandInServer: basePath must start with '/' and not end with '/' (e.g. '/client/v4'), got ${JSON.stringify(basePath)}.`,
    );
  }
  return {
    accountId,
    apiToken: requireSecret('apiToken', options.apiToken ?? randomBytes(30).toString('base64url')),
    apiEmail: requireSecret('apiEmail', options.apiEmail ?? DEFAULT_API_EMAIL),
    apiKey: requireSecret('apiKey', options.apiKey ?? randomBytes(19).toString('hex').slice(0, 37)),
    basePath,
    legacyResponse: options.legacyResponse ?? false,
    clock: options.clock ?? (() => new Date()),
    recordRequests: options.recordRequests ?? true,
  };
}

function requireSecret(name: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    // The value itself is not printed: it may be a real credential.
    throw new TypeError(`startStandInServer: ${name} must be a non-empty single-line string.`);
  }
  return value;
}

function listen(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------- transport

interface ReceivedBody {
  text: string;
  tooLarge: boolean;
}

interface Call {
  method: string;
  rawPath: string;
  headers: Record<string, string>;
  bodyText: string;
  json: ReturnType<typeof tryParseJson>;
}

function readBody(req: IncomingMessage, done: (body: ReceivedBody) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    else tooLarge = true;
  });
  req.on('end', () => {
    const text = chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
    done({ text, tooLarge });
  });
}

function copyHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) copy[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return copy;
}

function toRecord(call: Call): RecordedRequest {
  return {
    method: call.method,
    path: call.rawPath,
    headers: call.headers,
    bodyText: call.bodyText,
    body: call.json.ok ? call.json.value : undefined,
  };
}

function payloadTooLarge(): Answer {
  return failure(
    reject(
      413,
      CODES.payloadTooLarge,
      `Request body is larger than ${MAX_BODY_BYTES} bytes; an allow policy update is a few hundred bytes.`,
    ),
  );
}

const TRUNCATED_JSON = '{"success":true,"errors":[],"messages":[],"result":{"id":"';

interface FaultContext {
  respond: (extra?: OutgoingHttpHeaders) => void;
  timers: Set<NodeJS.Timeout>;
  rayId: () => string;
}

function applyFault(fault: Fault, res: ServerResponse, context: FaultContext): void {
  switch (fault.kind) {
    case 'status':
      writeRaw(res, fault.status, context.rayId(), injectedFailure(fault), fault.headers);
      break;
    case 'rate-limit':
      writeRaw(res, 429, context.rayId(), rateLimitBody(), rateLimitHeaders(fault));
      break;
    case 'html':
      writeHtml(res, fault.status ?? 502, context.rayId());
      break;
    case 'reset':
      res.socket?.destroy();
      break;
    case 'delay':
      delay(fault.ms, res, context);
      break;
    case 'invalid-json':
      writeRaw(res, 200, context.rayId(), TRUNCATED_JSON);
      break;
    case 'empty':
      writeRaw(res, fault.status ?? 200, context.rayId(), '');
      break;
    case 'deprecation-headers':
      context.respond(deprecationHeaders(fault));
      break;
  }
}

function delay(ms: number, res: ServerResponse, context: FaultContext): void {
  const timer = setTimeout(() => {
    context.timers.delete(timer);
    context.respond();
  }, ms);
  context.timers.add(timer);
  res.once('close', () => {
    clearTimeout(timer);
    context.timers.delete(timer);
  });
}

function injectedFailure(fault: Extract<Fault, { kind: 'status' }>): string {
  const errors = fault.errors ?? [
    {
      code: CODES.injectedFault,
      message: `${fault.status} ${STATUS_CODES[fault.status] ?? 'Unknown status'} (injected fault)`,
    },
  ];
  return JSON.stringify(failureEnvelope(errors));
}

function rateLimitBody(): string {
  return JSON.stringify(
    failureEnvelope([
      {
        code: CODES.rateLimited,
        message: 'Please wait and consider throttling your request speed',
      },
    ]),
  );
}

function rateLimitHeaders(fault: Extract<Fault, { kind: 'rate-limit' }>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
  return headers;
}

function writeRaw(
  res: ServerResponse,
  status: number,
  rayId: string,
  text: string,
  extra?: Record<string, string>,
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cf-ray': rayId,
    ...extra,
  });
  res.end(text);
}

function writeHtml(res: ServerResponse, status: number, rayId: string): void {
  const text = edgeErrorPage(status, STATUS_CODES[status] ?? 'Error', rayId);
  res.writeHead(status, {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(text),
    'cf-ray': rayId,
    server: 'cloudflare',
  });
  res.end(text);
}

// ---------------------------------------------------------------------------- routing

type Route = (call: Call, settings: Settings, state: StandInState) => Answer;

function createRouter(basePath: string): Route {
  const accountsPrefix = `${basePath}/accounts/`;
  return (call, settings, state) => {
    const queryStart = call.rawPath.indexOf('?');
    const pathname = queryStart === -1 ? call.rawPath : call.rawPath.slice(0, queryStart);
    const query = queryStart === -1 ? '' : call.rawPath.slice(queryStart + 1);
    const target = matchAllowPolicies(pathname, accountsPrefix);
    if (target === undefined) return noRoute(pathname);
    if (!isAccountId(target.accountId)) return invalidObjectIdentifier(pathname);
    const allowed =
      target.policyId === undefined
        ? COLLECTION_METHODS
        : target.policyId === BATCH_SEGMENT
          ? BATCH_METHODS
          : ITEM_METHODS;
    if (!allowed.includes(call.method)) return methodNotAllowed(call.method, allowed);
    if (!isAuthenticated(call.headers, settings)) return failure(AUTHENTICATION_ERROR);
    if (target.accountId !== settings.accountId) return accountForbidden();
    if (target.policyId === undefined) return routeCollection(call, query, state);
    if (target.policyId === BATCH_SEGMENT) return routeBatch(call, state);
    if (!isUuid(target.policyId)) return invalidPolicyId(target.policyId);
    return routeItem(call, target.policyId.toLowerCase(), state);
  };
}

function matchAllowPolicies(
  pathname: string,
  accountsPrefix: string,
): { accountId: string; policyId: string | undefined } | undefined {
  if (!pathname.startsWith(accountsPrefix)) return undefined;
  const rest = pathname.slice(accountsPrefix.length);
  const accountEnd = rest.indexOf('/');
  if (accountEnd <= 0) return undefined;
  const afterAccount = rest.slice(accountEnd);
  if (!afterAccount.startsWith(ALLOW_POLICIES_SUFFIX)) return undefined;
  const tail = afterAccount.slice(ALLOW_POLICIES_SUFFIX.length);
  const accountId = safeDecode(rest.slice(0, accountEnd));
  if (tail === '' || tail === '/') return { accountId, policyId: undefined };
  const segment = tail.endsWith('/') ? tail.slice(1, -1) : tail.slice(1);
  if (!tail.startsWith('/') || segment === '' || segment.includes('/')) return undefined;
  return { accountId, policyId: segment === BATCH_SEGMENT ? segment : safeDecode(segment) };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isAuthenticated(headers: Record<string, string>, settings: Settings): boolean {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const space = authorization.indexOf(' ');
    if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'bearer') return false;
    return authorization.slice(space + 1).trim() === settings.apiToken;
  }
  return headers['x-auth-email'] === settings.apiEmail && headers['x-auth-key'] === settings.apiKey;
}

function routeCollection(call: Call, query: string, state: StandInState): Answer {
  if (call.method === 'GET') return state.list(new URLSearchParams(query));
  const body = interpretBody(call.bodyText, call.headers['content-type'], call.json);
  if (!body.ok) return failure(body.rejection);
  const validated = validateCreateBody(body.value);
  if (!validated.ok) return failure(validated.rejection);
  return { status: 201, payload: successEnvelope(state.create(validated.fields)) };
}

function routeBatch(call: Call, state: StandInState): Answer {
  const body = interpretBody(call.bodyText, call.headers['content-type'], call.json);
  if (!body.ok) return failure(body.rejection);
  const validated = validateBatchBody(body.value, BATCH_MAX_ITEMS);
  if (!validated.ok) return failure(validated.rejection);
  return state.batch(validated.batch);
}

function routeItem(call: Call, policyId: string, state: StandInState): Answer {
  if (call.method === 'GET') return state.get(policyId);
  if (call.method === 'DELETE') return state.delete(policyId);
  const body = interpretBody(call.bodyText, call.headers['content-type'], call.json);
  if (!body.ok) return failure(body.rejection);
  const validated = validateUpdateBody(body.value);
  if (!validated.ok) return failure(validated.rejection);
  return state.update(policyId, validated.fields);
}

function failure(rejection: Rejection): Answer {
  return { status: rejection.status, payload: failureEnvelope(rejection.errors) };
}

function noRoute(pathname: string): Answer {
  return failure(reject(404, CODES.noRoute, `No route for that URI: ${pathname}`));
}

function invalidObjectIdentifier(pathname: string): Answer {
  return failure({
    status: 404,
    errors: [
      {
        code: CODES.invalidObjectIdentifier,
        message: `Could not route to ${pathname}, perhaps your object identifier is invalid? Account ids are 32 hex digits.`,
      },
      { code: CODES.noRoute, message: 'No route for that URI' },
    ],
  });
}

function methodNotAllowed(method: string, allowed: readonly string[]): Answer {
  return {
    ...failure(
      reject(
        405,
        CODES.methodNotAllowed,
        `Method ${method} not allowed here; use ${allowed.join(', ')}.`,
      ),
    ),
    headers: { allow: allowed.join(', ') },
  };
}

function accountForbidden(): Answer {
  return failure(reject(403, CODES.accountForbidden, 'Unauthorized to access requested resource'));
}

function invalidPolicyId(policyId: string): Answer {
  const shown = policyId.length > 64 ? `${policyId.slice(0, 64)}…` : policyId;
  return failure(
    reject(
      400,
      CODES.invalidPolicyId,
      `Invalid policy_id ${JSON.stringify(shown)}: expected a UUID like f174e90a-fafe-4643-bbbc-4a0ed4fc8415.`,
    ),
  );
}

// ---------------------------------------------------------------------------- state

class StandInState {
  readonly policies = new Map<string, AllowPolicy>();
  #seedCount = 0;

  constructor(private readonly settings: Settings) {}

  seed(fields: Partial<AllowPolicy> = {}): AllowPolicy {
    this.#seedCount += 1;
    const now = this.#now();
    const policy: AllowPolicy = {
      id: randomUUID(),
      pattern: `seed-${this.#seedCount}@example.com`,
      pattern_type: 'EMAIL',
      is_acceptable_sender: false,
      is_exempt_recipient: false,
      is_regex: false,
      is_trusted_sender: true,
      verify_sender: true,
      comments: null,
      created_at: now,
      // Seeding only one of the two timestamps keeps them equal, as the API would.
      last_modified: fields.modified_at ?? now,
      modified_at: fields.last_modified ?? now,
      ...fields,
    };
    this.policies.set(policy.id, policy);
    return policy;
  }

  create(fields: Partial<AllowPolicyWritable>): unknown {
    // Required fields were checked by validateCreateBody.
    const policy = newPolicy(fields, this.#now());
    this.policies.set(policy.id, policy);
    return this.#view(policy);
  }

  get(policyId: string): Answer {
    const policy = this.policies.get(policyId);
    if (policy === undefined) return notFound(policyId);
    return { status: 200, payload: successEnvelope(this.#view(policy)) };
  }

  update(policyId: string, fields: Partial<AllowPolicyWritable>): Answer {
    const policy = this.policies.get(policyId);
    if (policy === undefined) return notFound(policyId);
    const now = this.#now();
    Object.assign(policy, fields);
    policy.modified_at = now;
    policy.last_modified = now;
    return { status: 200, payload: successEnvelope(this.#view(policy)) };
  }

  delete(policyId: string): Answer {
    if (!this.policies.delete(policyId)) return notFound(policyId);
    return { status: 200, payload: successEnvelope({ id: policyId }) };
  }

  /**
   * Applies a validated batch to a draft of the store and commits it only when every item
   * succeeded: a missing id (also one deleted earlier in the same batch) rejects it all.
   */
  batch(request: BatchRequest): Answer {
    const draft = new Map(this.policies);
    const now = this.#now();
    const result = {
      deletes: [] as unknown[],
      patches: [] as unknown[],
      puts: [] as unknown[],
      posts: [] as unknown[],
    };
    for (const [index, { id }] of request.deletes.entries()) {
      if (!draft.delete(id)) return batchNotFound(id, 'deletes', index);
      result.deletes.push({ id });
    }
    for (const [index, { id, fields }] of request.patches.entries()) {
      const policy = draft.get(id);
      if (policy === undefined) return batchNotFound(id, 'patches', index);
      const updated = { ...policy, ...fields, modified_at: now, last_modified: now };
      draft.set(id, updated);
      result.patches.push(this.#view(updated));
    }
    for (const [index, { id, fields }] of request.puts.entries()) {
      const policy = draft.get(id);
      if (policy === undefined) return batchNotFound(id, 'puts', index);
      // Validated with the create rules: every writable field is given, so nothing old survives.
      const replaced = {
        id,
        created_at: policy.created_at,
        comments: null,
        ...fields,
        modified_at: now,
        last_modified: now,
      } as AllowPolicy;
      draft.set(id, replaced);
      result.puts.push(this.#view(replaced));
    }
    for (const fields of request.posts) {
      const policy = newPolicy(fields, now);
      draft.set(policy.id, policy);
      result.posts.push(this.#view(policy));
    }
    this.policies.clear();
    for (const [id, policy] of draft) this.policies.set(id, policy);
    return { status: 200, payload: successEnvelope(result) };
  }

  list(query: URLSearchParams): Answer {
    const parsed = parseListQuery(query);
    if ('rejection' in parsed) return failure(parsed.rejection);
    const matching = sortPolicies(
      [...this.policies.values()].filter((policy) => matchesFilters(policy, parsed)),
      parsed,
    );
    const start = (parsed.page - 1) * parsed.perPage;
    const page = matching.slice(start, start + parsed.perPage).map((policy) => this.#view(policy));
    const info: ResultInfo = {
      page: parsed.page,
      per_page: parsed.perPage,
      count: page.length,
      total_count: matching.length,
    };
    return { status: 200, payload: successEnvelope(page, info) };
  }

  #view(policy: AllowPolicy): unknown {
    if (!this.settings.legacyResponse) return policy;
    const { modified_at: _omitted, ...legacy } = policy;
    return legacy;
  }

  #now(): string {
    return this.settings.clock().toISOString();
  }
}

function batchNotFound(policyId: string, array: string, index: number): Answer {
  return failure({
    status: 404,
    errors: [
      {
        code: CODES.policyNotFound,
        message: `Allow policy ${policyId} not found (${array}[${index}]); nothing in the batch was applied.`,
        source: { pointer: `/${array}/${index}/id` },
      },
    ],
  });
}

function notFound(policyId: string): Answer {
  return failure(reject(404, CODES.policyNotFound, `Allow policy ${policyId} not found.`));
}

interface ListQuery {
  page: number;
  perPage: number;
  patternType: string | undefined;
  pattern: string | undefined;
  search: string | undefined;
  order: 'pattern' | 'created_at' | undefined;
  descending: boolean;
  booleans: Partial<Record<(typeof LIST_BOOLEAN_FILTERS)[number], boolean>>;
}

function parseListQuery(query: URLSearchParams): ListQuery | { rejection: Rejection } {
  const problems: ApiMessage[] = [];
  const invalid = (message: string) => problems.push({ code: CODES.invalidQuery, message });
  const page = parsePositiveInteger(query.get('page'), 1);
  if (page === undefined) invalid("Query parameter 'page' must be an integer >= 1.");
  const perPage = parsePositiveInteger(query.get('per_page'), 20);
  if (perPage === undefined || perPage > 1000) {
    invalid("Query parameter 'per_page' must be an integer from 1 to 1000.");
  }
  const patternType = query.get('pattern_type') ?? undefined;
  if (patternType !== undefined && !PATTERN_TYPES.includes(patternType)) {
    invalid(`Query parameter 'pattern_type' must be one of ${PATTERN_TYPES.join(', ')}.`);
  }
  const order = query.get('order') ?? undefined;
  if (order !== undefined && order !== 'pattern' && order !== 'created_at') {
    invalid("Query parameter 'order' must be 'pattern' or 'created_at'.");
  }
  const direction = query.get('direction') ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') {
    invalid("Query parameter 'direction' must be 'asc' or 'desc'.");
  }
  const booleans: ListQuery['booleans'] = {};
  for (const name of LIST_BOOLEAN_FILTERS) {
    const raw = query.get(name);
    if (raw === null) continue;
    if (raw === 'true' || raw === 'false') booleans[name] = raw === 'true';
    else invalid(`Query parameter '${name}' must be 'true' or 'false'.`);
  }
  if (problems.length > 0) return { rejection: { status: 400, errors: problems } };
  return {
    page: page ?? 1,
    perPage: perPage ?? 20,
    patternType,
    pattern: query.get('pattern') ?? undefined,
    search: query.get('search')?.toLowerCase() ?? undefined,
    order: order as ListQuery['order'],
    descending: direction === 'desc',
    booleans,
  };
}

function parsePositiveInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 ? value : undefined;
}

function matchesFilters(policy: AllowPolicy, query: ListQuery): boolean {
  if (query.patternType !== undefined && policy.pattern_type !== query.patternType) return false;
  if (query.pattern !== undefined && policy.pattern !== query.pattern) return false;
  if (query.search !== undefined) {
    const haystack = `${policy.pattern} ${policy.comments ?? ''}`.toLowerCase();
    if (!haystack.includes(query.search)) return false;
  }
  for (const [name, expected] of Object.entries(query.booleans)) {
    if (policy[name as keyof AllowPolicy] !== expected) return false;
  }
  return true;
}

function sortPolicies(policies: AllowPolicy[], query: ListQuery): AllowPolicy[] {
  const key = query.order;
  if (key !== undefined) policies.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
  if (query.descending) policies.reverse();
  return policies;
}

/** A created policy (create or a batch `posts` item): a new id, the times set to `now`. */
function newPolicy(fields: Partial<AllowPolicyWritable>, now: string): AllowPolicy {
  return {
    id: randomUUID(),
    comments: null,
    ...fields,
    created_at: now,
    last_modified: now,
    modified_at: now,
  } as AllowPolicy;
}
