// Refresh token checks (RFC 6749 6 and 5; OIDC Core 12; RFC 9700 4.14.2). The refresh tokens come
// from the password grant here (the browser suites add the code flow). Rotation and reuse
// detection are documented policies (target.refreshPolicy()): RFC 9700 4.14.2 makes them a MUST
// for public clients only, so for a confidential client a breach of the documented policy is
// reported as a warning (RFC 6749 6 leaves rotation optional there).
import { defineCheck } from '../../harness/checks.ts';

const area = 'refresh-token';

export const refreshWorks = defineCheck({
  id: 'refresh-token/refresh-works',
  title: 'A refresh token issued under the documented rule refreshes: HTTP 200 and a normal token response (schema, token_type as before)',
  area,
  refs: ['RFC6749-6', 'RFC6749-5.1', 'OIDCC-12.2'],
  requirements: ['RT-14', 'TOK-20', 'TOK-24'],
  level: 'MUST',
});

export const noStore = defineCheck({
  id: 'refresh-token/no-store',
  title: 'The refresh response carries Cache-Control: no-store (Pragma: no-cache missing is a warning)',
  area,
  refs: ['RFC6749-5.1', 'OIDCC-12.2'],
  requirements: ['TOK-23'],
  level: 'MUST',
});

export const scopeKept = defineCheck({
  id: 'refresh-token/scope-kept',
  title: 'A refresh request without scope keeps the originally granted scope',
  area,
  refs: ['RFC6749-6', 'RFC6749-5.1'],
  requirements: ['RT-04'],
  level: 'MUST',
});

export const scopeNotWidened = defineCheck({
  id: 'refresh-token/scope-not-widened',
  title: 'A refresh request for a scope beyond the original grant is refused with invalid_scope (silently granting only the original scope is a warning)',
  area,
  refs: ['RFC6749-6', 'RFC6749-5.2', 'RFC9700-4.14.2'],
  requirements: ['RT-04', 'RT-08', 'ERR-07'],
  level: 'MUST',
});

export const scopeNarrowed = defineCheck({
  id: 'refresh-token/scope-narrowed',
  title: 'A refresh request for a narrower scope is granted that narrower scope',
  area,
  refs: ['RFC6749-6', 'RFC6749-3.3'],
  requirements: ['RT-04'],
  level: 'SHOULD',
});

export const successorScope = defineCheck({
  id: 'refresh-token/successor-scope',
  title: 'A new refresh token issued on a narrowed refresh keeps the scope of the token presented, not the narrowed one',
  area,
  refs: ['RFC6749-6'],
  requirements: ['RT-05'],
  level: 'MUST',
});

export const rotation = defineCheck({
  id: 'refresh-token/rotation',
  title: 'Refresh tokens rotate as the documented policy says: a new, different refresh token with policy "always" (a warning for confidential clients); recorded with "never"',
  area,
  refs: ['RFC9700-4.14.2', 'RFC6749-6'],
  requirements: ['RT-06', 'RT-07', 'BCP-08'],
  level: 'MUST',
});

export const reuseRefused = defineCheck({
  id: 'refresh-token/reuse-refused',
  title: 'A rotated-out refresh token presented again is refused with invalid_grant (a warning for confidential clients)',
  area,
  refs: ['RFC9700-4.14.2', 'RFC6749-6', 'RFC6749-5.2'],
  requirements: ['RT-07', 'RT-03'],
  level: 'MUST',
});

export const reuseRevokesFamily = defineCheck({
  id: 'refresh-token/reuse-revokes-family',
  title: 'Presenting a rotated-out refresh token revokes its active successor too (a warning for confidential clients; recorded when the policy says it does not)',
  area,
  refs: ['RFC9700-4.14.2'],
  requirements: ['RT-07'],
  level: 'MUST',
});

