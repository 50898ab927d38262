// Security of the authorization endpoint and its pages, judged in a real browser (RFC 6749 10,
// OIDC Core 3.1.2, RFC 9700): exact redirect URI matching, no redirect for untrusted requests,
// error responses, CSRF and clickjacking defences, cookies, Referer leakage, open redirection,
// reverse-proxy headers and TLS.
import { defineCheck } from '../../harness/checks.ts';

const area = 'authorization-security';

export const redirectUriExactMatch = defineCheck({
  id: 'authorization-security/redirect-uri-exact-match',
  title: 'Variants of the registered redirect_uri (suffix, extra segment, trailing slash, added query, fragment, path case, other port, http scheme, dot-segments) get an error page, never a response at the variant (screenshots)',
  area,
  refs: ['OIDCC-3.1.2.1', 'RFC6749-3.1.2.3', 'RFC6749-3.1.2.4', 'RFC9700-2.1', 'RFC9700-4.1.3', 'RFC9700-2.6'],
  requirements: ['AZ-08', 'AZ-09', 'BCP-01', 'BCP-13'],
  level: 'MUST',
});

export const unknownClientErrorPage = defineCheck({
  id: 'authorization-security/unknown-client-error-page',
  title: 'An unknown client_id, or none, with a registered redirect_uri shows an error page in the browser and never reaches the redirect_uri (screenshots)',
  area,
  refs: ['RFC6749-4.1.2.1', 'RFC6749-3.1.2.4', 'OIDCC-3.1.2.6', 'OIDCC-3.1.2.2'],
  requirements: ['AZ-09', 'AZ-11'],
  level: 'MUST',
});

export const redirectUriRequired = defineCheck({
  id: 'authorization-security/redirect-uri-required',
  title: 'An OpenID request without redirect_uri issues nothing: an error page (an error at the registered redirect URI is a warning)',
  area,
  refs: ['OIDCC-3.1.2.1', 'OIDCC-3.1.2.2', 'RFC6749-4.1.2.1'],
  requirements: ['AZ-10', 'AZ-11'],
  level: 'MUST',
});

export const reflectedInputEscaped = defineCheck({
  id: 'authorization-security/reflected-input-escaped',
  title: 'Markup injected through redirect_uri and state is escaped on the error page the provider shows for them',
  area,
  refs: ['RFC6749-10.14'],
  requirements: ['AZ-47'],
  level: 'MUST',
});

export const noOpenRedirect = defineCheck({
  id: 'authorization-security/no-open-redirect',
  title: 'No request sends the browser to a foreign URL: a valid or unknown client with a foreign redirect_uri, or the login page with return_to/next/redirect parameters',
  area,
  refs: ['RFC9700-2.1', 'RFC9700-4.11.2', 'RFC6749-4.1.2.1'],
  requirements: ['BCP-02'],
  level: 'MUST',
});

export const pagesNotFrameable = defineCheck({
  id: 'authorization-security/pages-not-frameable',
  title: 'The login and consent pages forbid framing (X-Frame-Options or CSP frame-ancestors; CSP missing, or error pages without either, is a warning)',
  area,
  refs: ['RFC9700-4.16', 'RFC6749-10.13', 'OIDCC-3.1.2.3'],
  requirements: ['BCP-16', 'AZ-34'],
  level: 'MUST',
});

export const sessionCookieFlags = defineCheck({
  id: 'authorization-security/session-cookie-flags',
  title: 'The cookies set when the user logs in are HttpOnly, SameSite (Lax or Strict) and, over https, Secure',
  area,
  refs: ['RFC6749-10.12', 'OIDCC-3.1.2.3', 'RFC6265-4.1.2.5', 'RFC6265-4.1.2.6'],
  requirements: ['AZ-34'],
  level: 'SHOULD',
});

export const no307AfterCredentials = defineCheck({
  id: 'authorization-security/no-307-after-credentials',
  title: 'The answer to the login form POST (the user\'s credentials) is never a 307/308 redirect (a 302 instead of 303 is a warning)',
  area,
  refs: ['RFC9700-4.12', 'RFC9700-2.1'],
  requirements: ['BCP-04'],
  level: 'MUST',
});

