// Signing keys: loaded from the configuration or generated at start (RSA 2048 for RS256 and
// P-256 for ES256). The JWK Set publishes only the public members, each with kid, use and alg.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export interface KeyStore {
  forAlg(alg: 'RS256' | 'ES256'): SigningKey;
  all(): SigningKey[];
  /** The public JWK Set document. */
  jwks(): { keys: JWK[] };
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

function publicPart(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy as JWK;
}

async function toSigningKey(privateJwk: JWK): Promise<SigningKey> {
  const alg = privateJwk.kty === 'EC' ? 'ES256' : 'RS256';
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(privateJwk));
  const full: JWK = { ...privateJwk, kid, alg, use: 'sig' };
  const privateKey = (await importJWK(full, alg)) as CryptoKey;
  return { kid, alg, privateKey, privateJwk: full, publicJwk: publicPart(full) };
}

async function generate(alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  return exportJWK(privateKey);
}

export async function createKeyStore(configured: Array<Record<string, unknown>>): Promise<KeyStore> {
  const jwks = configured.map((k) => k as JWK);
  if (!jwks.some((k) => k.kty === 'RSA')) jwks.push(await generate('RS256'));
  if (!jwks.some((k) => k.kty === 'EC')) jwks.push(await generate('ES256'));
  const keys = await Promise.all(jwks.map(toSigningKey));
  return {
    forAlg(alg) {
      const key = keys.find((k) => k.alg === alg);
      if (!key) throw new Error(`no ${alg} key`);
      return key;
    },
    all: () => keys,
    jwks: () => ({ keys: keys.map((k) => k.publicJwk) }),
  };
}
