import { describe, expect, it } from 'vitest';
import { duplicateMemberNames } from './duplicate-members.ts';

describe('duplicateMemberNames', () => {
  it('names each repeated member once, by its path, and nothing in a text without repeats', () => {
    expect(duplicateMemberNames('{"a":1,"b":{"c":[{"d":1,"d":2,"d":3}]},"a":"x"}')).toEqual(['b.c[0].d', 'a']);
    expect(duplicateMemberNames(`{"n":${'9'.repeat(100)},"s":"\\"a\\"","e":[],"o":{}}`)).toEqual([]);
  });

  it('refuses text that is not JSON', () => {
    expect(() => duplicateMemberNames('{"a":1,}')).toThrow(SyntaxError);
    expect(() => duplicateMemberNames('{"a":1} x')).toThrow(/trailing characters/);
  });
});
