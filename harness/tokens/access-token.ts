// JWT access tokens (RFC 9068), for targets that issue them: access tokens are opaque to clients
// in RFC 6749, so these rules apply only when the token is a JWS. Signature through the JWKS and
// kid (never alg none), then the REQUIRED claims of RFC 9068 2.2. Each rule fails on its own with
// {expected, actual}; typ and sub are SHOULD-level and judged by the suites on the decoded token.
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { CheckFailure } from '../checks.ts';
import { publicJwk } from './public-jwk.ts';

export type Claims = Record<string, unknown>;

export interface DecodedJwt {
  header: Claims;
  claims: Claims;
}

export interface JwtAccessTokenExpectations {
  /** The issuer identifier (iss must equal it exactly; RFC 9068 4). */
  issuer: string;
  /** The client the token was issued to (client_id claim). */
  clientId: string;
  jwks: { keys: JWK[] };
  /** Seconds since the epoch; default now. */
  now?: number;
  /** Clock skew tolerated, seconds. Default 300. */
  skew?: number;
  /** Exchanges that carried the token, cited in every failure. */
  exchanges: string[];
}

function failure(message: string, expected: unknown, actual: unknown, exchanges: string[], warnOnly = false): CheckFailure {
  return new CheckFailure(message, { expected, actual, exchanges, warnOnly });
}

/** The header and claims when the access token is a JWS (three parts, JSON header and payload); undefined when opaque or encrypted. */
export function decodeJwtAccessToken(token: unknown): DecodedJwt | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token) as Claims, claims: decodeJwt(token) as Claims };
  } catch {
    return undefined;
  }
}

/** Verifies the signature with a key of the JWK Set (by kid, or any signing key when there is no kid). */
async function verifySignature(token: string, header: Claims, expect: JwtAccessTokenExpectations): Promise<void> {
  const ex = expect.exchanges;
  const alg = String(header.alg);
  if (alg === 'none') throw failure('the JWT access token is unsigned (alg none)', 'a signed JWT', 'none', ex);
  if (alg.startsWith('HS')) {
    // A MAC key the harness cannot know: RFC 9068 2.1 RECOMMENDS asymmetric signatures.
    throw failure(`the JWT access token is MACed (${alg}) and cannot be verified through the JWK Set`, 'an asymmetric signature (RECOMMENDED)', alg, ex, true);
  }
  const candidates = expect.jwks.keys.filter((k) => (header.kid === undefined || k.kid === header.kid) && (k.use === undefined || k.use === 'sig'));
  if (header.kid !== undefined && candidates.length === 0) {
    throw failure('the JWT access token kid is not in the JWK Set', expect.jwks.keys.map((k) => k.kid), header.kid, ex);
  }
  if (candidates.length === 0) throw failure('the JWK Set has no signing key for the JWT access token', `a key for ${alg}`, [], ex);
  const problems: string[] = [];
  for (const jwk of candidates) {
    try {
      const key = await importJWK(publicJwk(jwk), alg);
      await compactVerify(token, key);
      return;
    } catch (error) {
      problems.push(`${jwk.kid ?? '(no kid)'}: ${(error as Error).message}`);
    }
  }
  throw failure('the JWT access token signature does not verify with the JWK Set', 'a valid signature', problems, ex);
}

/** The REQUIRED claims of RFC 9068 2.2 and the issuer rule of RFC 9068 4. */
export function checkJwtAccessTokenClaims(claims: Claims, expect: JwtAccessTokenExpectations): void {
  const ex = expect.exchanges;
  const now = expect.now ?? Math.floor(Date.now() / 1000);
  const skew = expect.skew ?? 300;
  if (claims.iss !== expect.issuer) throw failure('iss of the JWT access token differs from the issuer', expect.issuer, claims.iss, ex);
  for (const name of ['exp', 'iat'] as const) {
    const value = claims[name];
    if (typeof value !== 'number') throw failure(`${name} of the JWT access token is not a JSON number`, 'seconds since the epoch', value, ex);
    if (value > 1e11) throw failure(`${name} of the JWT access token looks like milliseconds`, 'seconds since the epoch', value, ex);
  }
  if ((claims.exp as number) <= now - skew) throw failure('the JWT access token is expired on receipt', `exp > ${now}`, claims.exp, ex);
  const aud = claims.aud;
  const audOk = (typeof aud === 'string' && aud.length > 0) || (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a.length > 0));
  if (!audOk) throw failure('aud of the JWT access token is missing or empty', 'a string or an array of strings', aud, ex);
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw failure('sub of the JWT access token is missing', 'a string', claims.sub, ex);
  if (claims.client_id !== expect.clientId) throw failure('client_id of the JWT access token is not the client that asked', expect.clientId, claims.client_id, ex);
  if (typeof claims.jti !== 'string' || claims.jti.length === 0) throw failure('jti of the JWT access token is missing', 'a string', claims.jti, ex);
}

/**
 * Full validation of a JWT access token: signature, then claims. A MACed token (which only the
 * issuer can verify) has its claims checked and then fails as a warning.
 */
export async function validateJwtAccessToken(token: string, expect: JwtAccessTokenExpectations): Promise<DecodedJwt> {
  const decoded = decodeJwtAccessToken(token);
  if (!decoded) throw failure('the access token is not a JWT', 'a compact JWS', 'an opaque or malformed value', expect.exchanges);
  let unverifiable: CheckFailure | undefined;
  try {
    await verifySignature(token, decoded.header, expect);
  } catch (error) {
    if (!(error instanceof CheckFailure) || !error.warnOnly) throw error;
    unverifiable = error;
  }
  checkJwtAccessTokenClaims(decoded.claims, expect);
  if (unverifiable) throw unverifiable;
  return decoded;
}
