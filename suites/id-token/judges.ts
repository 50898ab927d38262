// Judges of the ID token rules: pure functions of the collected samples (and the JWK Set and
// issuer), each failing on the first token that breaks its rule and naming it, so every check can
// be proven on a good and a bad sample without a provider or a browser.
import { base64url, type JWK } from 'jose';
import { CheckFailure, CheckSkip, type PassDetails, failCheck } from '../../harness/checks.ts';
import { validatePayload } from '../../harness/schemas/validate-payload.ts';
import { duplicateMemberNames } from '../../harness/judge/duplicate-members.ts';
import { type Claims, decodeIdToken, halfHash, verifyIdTokenSignature } from '../../harness/tokens/id-token.ts';
import type { IdTokenSample } from './collect.ts';

/** Clock skew tolerated between the target and the harness, seconds (OIDC Core 2: "a few minutes"). */
export const SKEW_SECONDS = 300;
/** A NumericDate above this is milliseconds, not seconds (RFC 7519 2). */
const MILLISECONDS = 1e11;

/** The JWT Authentication Method Reference Values registry (RFC 8176 2). */
export const REGISTERED_AMR = ['face', 'fpt', 'geo', 'hwk', 'iris', 'kba', 'mca', 'mfa', 'otp', 'pin', 'pwd', 'rba', 'retina', 'sc', 'sms', 'swk', 'tel', 'user', 'vbm', 'wia'];

interface Decoded {
  sample: IdTokenSample;
  header: Claims;
  claims: Claims;
}

function decodeAll(samples: IdTokenSample[]): Decoded[] {
  if (samples.length === 0) throw new CheckSkip('no ID token was collected');
  return samples.map((sample) => ({ sample, ...decodeIdToken(sample.token, sample.exchanges) }));
}

function fail(item: Decoded | IdTokenSample, message: string, expected: unknown, actual: unknown, warnOnly = false): never {
  const sample = 'sample' in item ? item.sample : item;
  throw new CheckFailure(`${sample.label}: ${message}`, { expected, actual, exchanges: sample.exchanges, warnOnly });
}

function passed(samples: IdTokenSample[], what: string): PassDetails {
  return { message: `${samples.length} ID token${samples.length === 1 ? '' : 's'} ${what} (${samples.map((s) => s.label).join('; ')})`, exchanges: [...new Set(samples.flatMap((s) => s.exchanges))] };
}

/** OIDC Core 2, 10.1: each token verifies with the client secret (HS*) or the JWK Set key its kid names. */
export async function judgeSignatures(samples: IdTokenSample[], jwks: { keys: JWK[] }): Promise<PassDetails> {
  for (const item of decodeAll(samples)) {
    const { sample, header } = item;
    const alg = String(header.alg);
    if (alg === 'none') fail(item, 'the ID token is unsigned (alg none)', 'a JWS signature', 'none');
    if (!alg.startsWith('HS')) {
      const usable = jwks.keys.filter((k) => k.use === undefined || k.use === 'sig');
      // OIDC Core 10.1: with several keys in the set, the kid MUST be in the header.
      if (header.kid === undefined && usable.length > 1) fail(item, 'no kid in the header while the JWK Set holds several signing keys', 'a kid', undefined);
      const named = header.kid === undefined ? usable : jwks.keys.filter((k) => k.kid === header.kid);
      if (named.length === 1 && named[0]!.use !== undefined && named[0]!.use !== 'sig') fail(item, `the key ${String(header.kid)} is published for use "${named[0]!.use}", not for signatures`, 'use sig (or no use)', named[0]!.use);
      if (named.length === 1 && Array.isArray(named[0]!.key_ops) && !named[0]!.key_ops.includes('verify')) fail(item, `the key ${String(header.kid)} has key_ops without verify`, 'key_ops including verify', named[0]!.key_ops);
      const kty = named[0]?.kty;
      const fits = /^(RS|PS)/.test(alg) ? kty === 'RSA' : /^ES/.test(alg) ? kty === 'EC' : alg === 'EdDSA' || alg === 'Ed25519' ? kty === 'OKP' : true;
      if (named.length === 1 && !fits) fail(item, `alg ${alg} does not suit the ${String(kty)} key ${String(header.kid)}`, `a key type for ${alg}`, kty);
    }
    await verifyIdTokenSignature(sample.token, {
      issuer: '',
      clientId: sample.clientId,
      ...(sample.clientSecret !== undefined ? { clientSecret: sample.clientSecret } : {}),
      jwks,
      exchanges: sample.exchanges,
    }).catch((error: unknown) => {
      if (error instanceof CheckFailure) fail(item, error.message, error.expected, error.actual);
      throw error;
    });
  }
  return passed(samples, 'verified');
}

