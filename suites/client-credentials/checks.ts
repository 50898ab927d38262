// Client credentials grant checks (RFC 6749 4.4 and 5; RFC 9068 for JWT access tokens).
import { defineCheck } from '../../harness/checks.ts';

const area = 'client-credentials';

export const tokenResponse = defineCheck({
  id: 'client-credentials/token-response',
  title: 'The machine client gets HTTP 200 with a JSON token response (access_token, token_type, typed members)',
  area,
  refs: ['RFC6749-4.4.3', 'RFC6749-5.1'],
  requirements: ['CCG-05', 'TOK-20', 'TOK-22', 'TOK-24'],
  level: 'MUST',
});

export const bearerTokenType = defineCheck({
  id: 'client-credentials/bearer-token-type',
  title: 'token_type is Bearer (compared case-insensitively)',
  area,
  refs: ['RFC6749-5.1', 'RFC6749-7.1', 'RFC6750-6.1.1'],
  requirements: ['TOK-24'],
  level: 'MUST',
});

export const expiresIn = defineCheck({
  id: 'client-credentials/expires-in',
  title: 'expires_in is a positive JSON number of seconds (its absence is a warning: RECOMMENDED)',
  area,
  refs: ['RFC6749-5.1'],
  requirements: ['TOK-20', 'CCG-05'],
  level: 'MUST',
});

export const noStore = defineCheck({
  id: 'client-credentials/no-store',
  title: 'The token response carries Cache-Control: no-store (Pragma: no-cache missing is a warning)',
  area,
  refs: ['RFC6749-5.1'],
  requirements: ['TOK-23', 'CCG-05'],
  level: 'MUST',
});

export const jwtAccessToken = defineCheck({
  id: 'client-credentials/jwt-access-token',
  title: 'A JWT access token verifies through the JWK Set and kid and carries iss, exp, aud, sub, client_id, iat and jti (SKIP when opaque; a MACed token is a warning)',
  area,
  refs: ['RFC9068-2.1', 'RFC9068-2.2', 'RFC9068-4'],
  requirements: ['JAT-01', 'JAT-02', 'JAT-05', 'JAT-10'],
  level: 'MUST',
});

export const jwtAccessTokenSub = defineCheck({
  id: 'client-credentials/jwt-access-token-sub',
  title: 'sub of a JWT access token identifies the client (the client_id) when no resource owner is involved',
  area,
  refs: ['RFC9068-2.2'],
  requirements: ['CCG-07', 'JAT-06'],
  level: 'SHOULD',
});

export const jwtAccessTokenTyp = defineCheck({
  id: 'client-credentials/jwt-access-token-typ',
  title: 'A JWT access token has typ at+jwt (application/at+jwt accepted)',
  area,
  refs: ['RFC9068-2.1'],
  requirements: ['JAT-03'],
  level: 'SHOULD',
});

export const heldScopeGranted = defineCheck({
  id: 'client-credentials/held-scope-granted',
  title: 'A request for the scopes the machine client holds is granted (a narrowed grant is a warning)',
  area,
  refs: ['RFC6749-4.4.2', 'RFC6749-3.3', 'RFC6749-5.1'],
  requirements: ['CCG-03'],
  level: 'MUST',
});

export const unheldScopeRefused = defineCheck({
  id: 'client-credentials/unheld-scope-refused',
  title: 'A scope the client does not hold is refused with invalid_scope, or left out of a grant whose scope says so',
  area,
  refs: ['RFC6749-3.3', 'RFC6749-4.4.2', 'RFC6749-5.2'],
  requirements: ['CCG-03', 'ERR-07'],
  level: 'MUST',
});

export const wrongSecretRefused = defineCheck({
  id: 'client-credentials/wrong-secret-refused',
  title: 'A wrong client secret gets invalid_client (401 with WWW-Authenticate: Basic after HTTP Basic, else 400 or 401)',
  area,
  refs: ['RFC6749-4.4.2', 'RFC6749-2.3.1', 'RFC6749-5.2'],
  requirements: ['CCG-02', 'ERR-04', 'ERR-01', 'TOK-09'],
  level: 'MUST',
});