export const noThirdPartyContent = defineCheck({
  id: 'authorization-security/no-third-party-content',
  title: 'The login and consent pages load nothing from other origins, link to no external site, and suppress the Referer (Referrer-Policy)',
  area,
  refs: ['RFC9700-4.2.4'],
  requirements: ['BCP-15'],
  level: 'SHOULD',
});

export const csrfProtectedForms = defineCheck({
  id: 'authorization-security/csrf-protected-forms',
  title: 'The login and consent forms posted from another site (without their hidden fields) are refused: no login session, no code',
  area,
  refs: ['RFC6749-10.12', 'OIDCC-3.1.2.3', 'RFC9700-4.7'],
  requirements: ['AZ-34', 'BCP-25'],
  level: 'MUST',
});

export const denyAccessDenied = defineCheck({
  id: 'authorization-security/deny-access-denied',
  title: 'A user who denies consent is sent to the redirect_uri with error=access_denied, the state unchanged and iss when advertised',
  area,
  refs: ['OIDCC-3.1.2.4', 'OIDCC-3.1.2.6', 'RFC6749-4.1.2.1', 'RFC9207-2'],
  requirements: ['AZ-33', 'ERR-09', 'AZ-15', 'AZ-48', 'BCP-27'],
  level: 'MUST',
});

export const consentShowsClientAndScope = defineCheck({
  id: 'authorization-security/consent-shows-client-and-scope',
  title: 'The consent page tells the user which client asks and for which scope: it differs between two clients and between two scopes',
  area,
  refs: ['RFC6749-10.2'],
  requirements: ['BCP-26'],
  level: 'SHOULD',
});

export const publicClientConsentRepeated = defineCheck({
  id: 'authorization-security/public-client-consent-repeated',
  title: 'A repeated authorization request of a public client (it cannot authenticate) is not approved without the user: the consent shows again',
  area,
  refs: ['RFC6749-10.2'],
  requirements: ['AZ-35'],
  level: 'SHOULD',
});

export const frontChannelAccessTokens = defineCheck({
  id: 'authorization-security/front-channel-access-tokens',
  title: 'The provider offers no response type that returns an access token from the authorization endpoint (RFC 9700: clients SHOULD NOT use them)',
  area,
  refs: ['RFC9700-2.1.2'],
  requirements: ['BCP-18'],
  level: 'SHOULD',
});

export const forwardedHeadersIgnored = defineCheck({
  id: 'authorization-security/forwarded-headers-ignored',
  title: 'Forwarded / X-Forwarded-Host / X-Forwarded-Proto headers sent by a client change neither the discovery URLs nor the authorization endpoint\'s redirects',
  area,
  refs: ['RFC9700-4.13'],
  requirements: ['BCP-19'],
  level: 'MUST',
});

export const tls = defineCheck({
  id: 'authorization-security/tls',
  title: 'The authorization endpoint is https with a certificate that validates, refuses TLS 1.0/1.1, and its http:// form serves no login page and issues nothing',
  area,
  refs: ['RFC6749-3.1', 'OIDCC-3.1.2', 'RFC6749-10.9', 'OIDCC-16.17'],
  requirements: ['AZ-01', 'BCP-23', 'BCP-24'],
  level: 'MUST',
});

export const senderConstrainedTokens = defineCheck({
  id: 'authorization-security/sender-constrained-tokens',
  title: 'The provider offers sender-constrained access tokens: DPoP (dpop_signing_alg_values_supported) or mTLS-bound tokens (tls_client_certificate_bound_access_tokens)',
  area,
  refs: ['RFC9700-2.2.1', 'RFC9700-4.10.1'],
  requirements: ['BCP-07'],
  level: 'SHOULD',
});

export const accessTokenLifetime = defineCheck({
  id: 'authorization-security/access-token-lifetime',
  title: 'The access token of the code flow is short-lived: expires_in of one hour or less',
  area,
  refs: ['RFC6750-5.3', 'OIDCC-16.18'],
  requirements: ['BCP-22'],
  level: 'SHOULD',
});

export const registeredQueryKept = defineCheck({
  id: 'authorization-security/registered-query-kept',
  title: 'When the registered redirect_uri has a query component, the authorization response keeps it and adds its parameters (SKIP when the profile\'s redirect_uri has none)',
  area,
  refs: ['RFC6749-3.1.2'],
  requirements: ['AZ-18'],
  level: 'MUST',
});
