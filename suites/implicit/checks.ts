// Implicit flow checks (OIDC Core 3.2, OAuth 2.0 Multiple Response Types 3 and 5, RFC 6749 4.2),
// driven in a real browser: response_type=id_token and id_token token, whichever the target offers.
import { defineCheck } from '../../harness/checks.ts';

const area = 'implicit';

export const idTokenResponse = defineCheck({
  id: 'implicit/id-token-response',
  title: 'response_type=id_token returns an id_token (a code or access token beside it is a warning)',
  area,
  refs: ['OIDCC-3.2.2.5', 'OAuth2-RT-3'],
  requirements: ['IMP-01', 'IMP-05', 'IMP-06', 'IMP-09'],
  level: 'MUST',
});

export const idTokenTokenResponse = defineCheck({
  id: 'implicit/id-token-token-response',
  title: 'response_type=id_token token returns an id_token, an access_token and token_type Bearer (a code beside them is a warning)',
  area,
  refs: ['OIDCC-3.2.2.5', 'OAuth2-RT-5'],
  requirements: ['IMP-05', 'IMP-06', 'IMP-07', 'IMP-09'],
  level: 'MUST',
});

export const responseInFragment = defineCheck({
  id: 'implicit/response-in-fragment',
  title: 'Implicit responses without response_mode arrive in the fragment of the redirect_uri, with no token in its query',
  area,
  refs: ['OIDCC-3.2.2.5', 'OAuth2-RT-3', 'OAuth2-RT-5'],
  requirements: ['IMP-04', 'IMP-18', 'RM-01', 'RM-05'],
  level: 'MUST',
});

export const stateEchoed = defineCheck({
  id: 'implicit/state-echoed',
  title: 'Every implicit response, success or error, carries the request\'s state unchanged',
  area,
  refs: ['OIDCC-3.2.2.5', 'OAuth2-RT-3', 'RFC6749-4.2.2', 'RFC6749-4.2.2.1'],
  requirements: ['IMP-08', 'AZ-15'],
  level: 'MUST',
});

export const idTokenOpenidScopeOnly = defineCheck({
  id: 'implicit/id-token-openid-scope-only',
  title: 'With scope=openid alone, the ID tokens of id_token and id_token token carry none of the profile, email, address and phone claims: none was asked for (the Foundation\'s oidcc-server warns on name)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.5'],
  requirements: ['AZ-36'],
  level: 'SHOULD',
});

export const idTokenValid = defineCheck({
  id: 'implicit/id-token-valid',
  title: 'Implicit ID tokens validate: signature through the JWK Set (never alg none), iss, aud, azp, exp, iat, sub, and the request\'s nonce',
  area,
  refs: ['OIDCC-3.2.2.11', 'OIDCC-3.2.2.10', 'OIDCC-3.1.3.7', 'OIDCC-2'],
  requirements: ['IMP-14', 'IMP-17', 'IDT-01', 'IDT-03', 'IDT-04', 'IDT-06', 'IDT-08', 'IDT-09', 'DSC-22'],
  level: 'MUST',
});

export const atHash = defineCheck({
  id: 'implicit/at-hash',
  title: 'The ID token of response_type=id_token token carries at_hash, the left half of the hash of the access token',
  area,
  refs: ['OIDCC-3.2.2.10', 'OIDCC-3.2.2.9'],
  requirements: ['IMP-15', 'IDT-19'],
  level: 'MUST',
});

export const noAtHashWithoutAccessToken = defineCheck({
  id: 'implicit/no-at-hash-without-access-token',
  title: 'The ID token of response_type=id_token carries no at_hash, since no access token was issued',
  area,
  refs: ['OIDCC-3.2.2.10'],
  requirements: ['IMP-16'],
  level: 'SHOULD',
});

export const nonceRequired = defineCheck({
  id: 'implicit/nonce-required',
  title: 'An implicit request without nonce is refused (invalid_request or an error page), never answered with tokens',
  area,
  refs: ['OIDCC-3.2.2.1', 'OIDCC-3.1.2.2', 'RFC6749-4.2.2.1'],
  requirements: ['IMP-02'],
  level: 'MUST',
});

export const noRefreshToken = defineCheck({
  id: 'implicit/no-refresh-token',
  title: 'The authorization endpoint issues no refresh token in an implicit response',
  area,
  refs: ['RFC6749-4.2.2'],
  requirements: ['IMP-10'],
  level: 'MUST',
});

export const expiresIn = defineCheck({
  id: 'implicit/expires-in',
  title: 'response_type=id_token token returns expires_in, a positive number of seconds, beside the access token',
  area,
  refs: ['RFC6749-4.2.2', 'OIDCC-3.2.2.5'],
  requirements: ['IMP-11'],
  level: 'SHOULD',
});

export const promptNoneWithoutSession = defineCheck({
  id: 'implicit/prompt-none-without-session',
  title: 'prompt=none with an implicit response type and no session shows no page and returns login_required (or another login error), no token',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.2.2.6'],
  requirements: ['AZ-20'],
  level: 'MUST',
});

export const errorsInFragment = defineCheck({
  id: 'implicit/errors-in-fragment',
  title: 'Implicit error responses arrive in the fragment of the redirect_uri, like the successful ones',
  area,
  refs: ['OIDCC-3.2.2.6', 'OAuth2-RT-3', 'OAuth2-RT-5'],
  requirements: ['IMP-12', 'RM-04'],
  level: 'MUST',
});

export const issParameter = defineCheck({
  id: 'implicit/iss-parameter',
  title: 'With authorization_response_iss_parameter_supported, every implicit response carries iss equal to the issuer and to the ID token\'s iss',
  area,
  refs: ['RFC9207-2', 'RFC9207-2.4'],
  requirements: ['AZ-48', 'AZ-49'],
  level: 'MUST',
});

export const userinfoGet = defineCheck({
  id: 'implicit/userinfo-get',
  title: 'The access token of response_type=id_token token works at UserInfo with GET, which returns the ID token\'s sub',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2'],
  requirements: ['UI-02', 'UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const userinfoPost = defineCheck({
  id: 'implicit/userinfo-post',
  title: 'The access token of response_type=id_token token works at UserInfo with POST, which returns the ID token\'s sub',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2'],
  requirements: ['UI-02', 'UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const scopeClaimsInIdToken = defineCheck({
  id: 'implicit/scope-claims-in-id-token',
  title: 'With response_type=id_token (no access token), the claims of scope=email that UserInfo holds for the user are in the ID token',
  area,
  refs: ['OIDCC-5.4'],
  requirements: ['IMP-13', 'AZ-36'],
  level: 'SHOULD',
});

export const unregisteredRedirectRefused = defineCheck({
  id: 'implicit/unregistered-redirect-refused',
  title: 'An implicit request with an unregistered redirect_uri (a path segment added) gets an error page, never a redirect there, even with a session',
  area,
  refs: ['OIDCC-3.2.2.1', 'RFC6749-3.1.2.4', 'RFC6749-4.2.2.1'],
  requirements: ['IMP-21', 'AZ-08', 'AZ-09'],
  level: 'MUST',
});
