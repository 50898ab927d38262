// ID token validation with jose (OIDC Core 2, 3.1.3.7): signature through the JWKS and kid,
// header alg never none, iss, aud, exp, iat, sub, nonce, and at_hash / c_hash when present or
// required. Each rule fails on its own with {expected, actual}, so the verdict names the rule.
import { createHash } from 'node:crypto';
import { base64url, compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { CheckFailure } from '../checks.ts';
import { publicJwk } from './public-jwk.ts';

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The client secret: HS256 tokens are MACed with it (OIDC Core 10.1). */
  clientSecret?: string;
  jwks: { keys: JWK[] };
  nonce?: string;
  /** Require at_hash to be present and right for this access token. */
  accessToken?: string;
  /** Require c_hash to be present and right for this code. */
  code?: string;
  /** The expected subject, when the profile knows it. */
  sub?: string;
  /** Seconds since the epoch; default now. */
  now?: number;
  /** Clock skew tolerated, seconds. Default 300. */
  skew?: number;
  /** Exchanges that carried the token, cited in every failure. */
  exchanges: string[];
}

export type Claims = Record<string, unknown>;

/** at_hash / c_hash: base64url of the left half of the hash matching the alg (OIDC Core 3.1.3.6). */
export function halfHash(value: string, alg: string): string {
  const bits = /384$/.test(alg) ? 384 : /512$/.test(alg) ? 512 : 256;
  const digest = createHash(`sha${bits}`).update(value, 'ascii').digest();
  return base64url.encode(digest.subarray(0, digest.length / 2));
}

function failure(message: string, expected: unknown, actual: unknown, exchanges: string[]): CheckFailure {
  return new CheckFailure(message, { expected, actual, exchanges });
}

/** Decodes without verifying; a token that is not a JWT at all is a failure. */
export function decodeIdToken(token: unknown, exchanges: string[]): { header: Claims; claims: Claims } {
  if (typeof token !== 'string') throw failure('no ID token', 'an id_token string', token, exchanges);
  try {
    return { header: decodeProtectedHeader(token) as Claims, claims: decodeJwt(token) as Claims };
  } catch (error) {
    throw failure(`the ID token is not a JWT: ${(error as Error).message}`, 'a compact JWS', token.slice(0, 40), exchanges);
  }
}

export async function verifyIdTokenSignature(token: string, expect: IdTokenExpectations): Promise<Claims> {
  const { header } = decodeIdToken(token, expect.exchanges);
  const alg = String(header.alg);
  if (alg === 'none') throw failure('the ID token is unsigned (alg none)', 'a signed ID token', 'none', expect.exchanges);
  let key: Awaited<ReturnType<typeof importJWK>>;
  if (alg.startsWith('HS')) {
    if (!expect.clientSecret) throw failure(`an ${alg} ID token for a client without a secret`, 'an asymmetric signature', alg, expect.exchanges);
    key = new TextEncoder().encode(expect.clientSecret);
  } else {
    const candidates = expect.jwks.keys.filter((k) => (header.kid === undefined ? true : k.kid === header.kid) && (k.use === undefined || k.use === 'sig'));
    if (header.kid !== undefined && candidates.length === 0) {
      throw failure('the ID token kid is not in the JWK Set', expect.jwks.keys.map((k) => k.kid), header.kid, expect.exchanges);
    }
    if (candidates.length !== 1) throw failure('the signing key cannot be chosen: no kid and several keys', 'a kid', header.kid, expect.exchanges);
    try {
      key = await importJWK(publicJwk(candidates[0]!), alg);
    } catch (error) {
      throw failure(`the JWK cannot verify ${alg}: ${(error as Error).message}`, `a key for ${alg}`, candidates[0], expect.exchanges);
    }
  }
  try {
    const { payload } = await compactVerify(token, key);
    return JSON.parse(new TextDecoder().decode(payload)) as Claims;
  } catch (error) {
    throw failure(`the ID token signature does not verify: ${(error as Error).message}`, 'a valid signature', alg, expect.exchanges);
  }
}

/** The claim rules of OIDC Core 2 and 3.1.3.7; returns the claims when every rule holds. */
export function checkIdTokenClaims(claims: Claims, header: Claims, expect: IdTokenExpectations): void {
  const ex = expect.exchanges;
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  const skew = expect.skew ?? 300;
  if (claims.iss !== expect.issuer) throw failure('iss differs from the issuer', expect.issuer, claims.iss, ex);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(expect.clientId)) throw failure('aud does not contain the client_id', expect.clientId, claims.aud, ex);
  if (aud.length > 1 && claims.azp !== expect.clientId) throw failure('several audiences but azp is not the client_id', expect.clientId, claims.azp, ex);
  if (claims.azp !== undefined && claims.azp !== expect.clientId) throw failure('azp is not the client_id', expect.clientId, claims.azp, ex);
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw failure('sub is missing', 'a string', claims.sub, ex);
  if (claims.sub.length > 255 || [...claims.sub].some((c) => c.charCodeAt(0) > 0x7f)) throw failure('sub is longer than 255 ASCII characters', '<= 255 ASCII characters', claims.sub.length, ex);
  if (expect.sub !== undefined && claims.sub !== expect.sub) throw failure('sub is not the test user', expect.sub, claims.sub, ex);
  for (const name of ['exp', 'iat'] as const) {
    const value = claims[name];
    if (typeof value !== 'number') throw failure(`${name} is not a JSON number`, 'seconds since the epoch', value, ex);
    if (value > 1e11) throw failure(`${name} looks like milliseconds`, 'seconds since the epoch', value, ex);
  }
  if ((claims.exp as number) <= now - skew) throw failure('the ID token is expired on receipt', `exp > ${now}`, claims.exp, ex);
  if (Math.abs((claims.iat as number) - now) > skew) throw failure('iat is not close to now', now, claims.iat, ex);
  if (expect.nonce !== undefined && claims.nonce !== expect.nonce) throw failure('nonce differs from the request', expect.nonce, claims.nonce, ex);
  const alg = String(header.alg);
  if (expect.accessToken !== undefined) {
    // (at_hash without a known access token is not judged here, and must not skip the c_hash rule below)
    const expected = halfHash(expect.accessToken, alg);
    if (claims.at_hash !== expected) throw failure('at_hash does not match the access token', expected, claims.at_hash, ex);
  }
  if (expect.code !== undefined) {
    const expected = halfHash(expect.code, alg);
    if (claims.c_hash !== expected) throw failure('c_hash does not match the code', expected, claims.c_hash, ex);
  }
}

/** Full validation: signature then claims. */
export async function validateIdToken(token: unknown, expect: IdTokenExpectations): Promise<Claims> {
  const { header } = decodeIdToken(token, expect.exchanges);
  const claims = await verifyIdTokenSignature(token as string, expect);
  checkIdTokenClaims(claims, header, expect);
  return claims;
}
