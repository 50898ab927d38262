// Each ID token rule, proven on a bad sample and passing on a good one: tokens signed here with
// keys made for the test (RS256 with a kid, HS256 with a client secret, ES256), judged as the
// suite judges the tokens of the browser flows.
import { CompactSign, SignJWT, base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe } from 'vitest';
import { halfHash } from '../../harness/tokens/id-token.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import type { IdTokenSample } from './collect.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com/oidc';
const CLIENT = 'web-basic';
const SECRET = 'web-hs256-secret-5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c';
const SUB = 'user-alice-0001';
const NONCE = 'n-abc +%&=/?;ä€e\u0301';
const ACCESS_TOKEN = 'an-access-token';
const CODE = 'an-authorization-code';
const now = Math.floor(Date.now() / 1000);

const rsa = await generateKeyPair('RS256');
const rsaOther = await generateKeyPair('RS256');
const ec = await generateKeyPair('ES256');
const JWKS = {
  keys: [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa1', use: 'sig', alg: 'RS256' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec1', use: 'sig', alg: 'ES256' },
  ] as JWK[],
};

const CLAIMS = { iss: ISSUER, sub: SUB, aud: CLIENT, iat: now, exp: now + 3600, auth_time: now - 5, nonce: NONCE, amr: ['pwd'], acr: 'urn:example:acr:password' };
type Claims = Record<string, unknown>;

async function rs256(claims: Claims = CLAIMS, header: Claims = { kid: 'rsa1' }, key = rsa.privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...header }).sign(key);
}

let counter = 0;
function sample(token: string, extra: Partial<IdTokenSample> = {}): IdTokenSample {
  return {
    label: `sample ${++counter}`,
    token,
    source: 'token endpoint',
    responseType: 'code',
    role: 'basic',
    clientId: CLIENT,
    clientSecret: 'basic-secret',
    expectedAlg: 'RS256',
    nonce: NONCE,
    atHashRequired: false,
    cHashRequired: false,
    receivedAt: now,
    exchanges: [`#${counter}`],
    ...extra,
  };
}
const good = async (claims: Claims = CLAIMS, extra: Partial<IdTokenSample> = {}) => sample(await rs256(claims), extra);
const without = (name: string): Claims => Object.fromEntries(Object.entries(CLAIMS).filter(([n]) => n !== name));

/** A token whose claims set is exactly the given JSON text (repeated names survive), signed for real. */
function rawPayload(json: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: 'RS256', kid: 'rsa1' }).sign(rsa.privateKey);
}