/** OIDC Core 2: alg none only for a token-endpoint ID token of a client registered for none. */
export function judgeAlgNotNone(samples: IdTokenSample[]): PassDetails {
  for (const item of decodeAll(samples)) {
    const negotiated = item.sample.source === 'token endpoint' && item.sample.expectedAlg === 'none';
    if (String(item.header.alg).toLowerCase() === 'none' && !negotiated) fail(item, 'the ID token uses alg none', 'a signing algorithm', item.header.alg);
  }
  return passed(samples, 'are signed');
}

/** OIDC Core 3.1.3.7 step 7: the registered alg, RS256 by default. */
export function judgeExpectedAlg(samples: IdTokenSample[]): PassDetails {
  for (const item of decodeAll(samples)) {
    if (item.header.alg !== item.sample.expectedAlg) fail(item, `alg is ${String(item.header.alg)}, not the ${item.sample.expectedAlg} the client is registered for`, item.sample.expectedAlg, item.header.alg);
  }
  return passed(samples, 'use the registered algorithm');
}

/** The tokens of one role (the HS256 or ES256 client), or SKIP naming what is missing. */
export function samplesOf(samples: IdTokenSample[], role: 'hs256' | 'es256'): IdTokenSample[] {
  const found = samples.filter((s) => s.role === role);
  if (found.length === 0) throw new CheckSkip(`no ID token of the profile's "${role}" client was collected`);
  return found;
}

/** OIDC Core 10.1: HS256 ID tokens MACed with the client secret. */
export async function judgeHs256(samples: IdTokenSample[]): Promise<PassDetails> {
  for (const item of decodeAll(samples)) {
    if (item.header.alg !== 'HS256') fail(item, `the HS256 client got an ${String(item.header.alg)} ID token`, 'HS256', item.header.alg);
    if (item.sample.clientSecret === undefined) fail(item, 'the HS256 client has no client_secret in the profile', 'a client_secret', undefined);
  }
  return judgeSignatures(samples, { keys: [] });
}

/** The ES256 client's tokens: ES256, verified through the JWK Set. */
export async function judgeEs256(samples: IdTokenSample[], jwks: { keys: JWK[] }): Promise<PassDetails> {
  for (const item of decodeAll(samples)) {
    if (item.header.alg !== 'ES256') fail(item, `the ES256 client got an ${String(item.header.alg)} ID token`, 'ES256', item.header.alg);
  }
  return judgeSignatures(samples, jwks);
}

/** OIDC Core 2: no x5u, x5c, jku or jwk header parameters. */
export function judgeNoKeyHeaders(samples: IdTokenSample[]): PassDetails {
  for (const item of decodeAll(samples)) {
    const found = ['x5u', 'x5c', 'jku', 'jwk'].filter((name) => name in item.header);
    if (found.length > 0) fail(item, `the header carries ${found.join(', ')}`, 'no x5u, x5c, jku, jwk', found);
  }
  return passed(samples, 'name their key by kid only');
}

/** OIDC Core 2, 16.15: iss equals the discovery issuer exactly. */
export function judgeIss(samples: IdTokenSample[], issuer: string): PassDetails {
  for (const item of decodeAll(samples)) {
    if (item.claims.iss !== issuer) fail(item, 'iss differs from the discovery issuer', issuer, item.claims.iss);
  }
  return passed(samples, `carry iss ${issuer}`);
}

