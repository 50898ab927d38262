// Judges of the JWK Set and of the signatures of tokens it must verify: pure functions of what was
// fetched (the set's exchange, the discovery metadata, tokens the provider issued).
import { X509Certificate, createHash } from 'node:crypto';
import { base64url, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { CheckFailure, CheckSkip, type PassDetails, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { duplicateMemberNames } from '../../harness/judge/duplicate-members.ts';
import { expectJsonContentType, expectSchema, expectStatus, headerOf } from '../../harness/judge/exchange.ts';

export type Key = Record<string, unknown>;
export interface JwkSet {
  keys: Key[];
}

/** A JWS the provider issued, with the exchange that carried it. */
export interface SignedToken {
  label: string;
  token: string;
  idToken: boolean;
  exchanges: string[];
}

export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const PUBLIC_MEMBERS = ['kty', 'n', 'e', 'crv', 'x', 'y'] as const;

/** Octets per coordinate (RFC 7518 6.2.1.2; RFC 8812 3.1 for secp256k1). */
export const EC_COORDINATE_OCTETS: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 };
const ES_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1' };
const SIGNING_ALGS: Record<string, RegExp> = { RSA: /^(RS|PS)(256|384|512)$/, EC: /^ES(256|384|512|256K)$/, OKP: /^(EdDSA|Ed25519|Ed448)$/ };
const ENCRYPTION_ALGS: Record<string, RegExp> = {
  RSA: /^RSA(1_5|-OAEP(-256|-384|-512)?)$/,
  EC: /^ECDH-ES(\+A(128|192|256)KW)?$/,
  OKP: /^ECDH-ES(\+A(128|192|256)KW)?$/,
};
const SIG_OPS = ['sign', 'verify'];
const ENC_OPS = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits'];

export function describeKey(key: Key, index: number): string {
  return `keys[${index}]${typeof key.kid === 'string' ? ` (kid "${key.kid}")` : ''}`;
}

/** Whether an alg is a JWS alg for an asymmetric key. */
export function isAsymmetricSigningAlg(alg: string): boolean {
  return Object.values(SIGNING_ALGS).some((re) => re.test(alg));
}

function purposeOfAlg(alg: unknown): 'sig' | 'enc' | undefined {
  if (typeof alg !== 'string') return undefined;
  if (Object.values(SIGNING_ALGS).some((re) => re.test(alg))) return 'sig';
  if (Object.values(ENCRYPTION_ALGS).some((re) => re.test(alg))) return 'enc';
  return undefined;
}

/** What a key is for: its use, else what its alg or key_ops say. */
function purposeOf(key: Key): 'sig' | 'enc' | undefined {
  if (key.use === 'sig' || key.use === 'enc') return key.use;
  const byAlg = purposeOfAlg(key.alg);
  if (byAlg) return byAlg;
  if (Array.isArray(key.key_ops) && key.key_ops.length > 0) {
    if (key.key_ops.every((op) => SIG_OPS.includes(String(op)))) return 'sig';
    if (key.key_ops.every((op) => ENC_OPS.includes(String(op)))) return 'enc';
  }
  return undefined;
}

/** Why `alg` does not suit the key's kty / crv, or undefined when it does (unknown kty: no opinion). */
export function algMismatch(alg: string, key: Key): string | undefined {
  const kty = String(key.kty);
  const sig = SIGNING_ALGS[kty];
  const enc = ENCRYPTION_ALGS[kty];
  if (!sig || !enc) return undefined;
  if (!sig.test(alg) && !enc.test(alg)) return `alg ${alg} does not suit kty ${kty}`;
  const curve = ES_CURVES[alg];
  if (curve !== undefined && key.crv !== curve) return `alg ${alg} needs crv ${curve}, the key has ${String(key.crv)}`;
  if ((alg === 'Ed25519' || alg === 'Ed448') && key.crv !== alg) return `alg ${alg} needs crv ${alg}, the key has ${String(key.crv)}`;
  if (alg === 'EdDSA' && key.crv !== 'Ed25519' && key.crv !== 'Ed448') return `alg EdDSA needs crv Ed25519 or Ed448, the key has ${String(key.crv)}`;
  return undefined;
}

/** Whether the key may verify a JWS with this alg (OIDC Core 10.1: its usage allows signing). */
function canVerify(key: Key, alg: string): boolean {
  if (algMismatch(alg, key) !== undefined || !SIGNING_ALGS[String(key.kty)]?.test(alg)) return false;
  if (key.use !== undefined && key.use !== 'sig') return false;
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (Array.isArray(key.key_ops) && !key.key_ops.includes('verify')) return false;
  return true;
}

function publicOnly(key: Key): JWK {
  return Object.fromEntries(PUBLIC_MEMBERS.filter((m) => key[m] !== undefined).map((m) => [m, key[m]])) as JWK;
}

function decodeB64url(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    return base64url.decode(value);
  } catch {
    return undefined;
  }
}

