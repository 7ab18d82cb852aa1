/**
 * Credentials → request headers, driven by the operation's generated `security` metadata: the
 * header names and the HTTP auth scheme come from the spec, never from this file. A credential
 * field is the camelCase of its security scheme's name (`api_token` → `apiToken`,
 * `api_email` → `apiEmail`, `api_key` → `apiKey`).
 */
import {
  CLIENT_CREATION,
  type ClientCreation,
  CredentialsError,
  type ErrorContext,
  isClientCreation,
  type RequestContext,
} from './errors.js';
import type { Log } from './logger.js';
import type {
  OperationMetadata,
  SecurityAlternatives,
  SecuritySchemeMetadata,
} from './metadata.js';
import { redactError, SecretStore } from './redact.js';
import type { SendableRequest } from './request.js';
import { emitWarning } from './warnings.js';

/** Preferred: an API token (`Authorization: Bearer …`), scoped and revocable. */
export interface ApiTokenCredentials {
  readonly apiToken: string;
  readonly apiEmail?: never;
  readonly apiKey?: never;
}

/** Legacy: the account email plus the Global API key. */
export interface ApiKeyCredentials {
  readonly apiEmail: string;
  readonly apiKey: string;
  readonly apiToken?: never;
}

export type Credentials = ApiTokenCredentials | ApiKeyCredentials;

/** Called before every request (secret managers, rotation); may be async. */
export type CredentialsProvider = () => Credentials | Promise<Credentials>;

export type AuthOption = Credentials | CredentialsProvider;

export const ENV_API_TOKEN = 'CLOUDFLARE_API_TOKEN';
export const ENV_API_EMAIL = 'CLOUDFLARE_EMAIL';
export const ENV_API_KEY = 'CLOUDFLARE_API_KEY';

const HOW_TO =
  `pass auth: { apiToken } (preferred), auth: { apiEmail, apiKey } or auth: async () => credentials, ` +
  `or set ${ENV_API_TOKEN} (or ${ENV_API_EMAIL} + ${ENV_API_KEY})`;

/** Credentials from the environment, with the precedence Cloudflare's own tools use. */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  creation: ClientCreation = CLIENT_CREATION,
): Credentials | undefined {
  const apiToken = env[ENV_API_TOKEN];
  if (apiToken) return checkCredentials({ apiToken }, 'env', creation);
  const apiEmail = env[ENV_API_EMAIL];
  const apiKey = env[ENV_API_KEY];
  if (!apiEmail && !apiKey) return undefined;
  return checkCredentials({ apiEmail, apiKey } as Credentials, 'env', creation);
}

/** The auth option, or the environment's credentials; throws when there are none. */
export function resolveAuth(
  auth: AuthOption | undefined,
  env: Readonly<Record<string, string | undefined>>,
  creation: ClientCreation,
): Credentials | CredentialsProvider {
  if (typeof auth === 'function') return auth;
  if (auth !== undefined) return checkCredentials(auth, 'options.auth', creation);
  const fromEnv = credentialsFromEnv(env, creation);
  if (!fromEnv) throw new CredentialsError(`no credentials: ${HOW_TO}`, creation);
  return fromEnv;
}

const FIELD_ENV: Record<string, string> = {
  apiToken: ENV_API_TOKEN,
  apiEmail: ENV_API_EMAIL,
  apiKey: ENV_API_KEY,
};

/**
 * Shape and header-safety checks. Messages name the field (or env variable), never its value.
 * `source` says where the credentials came from, for the message.
 */
