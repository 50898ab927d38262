// Authorization code flow checks (OIDC Core 3.1, RFC 6749 4.1, RFC 7636, RFC 9207, RFC 9700), driven
// in a real browser: the test user logs in and consents in the provider's own pages. Three suite
// files share these definitions, one browser session each:
//   code-flow.browser.suite.ts         the flow of each client kind, its ID token and UserInfo, and
//                                      the request variants (no nonce, POST, extra parameters)
//   code-redemption.browser.suite.ts   redemptions the token endpoint must refuse (PKCE, client and
//                                      redirect_uri binding, client authentication), code entropy
//   refresh-and-reuse.browser.suite.ts the refresh-token rule of the code flow, refresh use, code
//                                      reuse (at once and after a delay) and the concurrency rows
import { defineCheck } from '../../harness/checks.ts';

const area = 'code-flow';

// ---- the flow of each client kind -------------------------------------------------------------

export const codeResponse = defineCheck({
  id: 'code-flow/code-response',
  title: 'response_type=code answers the redirect_uri in the query with a code and no tokens',
  area,
  refs: ['OIDCC-3.1.2.5', 'RFC6749-4.1.2'],
  requirements: ['AZ-14'],
  level: 'MUST',
});

export const stateEchoed = defineCheck({
  id: 'code-flow/state-echoed',
  title: 'The authorization response carries the request\'s state unchanged (a state with reserved and non-ASCII characters, compared byte for byte)',
  area,
  refs: ['OIDCC-3.1.2.5', 'RFC6749-4.1.2', 'OIDCC-14'],
  requirements: ['AZ-14', 'IDT-24'],
  level: 'MUST',
});

export const issParameter = defineCheck({
  id: 'code-flow/iss-parameter',
  title: 'A successful code response carries iss equal to the issuer when discovery advertises authorization_response_iss_parameter_supported, and no iss when it does not',
  area,
  refs: ['RFC9207-2', 'RFC9207-2.4'],
  requirements: ['AZ-48', 'AZ-49'],
  level: 'MUST',
});

export const tokenExchangeBasic = defineCheck({
  id: 'code-flow/token-exchange-basic',
  title: 'The code redeemed with client_secret_basic gets a token response with access_token, token_type Bearer and id_token',
  area,
  refs: ['OIDCC-3.1.3.3', 'RFC6749-4.1.4'],
  requirements: ['CODE-09', 'CODE-10'],
  level: 'MUST',
});

export const tokenExchangePost = defineCheck({
  id: 'code-flow/token-exchange-post',
  title: 'The code redeemed with client_secret_post gets a token response with access_token, token_type Bearer and id_token',
  area,
  refs: ['OIDCC-3.1.3.3', 'OIDCC-9', 'RFC6749-4.1.4'],
  requirements: ['CODE-09', 'CODE-10'],
  level: 'MUST',
});

export const tokenExchangePublic = defineCheck({
  id: 'code-flow/token-exchange-public',
  title: 'A public client redeems its code with client_id and the S256 code_verifier, without a secret, and gets access_token, token_type Bearer and id_token',
  area,
  refs: ['OIDCC-3.1.3.3', 'RFC6749-4.1.3', 'RFC7636-4.5', 'RFC9700-2.1.1'],
  requirements: ['CODE-09', 'CODE-10', 'CODE-18', 'CODE-19'],
  level: 'MUST',
});

export const pkceS256Confidential = defineCheck({
  id: 'code-flow/pkce-s256-confidential',
  title: 'A confidential client that sends an S256 code_challenge redeems its code with the right code_verifier',
  area,
  refs: ['RFC7636-4.6', 'RFC7636-4.2', 'RFC9700-2.1.1'],
  requirements: ['CODE-18', 'CODE-19', 'CODE-21'],
  level: 'MUST',
});

export const idTokenValidBasic = defineCheck({
  id: 'code-flow/id-token-valid-basic',
  title: 'The ID token of the client_secret_basic code flow validates: signature (JWKS, kid), iss, aud, azp, exp, iat, sub, nonce, at_hash and c_hash when present',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-3.1.3.6', 'OIDCC-2'],
  requirements: ['CODE-34'],
  level: 'MUST',
});

