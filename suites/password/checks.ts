// Resource owner password credentials grant checks (RFC 6749 4.3 and 5). RFC 9700 2.4 says the
// grant MUST NOT be used: against a target that does not offer it, every check but
// password/grant-not-offered SKIPs with that reason.
import { defineCheck } from '../../harness/checks.ts';

const area = 'password';

export const grantNotOffered = defineCheck({
  id: 'password/grant-not-offered',
  title: 'The password grant issues no tokens (RFC 9700: MUST NOT be used; a documented legacy exception is a warning)',
  area,
  refs: ['RFC9700-2.4', 'RFC6749-10.7'],
  requirements: ['ROPC-01', 'ROPC-02', 'BCP-10'],
  level: 'SHOULD',
});

export const tokenResponse = defineCheck({
  id: 'password/token-response',
  title: 'The test user\'s credentials get HTTP 200 with a JSON token response (access_token, token_type, typed members)',
  area,
  refs: ['RFC6749-4.3.3', 'RFC6749-5.1'],
  requirements: ['ROPC-06', 'TOK-20', 'TOK-22', 'TOK-24'],
  level: 'MUST',
});

export const noStore = defineCheck({
  id: 'password/no-store',
  title: 'Password grant token responses carry Cache-Control: no-store (Pragma: no-cache missing is a warning)',
  area,
  refs: ['RFC6749-5.1'],
  requirements: ['TOK-23'],
  level: 'MUST',
});

export const idTokenValid = defineCheck({
  id: 'password/id-token-valid',
  title: 'An ID token returned for scope openid verifies through the JWK Set, with iss, aud, exp, iat, sub (and at_hash when present) right (SKIP when none)',
  area,
  refs: ['OIDCC-2', 'OIDCC-3.1.3.7', 'OIDCC-3.1.3.6'],
  requirements: ['ROPC-07', 'IDT-01', 'IDT-03', 'IDT-04', 'IDT-06', 'IDT-08', 'IDT-19'],
  level: 'MUST',
});

export const subStable = defineCheck({
  id: 'password/sub-stable',
  title: 'Two grants for the same user carry the same sub in their ID tokens',
  area,
  refs: ['OIDCC-2'],
  requirements: ['IDT-05'],
  level: 'MUST',
});

export const refreshOnlyWithOfflineAccess = defineCheck({
  id: 'password/refresh-only-with-offline-access',
  title: 'A refresh token is issued exactly as the documented rule says (default: only when offline_access is requested)',
  area,
  refs: ['RFC6749-4.3.3', 'OIDCC-11'],
  requirements: ['ROPC-06', 'RT-25'],
  level: 'MUST',
});

export const wrongPasswordRefused = defineCheck({
  id: 'password/wrong-password-refused',
  title: 'A wrong password gets invalid_grant',
  area,
  refs: ['RFC6749-4.3.2', 'RFC6749-5.2'],
  requirements: ['ROPC-03', 'ROPC-05', 'ERR-05', 'ERR-01'],
  level: 'MUST',
});

export const unknownUserRefused = defineCheck({
  id: 'password/unknown-user-refused',
  title: 'An unknown username gets invalid_grant',
  area,
  refs: ['RFC6749-4.3.2', 'RFC6749-5.2'],
  requirements: ['ROPC-05', 'ERR-05'],
  level: 'MUST',
});

export const missingParametersRefused = defineCheck({
  id: 'password/missing-parameters-refused',
  title: 'A request without username, or without password, gets invalid_request',
  area,
  refs: ['RFC6749-4.3.2', 'RFC6749-5.2'],
  requirements: ['ROPC-05', 'ERR-02'],
  level: 'MUST',
});

export const clientAuthenticationRequired = defineCheck({
  id: 'password/client-authentication-required',
  title: 'A confidential client must authenticate: its client_id alone, or a wrong secret, gets invalid_client',
  area,
  refs: ['RFC6749-4.3.2', 'RFC6749-5.2'],
  requirements: ['ROPC-03', 'ERR-04'],
  level: 'MUST',
});
