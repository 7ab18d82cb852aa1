/**
 * Deprecation handling, driven only by `metadata.deprecations` (which the generator extracts from
 * the spec). No deprecated field is named here.
 *
 * Each deprecation is in one of three phases, evaluated per call against `now` (dates are
 * YYYY-MM-DD, taken as 00:00 UTC; a missing `deprecatedSince` means "deprecated already", a
 * missing `endOfLife` means "no end of life yet"):
 *   before      now < deprecatedSince            → nothing happens (no rewrite, no event)
 *   deprecated  deprecatedSince ≤ now < endOfLife
 *   ended       now ≥ endOfLife
 *
 * Request body fields (writable, deprecated, with a writable replacement), deprecated or ended:
 *   old only            migrate: renamed to the replacement ('migrated')
 *                       passthrough: sent as given ('passed-through'); once ended: renamed ('migrated')
 *                       error: DeprecatedFieldError, nothing sent
 *   both, same value    migrate: the old name is removed ('dropped')
 *                       passthrough: sent as given; once ended: old name removed ('dropped')
 *                       error: DeprecatedFieldError
 *   both, different     DeprecationConflictError under every policy, nothing sent
 *   new only / neither  nothing
 * Rule that wins over every policy: past its end of life a deprecated name is never sent.
 * No replacement in the spec: while deprecated it is sent ('reported', or 'passed-through');
 * once ended it is a DeprecatedFieldError under every policy, never silently dropped (the field
 * may be a security setting the caller relies on).
 * (A replacement that is not a writable property of the operation counts as no replacement.)
 * Enum values the spec forbids on writes (e.g. a deprecated PatternType) are a ValidationError;
 * other deprecated enum values follow the no-replacement rule.
 * Deprecated operations and parameters are reported (policy 'error' throws); they cannot be migrated.
 * A call that throws reports no events: the error is the report, and nothing was sent.
 *
 * Responses: a deprecated field with a replacement that the response lacks fills the replacement
 * ('filled', one event per field per call); deprecated response fields stay readable as they are.
 */

import { compileOperation, type TimedDeprecation } from './compiled-operation.js';
import {
  DeprecatedFieldError,
  DeprecationConflictError,
  EmailSecurityError,
  type RequestContext,
  ValidationError,
} from './errors.js';
import { isPlainObject } from './guards.js';
import type { DeprecationMetadata, OperationMetadata, ValueRule } from './metadata.js';
import { allowedOnWrite, forbiddenEnumMessage } from './validate.js';
import { emitWarning } from './warnings.js';

export type DeprecationPolicy = 'migrate' | 'error' | 'passthrough';

export type DeprecationAction =
  | 'none'
  | 'migrated'
  | 'dropped'
  | 'passed-through'
  | 'rejected'
  | 'filled'
  | 'reported';

export interface DeprecationEvent {
  readonly kind:
    | 'request-field'
    | 'response-field'
    | 'enum-value'
    | 'operation'
    | 'parameter'
    | 'http-header';
  readonly operationId: string;
  readonly field: string | null;
  readonly replacement: string | null;
  /** YYYY-MM-DD from the spec, or an ISO timestamp from a `Deprecation` header. */
  readonly deprecatedSince: string | null;
  /** YYYY-MM-DD from the spec, or an ISO timestamp from a `Sunset` header. */
  readonly endOfLife: string | null;
  readonly pastEndOfLife: boolean;
  readonly action: DeprecationAction;
  /** Names the field, the replacement, both dates and what the library did. */
  readonly message: string;
  readonly source: 'spec' | 'header';
  /** `Link` targets with `rel="deprecation"` or `rel="sunset"` (header events only). */
  readonly links?: readonly string[];
}

export type DeprecationHandler = (event: DeprecationEvent) => void;

export interface RequestDeprecationOptions {
  readonly now: Date;
  /** Default `'migrate'`. */
  readonly policy?: DeprecationPolicy;
  /** Path and query parameter values of the call, to report deprecated parameters. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Added to thrown errors. */
  readonly context?: RequestContext;
}

type Phase = 'before' | 'deprecated' | 'ended';

export function checkNow(now: Date): number {
  const time = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(time)) {
    throw new EmailSecurityError('options.now must be a valid Date (the clock for deprecations)');
  }
  return time;
}

function phaseOf({ since, end }: TimedDeprecation, time: number): Phase {
  if (time < since) return 'before';
  return time >= end ? 'ended' : 'deprecated';
}

function label(d: DeprecationMetadata, metadata: OperationMetadata): string {
  if (d.kind === 'enum-value') return `${d.field}=${String(d.value)}`;
  return d.field ?? `operation ${metadata.operationId}`;
}

