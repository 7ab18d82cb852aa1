/**
 * An operation's metadata compiled into what the per-call code looks up: parameters by place,
 * lookup sets, deprecation dates as epoch numbers. Derived once and cached per metadata object;
 * validation, deprecations and the request pipeline read it instead of re-deriving it.
 */
import type { RequestContext } from './errors.js';
import type { DeprecationMetadata, OperationMetadata, ParameterMetadata } from './metadata.js';

/** A deprecation with its dates parsed: `since`/`end` in epoch ms (±Infinity when absent). */
export interface TimedDeprecation {
  readonly deprecation: DeprecationMetadata;
  readonly since: number;
  readonly end: number;
}

/** A request-side deprecation: its field, plus the value when it is a deprecated enum value. */
type Trigger = readonly [field: string, value?: unknown];

export interface CompiledOperation {
  readonly metadata: OperationMetadata;
  /** The HTTP method in upper case, as sent. */
  readonly method: string;
  /** The request line with the path template, for errors raised before the path is known. */
  readonly template: RequestContext;
  /** The path carries the account id, which the client fills in (`ACCOUNT_ID_PARAMETER`). */
  readonly accountScoped: boolean;
  readonly parameters: {
    readonly path: readonly ParameterMetadata[];
    readonly query: readonly ParameterMetadata[];
  };
  readonly parameterNames: { readonly path: readonly string[]; readonly query: readonly string[] };
  /** Writable body properties, in metadata order (for suggestions and messages). */
  readonly writable: readonly string[];
  readonly readOnly: ReadonlySet<string>;
  /** Replacement → the deprecated field it replaces (a required field may arrive under its old name). */
  readonly renamedFrom: ReadonlyMap<string | null, string | null>;
  readonly deprecations: readonly TimedDeprecation[];
  /** Response shim: property deprecations with a replacement that responses may carry. */
  readonly responseRenames: readonly TimedDeprecation[];
  /** Request migration is a no-op unless the body matches one of these… */
  readonly requestTriggers: readonly Trigger[];
  /** …or the operation or one of its parameters is deprecated (then it runs on every call). */
  readonly alwaysMigrate: boolean;
}

/**
 * Cloudflare's account path parameter: every account-scoped operation has it, and the client
 * fills it from `accountId` (client or per-call option) instead of asking for it per call.
 */
export const ACCOUNT_ID_PARAMETER = 'account_id';

const compiled = new WeakMap<OperationMetadata, CompiledOperation>();

export function compileOperation(metadata: OperationMetadata): CompiledOperation {
  let operation = compiled.get(metadata);
  if (!operation) {
    operation = compile(metadata);
    compiled.set(metadata, operation);
  }
  return operation;
}

/** `YYYY-MM-DD` is taken as 00:00 UTC; anything else as `Date.parse` reads it (NaN: never). */
export function instant(date: string | null, absent: number): number {
  if (!date) return absent;
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);
}

function compile(metadata: OperationMetadata): CompiledOperation {
  const byPlace = (place: 'path' | 'query') => metadata.parameters.filter((p) => p.in === place);
  const path = byPlace('path');
  const query = byPlace('query');
  const deprecations = metadata.deprecations.map((deprecation) => ({
    deprecation,
    since: instant(deprecation.deprecatedSince, Number.NEGATIVE_INFINITY),
    end: instant(deprecation.endOfLife, Number.POSITIVE_INFINITY),
  }));
  const onRequest = metadata.deprecations.filter((d) => d.appliesTo !== 'response' && !d.readOnly);
  const body = metadata.requestBody;
  const method = metadata.method.toUpperCase();
  return {
    metadata,
    method,
    template: { operationId: metadata.operationId, method, path: metadata.path },
    accountScoped: metadata.path.includes(`{${ACCOUNT_ID_PARAMETER}}`),
    parameters: { path, query },
    parameterNames: { path: path.map((p) => p.name), query: query.map((p) => p.name) },
    writable: Object.keys(body?.properties ?? {}),
    readOnly: new Set(body?.readOnlyProperties),
    renamedFrom: new Map(metadata.deprecations.map((d) => [d.replacement, d.field])),
    deprecations,
    responseRenames: deprecations.filter(
      ({ deprecation: d }) =>
        d.kind === 'property' && d.appliesTo !== 'request' && d.field && d.replacement,
    ),
    requestTriggers: onRequest.flatMap((d): Trigger[] => {
      if (!d.field) return [];
      if (d.kind === 'property') return [[d.field]];
      return d.kind === 'enum-value' ? [[d.field, d.value]] : [];
    }),
    alwaysMigrate:
      metadata.deprecated ||
      onRequest.some((d) => d.kind === 'operation' || d.kind === 'parameter'),
  };
}