export const idTokenOpenidScopeOnly = defineCheck({
  id: 'code-flow/id-token-openid-scope-only',
  title: 'With scope=openid alone, the code flow\'s ID token carries none of the profile, email, address and phone claims: none was asked for, and with an access token issued they come from UserInfo (the Foundation\'s oidcc-server warns on name)',
  area,
  refs: ['OIDCC-5.4', 'OIDCC-5.5'],
  requirements: ['AZ-36'],
  level: 'SHOULD',
});

export const idTokenValidPost = defineCheck({
  id: 'code-flow/id-token-valid-post',
  title: 'The ID token of the client_secret_post code flow validates: signature (JWKS, kid), iss, aud, azp, exp, iat, sub, nonce, at_hash and c_hash when present',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-3.1.3.6', 'OIDCC-2'],
  requirements: ['CODE-34'],
  level: 'MUST',
});

export const idTokenValidPublic = defineCheck({
  id: 'code-flow/id-token-valid-public',
  title: 'The ID token of the public client\'s code flow validates: signature (JWKS, kid), iss, aud, azp, exp, iat, sub, nonce, at_hash and c_hash when present',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-3.1.3.6', 'OIDCC-2'],
  requirements: ['CODE-34'],
  level: 'MUST',
});

export const nonceInIdToken = defineCheck({
  id: 'code-flow/nonce-in-id-token',
  title: 'The token endpoint\'s ID token carries the nonce of the authorization request, byte for byte',
  area,
  refs: ['OIDCC-3.1.3.7', 'OIDCC-2', 'RFC9700-4.5.3.2'],
  requirements: ['CODE-35', 'IDT-09'],
  level: 'MUST',
});

export const noNonceSucceeds = defineCheck({
  id: 'code-flow/no-nonce-succeeds',
  title: 'A code flow request without nonce succeeds (nonce is OPTIONAL for response_type=code), and its ID token carries no nonce (one made up is a warning)',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-2'],
  requirements: [],
  level: 'MUST',
});

