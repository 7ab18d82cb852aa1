import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { snapshot, snapshotInput } from '../../src/snapshot.js';

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

class Policy {
  pattern = 'a@b.c';
}

describe('snapshot: plain data is copied, read once', () => {
  it.each<[string, unknown, unknown]>([
    [
      'strings, booleans, finite numbers, null',
      { a: 'x', b: true, c: 1.5, d: null },
      { a: 'x', b: true, c: 1.5, d: null },
    ],
    ['nested arrays and objects', { a: [1, { b: ['c'] }] }, { a: [1, { b: ['c'] }] }],
    ['undefined properties are dropped (as JSON does)', { a: undefined, b: 1 }, { b: 1 }],
    ['null-prototype objects', Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
    [
      'symbol and non-enumerable keys are not data',
      Object.defineProperty({ [Symbol('s')]: 1, a: 1 }, 'hidden', { value: 2 }),
      { a: 1 },
    ],
  ])('%s', (_, input, want) => {
    const copy = snapshot(input, 'body');
    expect(copy).toEqual(want);
    expect(copy).not.toBe(input);
  });

  it('keeps an own "__proto__" key as data, without touching the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const copy = snapshot(input, 'body') as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('reads each getter exactly once, and the copy is what was read', () => {
    let reads = 0;
    const input = {
      get comments() {
        reads++;
        return reads === 1 ? 'first' : 'changed after validation';
      },
    };
    const copy = snapshot(input, 'body');
    expect(copy).toEqual({ comments: 'first' });
    expect(JSON.stringify(copy)).toBe('{"comments":"first"}');
    expect(reads).toBe(1);
  });

  it('reads a Proxy once through its traps: later key changes do not reach the copy', () => {
    let ownKeysCalls = 0;
    const target: Record<string, unknown> = { comments: 'ok' };
    const proxy = new Proxy(target, {
      ownKeys(t) {
        ownKeysCalls++;
        return ownKeysCalls === 1 ? Reflect.ownKeys(t) : ['comments', 'id'];
      },
      getOwnPropertyDescriptor(t, key) {
        return key === 'id'
          ? { value: 'x', enumerable: true, configurable: true }
          : Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
    const copy = snapshot(proxy, 'body');
    expect(copy).toEqual({ comments: 'ok' });
    expect(JSON.stringify(copy)).toBe('{"comments":"ok"}');
  });
});

describe('snapshot: what is refused, with a ValidationError naming the place', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = 'leaf';
  for (let i = 0; i < 100; i++) deep = { d: deep };
  it.each<[string, unknown, string, RegExp]>([
    ['a Date', { when: new Date(0) }, 'body.when', /plain data \(got a Date\)/],
    ['a Map', { m: new Map() }, 'body.m', /got a Map/],
    ['a class instance', new Policy(), 'body', /got a Policy/],
    [
      'a toJSON method (even non-enumerable)',
      Object.defineProperty({ a: 1 }, 'toJSON', { value: () => ({ id: 'x' }) }),
      'body',
      /toJSON/,
    ],
    ['an inherited toJSON', Object.create({ toJSON: () => ({}) }), 'body', /plain data|toJSON/],
    ['a function', { f: () => 1 }, 'body.f', /got a function/],
    ['a symbol', { s: Symbol('x') }, 'body.s', /got a symbol/],
    ['a bigint', { n: 1n }, 'body.n', /got a bigint/],
    ['NaN', { n: Number.NaN }, 'body.n', /finite number/],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, 'body.n', /finite number/],
    ['undefined in an array', { a: [1, undefined] }, 'body.a[1]', /undefined/],
    ['a hole in an array', { a: Object.assign(new Array(3), { 0: 1, 2: 3 }) }, 'body.a[1]', /hole/],
    ['a cycle', cyclic, 'body.self', /cycle/],
    ['nesting deeper than 64', deep, 'body', /deeper than 64/],
  ])('%s', (_, input, at, message) => {
    const error = refusal(() => snapshot(input, 'body'));
    expect(error.issues[0]?.at.startsWith(at)).toBe(true);
    expect(error.issues[0]?.message).toMatch(message);
  });

  it('a throwing getter becomes a ValidationError with the thrown value as cause', () => {
    const thrown = new Error('boom');
    const input = {
      get pattern(): string {
        throw thrown;
      },
    };
    const error = refusal(() => snapshot(input, 'body'));
    expect(error.issues).toEqual([{ at: 'body.pattern', message: expect.stringMatching(/threw/) }]);
    expect(error.cause).toBe(thrown);
  });

  it.each(['ownKeys', 'getPrototypeOf', 'get'] as const)(
    'a throwing Proxy %s trap becomes a ValidationError',
    (trap) => {
      const thrown = new Error(`trap ${trap}`);
      const proxy = new Proxy({ a: 1 } as Record<string, unknown>, {
        [trap]: () => {
          throw thrown;
        },
      });
      const error = refusal(() => snapshot({ inner: proxy }, 'body'));
      expect(error.cause).toBe(thrown);
      expect(error.issues[0]?.at).toMatch(/^body\.inner/);
    },
  );

  it('messages never echo the values given', () => {
    const token = 'tok_secret_in_a_date_field_0123';
    const error = refusal(() =>
      snapshot({ [token.slice(0, 3)]: Object.assign(new Date(0), { token }) }, 'body'),
    );
    expect(error.message).not.toContain(token);
  });
});

describe('snapshotInput', () => {
  it('snapshots path, query and body each once', () => {
    let reads = 0;
    const input = {
      path: {
        get policy_id() {
          reads++;
          return 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415';
        },
      },
      body: { comments: 'x' },
    };
    expect(snapshotInput(input)).toEqual({
      path: { policy_id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415' },
      query: undefined,
      body: { comments: 'x' },
    });
    expect(reads).toBe(1);
  });

  it('an input whose getter throws is a ValidationError at that place', () => {
    const input = Object.defineProperty({}, 'body', {
      get() {
        throw new RangeError('no');
      },
    });
    const error = refusal(() => snapshotInput(input));
    expect(error.issues[0]?.at).toBe('body');
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});
