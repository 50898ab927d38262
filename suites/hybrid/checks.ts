// Hybrid flow checks (OIDC Core 3.3, OAuth 2.0 Multiple Response Types 5), driven in a real
// browser: response_type=code id_token, code token and code id_token token, whichever the target
// offers, then the code redeemed at the token endpoint.
import { defineCheck } from '../../harness/checks.ts';

const area = 'hybrid';

export const codeIdTokenResponse = defineCheck({
  id: 'hybrid/code-id-token-response',
  title: 'response_type=code id_token returns a code and an id_token',
  area,
  refs: ['OIDCC-3.3.2.5', 'OAuth2-RT-5'],
  requirements: ['HYB-02'],
  level: 'MUST',
});

export const codeTokenResponse = defineCheck({
  id: 'hybrid/code-token-response',
  title: 'response_type=code token returns a code, an access_token and token_type Bearer',
  area,
  refs: ['OIDCC-3.3.2.5', 'OAuth2-RT-5'],
  requirements: ['HYB-02'],
  level: 'MUST',
});

export const codeIdTokenTokenResponse = defineCheck({
  id: 'hybrid/code-id-token-token-response',
  title: 'response_type=code id_token token returns a code, an id_token, an access_token and token_type Bearer',
  area,
  refs: ['OIDCC-3.3.2.5', 'OAuth2-RT-5'],
  requirements: ['HYB-02'],
  level: 'MUST',
});

export const responseInFragment = defineCheck({
  id: 'hybrid/response-in-fragment',
  title: 'Hybrid responses without response_mode arrive in the fragment of the redirect_uri, with no code or token in its query',
  area,
  refs: ['OIDCC-3.3.2.5', 'OAuth2-RT-5'],
  requirements: ['HYB-03', 'RM-01', 'RM-05'],
  level: 'MUST',
});

export const stateEchoed = defineCheck({
  id: 'hybrid/state-echoed',
  title: 'Every hybrid response, success or error, carries the request\'s state unchanged',
  area,
  refs: ['OAuth2-RT-5', 'RFC6749-4.1.2', 'RFC6749-4.2.2.1'],
  requirements: ['HYB-05', 'AZ-15'],
  level: 'MUST',
});

export const idTokenOpenidScopeOnly = defineCheck({
  id: 'hybrid/id-token-openid-scope-only',
  title: 'With scope=openid alone, the hybrid ID tokens (authorization and token endpoints, every response type) carry none of the profile, email, address and phone claims: none was asked for (the Foundation\'s oidcc-server warns on name)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.5'],
  requirements: ['AZ-36'],
  level: 'SHOULD',
});

export const frontIdTokenValid = defineCheck({
  id: 'hybrid/front-id-token-valid',
  title: 'ID tokens from the authorization endpoint validate: signature through the JWK Set (never alg none), iss, aud, azp, exp, iat, sub, nonce, c_hash and at_hash',
  area,
  refs: ['OIDCC-3.3.2.12', 'OIDCC-3.3.2.11', 'OIDCC-3.2.2.11', 'OIDCC-3.1.3.7'],
  requirements: ['HYB-06', 'IMP-17', 'IDT-01', 'IDT-03', 'IDT-04', 'IDT-06', 'IDT-08', 'IDT-09', 'DSC-22'],
  level: 'MUST',
});

export const cHash = defineCheck({
  id: 'hybrid/c-hash',
  title: 'The front-channel ID token of code id_token and code id_token token carries c_hash, the left half of the hash of the code',
  area,
  refs: ['OIDCC-3.3.2.11', 'OIDCC-3.3.2.10'],
  requirements: ['HYB-07', 'HYB-08', 'IDT-20'],
  level: 'MUST',
});

export const atHash = defineCheck({
  id: 'hybrid/at-hash',
  title: 'The front-channel ID token of code id_token token carries at_hash, the left half of the hash of the access token',
  area,
  refs: ['OIDCC-3.3.2.11', 'OIDCC-3.3.2.9'],
  requirements: ['HYB-09', 'IDT-19'],
  level: 'MUST',
});

export const codeExchange = defineCheck({
  id: 'hybrid/code-exchange',
  title: 'Each hybrid code redeemed at the token endpoint (client_secret_basic) gets access_token, token_type Bearer and id_token',
  area,
  refs: ['OIDCC-3.3.3.3', 'OIDCC-3.1.3.3', 'RFC6749-4.1.3'],
  requirements: ['HYB-15', 'CODE-09', 'CODE-10'],
  level: 'MUST',
});

export const tokenIdTokenValid = defineCheck({
  id: 'hybrid/token-id-token-valid',
  title: 'ID tokens from the token endpoint validate, carry the request\'s nonce, and at_hash/c_hash are right when present (they may be left out)',
  area,
  refs: ['OIDCC-3.3.3.7', 'OIDCC-3.3.3.6', 'OIDCC-3.1.3.7'],
  requirements: ['HYB-12', 'HYB-13', 'IDT-09', 'CODE-35'],
  level: 'MUST',
});

export const sameIssSub = defineCheck({
  id: 'hybrid/same-iss-sub',
  title: 'The ID tokens from the authorization and the token endpoint have identical iss and sub',
  area,
  refs: ['OIDCC-3.3.3.6'],
  requirements: ['HYB-10'],
  level: 'MUST',
});