export const userinfoGet = defineCheck({
  id: 'code-flow/userinfo-get',
  title: 'UserInfo answers a GET with the code flow\'s access token as a Bearer header, with the sub of the flow\'s ID token',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2', 'RFC6750-2.1'],
  requirements: ['UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const userinfoClientSecretPost = defineCheck({
  id: 'code-flow/userinfo-client-secret-post',
  title: 'UserInfo answers a GET with the access token of the client_secret_post client\'s code flow as a Bearer header, with the sub of that flow\'s ID token',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2', 'RFC6750-2.1'],
  requirements: ['UI-03', 'UI-07', 'UI-08'],
  level: 'MUST',
});

export const userinfoPost = defineCheck({
  id: 'code-flow/userinfo-post',
  title: 'UserInfo answers a POST with the code flow\'s access token (in the form body when the profile says userinfo takes it there, else as a Bearer header), with the sub of the flow\'s ID token',
  area,
  refs: ['OIDCC-5.3.1', 'OIDCC-5.3.2', 'RFC6750-2.2'],
  requirements: ['UI-02', 'UI-04', 'UI-08'],
  level: 'MUST',
});

export const noStore = defineCheck({
  id: 'code-flow/no-store',
  title: 'The code redemption\'s token response carries Cache-Control: no-store (Pragma: no-cache missing is a warning)',
  area,
  refs: ['OIDCC-3.1.3.3', 'RFC6749-5.1'],
  requirements: ['CODE-13', 'TOK-23'],
  level: 'MUST',
});

export const expiresIn = defineCheck({
  id: 'code-flow/expires-in',
  title: 'The code redemption\'s token response gives expires_in as a JSON number of seconds (absent is a warning: RECOMMENDED)',
  area,
  refs: ['RFC6749-5.1'],
  requirements: ['CODE-11'],
  level: 'MUST',
});

// ---- request variants ---------------------------------------------------------------------------

export const postAuthorizationRequest = defineCheck({
  id: 'code-flow/post-authorization-request',
  title: 'An authorization request sent as a form POST succeeds like a GET: a code that redeems',
  area,
  refs: ['OIDCC-3.1.2.1'],
  requirements: ['AZ-02'],
  level: 'MUST',
});

export const extraParametersIgnored = defineCheck({
  id: 'code-flow/extra-parameters-ignored',
  title: 'An unknown request parameter is ignored and empty ones (max_age=, display=, ui_locales=) count as absent: the flow still succeeds',
  area,
  refs: ['RFC6749-3.1', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-03', 'AZ-04'],
  level: 'MUST',
});

export const unknownScopeIgnored = defineCheck({
  id: 'code-flow/unknown-scope-ignored',
  title: 'A scope value the provider does not know is ignored: the flow still succeeds',
  area,
  refs: ['OIDCC-3.1.2.1', 'RFC6749-3.3'],
  requirements: ['AZ-13'],
  level: 'SHOULD',
});

export const scopeReturnedWhenChanged = defineCheck({
  id: 'code-flow/scope-returned-when-changed',
  title: 'When the granted scope differs from the requested one (an unknown value dropped), the token response says so in scope',
  area,
  refs: ['RFC6749-5.1', 'RFC6749-3.3'],
  requirements: ['CODE-12'],
  level: 'MUST',
});

// ---- redemptions the token endpoint must refuse ---------------------------------------------------

export const pkceWrongVerifierRefused = defineCheck({
  id: 'code-flow/pkce-wrong-verifier-refused',
  title: 'A code issued with an S256 code_challenge is refused (invalid_grant) with a wrong code_verifier',
  area,
  refs: ['RFC7636-4.6'],
  requirements: ['CODE-20', 'CODE-21'],
  level: 'MUST',
});

export const pkceVerifierMissingRefused = defineCheck({
  id: 'code-flow/pkce-verifier-missing-refused',
  title: 'A code issued with a code_challenge is refused when the token request leaves out code_verifier',
  area,
  refs: ['RFC7636-4.6', 'RFC9700-2.1.1'],
  requirements: ['CODE-20', 'CODE-22'],
  level: 'MUST',
});

export const pkceChallengeAsVerifierRefused = defineCheck({
  id: 'code-flow/pkce-challenge-as-verifier-refused',
  title: 'A code issued with an S256 code_challenge is refused (invalid_grant) when the challenge itself is sent as a plain code_verifier',
  area,
  refs: ['RFC7636-4.5', 'RFC7636-4.6'],
  requirements: ['CODE-20', 'CODE-24'],
  level: 'MUST',
});

export const pkceShortVerifierRefused = defineCheck({
  id: 'code-flow/pkce-short-verifier-refused',
  title: 'A code_verifier shorter than 43 characters is refused even when its S256 hash is the code_challenge',
  area,
  refs: ['RFC7636-4.1', 'RFC7636-4.6'],
  requirements: ['CODE-28'],
  level: 'MUST',
});

export const pkceDowngradeRefused = defineCheck({
  id: 'code-flow/pkce-downgrade-refused',
  title: 'A token request with a code_verifier is refused when the authorization request had no code_challenge (PKCE downgrade)',
  area,
  refs: ['RFC9700-2.1.1', 'RFC9700-4.8.2'],
  requirements: ['CODE-23', 'BCP-05'],
  level: 'MUST',
});

export const pkcePlainDefault = defineCheck({
  id: 'code-flow/pkce-plain-default',
  title: 'A code_challenge without code_challenge_method is plain: it redeems with verifier = challenge when plain is advertised, and is refused with invalid_request at the authorization endpoint otherwise',
  area,
  refs: ['RFC7636-4.3', 'RFC7636-4.4.1', 'RFC7636-4.6'],
  requirements: ['CODE-25'],
  level: 'MUST',
});

export const pkceRequiredPublic = defineCheck({
  id: 'code-flow/pkce-required-public',
  title: 'When the profile says PKCE is required (pkce_required public or all), a public client\'s request without code_challenge gets invalid_request and no code; with "none" the outcome is recorded',
  area,
  refs: ['RFC7636-4.4.1', 'RFC9700-2.1.1', 'RFC7636-5'],
  requirements: ['CODE-27', 'CODE-30'],
  level: 'MUST',
});

export const codeChallengeNotExposed = defineCheck({
  id: 'code-flow/code-challenge-not-exposed',
  title: 'A code does not carry its code_challenge readably (in clear, or inside a base64url/JWT part)',
  area,
  refs: ['RFC7636-4.4'],
  requirements: ['CODE-29'],
  level: 'MUST',
});

export const codeBoundToClient = defineCheck({
  id: 'code-flow/code-bound-to-client',
  title: 'Another client redeeming the code (with its own valid credentials) gets invalid_grant',
  area,
  refs: ['RFC6749-4.1.3', 'OIDCC-3.1.3.2', 'RFC6749-5.2'],
  requirements: ['CODE-01'],
  level: 'MUST',
});

export const redirectUriMismatchRefused = defineCheck({
  id: 'code-flow/redirect-uri-mismatch-refused',
  title: 'A token request whose redirect_uri differs from the authorization request\'s is refused with invalid_grant',
  area,
  refs: ['RFC6749-4.1.3', 'OIDCC-3.1.3.2', 'RFC6749-5.2'],
  requirements: ['CODE-02'],
  level: 'MUST',
});

export const redirectUriOmitted = defineCheck({
  id: 'code-flow/redirect-uri-omitted',
  title: 'A token request without the redirect_uri the authorization request carried is refused (accepted is a warning: OIDC Core allows it when the client registered one redirect URI only)',
  area,
  refs: ['RFC6749-4.1.3', 'OIDCC-3.1.3.2'],
  requirements: ['CODE-02', 'CODE-03'],
  level: 'MUST',
});

export const clientAuthRequired = defineCheck({
  id: 'code-flow/client-auth-required',
  title: 'A confidential client redeeming its code with only its client_id (no secret) gets invalid_client',
  area,
  refs: ['RFC6749-4.1.3', 'RFC6749-3.2.1', 'OIDCC-3.1.3.1'],
  requirements: ['CODE-07'],
  level: 'MUST',
});

export const publicClientIdRequired = defineCheck({
  id: 'code-flow/public-client-id-required',
  title: 'A public client\'s redemption without client_id is refused',
  area,
  refs: ['RFC6749-4.1.3', 'RFC6749-3.2.1'],
  requirements: ['CODE-08'],
  level: 'MUST',
});

export const codeUnguessable = defineCheck({
  id: 'code-flow/code-unguessable',
  title: 'Codes are distinct, and their varying characters can hold 128 bits of randomness (below 160 bits is a warning); estimated over the codes of the run',
  area,
  refs: ['RFC6749-10.10', 'RFC6749-10.5'],
  requirements: ['CODE-33', 'BCP-21'],
  level: 'MUST',
});

// ---- the refresh-token rule of the code flow, and refresh use --------------------------------------

export const refreshTokenRule = defineCheck({
  id: 'code-flow/refresh-token-rule',
  title: 'A refresh token is issued for exactly the combinations of offline_access x prompt=consent the documented policy names (policies.refresh_token.code_flow)',
  area,
  refs: ['OIDCC-11', 'RFC6749-4.1.4'],
  requirements: ['RT-22'],
  level: 'MUST',
});

export const offlineAccessConsent = defineCheck({
  id: 'code-flow/offline-access-consent',
  title: 'prompt=consent shows the consent page, and for offline_access it asks for offline access (the page not naming it is a warning)',
  area,
  refs: ['OIDCC-11', 'OIDCC-3.1.2.1'],
  requirements: ['RT-24', 'AZ-23'],
  level: 'MUST',
});

export const offlineAccessNeedsCode = defineCheck({
  id: 'code-flow/offline-access-needs-code',
  title: 'offline_access with prompt=consent in a request whose response type returns no code (id_token token) brings no refresh token',
  area,
  refs: ['OIDCC-11', 'RFC6749-4.2.2'],
  requirements: ['RT-23'],
  level: 'MUST',
});

export const refreshWorks = defineCheck({
  id: 'code-flow/refresh-works',
  title: 'A refresh token from the code flow refreshes: HTTP 200 and a token response',
  area,
  refs: ['RFC6749-6', 'OIDCC-12.1', 'OIDCC-12.2'],
  requirements: ['RT-14'],
  level: 'MUST',
});

export const refreshRotated = defineCheck({
  id: 'code-flow/refresh-rotated',
  title: 'A code-flow refresh token rotates as the documented policy says, and the rotated-out one is refused afterwards (a warning for the confidential client)',
  area,
  refs: ['RFC9700-4.14.2', 'RFC6749-6'],
  requirements: ['RT-06', 'RT-07'],
  level: 'MUST',
});

export const refreshClientBound = defineCheck({
  id: 'code-flow/refresh-client-bound',
  title: 'Another client presenting a code-flow refresh token gets invalid_grant',
  area,
  refs: ['RFC6749-6', 'RFC6749-10.4', 'OIDCC-12.1'],
  requirements: ['RT-02'],
  level: 'MUST',
});

// ---- one-time use, at once and after a delay ------------------------------------------------------

export const codeReuseRefused = defineCheck({
  id: 'code-flow/code-reuse-refused',
  title: 'A code redeemed once is refused (invalid_grant) the second time',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CODE-04'],
  level: 'MUST',
});

export const codeReuseRevokesTokens = defineCheck({
  id: 'code-flow/code-reuse-revokes-tokens',
  title: 'After a code is redeemed twice, the access token and the refresh token of the first redemption no longer work',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CODE-05', 'RT-27'],
  level: 'SHOULD',
});

export const codeReuseAfterDelay = defineCheck({
  id: 'code-flow/code-reuse-after-delay',
  title: 'A code redeemed again after a delay (timing.code_reuse_delay_ms, 30 s with --certification) is refused with invalid_grant, and the first redemption\'s tokens stop working (still working is a warning)',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CODE-04', 'CODE-05'],
  level: 'MUST',
});

// ---- concurrency (REQUIREMENTS.md section 20) ------------------------------------------------------

export const parallelRedemptionOnce = defineCheck({
  id: 'code-flow/parallel-redemption-once',
  title: 'One code sent in 5 parallel token requests is redeemed at most once',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CON-01'],
  level: 'MUST',
});

export const parallelRedemptionPerNode = defineCheck({
  id: 'code-flow/parallel-redemption-per-node',
  title: 'One code sent in parallel to each address the token endpoint resolves to is redeemed at most once (SKIP with a single address)',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CON-02'],
  level: 'MUST',
});

export const parallelRedemptionRevokes = defineCheck({
  id: 'code-flow/parallel-redemption-revokes',
  title: 'When parallel redemptions of one code were refused as reuse, the access token the winner got stops working',
  area,
  refs: ['RFC6749-4.1.2'],
  requirements: ['CON-03'],
  level: 'SHOULD',
});

export const parallelRefreshOnce = defineCheck({
  id: 'code-flow/parallel-refresh-once',
  title: 'One rotating refresh token of the public client sent in 5 parallel refreshes succeeds at most once',
  area,
  refs: ['RFC9700-4.14.2', 'RFC6749-6'],
  requirements: ['CON-04'],
  level: 'MUST',
});

export const parallelRefreshRevokesFamily = defineCheck({
  id: 'code-flow/parallel-refresh-revokes-family',
  title: 'After parallel refreshes were refused as reuse, the refresh token the winner got is refused too (reuse detection revokes the family)',
  area,
  refs: ['RFC9700-4.14.2'],
  requirements: ['CON-04'],
  level: 'MUST',
});

export const raceTokensRevokedWithGrant = defineCheck({
  id: 'code-flow/race-tokens-revoked-with-grant',
  title: 'Revoking the refresh token a parallel refresh race started from also kills every token the race produced',
  area,
  refs: ['RFC7009-2.1'],
  requirements: ['CON-06'],
  level: 'SHOULD',
});

export const revocationImmediate = defineCheck({
  id: 'code-flow/revocation-immediate',
  title: 'Right after the revocation endpoint answers 200, the revoked refresh token is refused (the grant\'s access token still working is a warning)',
  area,
  refs: ['RFC7009-2.1', 'RFC7009-2.2'],
  requirements: ['CON-07'],
  level: 'MUST',
});

export const logoutEndsSilentLogin = defineCheck({
  id: 'code-flow/logout-ends-silent-login',
  title: 'Once RP-initiated logout (with id_token_hint) has completed, a prompt=none request in the same browser gets an error, not a code',
  area,
  refs: ['OIDCRIL-2', 'OIDCC-3.1.2.1'],
  requirements: ['CON-08'],
  level: 'SHOULD',
});
