// JWK Set checks (RFC 7517, RFC 7518 6, OIDC Discovery 3 jwks_uri, OIDC Core 10.1).
import { defineCheck } from '../../harness/checks.ts';

const area = 'jwks';

export const served = defineCheck({
  id: 'jwks/served',
  title: 'jwks_uri answers HTTP 200 with a JSON object whose "keys" member is an array, without duplicate member names',
  area,
  refs: ['OIDCD-3', 'RFC7517-5', 'RFC7517-4'],
  requirements: ['JWK-02', 'JWK-04'],
  level: 'MUST',
});

export const contentType = defineCheck({
  id: 'jwks/content-type',
  title: 'The JWK Set is served as application/json or application/jwk-set+json',
  area,
  refs: ['OIDCD-3', 'RFC7517-8.5'],
  requirements: ['JWK-23'],
  level: 'SHOULD',
});

export const keysParse = defineCheck({
  id: 'jwks/keys-parse',
  title: 'Every JWK has kty, well-formed members, and imports as a public key',
  area,
  refs: ['RFC7517-4', 'RFC7517-4.1', 'RFC7518-6'],
  requirements: ['JWK-03'],
  level: 'MUST',
});

export const noPrivateMembers = defineCheck({
  id: 'jwks/no-private-members',
  title: 'The published set holds no private or symmetric key material (d, p, q, dp, dq, qi, oth, k, kty "oct")',
  area,
  refs: ['OIDCD-3', 'RFC7518-6'],
  requirements: ['JWK-05'],
  level: 'MUST',
});

export const kidUnique = defineCheck({
  id: 'jwks/kid-unique',
  title: 'Different keys of the same key type have different kid values',
  area,
  refs: ['RFC7517-4.5'],
  requirements: ['JWK-10'],
  level: 'SHOULD',
});

export const useConsistent = defineCheck({
  id: 'jwks/use-consistent',
  title: 'use is sig or enc, present on every key when the set mixes signing and encryption keys, and agrees with key_ops',
  area,
  refs: ['OIDCD-3', 'RFC7517-4.2', 'RFC7517-4.3'],
  requirements: ['JWK-06', 'JWK-08', 'JWK-09'],
  level: 'MUST',
});

export const noSharedSigEncKeys = defineCheck({
  id: 'jwks/no-shared-sig-enc-keys',
  title: 'The same key material is not published for both signing and encryption',
  area,
  refs: ['OIDCD-3'],
  requirements: ['JWK-07'],
  level: 'SHOULD',
});

export const algsConsistent = defineCheck({
  id: 'jwks/algs-consistent',
  title: 'Each key\'s alg suits its kty, crv and use, and every advertised asymmetric signing alg has a key that can verify it',
  area,
  refs: ['OIDCD-3', 'OIDCC-10.1', 'RFC7517-4.4', 'RFC7518-3.1'],
  requirements: ['JWK-01', 'JWK-15'],
  level: 'MUST',
});

export const rsaKeySize = defineCheck({
  id: 'jwks/rsa-key-size',
  title: 'RSA moduli are at least 2048 bits (a leading zero octet in n is an interop warning)',
  area,
  refs: ['RFC7518-3.3', 'RFC7518-3.5', 'RFC7518-6.3.1.1'],
  requirements: ['JWK-16', 'JWK-18'],
  level: 'MUST',
});

export const ecCoordinates = defineCheck({
  id: 'jwks/ec-coordinates',
  title: 'EC keys carry crv, x and y, with x and y at the full coordinate length of the curve',
  area,
  refs: ['RFC7518-6.2.1', 'RFC7518-6.2.1.2', 'RFC7518-6.2.1.3'],
  requirements: ['JWK-17'],
  level: 'MUST',
});

export const x5cMatchesKey = defineCheck({
  id: 'jwks/x5c-matches-key',
  title: 'When x5c is present, its first certificate holds the same public key, and x5t / x5t#S256 are its thumbprints',
  area,
  refs: ['RFC7517-4.7', 'RFC7517-4.8', 'RFC7517-4.9'],
  requirements: ['JWK-11', 'JWK-12'],
  level: 'MUST',
});

export const cacheControl = defineCheck({
  id: 'jwks/cache-control',
  title: 'The jwks_uri response carries Cache-Control with max-age',
  area,
  refs: ['OIDCC-10.2.1'],
  requirements: ['JWK-20'],
  level: 'SHOULD',
});

export const tokenVerifies = defineCheck({
  id: 'jwks/token-verifies',
  title: 'A token the provider signed carries a kid (when the set has several keys) naming a signing key of the set that alone verifies it',
  area,
  refs: ['OIDCC-10.1', 'OIDCC-3.1.3.7'],
  requirements: ['JWK-13', 'JWK-14', 'JWK-15'],
  level: 'MUST',
});

export const noKeyReferences = defineCheck({
  id: 'jwks/no-key-references',
  title: 'ID tokens do not use the x5u, x5c, jku or jwk header parameters',
  area,
  refs: ['OIDCC-2'],
  requirements: ['JWK-21'],
  level: 'SHOULD',
});

export const bareKeys = defineCheck({
  id: 'jwks/bare-keys',
  title: 'Every key is published as a bare JWK (its public key members present); X.509 members only accompany it',
  area,
  refs: ['OIDCC-15.2', 'OIDCC-10.1.1', 'RFC7518-6.2.1', 'RFC7518-6.3.1'],
  requirements: ['JWK-22'],
  level: 'MUST',
});
