// Discovery checks (OpenID Connect Discovery 1.0 sections 3 and 4; RFC 8414).
import { defineCheck } from '../../harness/checks.ts';

const area = 'discovery';

export const served = defineCheck({
  id: 'discovery/served',
  title: 'The configuration is served at issuer + /.well-known/openid-configuration with HTTP 200 and a JSON object',
  area,
  refs: ['OIDCD-4', 'OIDCD-4.1', 'OIDCD-4.2'],
  requirements: ['DSC-01', 'DSC-02', 'DSC-03', 'DSC-04'],
  level: 'MUST',
});

export const issuerMatches = defineCheck({
  id: 'discovery/issuer-matches',
  title: 'issuer is identical to the issuer the discovery URL was built from',
  area,
  refs: ['OIDCD-4.3'],
  requirements: ['DSC-07'],
  level: 'MUST',
});

export const requiredMembers = defineCheck({
  id: 'discovery/required-members',
  title: 'Every REQUIRED member is present with the right type',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-11', 'DSC-12', 'DSC-14', 'DSC-17', 'DSC-20'],
  level: 'MUST',
});

export const rs256Supported = defineCheck({
  id: 'discovery/rs256-supported',
  title: 'id_token_signing_alg_values_supported contains RS256',
  area,
  refs: ['OIDCD-3', 'OIDCC-15.1'],
  requirements: ['DSC-21'],
  level: 'MUST',
});

export const noEmptyArrays = defineCheck({
  id: 'discovery/no-empty-arrays',
  title: 'Members that would hold zero elements are left out',
  area,
  refs: ['OIDCD-4.2'],
  requirements: ['DSC-05'],
  level: 'MUST',
});

export const issuerHttps = defineCheck({
  id: 'discovery/issuer-https',
  title: 'issuer is an https URL without query or fragment (plain http on loopback is a warning)',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-08'],
  level: 'MUST',
});

export const endpointsHttps = defineCheck({
  id: 'discovery/endpoints-https',
  title: 'Every advertised endpoint is an https URL without a fragment (plain http on loopback is a warning)',
  area,
  refs: ['OIDCD-3', 'RFC6749-3.1', 'RFC6749-3.2'],
  requirements: ['DSC-31', 'DSC-40', 'LO-01'],
  level: 'MUST',
});

export const endpointsAnswer = defineCheck({
  id: 'discovery/endpoints-answer',
  title: 'Every advertised endpoint answers (no 404, no 5xx, no connection failure)',
  area,
  refs: ['OIDCD-3', 'RFC8414-2'],
  requirements: ['DSC-41', 'REV-16'],
  level: 'MUST',
});

export const openidScope = defineCheck({
  id: 'discovery/openid-scope-listed',
  title: 'scopes_supported, when present, lists openid',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-16'],
  level: 'MUST',
});

export const userinfoAdvertised = defineCheck({
  id: 'discovery/userinfo-endpoint',
  title: 'userinfo_endpoint is advertised (RECOMMENDED)',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-13'],
  level: 'SHOULD',
});

export const claimsSupported = defineCheck({
  id: 'discovery/claims-supported',
  title: 'claims_supported is published (RECOMMENDED)',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-26'],
  level: 'SHOULD',
});

export const booleanFlags = defineCheck({
  id: 'discovery/boolean-flags',
  title: 'claims_parameter_supported, request_parameter_supported, request_uri_parameter_supported and require_request_uri_registration are JSON booleans',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-27'],
  level: 'MUST',
});

export const authSigningAlgs = defineCheck({
  id: 'discovery/auth-signing-algs',
  title: 'No "none" among endpoint auth signing algs, which are present whenever a JWT auth method is listed',
  area,
  refs: ['OIDCD-3', 'RFC8414-2'],
  requirements: ['DSC-23', 'DSC-24', 'INT-13'],
  level: 'MUST',
});

export const pkceMethods = defineCheck({
  id: 'discovery/pkce-methods',
  title: 'code_challenge_methods_supported is published and lists S256',
  area,
  refs: ['RFC9700-2.1.1', 'RFC8414-2'],
  requirements: ['DSC-38', 'CODE-31'],
  level: 'SHOULD',
});

export const cors = defineCheck({
  id: 'discovery/cors',
  title: 'The configuration document supports CORS',
  area,
  refs: ['OIDCD-4'],
  requirements: ['DSC-29'],
  level: 'SHOULD',
});