/** Several problems found in one pass: hard ones fail, soft ones alone only warn. */
function report(hard: string[], soft: string[], details: { expected: unknown; exchanges: string[] }): void {
  if (hard.length > 0) throw new CheckFailure([...hard, ...soft].join('; '), { ...details, actual: [...hard, ...soft] });
  if (soft.length > 0) throw new CheckFailure(soft.join('; '), { ...details, actual: soft, warnOnly: true });
}

// ---- the document ----


/** HTTP 200, a JSON object (whatever the content type), a "keys" array, unique member names. */
export function judgeServed(exchange: Exchange): JwkSet {
  expectStatus(exchange, 200);
  const exchanges = [exchange.id];
  const text = exchange.response!.body;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    failCheck(`the JWK Set is not JSON: ${(error as Error).message}`, { expected: 'a JSON object', actual: text.slice(0, 200), exchanges });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    failCheck('the JWK Set is not a JSON object', { expected: 'a JSON object', actual: text.slice(0, 200), exchanges });
  }
  const keys = (document as Record<string, unknown>).keys;
  if (!Array.isArray(keys)) failCheck('the JWK Set has no "keys" array', { expected: '{"keys": [...]}', actual: keys, exchanges });
  const notObjects = keys.flatMap((k, i) => (typeof k !== 'object' || k === null || Array.isArray(k) ? [`keys[${i}]`] : []));
  if (notObjects.length > 0) failCheck(`entries of "keys" that are not JWK objects: ${notObjects.join(', ')}`, { expected: 'an array of JWK objects', actual: notObjects, exchanges });
  const duplicates = duplicateMemberNames(text);
  if (duplicates.length > 0) {
    failCheck(`member names repeat within one object: ${duplicates.join(', ')}`, { expected: 'unique member names', actual: duplicates, exchanges });
  }
  return { keys: keys as Key[] };
}

export function judgeContentType(exchange: Exchange): void {
  expectJsonContentType(exchange);
}

