/**
 * One plain-data snapshot of the caller's input, taken before anything else reads it: validation
 * checks the snapshot and the body sent is the snapshot serialised, so what is validated is what
 * is sent, whatever the caller's objects do (a getter that changes value, a Proxy whose keys
 * change, a non-enumerable `toJSON`).
 *
 * The rules are JSON's, made strict and read-once:
 * - own enumerable string keys only (symbol and non-enumerable keys are not data), each value
 *   read exactly once; a Proxy is read once through its traps like any object;
 * - strings, booleans and finite numbers are kept; `undefined` object properties are dropped
 *   (as `JSON.stringify` does);
 * - refused, with a `ValidationError` naming where: non-plain objects (a `Date`, `Map`, class
 *   instance…; their JSON form is whatever their `toJSON` says), any object with a `toJSON`,
 *   functions, symbols, bigints, `NaN`/`Infinity` (JSON would send `null`), `undefined` or holes
 *   in arrays, cycles, and nesting deeper than 64 levels;
 * - anything the caller's object throws (a getter, a Proxy trap) becomes a `ValidationError`
 *   with the thrown value as `cause`.
 * Messages name the place and the kind of value, never the value.
 */
import { type RequestContext, ValidationError } from './errors.js';
import { clip } from './guards.js';

export type PlainData =
  | null
  | boolean
  | number
  | string
  | readonly PlainData[]
  | { readonly [key: string]: PlainData };

/** Deeper input is refused (no patch of a settings API nests like that; recursion stays bounded). */
export const MAX_SNAPSHOT_DEPTH = 64;

/** A place in the input for messages: keys are cut so a 1 MB key does not make a 1 MB message. */
function child(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return `${at}.${clip(key)}`;
}

class Refusal {
  constructor(
    readonly at: string,
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

const THREW = 'could not be read: reading it threw (see cause)';

function describeObject(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
    ?.constructor?.name;
  return typeof name === 'string' && name !== ''
    ? `a ${name}`
    : 'an object with a custom prototype';
}

function snapshotValue(value: unknown, at: string, ancestors: object[]): PlainData | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new Refusal(at, 'must be a finite number (JSON cannot carry NaN or Infinity)');
      }
      return value;
    case 'undefined':
      return undefined;
    case 'object':
      return value === null ? null : snapshotObject(value, at, ancestors);
    default:
      throw new Refusal(at, `must be plain data (got a ${typeof value})`);
  }
}

function snapshotObject(value: object, at: string, ancestors: object[]): PlainData {
  if (ancestors.includes(value)) throw new Refusal(at, 'contains a cycle (refers to itself)');
  if (ancestors.length >= MAX_SNAPSHOT_DEPTH) {
    throw new Refusal(at, `is nested deeper than ${MAX_SNAPSHOT_DEPTH} levels`);
  }
  let proto: unknown;
  let isArray: boolean;
  let toJSON: unknown;
  try {
    proto = Object.getPrototypeOf(value);
    isArray = Array.isArray(value);
    toJSON = (value as { toJSON?: unknown }).toJSON;
  } catch (error) {
    throw new Refusal(at, THREW, error);
  }
  const plain = isArray ? proto === Array.prototype : proto === Object.prototype || proto === null;
  if (!plain) throw new Refusal(at, `must be plain data (got ${describeObject(value)})`);
  if (toJSON !== undefined) {
    throw new Refusal(at, 'has a toJSON method: pass the plain data it stands for instead');
  }
  ancestors.push(value);
  try {
    return isArray
      ? snapshotArray(value as unknown[], at, ancestors)
      : snapshotRecord(value, at, ancestors);
  } finally {
    ancestors.pop();
  }
}

function snapshotArray(value: readonly unknown[], at: string, ancestors: object[]): PlainData[] {
  let length: number;
  try {
    length = value.length;
  } catch (error) {
    throw new Refusal(at, THREW, error);
  }
  const out: PlainData[] = [];
  for (let i = 0; i < length; i++) {
    let item: unknown;
    try {
      item = value[i];
    } catch (error) {
      throw new Refusal(child(at, i), THREW, error);
    }
    const copy = snapshotValue(item, child(at, i), ancestors);
    if (copy === undefined) {
      throw new Refusal(child(at, i), 'is undefined (or a hole): arrays carry only data');
    }
    out.push(copy);
  }
  return out;
}

function snapshotRecord(value: object, at: string, ancestors: object[]): PlainData {
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (error) {
    throw new Refusal(at, THREW, error);
  }
  const out: Record<string, PlainData> = {};
  for (const key of keys) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch (error) {
      throw new Refusal(child(at, key), THREW, error);
    }
    // Strings and booleans (most of any input) are copied without building their location.
    const copy =
      typeof item === 'string' || typeof item === 'boolean'
        ? item
        : snapshotValue(item, child(at, key), ancestors);
    if (copy === undefined) continue;
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: copy,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = copy;
    }
  }
  return out;
}

/**
 * A plain-data copy of `value` (`undefined` stays `undefined`), or a `ValidationError` at `at`
 * (e.g. `body`) when it is not plain data or reading it throws.
 */
export function snapshot(
  value: unknown,
  at: string,
  context?: RequestContext,
): PlainData | undefined {
  try {
    return snapshotValue(value, at, []);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new ValidationError([{ at: error.at, message: error.message }], context, {
      cause: error.cause,
    });
  }
}

/** The parts of a call's input, snapshotted. */
export interface InputSnapshot {
  readonly path: Record<string, PlainData> | undefined;
  readonly query: Record<string, PlainData> | undefined;
  readonly body: PlainData | undefined;
}

/**
 * `input`'s `path`, `query` and `body`, each snapshotted once. Shapes (a body that is an array,
 * a missing path) are left to validation, which then checks the snapshot.
 */
export function snapshotInput(input: unknown, context?: RequestContext): InputSnapshot {
  if (input === undefined || input === null) {
    return { path: undefined, query: undefined, body: undefined };
  }
  const read = (place: 'path' | 'query' | 'body') => {
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[place];
    } catch (error) {
      throw new ValidationError([{ at: place, message: THREW }], context, { cause: error });
    }
    return snapshot(value, place, context);
  };
  return {
    path: read('path') as InputSnapshot['path'],
    query: read('query') as InputSnapshot['query'],
    body: read('body'),
  };
}