/** `is_sender is deprecated since 2025-07-01 and reached end of life on 2026-07-01; use is_trusted_sender.` */
function describe(d: DeprecationMetadata, metadata: OperationMetadata, phase: Phase): string {
  const since = d.deprecatedSince ? ` since ${d.deprecatedSince}` : '';
  const end = d.endOfLife
    ? ` and ${phase === 'ended' ? 'reached' : 'reaches'} end of life on ${d.endOfLife}`
    : ' (no end-of-life date in the spec)';
  const use = d.replacement ? `use ${d.replacement}` : 'the spec names no replacement';
  return `${label(d, metadata)} is deprecated${since}${end}; ${use}.`;
}

function makeEvent(
  metadata: OperationMetadata,
  d: DeprecationMetadata,
  phase: Phase,
  kind: DeprecationEvent['kind'],
  action: DeprecationAction,
  did: string,
): DeprecationEvent {
  return {
    kind,
    operationId: metadata.operationId,
    field: d.field,
    replacement: d.replacement,
    deprecatedSince: d.deprecatedSince,
    endOfLife: d.endOfLife,
    pastEndOfLife: phase === 'ended',
    action,
    message: `${describe(d, metadata, phase)} ${did} (operation ${metadata.operationId}).`,
    source: 'spec',
  };
}

