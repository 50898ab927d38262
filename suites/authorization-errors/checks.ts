// Authorization endpoint errors that need no login (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6, RFC 9207,
// RFC 7636 4.4.1, RFC 9700 2.6): judged over plain HTTP from the 302/303 Location the endpoint answers.
import { defineCheck } from '../../harness/checks.ts';

const area = 'authorization-errors';

export const unsupportedResponseType = defineCheck({
  id: 'authorization-errors/unsupported-response-type',
  title: 'response_type=foo is answered at the redirect URI with unsupported_response_type and the state',
  area,
  refs: ['RFC6749-4.1.2.1', 'RFC6749-3.1.1', 'OIDCC-3.1.2.6'],
  requirements: ['ERR-08', 'AZ-06', 'AZ-15'],
  level: 'MUST',
});

export const noneCombinedRefused = defineCheck({
  id: 'authorization-errors/none-combined-refused',
  title: 'response_type=none combined with another value ("code none") is refused at the redirect URI with unsupported_response_type or invalid_request and the state (none is not combined with other response types)',
  area,
  refs: ['OAuth2-RT-4', 'RFC6749-3.1.1', 'RFC6749-4.1.2.1'],
  requirements: ['RM-07'],
  level: 'SHOULD',
});

export const unknownPromptDisplay = defineCheck({
  id: 'authorization-errors/unknown-prompt-display',
  title: 'An unknown prompt or display value is either ignored (the sign-in goes on) or refused at the redirect URI with an error and the state, never answered with an error page or a server error (which one the provider does is recorded)',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.6', 'RFC6749-4.1.2.1'],
  requirements: ['AZ-24'],
  level: 'MUST',
});

export const promptNoneWithoutSession = defineCheck({
  id: 'authorization-errors/prompt-none-without-session',
  title: 'prompt=none without a session is answered at the redirect URI with a login error and the state echoed byte-exact',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.6', 'RFC6749-4.1.2.1'],
  requirements: ['ERR-10', 'AZ-20', 'AZ-15', 'AZ-14'],
  level: 'MUST',
});

export const errorRedirectClean = defineCheck({
  id: 'authorization-errors/error-redirect-clean',
  title: 'Error redirects use the allowed characters in error and error_description, and carry nothing beyond error, error_description, error_uri, state and iss (extra parameters are a warning)',
  area,
  refs: ['RFC6749-4.1.2.1', 'OIDCC-3.1.2.6'],
  requirements: ['AZ-16', 'AZ-17', 'ERR-12'],
  level: 'MUST',
});

export const issParameter = defineCheck({
  id: 'authorization-errors/iss-parameter',
  title: 'Error redirects carry iss equal to the issuer when authorization_response_iss_parameter_supported is true, and no iss otherwise',
  area,
  refs: ['RFC9207-2', 'RFC9207-2.3', 'RFC9207-2.4'],
  requirements: ['AZ-48', 'AZ-49', 'DSC-39'],
  level: 'MUST',
});

export const unsupportedPkceMethod = defineCheck({
  id: 'authorization-errors/unsupported-pkce-method',
  title: 'code_challenge_method=S512 is answered at the redirect URI with invalid_request',
  area,
  refs: ['RFC7636-4.4.1', 'RFC6749-4.1.2.1'],
  requirements: ['ERR-14', 'CODE-26'],
  level: 'MUST',
});

export const unknownClientNoRedirect = defineCheck({
  id: 'authorization-errors/unknown-client-no-redirect',
  title: 'An unknown client_id gets an error page, never a redirect to the redirect URI',
  area,
  refs: ['RFC6749-3.1.2.4', 'RFC6749-4.1.2.1', 'OIDCC-3.1.2.6'],
  requirements: ['AZ-09'],
  level: 'MUST',
});

export const unregisteredRedirectNoRedirect = defineCheck({
  id: 'authorization-errors/unregistered-redirect-no-redirect',
  title: 'The registered redirect_uri with a changed path or an added suffix gets an error page, never a redirect to it',
  area,
  refs: ['OIDCC-3.1.2.1', 'RFC6749-3.1.2.3', 'RFC6749-3.1.2.4', 'RFC9700-2.1'],
  requirements: ['AZ-08', 'AZ-09', 'BCP-01'],
  level: 'MUST',
});

export const unsupportedResponseMode = defineCheck({
  id: 'authorization-errors/unsupported-response-mode',
  title: 'response_mode=bogus gets an HTTP 400 page and no redirect',
  area,
  refs: ['OIDCC-3.1.2.6'],
  requirements: ['AZ-46', 'RM-08'],
  level: 'SHOULD',
});

export const advertisedValuesAccepted = defineCheck({
  id: 'authorization-errors/advertised-values-accepted',
  title: 'Each advertised display, ui_locales, claims_locales and acr_values value leaves a prompt=none request with the same login error, not invalid_request',
  area,
  refs: ['OIDCD-3', 'OIDCC-15.1', 'OIDCC-3.1.2.1'],
  requirements: ['DSC-43', 'AZ-25', 'AZ-26', 'AZ-28'],
  level: 'MUST',
});

export const noCors = defineCheck({
  id: 'authorization-errors/no-cors',
  title: 'The authorization endpoint answers a cross-origin request (and its preflight) without Access-Control-Allow-* headers',
  area,
  // RFC 9700 2.6: "CORS MUST NOT be supported at the Authorization Endpoint" (Discovery only says NOT RECOMMENDED).
  refs: ['RFC9700-2.6', 'OIDCD-3'],
  requirements: ['DSC-30', 'BCP-14'],
  level: 'MUST',
});

export const requestObjectErrors = defineCheck({
  id: 'authorization-errors/request-object-errors',
  title: 'Request-object problems get the OIDC error codes: request_uri (unresolvable or unsupported) invalid_request_uri or request_uri_not_supported, a malformed request invalid_request_object (request_not_supported when unsupported), registration registration_not_supported (or ignored)',
  area,
  refs: ['OIDCC-3.1.2.6', 'OIDCC-6.1', 'OIDCC-6.2'],
  requirements: ['ERR-11'],
  level: 'SHOULD',
});

export const untrustedRequestStatus = defineCheck({
  id: 'authorization-errors/untrusted-request-status',
  title: 'Requests that cannot be redirected (no client_id, unknown client, unregistered redirect_uri) are answered to the user agent with a 4xx status, not a 200 page or an OAuth error redirect',
  area,
  refs: ['OIDCC-3.1.2.6', 'RFC6749-4.1.2.1'],
  requirements: ['ERR-13'],
  level: 'SHOULD',
});
