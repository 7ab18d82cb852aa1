import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['patern', 'pattern', 1],
    ['commnets', 'comments', 1], // adjacent swap counts as one edit
    ['is_trusted_sendr', 'is_trusted_sender', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // optimal string alignment, not unrestricted Damerau
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('suggest', () => {
  const fields = ['comments', 'is_regex', 'is_trusted_sender', 'pattern', 'pattern_type'];

  it.each([
    ['patern', 'pattern'],
    ['is_trusted_sendr', 'is_trusted_sender'],
    ['Pattern', 'pattern'],
    ['commnets', 'comments'],
    ['pattern_typ', 'pattern_type'],
  ])('%s → %s', (input, expected) => {
    expect(suggest(input, fields)).toBe(expected);
  });

  it.each(['id', 'x', 'owner', 'description'])('suggests nothing for unrelated %s', (input) => {
    expect(suggest(input, fields)).toBeUndefined();
  });

  it('suggests nothing without candidates', () => {
    expect(suggest('pattern', [])).toBeUndefined();
  });

  it('prefers the nearest candidate, then the earlier one', () => {
    expect(suggest('abcd', ['abxy', 'abcx'])).toBe('abcx');
    expect(suggest('abcd', ['abcx', 'abcy'])).toBe('abcx');
  });
});
