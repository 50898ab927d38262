// UserInfo checks (OpenID Connect Core 1.0 section 5.3; RFC 6750 Bearer token usage).
import { defineCheck } from '../../harness/checks.ts';

const area = 'userinfo';

export const getBearerHeader = defineCheck({
  id: 'userinfo/get-bearer-header',
  title: 'GET with the access token in the Authorization: Bearer header is answered with HTTP 200 and the claims',
  area,
  refs: ['OIDCC-5.3', 'OIDCC-5.3.1', 'RFC6750-2.1'],
  requirements: ['UI-02', 'UI-03'],
  level: 'MUST',
});

export const postBearerHeader = defineCheck({
  id: 'userinfo/post-bearer-header',
  title: 'POST with the access token in the Authorization: Bearer header is answered with HTTP 200 and the claims',
  area,
  refs: ['OIDCC-5.3', 'OIDCC-5.3.1', 'RFC6750-2.1'],
  requirements: ['UI-02', 'UI-03'],
  level: 'MUST',
});

export const postFormToken = defineCheck({
  id: 'userinfo/post-form-token',
  title: 'POST with the access token as the access_token form parameter is accepted (policy userinfo_body_token)',
  area,
  refs: ['RFC6750-2.2'],
  requirements: ['UI-04'],
  level: 'MAY',
});

export const jsonResponse = defineCheck({
  id: 'userinfo/json-response',
  title: 'The response is a JSON object served as application/json',
  area,
  refs: ['OIDCC-5.3.2'],
  requirements: ['UI-06'],
  level: 'MUST',
});

export const subMatchesIdToken = defineCheck({
  id: 'userinfo/sub-matches-id-token',
  title: 'sub is present and equals the sub of the ID token issued with the access token',
  area,
  refs: ['OIDCC-5.3.2', 'OIDCC-5.3.4'],
  requirements: ['UI-07', 'UI-08'],
  level: 'MUST',
});

export const claimTypes = defineCheck({
  id: 'userinfo/claim-types',
  title: 'Standard claims have their defined JSON types (booleans, numbers in seconds, the address object)',
  area,
  refs: ['OIDCC-5.1', 'OIDCC-5.3.2'],
  requirements: ['UI-17'],
  level: 'MUST',
});

export const noNullClaims = defineCheck({
  id: 'userinfo/no-null-claims',
  title: 'Claims without a value are left out, not returned as null or an empty string',
  area,
  refs: ['OIDCC-5.3.2'],
  requirements: ['UI-09'],
  level: 'SHOULD',
});

export const noTokenChallenge = defineCheck({
  id: 'userinfo/no-token-challenge',
  title: 'A request without a token gets 401 with a WWW-Authenticate Bearer challenge that carries no error code',
  area,
  refs: ['OIDCC-5.3.3', 'RFC6750-3', 'RFC6750-3.1'],
  requirements: ['UI-11'],
  level: 'MUST',
});

export const invalidTokenRefused = defineCheck({
  id: 'userinfo/invalid-token-refused',
  title: 'A token the provider never issued is refused with 401, WWW-Authenticate Bearer and error="invalid_token"',
  area,
  refs: ['OIDCC-5.3.3', 'RFC6750-3', 'RFC6750-3.1'],
  requirements: ['UI-12', 'ERR-15'],
  level: 'MUST',
});

export const tamperedTokenRefused = defineCheck({
  id: 'userinfo/tampered-token-refused',
  title: 'An issued access token with one character changed is refused',
  area,
  refs: ['RFC6750-5.2', 'RFC6750-3.1'],
  requirements: ['UI-20'],
  level: 'MUST',
});

export const revokedTokenRefused = defineCheck({
  id: 'userinfo/revoked-token-refused',
  title: 'An access token revoked at the revocation endpoint is refused with 401 and error="invalid_token"',
  area,
  refs: ['RFC6750-3.1', 'RFC7009-2.1'],
  requirements: ['UI-12'],
  level: 'SHOULD',
});

export const idTokenRefused = defineCheck({
  id: 'userinfo/id-token-refused',
  title: 'The ID token presented as a Bearer access token is refused',
  area,
  refs: ['RFC9068-4', 'RFC9068-5', 'RFC6750-3.1'],
  requirements: ['IDT-25'],
  level: 'MUST',
});

export const challengeWellFormed = defineCheck({
  id: 'userinfo/challenge-well-formed',
  title: 'Bearer challenges parse, repeat no attribute, and use only the allowed characters in their values',
  area,
  refs: ['RFC6750-3'],
  requirements: ['UI-13'],
  level: 'MUST',
});

export const cors = defineCheck({
  id: 'userinfo/cors',
  title: 'UserInfo supports CORS (Access-Control-Allow-Origin on a cross-origin request)',
  area,
  refs: ['OIDCC-5.3'],
  requirements: ['UI-18'],
  level: 'SHOULD',
});

export const insufficientScope = defineCheck({
  id: 'userinfo/insufficient-scope',
  title: 'A token issued without openid (client credentials) is refused with 403 insufficient_scope, or 401 (policy)',
  area,
  refs: ['RFC6750-3.1', 'OIDCC-5.3'],
  requirements: ['UI-14', 'ERR-15'],
  level: 'SHOULD',
});

export const tls = defineCheck({
  id: 'userinfo/tls',
  title: 'UserInfo is served over TLS: an https URL (plain http on loopback is a warning)',
  area,
  refs: ['OIDCC-5.3'],
  requirements: ['UI-01'],
  level: 'MUST',
});

export const queryTokenRefused = defineCheck({
  id: 'userinfo/query-token-refused',
  title: 'An access token in the URL query is refused (policy: reject; if accepted, the answer is Cache-Control: private)',
  area,
  refs: ['RFC6750-2.3', 'RFC9700-4.3.2'],
  requirements: ['UI-05'],
  level: 'SHOULD',
});

export const signedResponse = defineCheck({
  id: 'userinfo/signed-response',
  title: 'For a client registered for userinfo_signed_response_alg, userinfo answers application/jwt: a JWS in that alg that verifies, with iss the issuer and aud the client',
  area,
  refs: ['OIDCC-5.3.2', 'OIDCC-5.3.1'],
  requirements: ['UI-10'],
  level: 'MUST',
});

export const scopeClaims = defineCheck({
  id: 'userinfo/scope-claims',
  title: 'The claims of the profile, email, address and phone scopes granted with the access token come from userinfo (those the profile says the user has)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.3.2'],
  requirements: ['UI-15'],
  level: 'SHOULD',
});

export const errorStatusCodes = defineCheck({
  id: 'userinfo/error-status-codes',
  title: 'Userinfo errors pair code and status as RFC 6750 3.1 says: a token sent two ways is 400 invalid_request, an invalid token 401 invalid_token, an under-scoped one 403 insufficient_scope, each in a Bearer challenge',
  area,
  refs: ['RFC6750-3.1', 'RFC6750-3'],
  requirements: ['ERR-15'],
  level: 'SHOULD',
});