/** OIDC Core 2: aud contains the client_id; other audiences are untrusted to RPs (3.1.3.7 step 3). */
export function judgeAud(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples);
  for (const item of decoded) {
    const { aud } = item.claims;
    const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
    if (!list) fail(item, 'aud is neither a string nor an array of strings', 'a string or an array of strings', aud);
    if (!list.includes(item.sample.clientId)) fail(item, 'aud does not contain the client_id', item.sample.clientId, aud);
  }
  for (const item of decoded) {
    const aud = item.claims.aud;
    const extra = (Array.isArray(aud) ? (aud as string[]) : [aud as string]).filter((a) => a !== item.sample.clientId);
    if (extra.length > 0) fail(item, `aud names other audiences (${extra.join(', ')}), which RPs are told to reject unless they trust them`, [item.sample.clientId], aud, true);
  }
  return passed(samples, 'name the client as their audience');
}

/** OIDC Core 2 (errata 2): azp, when present, is the client_id. */
export function judgeAzp(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples);
  for (const item of decoded) {
    if (item.claims.azp !== undefined && item.claims.azp !== item.sample.clientId) fail(item, 'azp is not the client_id', item.sample.clientId, item.claims.azp);
  }
  const withAzp = decoded.filter((d) => d.claims.azp !== undefined).length;
  return { ...passed(samples, 'have no wrong azp'), evidence: { withAzp } };
}