export const authClaimsConsistent = defineCheck({
  id: 'hybrid/auth-claims-consistent',
  title: 'Authentication claims (auth_time, acr, amr) in either ID token are in both, and end-user claims in both have the same values',
  area,
  refs: ['OIDCC-3.3.3.6'],
  requirements: ['HYB-11'],
  level: 'SHOULD',
});

export const nonceRequired = defineCheck({
  id: 'hybrid/nonce-required',
  title: 'code id_token and code id_token token requests without nonce are refused (invalid_request or an error page), never answered with a code or tokens',
  area,
  refs: ['OIDCC-3.3.2.1', 'OIDCC-3.1.2.2'],
  requirements: ['HYB-01'],
  level: 'MUST',
});

export const codeTokenWithoutNonce = defineCheck({
  id: 'hybrid/code-token-without-nonce',
  title: 'A code token request without nonce (OPTIONAL for this type) succeeds',
  area,
  refs: ['OIDCC-3.3.2.1'],
  requirements: ['HYB-01', 'HYB-02'],
  level: 'MUST',
});

export const codeReuseRefused = defineCheck({
  id: 'hybrid/code-reuse-refused',
  title: 'A hybrid code redeemed once is refused (invalid_grant) the second time',
  area,
  refs: ['RFC6749-4.1.2', 'OIDCC-3.3.3.2'],
  requirements: ['HYB-15', 'CODE-04'],
  level: 'MUST',
});

export const codeBoundToClient = defineCheck({
  id: 'hybrid/code-bound-to-client',
  title: 'A hybrid code redeemed by another client is refused (invalid_grant)',
  area,
  refs: ['RFC6749-4.1.3', 'OIDCC-3.3.3.2'],
  requirements: ['HYB-15', 'CODE-01'],
  level: 'MUST',
});

export const pkceRoundTrip = defineCheck({
  id: 'hybrid/pkce-round-trip',
  title: 'A code id_token request with an S256 code_challenge is redeemed with its code_verifier',
  area,
  refs: ['RFC7636-4.6', 'RFC9700-2.1.1', 'OIDCC-3.3.3.2'],
  requirements: ['HYB-15', 'CODE-18'],
  level: 'MUST',
});

export const clientSecretPost = defineCheck({
  id: 'hybrid/client-secret-post',
  title: 'A code id_token code of the client_secret_post client is redeemed with its credentials in the body, and its ID tokens agree',
  area,
  refs: ['OIDCC-9', 'RFC6749-2.3.1', 'OIDCC-3.3.3.6'],
  requirements: ['HYB-15', 'HYB-10'],
  level: 'MUST',
});

export const promptNoneWithoutSession = defineCheck({
  id: 'hybrid/prompt-none-without-session',
  title: 'prompt=none with a hybrid response type and no session shows no page and returns login_required (or another login error), no code or token',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.3.2.6'],
  requirements: ['AZ-20'],
  level: 'MUST',
});

export const errorsInFragment = defineCheck({
  id: 'hybrid/errors-in-fragment',
  title: 'Hybrid error responses arrive in the fragment of the redirect_uri, like the successful ones',
  area,
  refs: ['OIDCC-3.3.2.6', 'OAuth2-RT-5'],
  requirements: ['HYB-04', 'RM-04'],
  level: 'MUST',
});

export const issParameter = defineCheck({
  id: 'hybrid/iss-parameter',
  title: 'With authorization_response_iss_parameter_supported, every hybrid response carries iss equal to the issuer and to the ID token\'s iss',
  area,
  refs: ['RFC9207-2', 'RFC9207-2.4'],
  requirements: ['HYB-16', 'AZ-48', 'AZ-49'],
  level: 'MUST',
});

export const expiresIn = defineCheck({
  id: 'hybrid/expires-in',
  title: 'code token and code id_token token return expires_in, a positive number of seconds, beside the access token',
  area,
  refs: ['RFC6749-4.2.2', 'OIDCC-3.2.2.5'],
  requirements: ['HYB-02'],
  level: 'SHOULD',
});

export const userinfoClientSecretPost = defineCheck({
  id: 'hybrid/userinfo-client-secret-post',
  title: 'The access token the client_secret_post client redeemed its code id_token code for works at UserInfo with GET, which returns that ID token\'s sub',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2', 'OIDCC-3.3.3.8'],
  requirements: ['UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const userinfoGet = defineCheck({
  id: 'hybrid/userinfo-get',
  title: 'The front-channel (code id_token token) and token-endpoint (code id_token) access tokens work at UserInfo with GET, which returns the ID tokens\' sub',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2', 'OIDCC-3.3.3.8'],
  requirements: ['UI-02', 'UI-03', 'UI-07', 'UI-08', 'HYB-14'],
  level: 'MUST',
});

export const userinfoPost = defineCheck({
  id: 'hybrid/userinfo-post',
  title: 'The front-channel and token-endpoint access tokens work at UserInfo with POST, which returns the ID tokens\' sub',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2'],
  requirements: ['UI-02', 'UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const unregisteredRedirectRefused = defineCheck({
  id: 'hybrid/unregistered-redirect-refused',
  title: 'A hybrid request with an unregistered redirect_uri (a path segment added) gets an error page, never a redirect there, even with a session',
  area,
  refs: ['OIDCC-3.1.2.1', 'RFC6749-3.1.2.4', 'RFC6749-4.1.2.1'],
  requirements: ['AZ-08', 'AZ-09'],
  level: 'MUST',
});
