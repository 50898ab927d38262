// Signing and verifying the provider's own JWTs. Fault switches that corrupt signatures live here,
// at the one place every token is signed.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, base64url, compactVerify, decodeProtectedHeader, importJWK, type JWTPayload, type CryptoKey } from 'jose';
import type { ResolvedClient } from '../config/types.ts';
import type { ProviderContext } from '../context.ts';

/** A random opaque value with 256 bits of entropy (RFC 6749 10.10 asks for at least 128). */
export function randomToken(): string {
  return base64url.encode(randomBytes(32));
}

/** at_hash / c_hash: base64url of the left half of the hash of the ASCII value (OIDC Core 3.1.3.6, 3.3.2.11). */
export function halfHash(value: string, alg: string): string {
  const bits = alg.endsWith('384') ? 384 : alg.endsWith('512') ? 512 : 256;
  const digest = createHash(`sha${bits}`).update(value, 'ascii').digest();
  return base64url.encode(digest.subarray(0, digest.length / 2));
}

export interface SignOptions {
  alg: 'RS256' | 'ES256' | 'HS256';
  typ?: string;
  /** The client whose secret keys HS256 tokens. */
  client?: ResolvedClient;
  /** ID tokens only: faults that concern ID tokens apply. */
  idToken?: boolean;
}

function corruptSignature(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const bytes = base64url.decode(s);
  bytes[0] = bytes[0]! ^ 0xff;
  return `${h}.${p}.${base64url.encode(bytes)}`;
}

export async function signJwt(ctx: ProviderContext, payload: JWTPayload, options: SignOptions): Promise<string> {
  if (options.idToken && ctx.fault('id-token-alg-none')) {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: options.typ ?? 'JWT' }));
    return `${header}.${base64url.encode(JSON.stringify(payload))}.`;
  }
  let jwt: string;
  if (options.alg === 'HS256') {
    const secret = new TextEncoder().encode(options.client?.client_secret ?? '');
    jwt = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: options.typ ?? 'JWT' }).sign(secret);
  } else {
    const key = ctx.keys.forAlg(options.alg);
    const kid = options.idToken && ctx.fault('jwks-kid-mismatch') ? `${key.kid}-unpublished` : key.kid;
    jwt = await new SignJWT(payload).setProtectedHeader({ alg: options.alg, kid, typ: options.typ ?? 'JWT' }).sign(key.privateKey);
  }
  return options.idToken && ctx.fault('id-token-bad-signature') ? corruptSignature(jwt) : jwt;
}

/**
 * Verifies that a JWT was signed by this provider (asymmetric keys, or HS256 with the secret of the
 * client named in `aud`). Expiry is NOT checked here: callers decide (an expired id_token_hint is fine).
 * Returns undefined when the token is not ours or is malformed.
 */
export async function verifyOwnJwt(ctx: ProviderContext, jwt: string): Promise<{ payload: JWTPayload; typ?: string } | undefined> {
  try {
    const header = decodeProtectedHeader(jwt);
    let key: CryptoKey | Uint8Array;
    if (header.alg === 'HS256') {
      const parts = jwt.split('.');
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(parts[1] ?? ''))) as JWTPayload;
      const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
      const secret = aud ? ctx.client(aud)?.client_secret : undefined;
      if (!secret) return undefined;
      key = new TextEncoder().encode(secret);
    } else {
      const signing = ctx.keys.all().find((k) => k.kid === header.kid && k.alg === header.alg);
      if (!signing) return undefined;
      key = (await importJWK(signing.publicJwk, signing.alg)) as CryptoKey;
    }
    const { payload } = await compactVerify(jwt, key);
    const claims = JSON.parse(new TextDecoder().decode(payload)) as unknown;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    if ((claims as JWTPayload).iss !== ctx.config.issuer) return undefined;
    return { payload: claims as JWTPayload, typ: header.typ };
  } catch {
    return undefined;
  }
}
