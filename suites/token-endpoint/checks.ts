// Token endpoint generics (RFC 6749 2.3, 3.2, 5.1, 5.2; OIDC Core 3.1.3.3, 13.3, 14): what every
// grant's requests and responses have in common.
import { defineCheck } from '../../harness/checks.ts';

const area = 'token-endpoint';

export const unsupportedGrantType = defineCheck({
  id: 'token-endpoint/unsupported-grant-type',
  title: 'An unknown grant_type gets HTTP 400 with unsupported_grant_type',
  area,
  refs: ['RFC6749-5.2'],
  requirements: ['ERR-03', 'ERR-01'],
  level: 'MUST',
});

export const missingGrantType = defineCheck({
  id: 'token-endpoint/missing-grant-type',
  title: 'A request without grant_type gets HTTP 400 with invalid_request',
  area,
  refs: ['RFC6749-5.2'],
  requirements: ['ERR-02', 'ERR-01'],
  level: 'MUST',
});

export const repeatedParameter = defineCheck({
  id: 'token-endpoint/repeated-parameter',
  title: 'A parameter sent twice gets HTTP 400 with invalid_request',
  area,
  refs: ['RFC6749-3.2', 'RFC6749-5.2'],
  requirements: ['CODE-17'],
  level: 'SHOULD',
});

export const getRefused = defineCheck({
  id: 'token-endpoint/get-refused',
  title: 'A token request sent as GET (parameters in the query) is refused with a 4xx',
  area,
  refs: ['RFC6749-3.2'],
  requirements: ['CODE-15'],
  level: 'SHOULD',
});

export const secretInQueryRefused = defineCheck({
  id: 'token-endpoint/secret-in-query-refused',
  title: 'Client credentials in the request URI query are not accepted',
  area,
  refs: ['RFC6749-2.3.1'],
  requirements: ['TOK-04'],
  level: 'MUST',
});

export const noStore = defineCheck({
  id: 'token-endpoint/no-store',
  title: 'Every successful token response carries Cache-Control: no-store (and Pragma: no-cache)',
  area,
  refs: ['RFC6749-5.1', 'OIDCC-3.1.3.3'],
  requirements: ['TOK-23', 'CODE-13'],
  level: 'MUST',
});

export const jsonContentType = defineCheck({
  id: 'token-endpoint/json-content-type',
  title: 'Successful and error token responses are application/json bodies (never HTML pages)',
  area,
  refs: ['RFC6749-5.1', 'RFC6749-5.2', 'OIDCC-3.1.3.4'],
  requirements: ['ERR-01', 'ERR-16'],
  level: 'MUST',
});

export const tokenType = defineCheck({
  id: 'token-endpoint/token-type',
  title: 'token_type is present and, compared case-insensitively, Bearer',
  area,
  refs: ['RFC6749-5.1', 'RFC6749-7.1', 'RFC6750-6.1.1'],
  requirements: ['TOK-24'],
  level: 'MUST',
});

export const jsonTypes = defineCheck({
  id: 'token-endpoint/json-types',
  title: 'Token response parameters are top-level members: expires_in a JSON number, the tokens, token_type and scope JSON strings',
  area,
  refs: ['RFC6749-5.1'],
  requirements: ['TOK-20'],
  level: 'MUST',
});

export const noNullMembers = defineCheck({
  id: 'token-endpoint/no-null-members',
  title: 'Parameters without a value are left out of token responses rather than sent as null',
  area,
  refs: ['OIDCC-13.3'],
  requirements: ['TOK-21'],
  level: 'SHOULD',
});

export const scopeFormat = defineCheck({
  id: 'token-endpoint/scope-format',
  title: 'scope in a token response is a string of scope tokens separated by single ASCII spaces',
  area,
  refs: ['OIDCC-14', 'RFC6749-3.3'],
  requirements: ['TOK-22'],
  level: 'MUST',
});

export const errorCharset = defineCheck({
  id: 'token-endpoint/error-charset',
  title: 'error, error_description and error_uri of token errors stay within their RFC 6749 character sets',
  area,
  refs: ['RFC6749-5.2', 'RFC6749-4.1.2.1'],
  requirements: ['ERR-12', 'AZ-17'],
  level: 'MUST',
});

export const unknownParameterIgnored = defineCheck({
  id: 'token-endpoint/unknown-parameter-ignored',
  title: 'An unknown parameter is ignored, and a parameter with an empty value is treated as absent',
  area,
  refs: ['RFC6749-3.2'],
  requirements: ['CODE-16'],
  level: 'MUST',
});

export const basicChallenge = defineCheck({
  id: 'token-endpoint/basic-401-challenge',
  title: 'A client failing HTTP Basic authentication gets 401 invalid_client with WWW-Authenticate: Basic',
  area,
  refs: ['RFC6749-5.2', 'RFC6749-2.3.1'],
  requirements: ['TOK-08'],
  level: 'MUST',
});

