// Token introspection checks (RFC 7662). The RFC text was read for each clause cited here (2.1,
// 2.2, 2.3, 4); REQUIREMENTS.md marks these rows as resting on secondary sources.
import { defineCheck } from '../../harness/checks.ts';

const area = 'introspection';

export const activeToken = defineCheck({
  id: 'introspection/active-token',
  title: 'An issued access token is described as application/json with the boolean "active": true',
  area,
  refs: ['RFC7662-2.1', 'RFC7662-2.2'],
  requirements: ['INT-01', 'INT-04'],
  level: 'MUST',
});

export const memberTypes = defineCheck({
  id: 'introspection/member-types',
  title: 'Response members have their defined types (scope a space-separated string, exp/iat/nbf integers, aud a string or array)',
  area,
  refs: ['RFC7662-2.2'],
  requirements: ['INT-06'],
  level: 'MUST',
});

export const consistentWithIssue = defineCheck({
  id: 'introspection/consistent-with-issue',
  title: 'exp, scope, client_id and token_type of an active token agree with the token response that issued it',
  area,
  refs: ['RFC7662-2.2'],
  requirements: ['INT-12'],
  level: 'SHOULD',
});

export const unknownTokenInactive = defineCheck({
  id: 'introspection/unknown-token-inactive',
  title: 'A token the server never issued gets HTTP 200 and {"active": false}, with nothing else about it',
  area,
  refs: ['RFC7662-2.2', 'RFC7662-2.3'],
  requirements: ['INT-05'],
  level: 'MUST',
});

export const revokedTokenInactive = defineCheck({
  id: 'introspection/revoked-token-inactive',
  title: 'Revoked access and refresh tokens get {"active": false}, with nothing else about them',
  area,
  refs: ['RFC7662-2.2', 'RFC7662-4'],
  requirements: ['INT-08', 'INT-05'],
  level: 'MUST',
});

export const requiresAuthentication = defineCheck({
  id: 'introspection/requires-authentication',
  title: 'A caller without credentials is refused with 401 and learns nothing about the token',
  area,
  refs: ['RFC7662-2.1', 'RFC7662-2.3', 'RFC7662-4'],
  requirements: ['INT-02'],
  level: 'MUST',
});

export const badCredentials401 = defineCheck({
  id: 'introspection/bad-credentials-401',
  title: 'A caller with a wrong client secret gets 401 invalid_client',
  area,
  refs: ['RFC7662-2.3', 'RFC6749-5.2'],
  requirements: ['INT-07'],
  level: 'MUST',
});

export const hintIgnored = defineCheck({
  id: 'introspection/hint-ignored',
  title: 'An access token sent with token_type_hint=refresh_token is still found and described as active',
  area,
  refs: ['RFC7662-2.1'],
  requirements: ['INT-03'],
  level: 'MUST',
});

export const tls = defineCheck({
  id: 'introspection/tls',
  title: 'The introspection endpoint is an https URL (plain http on loopback is a warning)',
  area,
  refs: ['RFC7662-4'],
  requirements: ['INT-09'],
  level: 'MUST',
});

export const getPolicy = defineCheck({
  id: 'introspection/get-policy',
  title: 'An authenticated GET to the introspection endpoint (token in the query) is refused or answered as the declared policy says (recorded when none is declared), and never breaks it',
  area,
  refs: ['RFC7662-4', 'RFC7662-2.1'],
  requirements: ['INT-10'],
  level: 'MAY',
});