export function checkCredentials(
  value: unknown,
  source: 'options.auth' | 'env' | 'credentials provider',
  context?: ErrorContext,
): Credentials {
  const fail = (problem: string) => {
    const outcome = isClientCreation(context) ? 'no client was created' : 'nothing was sent';
    throw new CredentialsError(`${source}: ${problem}; ${outcome}`, context);
  };
  if (typeof value !== 'object' || value === null) {
    return fail(`expected an object with apiToken or apiEmail + apiKey (${HOW_TO})`);
  }
  const given = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
  const names = given.map(([k]) => k);
  const label = (field: string) => (source === 'env' ? (FIELD_ENV[field] ?? field) : field);
  if (names.length === 0) fail(`no credentials (${HOW_TO})`);
  if (names.includes('apiToken') && (names.includes('apiKey') || names.includes('apiEmail'))) {
    fail('both an API token and a Global API key/email were given (ambiguous): keep only apiToken');
  }
  if (names.includes('apiEmail') !== names.includes('apiKey')) {
    const missing = names.includes('apiEmail') ? 'apiKey' : 'apiEmail';
    const present = missing === 'apiKey' ? 'apiEmail' : 'apiKey';
    fail(`${label(present)} was given without ${label(missing)}: the Global API key needs both`);
  }
  for (const [field, v] of given) {
    const problem = headerValueProblem(v);
    if (problem) fail(`${label(field)} ${problem}`);
  }
  return value as Credentials;
}