/** Schema (structure and base64url members) and an import as a public key for the types understood. */
export async function judgeKeysParse(exchange: Exchange, set: JwkSet): Promise<PassDetails> {
  const exchanges = [exchange.id];
  if (set.keys.length === 0) failCheck('the JWK Set holds no key', { expected: 'at least one key', actual: [], exchanges });
  // Private members and symmetric keys are jwks/no-private-members' business: left out here.
  const publicView = {
    keys: set.keys
      .filter((k) => k.kty !== 'oct')
      .map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !(PRIVATE_MEMBERS as readonly string[]).includes(name)))),
  };
  expectSchema(exchange, 'jwks', publicView);
  const problems: string[] = [];
  const ignored: string[] = [];
  for (const [index, key] of set.keys.entries()) {
    const kty = String(key.kty);
    let alg: string | undefined;
    if (kty === 'RSA') alg = 'RS256';
    else if (kty === 'EC') alg = Object.entries(ES_CURVES).find(([, crv]) => crv === key.crv)?.[0];
    else if (kty === 'OKP') alg = key.crv === 'Ed25519' || key.crv === 'Ed448' ? 'EdDSA' : key.crv === 'X25519' || key.crv === 'X448' ? 'ECDH-ES' : undefined;
    if (alg === undefined) {
      // RFC 7517 5: a kty (or curve) not understood is ignored, not an error.
      if (kty !== 'oct') ignored.push(describeKey(key, index));
      continue;
    }
    try {
      await importJWK(publicOnly(key), alg);
    } catch (error) {
      problems.push(`${describeKey(key, index)} does not import as a ${kty} public key: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) failCheck(problems.join('; '), { expected: 'keys that parse', actual: problems, exchanges });
  const note = ignored.length > 0 ? ` (not understood, so ignored as RFC 7517 5 asks: ${ignored.join(', ')})` : '';
  return { message: `${set.keys.length} keys parse${note}`, exchanges };
}

export function judgeNoPrivateMembers(set: JwkSet, exchanges: string[]): void {
  const found = set.keys.flatMap((key, index) => {
    const members: string[] = PRIVATE_MEMBERS.filter((m) => key[m] !== undefined);
    if (key.kty === 'oct') members.unshift('kty "oct"');
    return members.length > 0 ? [`${describeKey(key, index)}: ${members.join(', ')}`] : [];
  });
  // The values are never quoted: they are the secrets.
  if (found.length > 0) failCheck(`private or symmetric key material is published: ${found.join('; ')}`, { expected: 'public members only', actual: found, exchanges });
}

export function judgeKidUnique(set: JwkSet, exchanges: string[]): void {
  const seen = new Map<string, number>();
  const repeated: string[] = [];
  for (const [index, key] of set.keys.entries()) {
    if (typeof key.kid !== 'string') continue;
    // RFC 7517 4.5: keys of different kty may share a kid as equivalent alternatives.
    const slot = `${String(key.kty)}\u0000${key.kid}`;
    const first = seen.get(slot);
    if (first === undefined) seen.set(slot, index);
    else repeated.push(`keys[${first}] and keys[${index}] share kid "${key.kid}" (kty ${String(key.kty)})`);
  }
  if (repeated.length > 0) failCheck(repeated.join('; '), { expected: 'distinct kid values', actual: repeated, exchanges });
}

export function judgeUseConsistent(set: JwkSet, exchanges: string[]): void {
  const hard: string[] = [];
  const soft: string[] = [];
  for (const [index, key] of set.keys.entries()) {
    const name = describeKey(key, index);
    if (key.use !== undefined && key.use !== 'sig' && key.use !== 'enc') soft.push(`${name} has use "${String(key.use)}", neither sig nor enc`);
    const ops = Array.isArray(key.key_ops) ? key.key_ops.map(String) : undefined;
    if (ops && new Set(ops).size !== ops.length) hard.push(`${name} repeats values in key_ops`);
    if (ops && key.use !== undefined) {
      soft.push(`${name} has both use and key_ops (NOT RECOMMENDED)`);
      const allowed = key.use === 'sig' ? SIG_OPS : key.use === 'enc' ? ENC_OPS : undefined;
      const conflicting = allowed ? ops.filter((op) => !allowed.includes(op)) : [];
      if (conflicting.length > 0) hard.push(`${name} has use "${String(key.use)}" but key_ops ${conflicting.join(', ')}`);
    }
  }
  const purposes = new Set(set.keys.map(purposeOf).filter((p) => p !== undefined));
  if (purposes.has('sig') && purposes.has('enc')) {
    const bare = set.keys.flatMap((k, i) => (k.use === undefined ? [describeKey(k, i)] : []));
    if (bare.length > 0) hard.push(`the set holds signing and encryption keys, but ${bare.join(', ')} ${bare.length === 1 ? 'has' : 'have'} no use`);
  }
  report(hard, soft, { expected: 'use sig/enc on every key of a mixed set, consistent with key_ops', exchanges });
}

function material(key: Key): string | undefined {
  if (key.kty === 'RSA') return `RSA:${String(key.n)}:${String(key.e)}`;
  if (key.kty === 'EC') return `EC:${String(key.crv)}:${String(key.x)}:${String(key.y)}`;
  if (key.kty === 'OKP') return `OKP:${String(key.crv)}:${String(key.x)}`;
  return undefined;
}

export function judgeNoSharedSigEncKeys(set: JwkSet, exchanges: string[]): void {
  const byMaterial = new Map<string, Map<'sig' | 'enc', number>>();
  for (const [index, key] of set.keys.entries()) {
    const id = material(key);
    const purpose = purposeOf(key);
    if (id === undefined || purpose === undefined) continue;
    const uses = byMaterial.get(id) ?? new Map<'sig' | 'enc', number>();
    if (!uses.has(purpose)) uses.set(purpose, index);
    byMaterial.set(id, uses);
  }
  const shared = [...byMaterial.values()].filter((u) => u.size === 2).map((u) => `keys[${u.get('sig')}] (sig) and keys[${u.get('enc')}] (enc) hold the same key`);
  if (shared.length > 0) failCheck(shared.join('; '), { expected: 'distinct keys for signing and encryption', actual: shared, exchanges });
}

const ADVERTISED_SIGNING = ['id_token_signing_alg_values_supported', 'userinfo_signing_alg_values_supported'];

export function judgeAlgsConsistent(set: JwkSet, metadata: Record<string, unknown>, exchanges: string[]): PassDetails {
  const problems: string[] = [];
  for (const [index, key] of set.keys.entries()) {
    if (typeof key.alg !== 'string') continue;
    const name = describeKey(key, index);
    const mismatch = algMismatch(key.alg, key);
    if (mismatch) problems.push(`${name}: ${mismatch}`);
    const purpose = purposeOfAlg(key.alg);
    if (key.use === 'sig' && purpose === 'enc') problems.push(`${name} has use sig but the encryption alg ${key.alg}`);
    if (key.use === 'enc' && purpose === 'sig') problems.push(`${name} has use enc but the signing alg ${key.alg}`);
  }
  const covered: string[] = [];
  for (const member of ADVERTISED_SIGNING) {
    const algs = metadata[member];
    if (!Array.isArray(algs)) continue;
    for (const alg of algs.map(String).filter(isAsymmetricSigningAlg)) {
      if (set.keys.some((k) => canVerify(k, alg))) covered.push(alg);
      else problems.push(`${member} lists ${alg}, but no key of the set can verify ${alg} (kty/crv, use sig or none, matching alg, key_ops with verify)`);
    }
  }
  if (problems.length > 0) failCheck(problems.join('; '), { expected: 'algs that suit their keys, and a key for every advertised alg', actual: problems, exchanges });
  return { message: `key algs suit their keys; advertised algs with a key: ${[...new Set(covered)].join(', ') || 'none asymmetric'}`, exchanges };
}

function bitLength(octets: Uint8Array): { bits: number; leadingZeros: number } {
  let zeros = 0;
  while (zeros < octets.length && octets[zeros] === 0) zeros++;
  if (zeros === octets.length) return { bits: 0, leadingZeros: zeros };
  return { bits: (octets.length - zeros) * 8 - Math.clz32(octets[zeros]!) + 24, leadingZeros: zeros };
}

export function judgeRsaKeySize(set: JwkSet, exchanges: string[]): PassDetails {
  const rsa = [...set.keys.entries()].filter(([, k]) => k.kty === 'RSA');
  if (rsa.length === 0) throw new CheckSkip('the JWK Set holds no RSA key');
  const hard: string[] = [];
  const soft: string[] = [];
  const sizes: number[] = [];
  for (const [index, key] of rsa) {
    const n = decodeB64url(key.n);
    if (!n) {
      hard.push(`${describeKey(key, index)} has no base64url modulus n`);
      continue;
    }
    const { bits, leadingZeros } = bitLength(n);
    sizes.push(bits);
    if (bits < 2048) hard.push(`${describeKey(key, index)} is ${bits} bits`);
    if (leadingZeros > 0) soft.push(`${describeKey(key, index)}: n starts with ${leadingZeros} zero octet(s) (RFC 7518 6.3.1.1)`);
  }
  report(hard, soft, { expected: 'RSA keys of 2048 bits or more, n without leading zero octets', exchanges });
  return { message: `RSA key sizes: ${sizes.join(', ')} bits`, exchanges };
}

export function judgeEcCoordinates(set: JwkSet, exchanges: string[]): PassDetails {
  const ec = [...set.keys.entries()].filter(([, k]) => k.kty === 'EC');
  if (ec.length === 0) throw new CheckSkip('the JWK Set holds no EC key');
  const problems: string[] = [];
  const judged: string[] = [];
  for (const [index, key] of ec) {
    const name = describeKey(key, index);
    const missing = ['crv', 'x', 'y'].filter((m) => typeof key[m] !== 'string');
    if (missing.length > 0) {
      problems.push(`${name} lacks ${missing.join(', ')}`);
      continue;
    }
    const size = EC_COORDINATE_OCTETS[String(key.crv)];
    if (size === undefined) continue; // a curve not registered for JWK: not judged
    for (const coordinate of ['x', 'y']) {
      const octets = decodeB64url(key[coordinate]);
      if (!octets) problems.push(`${name}: ${coordinate} is not base64url`);
      else if (octets.length !== size) problems.push(`${name}: ${coordinate} is ${octets.length} octets, ${String(key.crv)} needs ${size}`);
    }
    judged.push(`${name} ${String(key.crv)}`);
  }
  if (problems.length > 0) failCheck(problems.join('; '), { expected: 'crv, x and y at full coordinate length', actual: problems, exchanges });
  return { message: `EC coordinates at full length: ${judged.join(', ') || 'no registered curve'}`, exchanges };
}

function stripZeros(octets: Uint8Array | undefined): string | undefined {
  if (!octets) return undefined;
  let i = 0;
  while (i < octets.length - 1 && octets[i] === 0) i++;
  return Buffer.from(octets.subarray(i)).toString('hex');
}

function sameKey(key: Key, cert: JWK): boolean {
  if (key.kty !== cert.kty) return false;
  if (key.kty === 'RSA') return stripZeros(decodeB64url(key.n)) === stripZeros(decodeB64url(cert.n)) && stripZeros(decodeB64url(key.e)) === stripZeros(decodeB64url(cert.e));
  if (key.kty === 'EC') return key.crv === cert.crv && key.x === cert.x && key.y === cert.y;
  if (key.kty === 'OKP') return key.crv === cert.crv && key.x === cert.x;
  return false;
}

export function judgeX5cMatchesKey(set: JwkSet, exchanges: string[]): PassDetails {
  const withChain = [...set.keys.entries()].filter(([, k]) => k.x5c !== undefined);
  if (withChain.length === 0) throw new CheckSkip('no key of the JWK Set carries x5c');
  const problems: string[] = [];
  for (const [index, key] of withChain) {
    const name = describeKey(key, index);
    const first = Array.isArray(key.x5c) ? key.x5c[0] : undefined;
    if (typeof first !== 'string') {
      problems.push(`${name}: x5c is not an array of base64 certificates`);
      continue;
    }
    let der: Buffer;
    let cert: X509Certificate;
    try {
      der = Buffer.from(first, 'base64');
      cert = new X509Certificate(der);
    } catch (error) {
      problems.push(`${name}: the first x5c certificate does not parse: ${(error as Error).message}`);
      continue;
    }
    const certKey = cert.publicKey.export({ format: 'jwk' }) as JWK;
    if (!sameKey(key, certKey)) problems.push(`${name}: the key members differ from the public key of the first x5c certificate (${cert.subject.replace(/\n/g, ', ')})`);
    for (const [member, hash] of [['x5t', 'sha1'], ['x5t#S256', 'sha256']] as const) {
      if (key[member] === undefined) continue;
      const expected = base64url.encode(createHash(hash).update(der).digest());
      if (key[member] !== expected) problems.push(`${name}: ${member} is not the ${hash} thumbprint of the first x5c certificate (expected ${expected})`);
    }
  }
  if (problems.length > 0) failCheck(problems.join('; '), { expected: 'x5c, x5t and x5t#S256 agreeing with the key', actual: problems, exchanges });
  return { message: `${withChain.length} key(s) agree with their x5c certificate`, exchanges };
}

export function judgeCacheControl(exchange: Exchange): void {
  const value = headerOf(exchange, 'cache-control');
  if (!value || !/(^|[\s,])max-age\s*=\s*"?\d+/i.test(value)) {
    failCheck('the JWK Set response has no Cache-Control max-age', { expected: 'Cache-Control: max-age=<seconds>', actual: value ?? '(none)', exchanges: [exchange.id] });
  }
}

// ---- signed tokens ----

/** A compact JWS (three segments) whose header decodes; otherwise undefined (opaque token, JWE). */
export function jwsHeader(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.split('.').length !== 3) return undefined;
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** OIDC Core 10.1: kid when several keys, the key named by kid allows signing, and alone verifies. */
export async function judgeTokenVerifies(tokens: SignedToken[], set: JwkSet, jwksExchanges: string[]): Promise<PassDetails> {
  const verified: string[] = [];
  const symmetric: string[] = [];
  for (const t of tokens) {
    const exchanges = [...t.exchanges, ...jwksExchanges];
    const header = jwsHeader(t.token);
    if (!header) failCheck(`the ${t.label} is not a compact JWS`, { expected: 'header.payload.signature', actual: t.token.slice(0, 20), exchanges });
    const alg = String(header.alg);
    if (!isAsymmetricSigningAlg(alg)) {
      // HS* is MACed with the client secret and "none" is unsigned: no JWK Set key is involved.
      symmetric.push(`${t.label} (${alg})`);
      continue;
    }
    const kid = header.kid;
    if (kid === undefined && set.keys.length > 1) {
      failCheck(`the ${t.label} has no kid, but the JWK Set holds ${set.keys.length} keys`, { expected: 'a kid in the JOSE header', actual: header, exchanges });
    }
    const named = kid === undefined ? set.keys : set.keys.filter((k) => k.kid === kid);
    if (named.length === 0) {
      failCheck(`the ${t.label}'s kid "${String(kid)}" names no key of the JWK Set`, { expected: set.keys.map((k) => k.kid), actual: kid, exchanges });
    }
    const candidates = named.filter((k) => SIGNING_ALGS[String(k.kty)]?.test(alg) && algMismatch(alg, k) === undefined);
    if (candidates.length === 0) {
      failCheck(`the key named by the ${t.label}'s kid cannot verify ${alg} (kty ${named.map((k) => String(k.kty)).join(', ')})`, { expected: `a key for ${alg}`, actual: named.map(publicOnly), exchanges });
    }
    let lastError = '';
    let ok = false;
    for (const key of candidates) {
      if (key.use !== undefined && key.use !== 'sig') {
        lastError = `the key named by kid has use "${String(key.use)}", not sig`;
        continue;
      }
      if (Array.isArray(key.key_ops) && !key.key_ops.includes('verify')) {
        lastError = `the key named by kid has key_ops ${JSON.stringify(key.key_ops)} without verify`;
        continue;
      }
      if (key.alg !== undefined && key.alg !== alg) {
        lastError = `the token says alg ${alg} but the key named by kid has alg ${String(key.alg)}`;
        continue;
      }
      try {
        await compactVerify(t.token, await importJWK(publicOnly(key), alg));
        ok = true;
        break;
      } catch (error) {
        lastError = `the signature does not verify with the key named by kid: ${(error as Error).message}`;
      }
    }
    if (!ok) failCheck(`${t.label}: ${lastError}`, { expected: 'a signature the named signing key verifies', actual: { alg, kid }, exchanges });
    verified.push(`${t.label} (${alg}, kid ${String(kid ?? 'none')})`);
  }
  if (verified.length === 0) {
    throw new CheckSkip(`no asymmetrically signed token to verify${symmetric.length > 0 ? ` (only ${symmetric.join(', ')})` : ''}`);
  }
  return { message: `verified with the key named by kid: ${verified.join('; ')}`, exchanges: [...tokens.flatMap((t) => t.exchanges), ...jwksExchanges] };
}

