// A JWK Set that publishes private members is judged by jwks/no-private-members alone: the token
// checks still verify a valid signature with the key's public part.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyIdTokenSignature } from './id-token.ts';
import { validateJwtAccessToken } from './access-token.ts';
import { publicJwk } from './public-jwk.ts';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await exportJWK(privateKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
const now = Math.floor(Date.now() / 1000);
const issuer = 'https://op.example.com';

describe('publicJwk', () => {
  it('keeps only the public members', () => {
    expect(Object.keys(publicJwk(privateJwk)).sort()).toEqual(['e', 'kty', 'n']);
  });

  it('lets a valid ID token signature verify through a JWK Set that leaks private members', async () => {
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience('rp').setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    const claims = await verifyIdTokenSignature(token, { issuer, clientId: 'rp', jwks: { keys: [privateJwk] }, exchanges: [] });
    expect(claims.sub).toBe('alice');
  });

  it('lets a valid JWT access token signature verify through such a JWK Set', async () => {
    const token = await new SignJWT({ sub: 'alice', client_id: 'rp', jti: 'j1', scope: 'openid' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience('api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    await expect(validateJwtAccessToken(token, { issuer, clientId: 'rp', jwks: { keys: [privateJwk] }, exchanges: [] })).resolves.toBeDefined();
  });
});
