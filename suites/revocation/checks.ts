// Token revocation checks (RFC 7009). The RFC text was read for each clause cited here (2, 2.1,
// 2.2, 2.2.1); REQUIREMENTS.md marks these rows as resting on secondary sources.
import { defineCheck } from '../../harness/checks.ts';

const area = 'revocation';

export const requestAccepted = defineCheck({
  id: 'revocation/request-accepted',
  title: 'A form-encoded POST with token, token_type_hint=refresh_token and the client credentials is answered with HTTP 200',
  area,
  refs: ['RFC7009-2.1', 'RFC7009-2.2'],
  requirements: ['REV-04'],
  level: 'MUST',
});

export const refreshTokenRevoked = defineCheck({
  id: 'revocation/refresh-token-revoked',
  title: 'A revoked refresh token is refused (invalid_grant) at once by the token endpoint',
  area,
  refs: ['RFC7009-2', 'RFC7009-2.1'],
  requirements: ['REV-01', 'REV-07'],
  level: 'MUST',
});

export const refreshRevokesAccessTokens = defineCheck({
  id: 'revocation/refresh-revokes-access-tokens',
  title: 'Revoking a refresh token also invalidates the access tokens of the same grant',
  area,
  refs: ['RFC7009-2.1'],
  requirements: ['REV-08'],
  level: 'SHOULD',
});

export const accessTokenRevoked = defineCheck({
  id: 'revocation/access-token-revoked',
  title: 'Access tokens can be revoked: after the 200, introspection and userinfo refuse the token at once',
  area,
  refs: ['RFC7009-2', 'RFC7009-2.1', 'RFC7009-2.2.1'],
  requirements: ['REV-02', 'REV-07', 'REV-12'],
  level: 'SHOULD',
});

export const wrongHintIgnored = defineCheck({
  id: 'revocation/wrong-hint-ignored',
  title: 'A refresh token sent with token_type_hint=access_token is still found and revoked',
  area,
  refs: ['RFC7009-2.1'],
  requirements: ['REV-05'],
  level: 'MUST',
});

export const unknownToken200 = defineCheck({
  id: 'revocation/unknown-token-200',
  title: 'Revoking a token the server never issued is answered with HTTP 200',
  area,
  refs: ['RFC7009-2.2'],
  requirements: ['REV-10'],
  level: 'MUST',
});

export const unknownHint200 = defineCheck({
  id: 'revocation/unknown-hint-200',
  title: 'An unknown token_type_hint value is ignored and does not change the 200 answer',
  area,
  refs: ['RFC7009-2.2'],
  requirements: ['REV-11'],
  level: 'MUST',
});

export const clientAuthRequired = defineCheck({
  id: 'revocation/client-auth-required',
  title: 'A wrong client secret is refused with invalid_client (401 after HTTP Basic) and the token stays valid',
  area,
  refs: ['RFC7009-2.1', 'RFC7009-2.2.1', 'RFC6749-5.2'],
  requirements: ['REV-06'],
  level: 'MUST',
});

export const otherClientTokenKept = defineCheck({
  id: 'revocation/other-client-token-kept',
  title: 'Another client cannot revoke a token it was not issued: 200 or 4xx (policy), and the token keeps working',
  area,
  refs: ['RFC7009-2.1'],
  requirements: ['REV-06'],
  level: 'MUST',
});

export const tls = defineCheck({
  id: 'revocation/tls',
  title: 'The revocation endpoint is an https URL (plain http on loopback is a warning)',
  area,
  refs: ['RFC7009-2'],
  requirements: ['REV-03'],
  level: 'MUST',
});

export const publicClientIdOnly = defineCheck({
  id: 'revocation/public-client-id-only',
  title: 'A public client identifying itself with client_id alone is served (200 for a token never issued)',
  area,
  refs: ['RFC7009-2.1', 'RFC6749-2.3'],
  requirements: ['REV-14'],
  level: 'SHOULD',
});

export const accessRevokesRefresh = defineCheck({
  id: 'revocation/access-revokes-refresh',
  title: 'Whether revoking an access token also revokes the refresh token of its grant matches the declared policy (recorded when the profile declares none)',
  area,
  refs: ['RFC7009-2.1'],
  requirements: ['REV-09'],
  level: 'MAY',
});

export const cors = defineCheck({
  id: 'revocation/cors',
  title: 'The revocation endpoint answers a browser (public) client\'s cross-origin request with CORS headers',
  area,
  refs: ['RFC7009-2.3'],
  requirements: ['REV-15'],
  level: 'MAY',
});

export const raceTokensRevoked = defineCheck({
  id: 'revocation/race-tokens-revoked',
  title: 'Tokens obtained by concurrent refreshes of one refresh token are all revoked when the refresh token of their grant is revoked',
  area,
  refs: ['RFC7009-2.1', 'RFC6749-10.4'],
  requirements: ['REV-17'],
  level: 'SHOULD',
});