describe('id-token samples', () => {
  passesOn(check.signature, 'RS256 with a published kid, HS256 with the secret, ES256', async () =>
    judge.judgeSignatures(
      [
        await good(),
        sample(await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET)), { clientSecret: SECRET, role: 'hs256', expectedAlg: 'HS256' }),
        sample(await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', kid: 'ec1' }).sign(ec.privateKey), { role: 'es256', expectedAlg: 'ES256' }),
      ],
      JWKS,
    ),
  );
  proves(check.signature, 'a kid the JWK Set does not list', async () => judge.judgeSignatures([await good()], { keys: [{ ...JWKS.keys[0]!, kid: 'other' }] }), /kid/);
  proves(check.signature, 'a signature by another key', async () => judge.judgeSignatures([sample(await rs256(CLAIMS, { kid: 'rsa1' }, rsaOther.privateKey))], JWKS), /does not verify/);
  proves(check.signature, 'no kid while the set holds two keys', async () => judge.judgeSignatures([sample(await rs256(CLAIMS, {}))], JWKS), /no kid/);
  proves(check.signature, 'an ES256 header on an RSA key', async () => {
    const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', kid: 'rsa1' }).sign(ec.privateKey);
    await judge.judgeSignatures([sample(token)], JWKS);
  }, /does not suit/);
  proves(check.signature, 'an HS256 token MACed with another secret', async () => {
    const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-of-thirty-two-bytes!!'));
    await judge.judgeSignatures([sample(token, { clientSecret: SECRET })], JWKS);
  }, /does not verify/);

  const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${base64url.encode(JSON.stringify(CLAIMS))}.`;
  passesOn(check.algNotNone, 'an RS256 token', async () => judge.judgeAlgNotNone([await good()]));
  passesOn(check.algNotNone, 'alg none from the token endpoint for a client registered for none', () => judge.judgeAlgNotNone([sample(unsigned, { expectedAlg: 'none' })]));
  proves(check.algNotNone, 'alg none from the authorization endpoint', () => judge.judgeAlgNotNone([sample(unsigned, { source: 'authorization endpoint', expectedAlg: 'none' })]), /alg none/);
  proves(check.algNotNone, 'alg none for an RS256 client', () => judge.judgeAlgNotNone([sample(unsigned)]), /alg none/);

  passesOn(check.expectedAlg, 'RS256 for a client registered for nothing else', async () => judge.judgeExpectedAlg([await good()]));
  proves(check.expectedAlg, 'HS256 for an RS256 client', async () => {
    const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    judge.judgeExpectedAlg([sample(token)]);
  }, /not the RS256/);

  const hs = async (secret = SECRET) => sample(await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret)), { role: 'hs256', clientSecret: SECRET, expectedAlg: 'HS256' });
  passesOn(check.hs256Mac, 'an HS256 token MACed with the client secret', async () => judge.judgeHs256(judge.samplesOf([await good(), await hs()], 'hs256')));
  proves(check.hs256Mac, 'a MAC with another secret', async () => judge.judgeHs256([await hs('web-hs256-secret-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')]), /does not verify/);
  proves(check.hs256Mac, 'an RS256 token for the HS256 client', async () => judge.judgeHs256([await good(CLAIMS, { role: 'hs256', expectedAlg: 'HS256', clientSecret: SECRET })]), /RS256/);

  const es = async (kid = 'ec1') => sample(await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', kid }).sign(ec.privateKey), { role: 'es256', expectedAlg: 'ES256' });
  passesOn(check.es256Signature, 'an ES256 token with the published P-256 key', async () => judge.judgeEs256(judge.samplesOf([await es()], 'es256'), JWKS));
  proves(check.es256Signature, 'an ES256 token with an unpublished kid', async () => judge.judgeEs256([await es('ec-unpublished')], JWKS), /kid/);
  proves(check.es256Signature, 'an RS256 token for the ES256 client', async () => judge.judgeEs256([await good(CLAIMS, { role: 'es256', expectedAlg: 'ES256' })], JWKS), /RS256/);

  passesOn(check.noKeyHeaders, 'a header with alg and kid', async () => judge.judgeNoKeyHeaders([await good()]));
  proves(check.noKeyHeaders, 'a jku header', async () => judge.judgeNoKeyHeaders([sample(await rs256(CLAIMS, { kid: 'rsa1', jku: 'https://evil.example/jwks' }))]), /jku/);

  passesOn(check.iss, 'the discovery issuer', async () => judge.judgeIss([await good()], ISSUER));
  proves(check.iss, 'the issuer with a trailing slash', async () => judge.judgeIss([await good({ ...CLAIMS, iss: `${ISSUER}/` })], ISSUER), /iss differs/);

  passesOn(check.aud, 'aud the client_id, and an array holding it alone', async () => judge.judgeAud([await good(), await good({ ...CLAIMS, aud: [CLIENT] })]));
  proves(check.aud, 'aud another client', async () => judge.judgeAud([await good({ ...CLAIMS, aud: 'some-other-client' })]), /does not contain/);
  proves(check.aud, 'an extra untrusted audience (a warning)', async () => judge.judgeAud([await good({ ...CLAIMS, aud: [CLIENT, 'https://api.example.com'] })]), /other audiences/);

  passesOn(check.azp, 'no azp, and azp the client_id', async () => judge.judgeAzp([await good(), await good({ ...CLAIMS, azp: CLIENT })]));
  proves(check.azp, 'azp another client', async () => judge.judgeAzp([await good({ ...CLAIMS, azp: 'other-client' })]), /azp/);

  passesOn(check.exp, 'exp an hour after iat', async () => judge.judgeExp([await good()]));
  proves(check.exp, 'expired 15 minutes before arrival', async () => judge.judgeExp([await good({ ...CLAIMS, exp: now - 900, iat: now - 1800 })]), /expired/);
  proves(check.exp, 'exp in milliseconds', async () => judge.judgeExp([await good({ ...CLAIMS, exp: (now + 3600) * 1000 })]), /milliseconds/);
  proves(check.exp, 'exp a string', async () => judge.judgeExp([await good({ ...CLAIMS, exp: String(now + 3600) })]), /JSON number/);

  passesOn(check.iat, 'iat at arrival', async () => judge.judgeIat([await good()]));
  proves(check.iat, 'iat an hour in the future', async () => judge.judgeIat([await good({ ...CLAIMS, iat: now + 3600, exp: now + 7200 })]), /away/);
  proves(check.iat, 'iat missing', async () => judge.judgeIat([await good(without('iat'))]), /JSON number/);

  passesOn(check.nonce, 'the nonce byte-exact', async () => judge.judgeNonce([await good()]));
  proves(check.nonce, 'the nonce dropped', async () => judge.judgeNonce([await good(without('nonce'))]), /no nonce/);
  proves(check.nonce, 'the nonce changed', async () => judge.judgeNonce([await good({ ...CLAIMS, nonce: `${NONCE}-changed` })]), /differs/);
  proves(check.nonce, 'the nonce NFC-normalised', async () => judge.judgeNonce([await good({ ...CLAIMS, nonce: NONCE.normalize('NFC') })]), /normalised/);

  passesOn(check.authTime, 'auth_time present where max_age was sent', async () => judge.judgeAuthTime([await good(CLAIMS, { authTimeRequired: 'max_age was sent' })]));
  proves(check.authTime, 'auth_time missing although max_age was sent', async () => judge.judgeAuthTime([await good(without('auth_time'), { authTimeRequired: 'max_age was sent' })]), /no auth_time/);
  proves(check.authTime, 'auth_time after iat', async () => judge.judgeAuthTime([await good({ ...CLAIMS, auth_time: now + 3600 })]), /later/);
  proves(check.authTime, 'auth_time in milliseconds', async () => judge.judgeAuthTime([await good({ ...CLAIMS, auth_time: now * 1000 })]), /milliseconds/);

  passesOn(check.subFormat, 'a short ASCII sub', async () => judge.judgeSubFormat([await good()]));
  proves(check.subFormat, 'a 300-character sub', async () => judge.judgeSubFormat([await good({ ...CLAIMS, sub: SUB.padEnd(300, 'x') })]), /300 characters/);
  proves(check.subFormat, 'a non-ASCII sub', async () => judge.judgeSubFormat([await good({ ...CLAIMS, sub: 'alïce' })]), /non-ASCII/);
  proves(check.subFormat, 'a numeric sub', async () => judge.judgeSubFormat([await good({ ...CLAIMS, sub: 42 })]), /not a string/);

  passesOn(check.subStable, 'one sub for one client, the profile\'s', async () => judge.judgeSubStable([await good(), await good()], SUB));
  passesOn(check.subStable, 'a different (pairwise) sub at another client', async () => judge.judgeSubStable([await good(), await good({ ...CLAIMS, sub: 'pairwise-2', aud: 'web-hs256' }, { clientId: 'web-hs256' })], undefined));
  proves(check.subStable, 'two subs at one client', async () => judge.judgeSubStable([await good(), await good({ ...CLAIMS, sub: 'user-alice-0001-other' })], undefined), /two different subs/);
  proves(check.subStable, 'a sub other than the profile\'s', async () => judge.judgeSubStable([await good()], 'someone-else'), /profile/);

  const standard = { ...CLAIMS, name: 'Alice', email: 'alice@example.com', email_verified: true, phone_number_verified: false, updated_at: 1700000000, address: { country: 'GB' }, birthdate: '1852-05-04' };
  passesOn(check.claimsTyped, 'standard claims with their types', async () => judge.judgeClaimsTyped([await good(standard)]));
  proves(check.claimsTyped, 'updated_at in milliseconds', async () => judge.judgeClaimsTyped([await good({ ...standard, updated_at: 1700000000000 })]), /updated_at/);
  proves(check.claimsTyped, 'email_verified the string "true"', async () => judge.judgeClaimsTyped([await good({ ...standard, email_verified: 'true' })]), /email_verified/);
  proves(check.claimsTyped, 'address a string', async () => judge.judgeClaimsTyped([await good({ ...standard, address: '1 Rabbit Hole' })]), /address/);

  passesOn(check.noNullClaims, 'no null values', async () => judge.judgeNoNullClaims([await good()]));
  proves(check.noNullClaims, 'middle_name null', async () => judge.judgeNoNullClaims([await good({ ...CLAIMS, middle_name: null })]), /null/);

  passesOn(check.amr, 'amr ["pwd", "mfa"]', async () => judge.judgeAmr([await good({ ...CLAIMS, amr: ['pwd', 'mfa'] })]));
  proves(check.amr, 'an unregistered amr value', async () => judge.judgeAmr([await good({ ...CLAIMS, amr: ['password'] })]), /registry/);

  passesOn(check.acrFormat, 'a URN acr', async () => judge.judgeAcr([await good()]));
  proves(check.acrFormat, 'acr "silver"', async () => judge.judgeAcr([await good({ ...CLAIMS, acr: 'silver' })]), /absolute URI/);

  const front = (claims: Claims, extra: Partial<IdTokenSample>) => good(claims, { source: 'authorization endpoint', responseType: 'code id_token token', ...extra });
  passesOn(check.atHash, 'at_hash right in an id_token token response', async () =>
    judge.judgeAtHash([await front({ ...CLAIMS, at_hash: halfHash(ACCESS_TOKEN, 'RS256') }, { accessToken: ACCESS_TOKEN, atHashRequired: true })]),
  );
  proves(check.atHash, 'at_hash missing with a front-channel access token', async () => judge.judgeAtHash([await front(CLAIMS, { accessToken: ACCESS_TOKEN, atHashRequired: true })]), /no at_hash/);
  proves(check.atHash, 'at_hash over another value', async () => judge.judgeAtHash([await front({ ...CLAIMS, at_hash: halfHash(`${ACCESS_TOKEN}x`, 'RS256') }, { accessToken: ACCESS_TOKEN, atHashRequired: true })]), /does not match/);
  proves(check.atHash, 'at_hash with no access token (a warning)', async () => judge.judgeAtHash([await front({ ...CLAIMS, at_hash: halfHash(ACCESS_TOKEN, 'RS256') }, { responseType: 'id_token' })]), /no access token/);

  passesOn(check.cHash, 'c_hash right in a code id_token response', async () => judge.judgeCHash([await front({ ...CLAIMS, c_hash: halfHash(CODE, 'RS256') }, { code: CODE, cHashRequired: true })]));
  proves(check.cHash, 'c_hash missing with a front-channel code', async () => judge.judgeCHash([await front(CLAIMS, { code: CODE, cHashRequired: true })]), /no c_hash/);
  proves(check.cHash, 'c_hash over another value', async () => judge.judgeCHash([await front({ ...CLAIMS, c_hash: halfHash('another-code', 'RS256') }, { code: CODE, cHashRequired: true })]), /does not match/);

  passesOn(check.uniqueClaimNames, 'a claims set without repeats', async () => judge.judgeUniqueClaimNames([await good()]));
  proves(check.uniqueClaimNames, 'sub twice in the claims set', async () => judge.judgeUniqueClaimNames([sample(await rawPayload(`{"iss":"${ISSUER}","sub":"${SUB}","aud":"${CLIENT}","iat":${now},"exp":${now + 3600},"sub":"someone-else"}`))]), /repeats sub/);
});