const KEY_REFERENCES = ['x5u', 'x5c', 'jku', 'jwk'];

export function judgeNoKeyReferences(tokens: SignedToken[]): PassDetails {
  const idTokens = tokens.filter((t) => t.idToken);
  if (idTokens.length === 0) throw new CheckSkip('no ID token was obtained');
  for (const t of idTokens) {
    const header = jwsHeader(t.token) ?? {};
    const used = KEY_REFERENCES.filter((m) => header[m] !== undefined);
    if (used.length > 0) {
      failCheck(`the ${t.label} header uses ${used.join(', ')}; keys are to be learned through discovery`, { expected: `none of ${KEY_REFERENCES.join(', ')}`, actual: used, exchanges: t.exchanges });
    }
  }
  return { exchanges: idTokens.flatMap((t) => t.exchanges) };
}

/** The public members a bare JWK of each key type carries (RFC 7518 6.2.1, 6.3.1; RFC 8037 2). */
const BARE_MEMBERS: Record<string, string[]> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] };

/**
 * JWK-22 (OIDC Core 15.2): keys are published as bare JWKs, which X.509 representations (x5c, x5u)
 * may accompany but not replace. A key without kty, or without its type's public members, is not one.
 */
export function judgeBareKeys(set: JwkSet, exchanges: string[]): PassDetails {
  const problems: string[] = [];
  const withCertificates: string[] = [];
  for (const [index, key] of set.keys.entries()) {
    const kty = key.kty;
    if (typeof kty !== 'string') {
      problems.push(`${describeKey(key, index)} has no kty${key.x5c !== undefined || key.x5u !== undefined ? ' (only an X.509 representation)' : ''}`);
      continue;
    }
    const missing = (BARE_MEMBERS[kty] ?? []).filter((member) => typeof key[member] !== 'string' || key[member] === '');
    if (missing.length > 0) problems.push(`${describeKey(key, index)} lacks ${missing.join(', ')}${key.x5c !== undefined || key.x5u !== undefined ? ' (published through X.509 only)' : ''}`);
    else if (key.x5c !== undefined || key.x5u !== undefined) withCertificates.push(describeKey(key, index));
  }
  if (problems.length > 0) failCheck(`keys not published as bare JWKs: ${problems.join('; ')}`, { expected: 'kty and the public key members of each key', actual: problems, exchanges });
  return { exchanges, message: `${set.keys.length} bare keys${withCertificates.length > 0 ? `, X.509 alongside for ${withCertificates.join(', ')}` : ''}` };
}
