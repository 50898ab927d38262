// Each JWK Set check, proven on a bad sample (and passing on a good one).
import { X509Certificate, createHash } from 'node:crypto';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ex = ['#1'];
const rsa = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
const ec = await generateKeyPair('ES256', { extractable: true });
const RSA_PUBLIC: JWK = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig', alg: 'RS256' };
const EC_PUBLIC: JWK = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', use: 'sig', alg: 'ES256' };
const RSA_PRIVATE: JWK = { ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1', use: 'sig', alg: 'RS256' };
const GOOD: judge.JwkSet = { keys: [RSA_PUBLIC, EC_PUBLIC] as judge.Key[] };
const METADATA = { id_token_signing_alg_values_supported: ['RS256', 'ES256', 'HS256'] };

// A self-signed P-256 certificate (DER, base64), generated once with openssl for these samples.
const CERT =
  'MIIBmzCCAUGgAwIBAgIUbRj/bHF6bD/7WPj5qlpKu57I5k8wCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXb2lkYy1jb25mb3JtYW5jZSBzYW1wbGUwIBcNMjYxMTI3MTA0NTMxWhgPMjEyNjExMDMxMDQ1MzFaMCIxIDAeBgNVBAMMF29pZGMtY29uZm9ybWFuY2Ugc2FtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEi8TX6cIJ3JFddaGxrsLGpdMWFeLawhcR/URh75u+Y9t9GdQkWkW8HNT59chvLf0wwt4xnt+ZFKZdbQ7vug3G7aNTMFEwHQYDVR0OBBYEFD3oNjLw0CtxnaSk0UhUBtdY4SZoMB8GA1UdIwQYMBaAFD3oNjLw0CtxnaSk0UhUBtdY4SZoMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAIylAUYGkQELrFxBiJAxpEomjaPTuRpH3O+my+OSFu3WAiBdAL/xfiPclC1+QzV9H3Jh5MYfPPeseWuUaGWStA67Vw==';
const CERT_DER = Buffer.from(CERT, 'base64');
const CERT_KEY = new X509Certificate(CERT_DER).publicKey.export({ format: 'jwk' }) as judge.Key;
const X5T = base64url.encode(createHash('sha1').update(CERT_DER).digest());

function exchange(body: unknown, headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }, status = 200): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    id: '#1',
    request: { method: 'GET', url: 'https://op.example.com/jwks', headers: {} },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

async function token(alg: 'RS256' | 'ES256', header: Record<string, unknown>, key = alg === 'RS256' ? rsa.privateKey : ec.privateKey): Promise<judge.SignedToken> {
  const jwt = await new SignJWT({ iss: 'https://op.example.com', sub: 'alice' }).setProtectedHeader({ alg, ...header }).sign(key);
  return { label: 'ID token', token: jwt, idToken: true, exchanges: ['#2'] };
}

/** n as a 1024-bit modulus: the top half of a 2048-bit one (the judge only measures it). */
function shortModulus(jwk: JWK): string {
  return base64url.encode(base64url.decode(jwk.n!).subarray(0, 128));
}