function numericDate(item: Decoded, name: string): number {
  const value = item.claims[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(item, `${name} is not a JSON number`, 'seconds since the epoch as a JSON number', value);
  if (value > MILLISECONDS) fail(item, `${name} looks like milliseconds`, 'seconds since the epoch', value);
  return value;
}

/** OIDC Core 2: exp a number of seconds, after iat, not passed on receipt (with some skew). */
export function judgeExp(samples: IdTokenSample[], skew = SKEW_SECONDS): PassDetails {
  for (const item of decodeAll(samples)) {
    const expValue = numericDate(item, 'exp');
    if (expValue <= item.sample.receivedAt - skew) fail(item, `the ID token had expired when it arrived (exp ${expValue}, received ${item.sample.receivedAt})`, `exp > ${item.sample.receivedAt}`, expValue);
    const iatValue = item.claims.iat;
    if (typeof iatValue === 'number' && expValue <= iatValue) fail(item, 'exp is not later than iat', `exp > ${iatValue}`, expValue);
  }
  return passed(samples, 'carry a valid exp');
}

/** OIDC Core 2: iat a number of seconds close to the time of receipt. */
export function judgeIat(samples: IdTokenSample[], skew = SKEW_SECONDS): PassDetails {
  for (const item of decodeAll(samples)) {
    const value = numericDate(item, 'iat');
    if (Math.abs(value - item.sample.receivedAt) > skew) fail(item, `iat is ${value - item.sample.receivedAt} s away from the time the token arrived`, `within ${skew} s of ${item.sample.receivedAt}`, value);
  }
  return passed(samples, 'carry an iat close to their arrival');
}

/** OIDC Core 2, 14: the nonce passed through unmodified (no normalisation). */
export function judgeNonce(samples: IdTokenSample[]): PassDetails {
  const withNonce = samples.filter((s) => s.nonce !== undefined);
  if (withNonce.length === 0) throw new CheckSkip('no request of this area sent a nonce');
  for (const item of decodeAll(withNonce)) {
    if (item.claims.nonce === undefined) fail(item, 'the ID token has no nonce although the request sent one', item.sample.nonce, undefined);
    if (item.claims.nonce !== item.sample.nonce) {
      const normalised = typeof item.claims.nonce === 'string' && item.claims.nonce === item.sample.nonce!.normalize('NFC');
      fail(item, normalised ? 'the nonce came back Unicode-normalised (NFC), not byte-exact' : 'the nonce differs from the one sent', item.sample.nonce, item.claims.nonce);
    }
  }
  return passed(withNonce, 'carry the nonce byte-exact');
}

/** OIDC Core 2: auth_time REQUIRED with max_age or as an essential claim; a number not after iat. */
export function judgeAuthTime(samples: IdTokenSample[], skew = SKEW_SECONDS): PassDetails {
  const decoded = decodeAll(samples);
  const required = decoded.filter((d) => d.sample.authTimeRequired !== undefined);
  for (const item of required) {
    if (item.claims.auth_time === undefined) fail(item, `no auth_time although ${item.sample.authTimeRequired}`, 'auth_time', undefined);
  }
  let present = 0;
  for (const item of decoded) {
    if (item.claims.auth_time === undefined) continue;
    present++;
    const value = numericDate(item, 'auth_time');
    const issued = typeof item.claims.iat === 'number' ? item.claims.iat : item.sample.receivedAt;
    if (value > issued + skew) fail(item, 'auth_time is later than the token was issued', `<= ${issued}`, value);
  }
  if (required.length === 0 && present === 0) throw new CheckSkip('no request of this area required auth_time and no ID token carried one');
  return { ...passed(samples, 'carry auth_time where it is required'), evidence: { required: required.length, present } };
}

/** OIDC Core 2: sub a string of at most 255 ASCII characters. */
export function judgeSubFormat(samples: IdTokenSample[]): PassDetails {
  for (const item of decodeAll(samples)) {
    const { sub } = item.claims;
    if (typeof sub !== 'string' || sub.length === 0) fail(item, 'sub is missing or not a string', 'a non-empty string', sub);
    if ([...sub].some((c) => c.charCodeAt(0) > 0x7f)) fail(item, 'sub has non-ASCII characters', 'ASCII characters only', sub);
    if (sub.length > 255) fail(item, `sub is ${sub.length} characters long`, 'at most 255 ASCII characters', sub.length);
  }
  return passed(samples, 'carry a well-formed sub');
}

/** OIDC Core 2: sub is stable for one user at one client; equal to the profile's sub when given. */
export function judgeSubStable(samples: IdTokenSample[], expectedSub: string | undefined): PassDetails {
  const decoded = decodeAll(samples);
  const byClient = new Map<string, Decoded>();
  for (const item of decoded) {
    if (expectedSub !== undefined && item.claims.sub !== expectedSub) fail(item, 'sub is not the one the profile gives for the test user', expectedSub, item.claims.sub);
    const first = byClient.get(item.sample.clientId);
    if (!first) byClient.set(item.sample.clientId, item);
    else if (first.claims.sub !== item.claims.sub) {
      throw new CheckFailure(`the same user got two different subs at client ${item.sample.clientId}: ${first.sample.label} and ${item.sample.label}`, {
        expected: first.claims.sub,
        actual: item.claims.sub,
        exchanges: [...first.sample.exchanges, ...item.sample.exchanges],
      });
    }
  }
  return passed(samples, `of one user carry one sub per client (${byClient.size} client${byClient.size === 1 ? '' : 's'})`);
}

/** OIDC Core 5.1, 2: standard claims typed; NumericDates numbers of seconds (the JSON Schema). */
export function judgeClaimsTyped(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples);
  for (const item of decoded) {
    const result = validatePayload('id-token-claims', item.claims);
    if (!result.valid) fail(item, `claims do not have their defined types: ${result.errors.join('; ')}`, 'claims typed per OIDC Core 2 and 5.1', result.errors);
  }
  const standard = new Set(decoded.flatMap((d) => Object.keys(d.claims)));
  return { ...passed(samples, 'have well-typed claims'), evidence: { claims: [...standard].sort() } };
}

/** OIDC Core 13.3 (errata 3 explicit for ID tokens): no null claim values. */
export function judgeNoNullClaims(samples: IdTokenSample[]): PassDetails {
  for (const item of decodeAll(samples)) {
    const nulls = Object.entries(item.claims).filter(([, value]) => value === null).map(([name]) => name);
    if (nulls.length > 0) fail(item, `claims sent as null: ${nulls.join(', ')}`, 'claims without a value left out', nulls);
  }
  return passed(samples, 'have no null claims');
}