export const clientBound = defineCheck({
  id: 'refresh-token/client-bound',
  title: 'Another client presenting the refresh token gets invalid_grant',
  area,
  refs: ['RFC6749-6', 'RFC6749-10.4', 'OIDCC-12.1'],
  requirements: ['RT-02', 'ERR-05'],
  level: 'MUST',
});

export const clientAuthRequired = defineCheck({
  id: 'refresh-token/client-auth-required',
  title: 'Refreshing needs client authentication: no credentials, a client_id alone, or a wrong secret give invalid_client (401 with a Basic challenge after HTTP Basic)',
  area,
  refs: ['RFC6749-6', 'OIDCC-12.1', 'RFC6749-5.2'],
  requirements: ['RT-01', 'ERR-04', 'TOK-08'],
  level: 'MUST',
});

export const invalidTokenRefused = defineCheck({
  id: 'refresh-token/invalid-token-refused',
  title: 'A made-up refresh token, and a real one with one character changed, give invalid_grant',
  area,
  refs: ['RFC6749-6', 'RFC6749-5.2', 'OIDCC-12.1'],
  requirements: ['RT-03', 'RT-12', 'ERR-05'],
  level: 'MUST',
});

export const errorFormat = defineCheck({
  id: 'refresh-token/error-format',
  title: 'Refresh errors use the RFC 6749 5.2 format: HTTP 400 (401 allowed for invalid_client), a JSON object with a valid error',
  area,
  refs: ['OIDCC-12.3', 'RFC6749-5.2'],
  requirements: ['RT-21', 'ERR-01', 'ERR-12', 'ERR-16'],
  level: 'MUST',
});

export const idTokenValid = defineCheck({
  id: 'refresh-token/id-token-valid',
  title: 'A refreshed ID token passes the ID token rules (signature, iss, aud, exp, iat, sub, at_hash when present)',
  area,
  refs: ['OIDCC-12.2', 'OIDCC-3.1.3.7'],
  requirements: ['RT-20'],
  level: 'MUST',
});

export const idTokenSameIdentity = defineCheck({
  id: 'refresh-token/id-token-same-identity',
  title: 'A refreshed ID token keeps the original iss, sub, aud and azp',
  area,
  refs: ['OIDCC-12.2'],
  requirements: ['RT-15', 'RT-16'],
  level: 'MUST',
});

export const idTokenNewIat = defineCheck({
  id: 'refresh-token/id-token-new-iat',
  title: 'A refreshed ID token has the iat of its own issuance, not the original one',
  area,
  refs: ['OIDCC-12.2'],
  requirements: ['RT-17'],
  level: 'MUST',
});

export const idTokenAuthTime = defineCheck({
  id: 'refresh-token/id-token-auth-time',
  title: 'A refreshed ID token with auth_time keeps the time of the original authentication',
  area,
  refs: ['OIDCC-12.2'],
  requirements: ['RT-18'],
  level: 'MUST',
});

export const idTokenNonce = defineCheck({
  id: 'refresh-token/id-token-nonce',
  title: 'A refreshed ID token carries no nonce (SHOULD NOT: the original nonce is a warning), and never another one',
  area,
  refs: ['OIDCC-12.2'],
  requirements: ['RT-19'],
  level: 'MUST',
});

export const unguessable = defineCheck({
  id: 'refresh-token/unguessable',
  title: 'Opaque refresh tokens are distinct and long enough for 128 bits of randomness (below 160 bits is a warning)',
  area,
  refs: ['RFC6749-10.10', 'RFC6749-10.4'],
  requirements: ['RT-13'],
  level: 'MUST',
});

export const accessTokenAuthClaims = defineCheck({
  id: 'refresh-token/access-token-auth-claims',
  title: 'auth_time, acr and amr of a JWT access token stay the same in the access token a refresh derives from it (SKIP when the tokens are opaque)',
  area,
  refs: ['RFC9068-2.2.1'],
  requirements: ['JAT-07'],
  level: 'MAY',
});