export const rfc8414Consistent = defineCheck({
  id: 'discovery/rfc8414-consistent',
  title: 'RFC 8414 metadata, when published, sits before the issuer path and agrees on issuer and jwks_uri',
  area,
  refs: ['RFC8414-3', 'RFC8414-3.3', 'RFC9700-2.6'],
  requirements: ['DSC-33', 'DSC-34', 'DSC-35', 'DSC-36', 'DSC-37', 'BCP-12'],
  level: 'SHOULD',
});

export const issuerMatchesIdToken = defineCheck({
  id: 'discovery/issuer-matches-id-token',
  title: 'The iss of an ID token the provider issues (password grant) is identical to the metadata issuer',
  area,
  refs: ['OIDCD-3', 'OIDCC-16.15'],
  requirements: ['DSC-09'],
  level: 'MUST',
});

export const grantTypesWork = defineCheck({
  id: 'discovery/grant-types-work',
  title: 'Each grant in grant_types_supported that can be sent over HTTP (client_credentials, password, refresh_token) is not refused as unsupported_grant_type or unauthorized_client',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-19'],
  level: 'MUST',
});

export const authMethodsWork = defineCheck({
  id: 'discovery/auth-methods-work',
  title: 'client_secret_basic and client_secret_post, when listed in token_endpoint_auth_methods_supported, authenticate a client registered for them, and every profile client\'s method is listed',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-25'],
  level: 'MUST',
});

export const extensionMembers = defineCheck({
  id: 'discovery/extension-members',
  title: 'Members beyond the registered metadata are tolerated, and none is a misspelling of a registered member (a near miss is a warning: clients ignore it)',
  area,
  refs: ['OIDCD-4.2', 'OIDCD-3', 'RFC8414-2'],
  requirements: ['DSC-06'],
  level: 'MAY',
});

export const webfingerIssuer = defineCheck({
  id: 'discovery/webfinger-issuer',
  title: 'WebFinger issuer discovery, when offered, returns the metadata issuer exactly as the issuer link (SKIP when not offered)',
  area,
  refs: ['OIDCD-2', 'OIDCD-3'],
  requirements: ['DSC-10'],
  level: 'MUST',
});

export const registrationEndpoint = defineCheck({
  id: 'discovery/registration-endpoint',
  title: 'registration_endpoint is advertised when the provider offers dynamic client registration (profile features.endpoints.registration)',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-15'],
  level: 'SHOULD',
});

export const responseModesWork = defineCheck({
  id: 'discovery/response-modes-work',
  title: 'Each query, fragment and form_post mode in response_modes_supported (default query and fragment) delivers a prompt=none error response in that mode; an unlisted form_post that works is a warning',
  area,
  refs: ['OIDCD-3', 'OAuth2-RT-2.1', 'OAuth2-FP-2'],
  requirements: ['DSC-18'],
  level: 'MUST',
});

export const requestObjectAlgs = defineCheck({
  id: 'discovery/request-object-algs',
  title: 'A provider that advertises request objects lists none and RS256 in request_object_signing_alg_values_supported',
  area,
  refs: ['OIDCD-3'],
  requirements: ['DSC-28'],
  level: 'SHOULD',
});

export const dynamicOpTypes = defineCheck({
  id: 'discovery/dynamic-op-types',
  title: 'A dynamic OpenID Provider (registration_endpoint advertised or offered; every provider under --certification, as the Foundation\'s Config OP plan asks) lists code, id_token and "id_token token" in response_types_supported, and authorization_code and implicit in grant_types_supported (omitted: that default holds both)',
  area,
  refs: ['OIDCD-3', 'OIDCC-15.2'],
  requirements: ['DSC-17', 'DSC-19'],
  level: 'MUST',
});

export const valueSyntax = defineCheck({
  id: 'discovery/value-syntax',
  title: 'Listed values have their member\'s syntax: scopes_supported holds scope-tokens, ui_locales_supported and claims_locales_supported BCP47 language tags (not in canonical casing: a warning), every *signing_alg_values_supported registered JWS algorithm names or none (an unregistered name: a warning)',
  area,
  refs: ['OIDCD-3', 'RFC6749-3.3', 'RFC5646-2.1', 'RFC7518-3.1'],
  requirements: [],
  level: 'MUST',
});
