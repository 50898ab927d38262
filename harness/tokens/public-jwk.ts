// Verifying a signature needs only a key's public members. A JWK Set that also publishes the
// private ones (d, p, q, ...) is a defect of its own, judged by jwks/no-private-members; it must
// not make every token check blame a signature that is in fact valid (jose imports such a JWK
// as a private key, which cannot verify).
import type { JWK } from 'jose';

const PUBLIC_MEMBERS = ['kty', 'n', 'e', 'crv', 'x', 'y'] as const;

export function publicJwk(jwk: JWK): JWK {
  return Object.fromEntries(PUBLIC_MEMBERS.filter((m) => jwk[m] !== undefined).map((m) => [m, jwk[m]])) as JWK;
}
