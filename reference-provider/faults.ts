// Deliberate defects the reference provider can be told to have, so that the conformance suites
// can prove they catch each one. All are off by default; they are switched on only by configuration
// (`faults` in the config file, or `serve --fault NAME`), never by anything in a request.

export interface Fault {
  name: string;
  area: string;
  description: string;
  /** The specification clause the defect breaks. */
  clause: string;
  /**
   * Check ids (of the conformance suites) that must report FAIL, or WARN for a SHOULD, when this
   * fault is on. Plain strings: the provider imports nothing from the suites.
   */
  expects?: string[];
}

export const FAULTS: readonly Fault[] = [
  { name: 'discovery-issuer-mismatch', area: 'discovery', description: 'discovery advertises an issuer with a trailing slash added', clause: 'OIDCD-4.3', expects: ['discovery/issuer-matches'] },
  { name: 'discovery-missing-jwks-uri', area: 'discovery', description: 'discovery omits the REQUIRED jwks_uri member', clause: 'OIDCD-3', expects: ['discovery/required-members'] },
  { name: 'jwks-private-members', area: 'jwks', description: 'the JWK Set publishes the private key members (d, p, q, ...)', clause: 'OIDCD-3', expects: ['jwks/no-private-members'] },
  { name: 'jwks-kid-mismatch', area: 'jwks', description: 'ID tokens are signed with a kid that the JWK Set does not list', clause: 'OIDCC-10.1', expects: ['jwks/token-verifies', 'password/id-token-valid'] },
  { name: 'id-token-wrong-iss', area: 'id-token', description: 'ID tokens carry an iss that differs from the issuer', clause: 'OIDCC-2', expects: ['password/id-token-valid', 'discovery/issuer-matches-id-token'] },
  { name: 'id-token-wrong-aud', area: 'id-token', description: 'ID tokens carry an aud without the client_id', clause: 'OIDCC-2', expects: ['password/id-token-valid'] },
  { name: 'id-token-expired', area: 'id-token', description: 'ID tokens are issued already expired (exp 15 minutes in the past)', clause: 'OIDCC-2', expects: ['password/id-token-valid'] },
  { name: 'id-token-nonce-dropped', area: 'id-token', description: 'ID tokens leave out the nonce of the request', clause: 'OIDCC-3.1.3.6' },
  { name: 'id-token-nonce-changed', area: 'id-token', description: 'ID tokens carry a different nonce than requested', clause: 'OIDCC-3.1.3.6' },
  { name: 'id-token-at-hash-wrong', area: 'id-token', description: 'at_hash is computed over the wrong value', clause: 'OIDCC-3.2.2.10', expects: ['password/id-token-valid'] },
  { name: 'id-token-c-hash-missing', area: 'id-token', description: 'c_hash is left out of front-channel ID tokens in the hybrid flow', clause: 'OIDCC-3.3.2.11' },
  { name: 'id-token-alg-none', area: 'id-token', description: 'ID tokens are unsigned (alg none)', clause: 'OIDCC-2', expects: ['password/id-token-valid'] },
  { name: 'id-token-bad-signature', area: 'id-token', description: 'ID token signatures do not verify', clause: 'OIDCC-3.1.3.7', expects: ['password/id-token-valid'] },
  { name: 'id-token-sub-too-long', area: 'id-token', description: 'sub is longer than 255 ASCII characters', clause: 'OIDCC-2', expects: ['password/id-token-valid'] },
  { name: 'state-dropped', area: 'authorization', description: 'authorization responses leave out state', clause: 'RFC6749-4.1.2', expects: ['authorization-errors/unsupported-response-type', 'authorization-errors/prompt-none-without-session', 'authorization-errors/unsupported-pkce-method'] },
  { name: 'tokens-in-query', area: 'authorization', description: 'implicit and hybrid responses put tokens in the query instead of the fragment', clause: 'OAuth2-RT-5' },
  { name: 'refresh-token-in-fragment', area: 'authorization', description: 'implicit responses carry a refresh token', clause: 'RFC6749-4.2.2' },
  { name: 'redirect-uri-prefix-match', area: 'authorization', description: 'an unregistered redirect_uri that starts with a registered one is honoured', clause: 'OIDCC-3.1.2.1', expects: ['authorization-errors/unregistered-redirect-no-redirect'] },
  { name: 'implicit-nonce-optional', area: 'authorization', description: 'implicit requests without nonce are accepted', clause: 'OIDCC-3.2.2.1' },
  { name: 'pkce-ignored', area: 'authorization-code', description: 'the code_verifier is not checked against the code_challenge', clause: 'RFC7636-4.6' },
  { name: 'code-reusable', area: 'authorization-code', description: 'authorization codes can be redeemed more than once', clause: 'RFC6749-4.1.2' },
  { name: 'code-reuse-keeps-tokens', area: 'authorization-code', description: 'redeeming a code twice fails but leaves its tokens valid', clause: 'RFC6749-4.1.2' },
  { name: 'token-redirect-uri-unchecked', area: 'authorization-code', description: 'the token endpoint does not compare redirect_uri with the authorization request', clause: 'RFC6749-4.1.3' },
  { name: 'client-secret-unchecked', area: 'client-auth', description: 'any client secret is accepted', clause: 'RFC6749-2.3.1', expects: ['client-credentials/wrong-secret-refused', 'password/client-authentication-required', 'revocation/client-auth-required', 'introspection/bad-credentials-401'] },
  { name: 'client-auth-not-required', area: 'client-auth', description: 'a confidential client that sends only its client_id is let through without authenticating', clause: 'RFC6749-3.2.1', expects: ['client-credentials/missing-credentials-refused', 'password/client-authentication-required'] },
  { name: 'client-secret-in-query-accepted', area: 'client-auth', description: 'client credentials in the token endpoint URL query are accepted', clause: 'RFC6749-2.3.1', expects: ['token-endpoint/secret-in-query-refused'] },
  { name: 'basic-invalid-client-400', area: 'client-auth', description: 'invalid_client after HTTP Basic answers 400 without WWW-Authenticate', clause: 'RFC6749-5.2', expects: ['token-endpoint/basic-401-challenge', 'client-credentials/basic-failure-401'] },
  { name: 'password-unchecked', area: 'password', description: 'the password grant accepts a wrong password', clause: 'RFC6749-4.3.2', expects: ['password/wrong-password-refused'] },
  { name: 'client-credentials-scope-unchecked', area: 'client-credentials', description: 'client credentials are granted scopes the client does not hold', clause: 'RFC6749-4.4.2', expects: ['client-credentials/unheld-scope-refused'] },
  { name: 'refresh-without-offline-access', area: 'refresh-token', description: 'refresh tokens are issued without offline_access', clause: 'OIDCC-11', expects: ['password/refresh-only-with-offline-access'] },
  { name: 'refresh-without-prompt-consent', area: 'refresh-token', description: 'the code flow issues refresh tokens without prompt=consent', clause: 'OIDCC-11' },
  { name: 'refresh-to-client-credentials', area: 'refresh-token', description: 'the client credentials grant returns a refresh token', clause: 'RFC6749-4.4.3', expects: ['client-credentials/no-refresh-token'] },
  { name: 'refresh-withheld', area: 'refresh-token', description: 'no refresh token even when the documented rule grants one', clause: 'OIDCC-11', expects: ['refresh-token/refresh-works', 'password/refresh-only-with-offline-access'] },
  { name: 'refresh-not-client-bound', area: 'refresh-token', description: 'a refresh token works for any client', clause: 'RFC6749-6', expects: ['refresh-token/client-bound'] },
  { name: 'refresh-not-rotated', area: 'refresh-token', description: 'rotation is advertised by policy but the old refresh token keeps working', clause: 'RFC9700-4.14.2', expects: ['refresh-token/reuse-refused'] },
  { name: 'refresh-reuse-keeps-family', area: 'refresh-token', description: 'a rotated-out refresh token presented again is refused but its successor keeps working', clause: 'RFC9700-4.14.2', expects: ['refresh-token/reuse-revokes-family'] },
  { name: 'refresh-scope-widened', area: 'refresh-token', description: 'a refresh request may widen the scope', clause: 'RFC6749-6', expects: ['refresh-token/scope-not-widened'] },
  { name: 'no-store-missing', area: 'token', description: 'token responses carry no Cache-Control: no-store', clause: 'RFC6749-5.1', expects: ['token-endpoint/no-store', 'client-credentials/no-store', 'password/no-store'] },
  { name: 'token-error-200', area: 'token', description: 'token endpoint errors are answered with HTTP 200', clause: 'RFC6749-5.2', expects: ['token-endpoint/unsupported-grant-type', 'token-endpoint/missing-grant-type', 'token-endpoint/invalid-client', 'token-endpoint/two-auth-methods'] },
  { name: 'unsupported-grant-wrong-code', area: 'token', description: 'an unknown grant_type gets invalid_request instead of unsupported_grant_type', clause: 'RFC6749-5.2', expects: ['token-endpoint/unsupported-grant-type'] },
  { name: 'userinfo-sub-mismatch', area: 'userinfo', description: 'userinfo returns a sub that differs from the ID token', clause: 'OIDCC-5.3.2', expects: ['userinfo/sub-matches-id-token'] },
  { name: 'userinfo-unauthenticated', area: 'userinfo', description: 'userinfo answers without a valid access token', clause: 'RFC6750-3.1', expects: ['userinfo/no-token-challenge', 'userinfo/invalid-token-refused', 'userinfo/tampered-token-refused', 'userinfo/id-token-refused', 'userinfo/revoked-token-refused'] },
  { name: 'revocation-noop', area: 'revocation', description: 'revocation answers 200 but revokes nothing', clause: 'RFC7009-2.1', expects: ['revocation/refresh-token-revoked', 'revocation/wrong-hint-ignored', 'revocation/access-token-revoked', 'revocation/refresh-revokes-access-tokens', 'userinfo/revoked-token-refused', 'introspection/revoked-token-inactive'] },
  { name: 'revocation-ignores-client', area: 'revocation', description: 'revocation revokes tokens issued to another client', clause: 'RFC7009-2.1', expects: ['revocation/other-client-token-kept'] },
  { name: 'introspection-always-active', area: 'introspection', description: 'introspection calls every token active', clause: 'RFC7662-2.2', expects: ['introspection/unknown-token-inactive', 'introspection/revoked-token-inactive'] },
  { name: 'introspection-unauthenticated', area: 'introspection', description: 'introspection answers callers that did not authenticate', clause: 'RFC7662-2.1', expects: ['introspection/requires-authentication'] },
];

export function listFaults(): string {
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  return FAULTS.map((f) => `${f.name.padEnd(width)}  ${f.clause.padEnd(16)} ${f.description}`).join('\n');
}