/** Why a value cannot be sent as an HTTP header value, or null when it can. */
export function headerValueProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a string, got ${typeof value}`;
  if (value === '') return 'is empty';
  if (/[\r\n]/.test(value)) return 'contains CR/LF (header injection)';
  if (value.trim() !== value) return 'has surrounding whitespace (check for a trailing newline)';
  if (!/^[\x20-\x7e]+$/.test(value)) return 'contains non-printable or non-ASCII characters';
  return null;
}

/** camelCase of a security scheme name: the credential field that feeds it. */
export function credentialField(scheme: SecuritySchemeMetadata): string {
  return scheme.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Header name/value pairs for the credentials under the first alternative they satisfy. */
export function authHeaders(
  security: SecurityAlternatives,
  credentials: Credentials,
  context?: RequestContext,
): { headers: [string, string][]; legacy: boolean } {
  const given = Object.keys(credentials)
    .filter((k) => (credentials as unknown as Record<string, unknown>)[k] != null)
    .sort();
  const alternative = security.find((schemes) => {
    const needed = schemes.map(credentialField).sort();
    return needed.length === given.length && needed.every((f, i) => f === given[i]);
  });
  if (!alternative) {
    const accepted = security.map((s) => s.map(credentialField).join(' + ')).join(' | ');
    throw new CredentialsError(
      `this operation does not accept ${given.join(' + ') || 'no credentials'}; it accepts ${accepted}; nothing was sent`,
      context,
    );
  }
  const values = credentials as unknown as Record<string, string>;
  const headers = alternative.map((scheme): [string, string] => {
    const value = values[credentialField(scheme)] as string;
    if (scheme.type === 'http') return ['Authorization', `${capitalize(scheme.scheme)} ${value}`];
    if (scheme.in !== 'header') {
      throw new CredentialsError(
        `security scheme ${scheme.name} in ${scheme.in} is not supported`,
        context,
      );
    }
    return [scheme.headerName, value];
  });
  const hasHttp = security.some((s) => s.some((scheme) => scheme.type === 'http'));
  return { headers, legacy: hasHttp && alternative.every((s) => s.type !== 'http') };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Header names (lower case) that any operation's security could carry: always redacted. */
export function securityHeaderNames(operations: readonly OperationMetadata[]): Set<string> {
  const names = new Set<string>();
  for (const op of operations) {
    for (const scheme of op.security.flat()) {
      names.add(scheme.type === 'http' ? 'authorization' : scheme.headerName.toLowerCase());
    }
  }
  return names;
}

export interface AuthState {
  readonly source: Credentials | CredentialsProvider;
  /** Every credential value the client has held, for redaction (each value a provider returns). */
  readonly secrets: SecretStore;
  /** Called once per client the first time the legacy Global API key is used. */
  readonly onLegacy: () => void;
  legacyReported: boolean;
  /** Static credentials' headers, per operation (derived on first use). */
  readonly fixed: WeakMap<OperationMetadata, ResolvedAuth>;
}

function remember(state: AuthState, credentials: Credentials) {
  for (const value of Object.values(credentials)) {
    if (typeof value === 'string') state.secrets.remember(value);
  }
}

export function createAuthState(
  source: Credentials | CredentialsProvider,
  onLegacy: () => void,
): AuthState {
  const state: AuthState = {
    source,
    secrets: new SecretStore(),
    onLegacy,
    legacyReported: false,
    fixed: new WeakMap(),
  };
  if (typeof source !== 'function') remember(state, source);
  return state;
}

/** Header name → value, as sent. */
export type CredentialHeaders = Readonly<Record<string, string>>;

interface ResolvedAuth {
  readonly headers: CredentialHeaders;
  readonly legacy: boolean;
}

/**
 * The credentials' headers for one call of an operation: derived once per operation from static
 * credentials, or per call from a provider (awaited; its failures are `CredentialsError`s,
 * nothing sent). Reports the legacy Global API key once per client.
 */
export function credentialHeaders(
  state: AuthState,
  metadata: OperationMetadata,
  context: RequestContext,
): CredentialHeaders | Promise<CredentialHeaders> {
  const { source } = state;
  if (typeof source !== 'function') {
    let fixed = state.fixed.get(metadata);
    if (!fixed) {
      fixed = resolvedAuth(metadata, source, context);
      state.fixed.set(metadata, fixed);
    }
    return use(state, fixed);
  }
  return resolveProvided(state, context).then((credentials) =>
    use(state, resolvedAuth(metadata, credentials, context)),
  );
}

/**
 * A copy of `request` with the credentials' headers set (they override per-call and middleware
 * headers of the same name). `request` itself is left as it was: user code may hold it.
 */
export function withCredentials(
  request: SendableRequest,
  credentials: CredentialHeaders,
): SendableRequest {
  const { url, method, headers, body } = request;
  if (!(headers instanceof Headers))
    return { url, method, headers: { ...headers, ...credentials }, body };
  const copy = new Headers(headers);
  for (const name of Object.keys(credentials)) copy.set(name, credentials[name] as string);
  return { url, method, headers: copy, body };
}

function resolvedAuth(
  metadata: OperationMetadata,
  credentials: Credentials,
  context: RequestContext,
): ResolvedAuth {
  const auth = authHeaders(metadata.security, credentials, context);
  return { headers: Object.fromEntries(auth.headers), legacy: auth.legacy };
}

function use(state: AuthState, auth: ResolvedAuth): CredentialHeaders {
  if (auth.legacy && !state.legacyReported) {
    state.legacyReported = true;
    state.onLegacy();
  }
  return auth.headers;
}

async function resolveProvided(state: AuthState, context: RequestContext): Promise<Credentials> {
  const provider = state.source as CredentialsProvider;
  let value: unknown;
  try {
    value = await provider();
  } catch (error) {
    // Its error may quote a credential (one it held before, or rotated away from).
    throw new CredentialsError('the credentials provider failed; nothing was sent', context, {
      cause: redactError(error, state.secrets),
    });
  }
  const credentials = checkCredentials(value, 'credentials provider', context);
  remember(state, credentials);
  return credentials;
}

/** `code` of the once-per-client Node warning advising API tokens over the Global API key. */
export const API_KEY_ADVISORY_CODE = 'CFES_API_KEY_ADVISORY';

const ADVISORY =
  'Authenticating with the Global API key (apiEmail + apiKey). Cloudflare recommends API tokens: ' +
  'scoped to the permissions an operation needs and revocable. Use auth: { apiToken } or ' +
  `${ENV_API_TOKEN}.`;

/** The advisory, to the client's logger (warn) when it has one, else as a process warning. */
export function legacyKeyAdvisory(log: Log | undefined): void {
  if (log) log('warn', ADVISORY);
  else emitWarning(ADVISORY, { code: API_KEY_ADVISORY_CODE });
}

/** What `util.inspect(client)` shows of the auth: the kind, never a value. */
export function describeAuth(state: AuthState): string {
  if (typeof state.source === 'function') return 'credentials provider';
  return Object.keys(state.source).join(' + ');
}