export const invalidClient = defineCheck({
  id: 'token-endpoint/invalid-client',
  title: 'An unknown client or a request without client authentication gets invalid_client (400 or 401)',
  area,
  refs: ['RFC6749-5.2', 'RFC6749-2.3'],
  requirements: ['ERR-04', 'TOK-09'],
  level: 'MUST',
});

export const twoAuthMethods = defineCheck({
  id: 'token-endpoint/two-auth-methods',
  title: 'A request authenticating with HTTP Basic and client_secret in the body at once is refused (invalid_request or invalid_client)',
  area,
  refs: ['RFC6749-2.3', 'RFC6749-5.2'],
  requirements: ['TOK-05'],
  level: 'MUST',
});

export const basicUrlEncoded = defineCheck({
  id: 'token-endpoint/basic-credentials-urlencoded',
  title: 'HTTP Basic client_id and secret are form-urldecoded after base64 (a client whose credentials need encoding authenticates)',
  area,
  refs: ['RFC6749-2.3.1'],
  requirements: ['TOK-02'],
  level: 'MUST',
});

export const basicSupported = defineCheck({
  id: 'token-endpoint/basic-auth-supported',
  title: 'The token endpoint supports client_secret_basic (advertised or defaulted, and a Basic-authenticated request is not refused as invalid_client)',
  area,
  refs: ['RFC6749-2.3.1', 'OIDCD-3'],
  requirements: ['TOK-01'],
  level: 'MUST',
});

export const registeredMethodEnforced = defineCheck({
  id: 'token-endpoint/registered-auth-method-enforced',
  title: 'A client authenticating with another method than the one registered for it is refused',
  area,
  refs: ['OIDCC-9', 'OIDCC-3.1.3.1'],
  requirements: ['TOK-15'],
  level: 'SHOULD',
});

export const tls = defineCheck({
  id: 'token-endpoint/tls',
  title: 'The token endpoint is an https URL, so password-based client authentication only travels over TLS (plain http on loopback is a warning)',
  area,
  refs: ['RFC6749-2.3.1', 'RFC6749-3.2'],
  requirements: ['TOK-06', 'CODE-14'],
  level: 'MUST',
});

export const asymmetricAuthOffered = defineCheck({
  id: 'token-endpoint/asymmetric-auth-offered',
  title: 'token_endpoint_auth_methods_supported offers an asymmetric method (private_key_jwt, tls_client_auth or self_signed_tls_client_auth)',
  area,
  refs: ['RFC9700-2.5'],
  requirements: ['TOK-19', 'BCP-11'],
  level: 'SHOULD',
});

export const clientSecretPostPolicy = defineCheck({
  id: 'token-endpoint/client-secret-post-policy',
  title: 'Client credentials in the form body (client_secret_post, NOT RECOMMENDED) are accepted or refused as the profile declares (policies.client_secret_post, default accepted)',
  area,
  refs: ['RFC6749-2.3.1'],
  requirements: ['TOK-03'],
  level: 'SHOULD',
});

export const clientAssertionClaimsChecked = defineCheck({
  id: 'token-endpoint/client-assertion-claims-checked',
  title: 'A client_secret_jwt assertion is accepted with iss and sub the client_id, aud the token endpoint, jti and exp; one for another audience, or without iss, sub, aud, jti or exp, is refused (aud the issuer refused is a warning)',
  area,
  refs: ['OIDCC-9', 'RFC7523-3'],
  requirements: ['TOK-10'],
  level: 'MUST',
});

export const clientAssertionReplayRefused = defineCheck({
  id: 'token-endpoint/client-assertion-replay-refused',
  title: 'A client_secret_jwt assertion the endpoint accepted is refused when sent again (its jti is used once)',
  area,
  refs: ['OIDCC-9', 'RFC7523-3'],
  requirements: ['TOK-11'],
  level: 'MUST',
});

export const clientAssertionExpiryChecked = defineCheck({
  id: 'token-endpoint/client-assertion-expiry-checked',
  title: 'A client_secret_jwt assertion whose exp has passed, or whose nbf lies ahead, is refused',
  area,
  refs: ['OIDCC-9', 'RFC7523-3'],
  requirements: ['TOK-12'],
  level: 'MUST',
});

export const clientAssertionTypeChecked = defineCheck({
  id: 'token-endpoint/client-assertion-type-checked',
  title: 'A valid client_secret_jwt assertion sent with a client_assertion_type other than the JWT-bearer URN is refused',
  area,
  refs: ['OIDCC-9', 'RFC7521-4.2'],
  requirements: ['TOK-13'],
  level: 'MUST',
});

export const clientAssertionSignatureChecked = defineCheck({
  id: 'token-endpoint/client-assertion-signature-checked',
  title: 'A client assertion that is unsigned (alg none) or MACed with another key is refused',
  area,
  refs: ['OIDCC-9', 'OIDCD-3', 'RFC7523-3'],
  requirements: ['TOK-14'],
  level: 'MUST',
});
