// ID token rules (OIDC Core 2, 3.1.3.6-3.1.3.7, 3.2.2.10, 3.3.2.11, 5.1, 10.1; RFC 7519 4), one
// check per rule, judged on every ID token the browser flows of this area collect: the code flow
// (token endpoint), and where the target offers them the hybrid and implicit front-channel tokens
// and the HS256 / ES256 clients of the profile.
import { defineCheck } from '../../harness/checks.ts';

const area = 'id-token';

export const signature = defineCheck({
  id: 'id-token/signature',
  title: 'Every ID token is a JWS that verifies: asymmetric ones with the JWK Set key named by kid (kid present when the set holds several keys), HS* ones with the client secret',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'OIDCC-10.1'],
  requirements: ['IDT-01', 'JWK-13', 'JWK-14', 'JWK-15'],
  level: 'MUST',
});

export const algNotNone = defineCheck({
  id: 'id-token/alg-not-none',
  title: 'No ID token uses alg none (allowed only from the token endpoint for a client registered for none)',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-01'],
  level: 'MUST',
});

export const expectedAlg = defineCheck({
  id: 'id-token/expected-alg',
  title: 'ID tokens use the algorithm the client is registered for: RS256 when nothing else was registered',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-15.1'],
  requirements: ['IDT-17'],
  level: 'SHOULD',
});

export const hs256Mac = defineCheck({
  id: 'id-token/hs256-mac',
  title: 'The HS256 client gets HS256 ID tokens whose MAC verifies with the UTF-8 bytes of its client_secret',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-10.1'],
  requirements: ['IDT-18'],
  level: 'MUST',
});

export const es256Signature = defineCheck({
  id: 'id-token/es256-signature',
  title: 'The ES256 client gets ES256 ID tokens that verify with a P-256 key of the JWK Set',
  area,
  refs: ['OIDCC-10.1', 'OIDCC-3.1.3.7'],
  requirements: ['IDT-01', 'JWK-15'],
  level: 'MUST',
});

export const noKeyHeaders = defineCheck({
  id: 'id-token/no-key-headers',
  title: 'ID token headers carry no x5u, x5c, jku or jwk (keys are learned through discovery)',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-16', 'JWK-21'],
  level: 'SHOULD',
});

export const iss = defineCheck({
  id: 'id-token/iss',
  title: 'iss is exactly the issuer of the discovery document, in every ID token',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'OIDCC-16.15'],
  requirements: ['IDT-03', 'DSC-09'],
  level: 'MUST',
});

export const aud = defineCheck({
  id: 'id-token/aud',
  title: 'aud contains the client_id (a string or an array); other audiences are a warning',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7'],
  requirements: ['IDT-06', 'IDT-07'],
  level: 'MUST',
});

export const azp = defineCheck({
  id: 'id-token/azp',
  title: 'azp, when present, is the client_id of the client the token was issued to',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7'],
  requirements: ['IDT-11'],
  level: 'MUST',
});

export const exp = defineCheck({
  id: 'id-token/exp',
  title: 'exp is a JSON number of seconds, later than iat and in the future when the token arrives',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'RFC7519-4.1.4'],
  requirements: ['IDT-08', 'IDT-27'],
  level: 'MUST',
});

export const iat = defineCheck({
  id: 'id-token/iat',
  title: 'iat is a JSON number of seconds close to the time the token arrives',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'RFC7519-4.1.6'],
  requirements: ['IDT-08', 'IDT-27'],
  level: 'MUST',
});

export const nonce = defineCheck({
  id: 'id-token/nonce',
  title: 'The nonce sent (reserved and non-ASCII characters, a decomposed accent) comes back byte-exact in the ID tokens of both endpoints',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'OIDCC-14'],
  requirements: ['IDT-09', 'IDT-24'],
  level: 'MUST',
});

export const authTime = defineCheck({
  id: 'id-token/auth-time',
  title: 'auth_time is present when max_age was sent or auth_time was requested as essential, and is a number of seconds not after iat',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.2.1', 'OIDCC-15.1'],
  requirements: ['IDT-10', 'IDT-27'],
  level: 'MUST',
});

export const subFormat = defineCheck({
  id: 'id-token/sub-format',
  title: 'sub is a non-empty string of at most 255 ASCII characters',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-04'],
  level: 'MUST',
});

export const subStable = defineCheck({
  id: 'id-token/sub-stable',
  title: 'The same user at the same client gets the same sub in every ID token (and the profile\'s sub when it names one)',
  area,
  refs: ['OIDCC-2', 'OIDCC-5.7'],
  requirements: ['IDT-05'],
  level: 'MUST',
});

export const claimsTyped = defineCheck({
  id: 'id-token/claims-typed',
  title: 'ID token claims have their defined JSON types: standard claims per OIDC Core 5.1 (booleans, updated_at in seconds, address an object), NumericDates as numbers',
  area,
  refs: ['OIDCC-5.1', 'OIDCC-2', 'RFC7519-2'],
  requirements: ['IDT-21', 'IDT-27'],
  level: 'MUST',
});

export const noNullClaims = defineCheck({
  id: 'id-token/no-null-claims',
  title: 'Claims without a value are left out of ID tokens, not sent as null',
  area,
  refs: ['OIDCC-13.3'],
  requirements: ['IDT-15'],
  level: 'SHOULD',
});

export const amr = defineCheck({
  id: 'id-token/amr',
  title: 'amr values come from the IANA Authentication Method Reference registry (RFC 8176)',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-13'],
  level: 'SHOULD',
});

export const acrFormat = defineCheck({
  id: 'id-token/acr-format',
  title: 'acr is an absolute URI or a registered name (RFC 6711)',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-12'],
  level: 'SHOULD',
});

export const atHash = defineCheck({
  id: 'id-token/at-hash',
  title: 'at_hash is present in front-channel ID tokens issued with an access token, and always matches the access token (left half of the hash of the alg)',
  area,
  refs: ['OIDCC-3.1.3.6', 'OIDCC-3.2.2.10', 'OIDCC-3.3.2.11'],
  requirements: ['IDT-19'],
  level: 'MUST',
});

export const cHash = defineCheck({
  id: 'id-token/c-hash',
  title: 'c_hash is present in front-channel ID tokens issued with a code, and always matches the code',
  area,
  refs: ['OIDCC-3.3.2.11'],
  requirements: ['IDT-20'],
  level: 'MUST',
});

export const uniqueClaimNames = defineCheck({
  id: 'id-token/unique-claim-names',
  title: 'No member name occurs twice in an ID token\'s header or claims set',
  area,
  refs: ['RFC7519-4', 'RFC7515-4'],
  requirements: ['IDT-26'],
  level: 'MUST',
});
