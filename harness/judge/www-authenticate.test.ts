import { describe, expect, it } from 'vitest';
import { challengesOf, paramValues, parseChallenges } from './www-authenticate.ts';

describe('parseChallenges', () => {
  it('reads a Bearer challenge with quoted and token values', () => {
    const [bearer] = parseChallenges('Bearer realm="example", error=invalid_token, error_description="The access token expired"');
    expect(bearer).toEqual({
      scheme: 'Bearer',
      params: [
        { name: 'realm', value: 'example', quoted: true },
        { name: 'error', value: 'invalid_token', quoted: false },
        { name: 'error_description', value: 'The access token expired', quoted: true },
      ],
    });
  });

  it('splits a list of challenges and unescapes quoted-pairs', () => {
    const challenges = parseChallenges('Basic realm="a \\"b\\"", charset="UTF-8", Bearer realm="c",, Negotiate, NTLM abc123==');
    expect(challenges.map((c) => c.scheme)).toEqual(['Basic', 'Bearer', 'Negotiate', 'NTLM']);
    expect(paramValues(challenges[0]!, 'REALM')).toEqual(['a "b"']);
    expect(paramValues(challenges[0]!, 'charset')).toEqual(['UTF-8']);
    expect(challenges[3]!.token68).toBe('abc123==');
    expect(challengesOf(challenges, 'bearer')).toHaveLength(1);
  });

  it('keeps a bare scheme and repeated parameters', () => {
    expect(parseChallenges('Bearer')).toEqual([{ scheme: 'Bearer', params: [] }]);
    expect(paramValues(parseChallenges('Bearer error="a", error="b"')[0]!, 'error')).toEqual(['a', 'b']);
  });

  it('says where a malformed header breaks', () => {
    expect(() => parseChallenges('Bearer realm="open')).toThrow(/unterminated quoted-string/);
    expect(() => parseChallenges('Bearer error="a", realm=')).toThrow(/has no value/);
    expect(() => parseChallenges('Bearer realm="a" error="b"')).toThrow(/expected ","/);
    expect(() => parseChallenges('"Bearer"')).toThrow(/expected an auth-scheme/);
  });
});