describe('jwks samples', () => {
  passesOn(check.served, 'a JWK Set', () => judge.judgeServed(exchange(GOOD)));
  proves(check.served, 'a bare array of keys', () => judge.judgeServed(exchange([RSA_PUBLIC])), /not a JSON object/);
  proves(check.served, 'a 404', () => judge.judgeServed(exchange({ error: 'not_found' }, {}, 404)));
  proves(check.served, 'a kid member repeated in one key', () => judge.judgeServed(exchange('{"keys":[{"kty":"EC","kid":"a","kid":"b","crv":"P-256","x":"AA","y":"AA"}]}')), /keys\[0\]\.kid/);

  passesOn(check.contentType, 'application/jwk-set+json', () => judge.judgeContentType(exchange(GOOD, { 'content-type': 'application/jwk-set+json' })));
  proves(check.contentType, 'text/plain', () => judge.judgeContentType(exchange(GOOD, { 'content-type': 'text/plain' })));

  passesOn(check.keysParse, 'RSA and EC keys', () => judge.judgeKeysParse(exchange(GOOD), GOOD));
  passesOn(check.keysParse, 'an unknown kty, ignored', () => judge.judgeKeysParse(exchange(GOOD), { keys: [...GOOD.keys, { kty: 'PQC', pub: 'AA' }] }));
  proves(check.keysParse, 'a key without kty', () => {
    const { kty: _, ...bad } = RSA_PUBLIC;
    return judge.judgeKeysParse(exchange(GOOD), { keys: [bad as judge.Key] });
  }, /kty/);
  proves(check.keysParse, 'an EC point that is not on the curve', () => judge.judgeKeysParse(exchange(GOOD), { keys: [{ ...EC_PUBLIC, x: EC_PUBLIC.y }] }), /does not import/);
  proves(check.keysParse, 'an empty set', () => judge.judgeKeysParse(exchange({ keys: [] }), { keys: [] }));

  passesOn(check.noPrivateMembers, 'public keys', () => judge.judgeNoPrivateMembers(GOOD, ex));
  proves(check.noPrivateMembers, 'a private RSA key', () => judge.judgeNoPrivateMembers({ keys: [RSA_PRIVATE] }, ex), /d, p, q/);
  proves(check.noPrivateMembers, 'a symmetric key', () => judge.judgeNoPrivateMembers({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, ex), /oct/);

  passesOn(check.kidUnique, 'distinct kids', () => judge.judgeKidUnique(GOOD, ex));
  passesOn(check.kidUnique, 'one kid for an RSA and an EC alternative', () => judge.judgeKidUnique({ keys: [RSA_PUBLIC, { ...EC_PUBLIC, kid: 'rsa-1' }] }, ex));
  proves(check.kidUnique, 'two RSA keys with one kid', () => judge.judgeKidUnique({ keys: [RSA_PUBLIC, { ...RSA_PUBLIC, n: shortModulus(RSA_PUBLIC) }] }, ex));

  passesOn(check.useConsistent, 'use sig everywhere', () => judge.judgeUseConsistent(GOOD, ex));
  proves(check.useConsistent, 'a mixed set with a key lacking use', () => {
    const { use: _, ...bare } = EC_PUBLIC;
    return judge.judgeUseConsistent({ keys: [{ ...RSA_PUBLIC, use: 'enc', alg: 'RSA-OAEP' }, { ...bare, alg: 'ES256' }] }, ex);
  }, /no use/);
  proves(check.useConsistent, 'use sig with key_ops encrypt', () => judge.judgeUseConsistent({ keys: [{ ...RSA_PUBLIC, key_ops: ['encrypt'] }] }, ex), /key_ops encrypt/);
  proves(check.useConsistent, 'repeated key_ops', () => judge.judgeUseConsistent({ keys: [{ ...EC_PUBLIC, use: undefined, key_ops: ['verify', 'verify'] }] }, ex));
  proves(check.useConsistent, 'an unregistered use (warning)', () => judge.judgeUseConsistent({ keys: [{ ...RSA_PUBLIC, use: 'signing' }] }, ex), /neither sig nor enc/);

  passesOn(check.noSharedSigEncKeys, 'separate keys', () => judge.judgeNoSharedSigEncKeys(GOOD, ex));
  proves(check.noSharedSigEncKeys, 'one RSA key published for sig and enc', () =>
    judge.judgeNoSharedSigEncKeys({ keys: [RSA_PUBLIC, { ...RSA_PUBLIC, kid: 'rsa-enc', use: 'enc', alg: 'RSA-OAEP' }] }, ex));

  passesOn(check.algsConsistent, 'RS256 and ES256 keys for the advertised algs', () => judge.judgeAlgsConsistent(GOOD, METADATA, ex));
  proves(check.algsConsistent, 'ES256 advertised without an EC key', () => judge.judgeAlgsConsistent({ keys: [RSA_PUBLIC] }, METADATA, ex), /ES256/);
  proves(check.algsConsistent, 'alg ES384 on a P-256 key', () => judge.judgeAlgsConsistent({ keys: [RSA_PUBLIC, EC_PUBLIC, { ...EC_PUBLIC, kid: 'ec-2', alg: 'ES384' }] }, METADATA, ex), /P-384/);
  proves(check.algsConsistent, 'alg RS256 on an EC key', () => judge.judgeAlgsConsistent({ keys: [RSA_PUBLIC, EC_PUBLIC, { ...EC_PUBLIC, kid: 'ec-3', alg: 'RS256' }] }, METADATA, ex));
  proves(check.algsConsistent, 'the only RSA key is for encryption', () => judge.judgeAlgsConsistent({ keys: [{ ...RSA_PUBLIC, use: 'enc', alg: 'RSA-OAEP' }, EC_PUBLIC] }, METADATA, ex), /RS256/);

  passesOn(check.rsaKeySize, 'a 2048-bit key', () => judge.judgeRsaKeySize(GOOD, ex));
  proves(check.rsaKeySize, 'a 1024-bit key', () => judge.judgeRsaKeySize({ keys: [{ ...RSA_PUBLIC, n: shortModulus(RSA_PUBLIC) }] }, ex), /1024 bits/);
  proves(check.rsaKeySize, 'a leading zero octet in n (warning)', () => {
    const padded = base64url.encode(Buffer.concat([Buffer.from([0]), Buffer.from(base64url.decode(RSA_PUBLIC.n!))]));
    return judge.judgeRsaKeySize({ keys: [{ ...RSA_PUBLIC, n: padded }] }, ex);
  }, /zero octet/);

  passesOn(check.ecCoordinates, 'a P-256 key', () => judge.judgeEcCoordinates(GOOD, ex));
  proves(check.ecCoordinates, 'a 31-octet x', () => judge.judgeEcCoordinates({ keys: [{ ...EC_PUBLIC, x: base64url.encode(base64url.decode(EC_PUBLIC.x!).subarray(1)) }] }, ex), /31 octets/);
  proves(check.ecCoordinates, 'an EC key without y', () => {
    const { y: _, ...bad } = EC_PUBLIC;
    return judge.judgeEcCoordinates({ keys: [bad as judge.Key] }, ex);
  }, /lacks y/);

  passesOn(check.x5cMatchesKey, 'the certificate\'s own key with its thumbprint', () =>
    judge.judgeX5cMatchesKey({ keys: [{ ...CERT_KEY, kid: 'cert', x5c: [CERT], x5t: X5T }] }, ex));
  proves(check.x5cMatchesKey, 'another key than the certificate\'s', () => judge.judgeX5cMatchesKey({ keys: [{ ...EC_PUBLIC, x5c: [CERT] }] }, ex), /differ/);
  proves(check.x5cMatchesKey, 'a wrong x5t', () => judge.judgeX5cMatchesKey({ keys: [{ ...CERT_KEY, x5c: [CERT], x5t: X5T.replace(/^./, X5T.startsWith('A') ? 'B' : 'A') }] }, ex), /x5t/);
  proves(check.x5cMatchesKey, 'a certificate that does not parse', () => judge.judgeX5cMatchesKey({ keys: [{ ...EC_PUBLIC, x5c: ['AAAA'] }] }, ex), /does not parse/);

  passesOn(check.cacheControl, 'max-age=300', () => judge.judgeCacheControl(exchange(GOOD)));
  proves(check.cacheControl, 'no-cache only', () => judge.judgeCacheControl(exchange(GOOD, { 'content-type': 'application/json', 'cache-control': 'no-cache' })));
  proves(check.cacheControl, 'no Cache-Control', () => judge.judgeCacheControl(exchange(GOOD, { 'content-type': 'application/json' })));

  passesOn(check.tokenVerifies, 'an RS256 token with its kid', async () => judge.judgeTokenVerifies([await token('RS256', { kid: 'rsa-1' })], GOOD, ex));
  passesOn(check.tokenVerifies, 'an ES256 token with its kid', async () => judge.judgeTokenVerifies([await token('ES256', { kid: 'ec-1' })], GOOD, ex));
  passesOn(check.tokenVerifies, 'no kid with a single key', async () => judge.judgeTokenVerifies([await token('RS256', {})], { keys: [RSA_PUBLIC] }, ex));
  proves(check.tokenVerifies, 'a kid the set does not list', async () => judge.judgeTokenVerifies([await token('RS256', { kid: 'rsa-1-unpublished' })], GOOD, ex), /names no key/);
  proves(check.tokenVerifies, 'no kid while the set holds two keys', async () => judge.judgeTokenVerifies([await token('RS256', {})], GOOD, ex), /no kid/);
  proves(check.tokenVerifies, 'a signature by another key under a published kid', async () => {
    const other = await generateKeyPair('RS256');
    return judge.judgeTokenVerifies([await token('RS256', { kid: 'rsa-1' }, other.privateKey)], GOOD, ex);
  }, /does not verify/);
  proves(check.tokenVerifies, 'a kid naming an encryption key', async () =>
    judge.judgeTokenVerifies([await token('RS256', { kid: 'rsa-1' })], { keys: [{ ...RSA_PUBLIC, use: 'enc', alg: undefined }, EC_PUBLIC] }, ex), /use "enc"/);
  proves(check.tokenVerifies, 'an RS256 token naming the EC key', async () => judge.judgeTokenVerifies([await token('RS256', { kid: 'ec-1' })], GOOD, ex), /cannot verify RS256/);

  passesOn(check.noKeyReferences, 'a header with alg, kid, typ', async () => judge.judgeNoKeyReferences([await token('RS256', { kid: 'rsa-1', typ: 'JWT' })]));
  proves(check.noKeyReferences, 'a jku header', async () => judge.judgeNoKeyReferences([await token('RS256', { kid: 'rsa-1', jku: 'https://attacker.example/jwks' })]), /jku/);
});

describe('jwks samples: bare keys', () => {
  passesOn(check.bareKeys, 'RSA and EC public keys', () => judge.judgeBareKeys(GOOD, ex));
  passesOn(check.bareKeys, 'a bare RSA key with its certificate alongside', () => judge.judgeBareKeys({ keys: [{ ...CERT_KEY, x5c: [CERT] }] }, ex));
  proves(check.bareKeys, 'a key published only as x5c (kty and the certificate)', () =>
    judge.judgeBareKeys({ keys: [{ kty: CERT_KEY.kty, kid: 'c1', x5c: [CERT] }] }, ex), /published through X\.509 only/);
  proves(check.bareKeys, 'a key with x5c and no kty', () => judge.judgeBareKeys({ keys: [{ kid: 'c1', x5c: [CERT] }] }, ex), /no kty/);
  proves(check.bareKeys, 'an EC key without y', () => {
    const { y: _, ...bad } = EC_PUBLIC;
    return judge.judgeBareKeys({ keys: [bad as judge.Key] }, ex);
  }, /lacks y/);
});