/** OIDC Core 2 / RFC 8176: amr values from the registry. */
export function judgeAmr(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples).filter((d) => d.claims.amr !== undefined);
  if (decoded.length === 0) throw new CheckSkip('no ID token carried amr');
  for (const item of decoded) {
    const { amr: value } = item.claims;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(item, 'amr is not an array of strings', 'an array of strings', value);
    const unregistered = (value as string[]).filter((v) => !REGISTERED_AMR.includes(v));
    if (unregistered.length > 0) fail(item, `amr values not in the RFC 8176 registry: ${unregistered.join(', ')}`, REGISTERED_AMR, value);
  }
  return passed(decoded.map((d) => d.sample), 'carry registered amr values');
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** OIDC Core 2: acr an absolute URI or an RFC 6711 registered name ("0" is defined by OIDC Core itself). */
export function judgeAcr(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples).filter((d) => d.claims.acr !== undefined);
  if (decoded.length === 0) throw new CheckSkip('no ID token carried acr');
  for (const item of decoded) {
    const { acr: value } = item.claims;
    if (typeof value !== 'string' || value.length === 0) fail(item, 'acr is not a non-empty string', 'a string', value);
    if (!ABSOLUTE_URI.test(value) && value !== '0') fail(item, `acr "${value}" is not an absolute URI; unless it is an RFC 6711 registered name, RPs cannot rely on its meaning`, 'an absolute URI or an RFC 6711 registered name', value);
  }
  return passed(decoded.map((d) => d.sample), 'carry an absolute-URI acr');
}

/** OIDC Core 3.1.3.6, 3.2.2.10, 3.3.2.11: at_hash required with a front-channel access token; right when present. */
export function judgeAtHash(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples);
  for (const item of decoded) {
    const { sample, claims, header } = item;
    if (sample.atHashRequired && claims.at_hash === undefined) fail(item, `no at_hash in an ID token issued with an access token (response_type ${sample.responseType})`, 'at_hash', undefined);
    if (claims.at_hash === undefined) continue;
    if (sample.accessToken === undefined) fail(item, 'at_hash is present although no access token was issued with the ID token', 'no at_hash', claims.at_hash, true);
    const expected = halfHash(sample.accessToken, String(header.alg));
    if (claims.at_hash !== expected) fail(item, 'at_hash does not match the access token', expected, claims.at_hash);
  }
  const judged = decoded.filter((d) => d.claims.at_hash !== undefined || d.sample.atHashRequired);
  if (judged.length === 0) throw new CheckSkip('no ID token was issued with an access token in the same response, and none carried at_hash');
  return passed(judged.map((d) => d.sample), 'carry a correct at_hash');
}

/** OIDC Core 3.3.2.11: c_hash required with a front-channel code; right when present. */
export function judgeCHash(samples: IdTokenSample[]): PassDetails {
  const decoded = decodeAll(samples);
  for (const item of decoded) {
    const { sample, claims, header } = item;
    if (sample.cHashRequired && claims.c_hash === undefined) fail(item, `no c_hash in an ID token issued with a code (response_type ${sample.responseType})`, 'c_hash', undefined);
    if (claims.c_hash === undefined) continue;
    if (sample.code === undefined) fail(item, 'c_hash is present although no code goes with the ID token', 'no c_hash', claims.c_hash, true);
    const expected = halfHash(sample.code, String(header.alg));
    if (claims.c_hash !== expected) fail(item, 'c_hash does not match the code', expected, claims.c_hash);
  }
  const judged = decoded.filter((d) => d.claims.c_hash !== undefined || d.sample.cHashRequired);
  if (judged.length === 0) throw new CheckSkip('no ID token was issued with a code in the same response (the target offers no hybrid response type), and none carried c_hash');
  return passed(judged.map((d) => d.sample), 'carry a correct c_hash');
}

/** RFC 7519 4, RFC 7515 4: member names unique in the claims set and in the header. */
export function judgeUniqueClaimNames(samples: IdTokenSample[]): PassDetails {
  for (const sample of samples) {
    const [header, payload] = sample.token.split('.');
    for (const [part, encoded] of [['header', header], ['claims set', payload]] as const) {
      let text: string;
      let duplicates: string[];
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(encoded ?? ''));
        duplicates = duplicateMemberNames(text);
      } catch (error) {
        failCheck(`${sample.label}: the ${part} is not JSON: ${(error as Error).message}`, { expected: 'a JSON object', actual: (encoded ?? '').slice(0, 40), exchanges: sample.exchanges });
      }
      if (duplicates.length > 0) fail(sample, `the ${part} repeats ${duplicates.join(', ')}`, 'unique member names', duplicates);
    }
  }
  return passed(samples, 'have unique member names');
}