/** `=true` for booleans, numbers and null; other values are not echoed (they may be personal data). */
function shown(value: unknown): string {
  return value === null || typeof value === 'boolean' || typeof value === 'number'
    ? `=${String(value)}`
    : '';
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

const KINDS = {
  property: 'request-field',
  'enum-value': 'enum-value',
  operation: 'operation',
  parameter: 'parameter',
} as const;

/**
 * Applies the request-side deprecations to a body (never mutating it): returns the body to send
 * and the events to report. Throws DeprecationConflictError, DeprecatedFieldError or
 * ValidationError when nothing may be sent. Inside the items of a batch's arrays:
 * `applyItemDeprecations` (src/batch.ts).
 */
export function applyRequestDeprecations(
  metadata: OperationMetadata,
  body: Record<string, unknown>,
  options: RequestDeprecationOptions,
): { body: Record<string, unknown>; events: DeprecationEvent[] } {
  const time = checkNow(options.now);
  const compiled = compileOperation(metadata);
  const properties = metadata.requestBody?.properties ?? {};
  const events: DeprecationEvent[] = [];
  const top = { metadata, time, options, events, properties, at: 'body' };
  const out = migrateObject(top, compiled.deprecations, body);
  return { body: out, events };
}

/** One object being migrated: the call's facts, and where the object is. */
export interface Scope {
  readonly metadata: OperationMetadata;
  readonly time: number;
  readonly options: RequestDeprecationOptions;
  readonly events: DeprecationEvent[];
  /** The writable properties of the object migrated (the body, or one item of a body array). */
  readonly properties: Readonly<Record<string, ValueRule>>;
  /** Where the object is, for messages: `body`, `body.patches[3]`. */
  readonly at: string;
}

/** One object's deprecated fields migrated, passed through or refused (see the table above). */
export function migrateObject(
  scope: Scope,
  deprecations: readonly TimedDeprecation[],
  object: Record<string, unknown>,
): Record<string, unknown> {
  const { metadata, time, options, events, properties, at } = scope;
  const { context, parameters = {}, policy = 'migrate' } = options;
  const inItem = at !== 'body';
  let out = { ...object };
  for (const timed of deprecations) {
    const d = timed.deprecation;
    const phase = phaseOf(timed, time);
    const field = d.field ?? '';
    const given =
      d.kind === 'operation' ? true : (d.kind === 'parameter' ? parameters : out)[field];
    if (phase === 'before' || d.appliesTo === 'response' || d.readOnly || given === undefined) {
      continue;
    }
    if (d.kind === 'enum-value' && given !== d.value) continue;
    if (d.kind === 'enum-value' && d.forbiddenOnWrite) {
      const message = forbiddenEnumMessage(d.value, allowedOnWrite(properties[field]));
      throw new ValidationError([{ at: `${at}.${field}`, message }], context);
    }
    const where = inItem ? ` in ${at}` : '';
    const fail = (what: string): never => {
      const nothing = `Nothing was sent (operation ${metadata.operationId}).`;
      throw new DeprecatedFieldError(
        d,
        `${inItem ? `${at}: ` : ''}${describe(d, metadata, phase)} ${what} ${nothing}`,
        context,
      );
    };
    const emit = (action: DeprecationAction, did: string) =>
      events.push(makeEvent(metadata, d, phase, KINDS[d.kind], action, `${did}${where}`));
    const replacement =
      d.kind === 'property' && d.replacement && Object.hasOwn(properties, d.replacement)
        ? d.replacement
        : null;
    const current = replacement ? out[replacement] : undefined;
    if (replacement && current !== undefined && !sameValue(current, given)) {
      throw new DeprecationConflictError(field, replacement, context, inItem ? at : undefined);
    }
    // Fields and enum values past end of life with nothing to migrate to are refused: never
    // sent, never dropped silently.
    if (!replacement && phase === 'ended' && (d.kind === 'property' || d.kind === 'enum-value')) {
      fail(`Remove ${field}: it is past its end of life and is never dropped silently.`);
    }
    if (policy === 'error') {
      fail(
        `Policy 'error' rejects deprecated input; ${replacement ? `send ${replacement} instead` : 'stop using it'}.`,
      );
    }
    const passthrough = policy === 'passthrough';
    if (!replacement) {
      emit(
        passthrough ? 'passed-through' : 'reported',
        `Sent ${d.field ? label(d, metadata) : 'it'} as given`,
      );
    } else if (passthrough && phase !== 'ended') {
      emit('passed-through', `Sent ${field}${shown(given)} as given (policy 'passthrough')`);
    } else {
      const note = passthrough
        ? "; policy 'passthrough' never sends a field past its end of life"
        : '';
      if (current === undefined) {
        // Renamed in place, so the JSON keeps the caller's field order.
        out = Object.fromEntries(
          Object.entries(out).map(([k, v]) => [k === field ? replacement : k, v]),
        );
        emit('migrated', `Sent ${replacement}${shown(given)} instead${note}`);
      } else {
        delete out[field];
        emit('dropped', `Sent only ${replacement}${shown(given)} (same value)${note}`);
      }
    }
  }
  return out;
}

/**
 * Response shim (never mutating its input): a deprecated field present without its replacement
 * fills the replacement, e.g. `modified_at` from `last_modified`, in the result object, in each
 * object of a result array, or in each item of the object result's arrays (`resultArrays`);
 * reported once per field per call.
 */
export function applyResponseDeprecations(
  metadata: OperationMetadata,
  result: unknown,
  options: { readonly now: Date },
): { result: unknown; events: DeprecationEvent[] } {
  const time = checkNow(options.now);
  const events: DeprecationEvent[] = [];
  const renames = compileOperation(metadata).responseRenames;
  if (renames.length === 0) return { result, events };
  let reported: Set<DeprecationMetadata> | undefined;
  const shim = (item: unknown): unknown => {
    if (!isPlainObject(item)) return item;
    let out = item;
    for (const timed of renames) {
      const d = timed.deprecation;
      const field = d.field as string;
      const replacement = d.replacement as string;
      const phase = phaseOf(timed, time);
      if (phase === 'before' || out[field] === undefined || out[replacement] !== undefined) {
        continue;
      }
      out = { ...out, [replacement]: out[field] };
      reported ??= new Set();
      if (!reported.has(d)) {
        const did = `Filled ${replacement} from ${field} in the response`;
        events.push(makeEvent(metadata, d, phase, 'response-field', 'filled', did));
      }
      reported.add(d);
    }
    return out;
  };
  if (Array.isArray(result)) return { result: result.map(shim), events };
  let out = shim(result);
  // Inside the arrays of an object result (a batch's `patches`…), item by item.
  for (const name of metadata.resultArrays ?? []) {
    const items = isPlainObject(out) ? out[name] : undefined;
    if (Array.isArray(items))
      out = { ...(out as Record<string, unknown>), [name]: items.map(shim) };
  }
  return { result: out, events };
}

/** Stable `code` of the warnings the default handler emits (filter on it in `process.on('warning')`). */
export const DEPRECATION_WARNING_CODE = 'CFES_DEPRECATION';

/**
 * Emits a Node `DeprecationWarning` with code `CFES_DEPRECATION` (so `--no-deprecation` silences
 * it), or `console.warn` where there is no `process`.
 */
export function emitDeprecationWarning(
  message: string,
  code: string,
  scope: { process?: unknown } = globalThis as { process?: unknown },
): void {
  emitWarning(message, { type: 'DeprecationWarning', code }, scope);
}

/**
 * The default `onDeprecation`: one warning per field (or per operation, for operation and header
 * events) per handler instance; create one handler per client.
 */
export function createDefaultDeprecationHandler(
  options: { emit?: (message: string, code: string) => void } = {},
): DeprecationHandler {
  const emit = options.emit ?? emitDeprecationWarning;
  const seen = new Set<string>();
  return (event) => {
    const key = `${event.kind}:${event.field ?? event.operationId}`;
    if (seen.has(key)) return;
    seen.add(key);
    emit(event.message, DEPRECATION_WARNING_CODE);
  };
}
