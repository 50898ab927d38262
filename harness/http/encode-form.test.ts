import { describe, expect, it } from 'vitest';
import { appendQuery, encodeBasicAuth, encodeForm, encodeFormComponent } from './encode-form.ts';

describe('encodeForm', () => {
  it('uses the form serializer (space as +, reserved characters escaped)', () => {
    expect(encodeForm({ a: 'x y', b: '&=+%', c: ['1', '2'] })).toBe('a=x+y&b=%26%3D%2B%25&c=1&c=2');
    expect(encodeFormComponent("~!*'()")).toBe('%7E%21*%27%28%29');
  });
});

describe('encodeBasicAuth', () => {
  it('form-urlencodes both parts before base64 (RFC 6749 2.3.1)', () => {
    const header = encodeBasicAuth('id with:colon', 'sec%ret+é');
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe('id+with%3Acolon:sec%25ret%2B%C3%A9');
  });
});

describe('appendQuery', () => {
  it('keeps existing parameters and the fragment', () => {
    expect(appendQuery('https://op/a?x=1#f', { y: '2' })).toBe('https://op/a?x=1&y=2#f');
    expect(appendQuery('https://op/a', { y: ['1', '2'] })).toBe('https://op/a?y=1&y=2');
    expect(appendQuery('https://op/a?', { y: '1' })).toBe('https://op/a?y=1');
    expect(appendQuery('https://op/a', {})).toBe('https://op/a');
  });
});