export const basicFailure401 = defineCheck({
  id: 'client-credentials/basic-failure-401',
  title: 'A failed HTTP Basic client authentication gets 401 invalid_client with a WWW-Authenticate: Basic challenge',
  area,
  refs: ['RFC6749-5.2', 'RFC6749-2.3.1'],
  requirements: ['TOK-08'],
  level: 'MUST',
});

export const unknownClientRefused = defineCheck({
  id: 'client-credentials/unknown-client-refused',
  title: 'An unknown client_id gets invalid_client',
  area,
  refs: ['RFC6749-4.4.2', 'RFC6749-5.2'],
  requirements: ['CCG-02', 'ERR-04', 'ERR-12'],
  level: 'MUST',
});

export const missingCredentialsRefused = defineCheck({
  id: 'client-credentials/missing-credentials-refused',
  title: 'A request without client authentication (nothing, or the client_id alone) gets invalid_client',
  area,
  refs: ['RFC6749-4.4.2', 'RFC6749-5.2'],
  requirements: ['CCG-02', 'ERR-04', 'ERR-16'],
  level: 'MUST',
});

export const publicClientRefused = defineCheck({
  id: 'client-credentials/public-client-refused',
  title: 'A public client cannot use the client credentials grant (unauthorized_client or invalid_client)',
  area,
  refs: ['RFC6749-4.4', 'RFC6749-5.2'],
  requirements: ['CCG-01', 'CCG-09', 'ERR-06'],
  level: 'MUST',
});

export const noRefreshToken = defineCheck({
  id: 'client-credentials/no-refresh-token',
  title: 'No refresh token is issued (SHOULD NOT)',
  area,
  refs: ['RFC6749-4.4.3'],
  requirements: ['CCG-04'],
  level: 'SHOULD',
});

export const noIdToken = defineCheck({
  id: 'client-credentials/no-id-token',
  title: 'No ID token is issued: there is no end-user to identify',
  area,
  refs: ['RFC6749-4.4.3', 'OIDCC-2'],
  requirements: ['CCG-06'],
  level: 'SHOULD',
});

export const jwtAccessTokenScope = defineCheck({
  id: 'client-credentials/jwt-access-token-scope',
  title: 'A JWT access token issued for a requested scope carries a scope claim (a space-separated string) naming exactly the granted scopes',
  area,
  refs: ['RFC9068-2.2.3', 'RFC8693-4.2'],
  requirements: ['JAT-08'],
  level: 'SHOULD',
});

export const jwtAccessTokenDefaultAudience = defineCheck({
  id: 'client-credentials/jwt-access-token-default-audience',
  title: 'Without a resource parameter, a JWT access token names a default resource in aud; with the profile\'s resource indicator, aud is that resource (a warning)',
  area,
  refs: ['RFC9068-3', 'RFC8707-2'],
  requirements: ['JAT-09'],
  level: 'MUST',
});

export const jwtAccessTokenAudienceRestricted = defineCheck({
  id: 'client-credentials/jwt-access-token-audience-restricted',
  title: 'A JWT access token is restricted to specific audiences: aud is neither a wildcard nor the client_id alone',
  area,
  refs: ['RFC9700-2.3', 'RFC9068-5'],
  requirements: ['JAT-12', 'BCP-09'],
  level: 'SHOULD',
});

export const jwtAccessTokenExpiry = defineCheck({
  id: 'client-credentials/jwt-access-token-expiry',
  title: 'The exp of a JWT access token agrees with the expires_in of its token response (exp - iat within 10 s, else issue time within 5 minutes)',
  area,
  refs: ['RFC6749-5.1', 'RFC9068-2.2'],
  requirements: ['JAT-13'],
  level: 'SHOULD',
});
