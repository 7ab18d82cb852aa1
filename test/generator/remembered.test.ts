import { describe, expect, test } from 'vitest';
import { plainText, readDeprecationText } from '../../scripts/codegen/deprecation-text.js';
import { refTokens, schemaComponentName } from '../../scripts/codegen/refs.js';
import { Remembered } from '../../scripts/codegen/remembered.js';

describe('Remembered', () => {
  test('computes each key once, keeps no throw, and starts afresh at its limit', () => {
    const memo = new Remembered<string>(2);
    let calls = 0;
    const upper = (key: string) =>
      memo.get(key, () => {
        calls += 1;
        return key.toUpperCase();
      });
    expect([upper('a'), upper('a'), upper('b')]).toEqual(['A', 'A', 'B']);
    expect(calls).toBe(2);
    expect(upper('c')).toBe('C'); // over the limit: forgets a and b
    expect(upper('a')).toBe('A');
    expect(calls).toBe(4);
    expect(() =>
      memo.get('boom', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memo.get('boom', () => 'recovered')).toBe('recovered');
  });
});

describe('what is remembered of $ref strings and texts', () => {
  test('each string gets its own result, the second read too', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(refTokens('#/components/schemas/A~1B')).toEqual(['components', 'schemas', 'A/B']);
      expect(refTokens('#/components/schemas/C%20D')).toEqual(['components', 'schemas', 'C D']);
      expect(schemaComponentName('#/components/schemas/A~1B')).toBe('A/B');
      expect(schemaComponentName('#/components/schemas/A/properties/x')).toBeNull();
      expect(readDeprecationText('Deprecated. Use `b` instead.').replacement).toBe('b');
      expect(readDeprecationText('Deprecated. Use `c` instead.').replacement).toBe('c');
      expect(plainText('**Deprecated**\u00a0since [then](x)')).toBe('Deprecated since then');
      expect(plainText('**Obsolete**')).toBe('Obsolete');
    }
  });

  test('a refused $ref names where it is used, every time', () => {
    expect(() => refTokens('other.json#/X', ['paths', '/a'])).toThrow(/used at paths\["\/a"\]/);
    expect(() => refTokens('other.json#/X', ['paths', '/b'])).toThrow(/used at paths\["\/b"\]/);
  });

  test('a remembered result cannot be changed by a caller', () => {
    expect(Object.isFrozen(refTokens('#/components/schemas/A'))).toBe(true);
    expect(Object.isFrozen(readDeprecationText('Deprecated. Use `b` instead.'))).toBe(true);
  });
});
