// client_secret_jwt assertions (OIDC Core 9, RFC 7523 3): an HS256 JWT keyed by the client secret.
// Built synchronously with node:crypto so request building stays synchronous; checks of the
// server's assertion rules build deliberately broken ones through the same function.
import { createHmac, randomUUID } from 'node:crypto';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface AssertionOptions {
  /** The audience (OIDC Core 9: SHOULD be the token endpoint URL). */
  audience: string | string[];
  /** Claims replacing the defaults; a member set to undefined is left out. */
  claims?: Record<string, unknown>;
  /** The JWS header alg: HS256 by default; `none` sends an unsigned assertion. */
  alg?: 'HS256' | 'none';
  /** Seconds since the epoch; default now. */
  now?: number;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The default claims of a fresh assertion: iss and sub the client_id, aud, a new jti, iat, exp in 60 s. */
export function assertionClaims(clientId: string, options: AssertionOptions): Record<string, unknown> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: clientId, sub: clientId, aud: options.audience, jti: randomUUID(), iat: now, exp: now + 60 };
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/** A compact JWS client assertion for the client, MACed with its secret (or unsigned with alg none). */
export function buildClientAssertion(clientId: string, secret: string, options: AssertionOptions): string {
  const alg = options.alg ?? 'HS256';
  const signingInput = `${encode({ alg, typ: 'JWT' })}.${encode(assertionClaims(clientId, options))}`;
  if (alg === 'none') return `${signingInput}.`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}
