import { describe, expect, it } from 'vitest';
import { validatePayload, SCHEMA_NAMES, type SchemaName } from './validate-payload.ts';

const ISSUER = 'https://op.example.com';
const goodDiscovery = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
  jwks_uri: `${ISSUER}/jwks`,
  scopes_supported: ['openid', 'email'],
  response_types_supported: ['code', 'id_token', 'code id_token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256', 'ES256'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  claims_parameter_supported: false,
  vendor_extension: { anything: true },
};

const rsaKey = { kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB' };
const ecKey = { kty: 'EC', kid: 'k2', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const okpKey = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

const goodIdToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';

/** For every schema: a conforming sample and a broken one with the message it must produce. */
const CASES: Record<SchemaName, { good: unknown[]; bad: Array<[unknown, RegExp]> }> = {
  'discovery': {
    good: [goodDiscovery, { ...goodDiscovery, token_endpoint: undefined, response_types_supported: ['id_token', 'id_token token'] }],
    bad: [
      [{ ...goodDiscovery, issuer: undefined }, /^\(document\): missing required member "issuer"$/],
      [{ ...goodDiscovery, jwks_uri: 42 }, /^jwks_uri: must be string, got number 42$/],
      [{ ...goodDiscovery, token_endpoint: undefined }, /missing required member "token_endpoint" \(token_endpoint is REQUIRED unless only the Implicit Flow/],
      [{ ...goodDiscovery, id_token_signing_alg_values_supported: ['ES256'] }, /^id_token_signing_alg_values_supported: must include RS256/],
      [{ ...goodDiscovery, scopes_supported: ['email'] }, /^scopes_supported: must list openid/],
      [{ ...goodDiscovery, subject_types_supported: [] }, /^subject_types_supported: a non-empty array of strings: members with zero elements are omitted/],
      [{ ...goodDiscovery, token_endpoint_auth_signing_alg_values_supported: ['RS256', 'none'] }, /must not include none/],
      [{ ...goodDiscovery, claims_parameter_supported: 'false' }, /^claims_parameter_supported: must be boolean, got string "false"$/],
      [{ ...goodDiscovery, userinfo_endpoint: 'not a url' }, /^userinfo_endpoint: "not a url" is not a valid uri$/],
      [[goodDiscovery], /^\(document\): must be object, got array/],
    ],
  },
  'jwks': {
    good: [{ keys: [rsaKey, ecKey, okpKey, { kty: 'RSA', n: 'AQAB', e: 'AQAB', x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }] }, { keys: [] }],
    bad: [
      [{ keys: [{ ...rsaKey, d: 'secret-part', p: 'x' }] }, /^keys\.0\.d: private key material: a published JWK Set holds public keys only/],
      [{ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }, /^keys\.0\.kty: symmetric \(oct\) keys are secrets/],
      [{ keys: [{ kty: 'RSA', e: 'AQAB' }] }, /^keys\.0: missing required member "n"$/],
      [{ keys: [{ kty: 'EC', crv: 'P-256', x: 'abc' }] }, /^keys\.0: missing required member "y"$/],
      [{ keys: [{ ...ecKey, x: 'has+padding==' }] }, /^keys\.0\.x: expected base64url without padding .*, got "has\+padding=="$/],
      [{ keys: [{ ...rsaKey, key_ops: ['verify', 'verify'] }] }, /^keys\.0\.key_ops: /],
      [{ keys: [{ ...rsaKey, 'x5t#S256': 'a/b' }] }, /^keys\.0\.x5t#S256: expected base64url.*, got "a\/b"$/],
      [{ keys: 'none' }, /^keys: must be array, got string/],
      [{}, /missing required member "keys"/],
    ],
  },
  'token-response': {
    good: [{ access_token: 'abc.def-ghi', token_type: 'Bearer', expires_in: 3600, scope: 'openid email', refresh_token: 'r1' }, { access_token: 'x', token_type: 'DPoP' }],
    bad: [
      [{ access_token: 'abc', token_type: 'Bearer', expires_in: '3600' }, /^expires_in: must be number, got string "3600"$/],
      [{ token_type: 'Bearer' }, /missing required member "access_token"/],
      [{ access_token: 'abc' }, /missing required member "token_type"/],
      [{ access_token: 'abc', token_type: 'Bearer', scope: 'openid  email' }, /^scope: expected scope tokens separated by single spaces .*, got "openid {2}email"$/],
      [{ access_token: 'tøken', token_type: 'Bearer' }, /^access_token: expected VSCHAR only \(RFC 6749 A\.12\), got \(value hidden\)$/],
      [{ access_token: 'abc', token_type: 'Bearer', id_token: 'not-a-jwt' }, /^id_token: expected a JWT in compact serialization.*, got \(value hidden\)$/],
      [{ access_token: 'abc', token_type: 'Bearer', refresh_token: null }, /^refresh_token: must be string, got null/],
    ],
  },
  'oidc-token-response': {
    good: [{ access_token: 'abc', token_type: 'Bearer', id_token: goodIdToken }],
    bad: [
      [{ access_token: 'abc', token_type: 'Bearer' }, /^\(document\): missing required member "id_token"$/],
      [{ token_type: 'Bearer', id_token: goodIdToken }, /missing required member "access_token"/],
    ],
  },
  'error-response': {
    good: [{ error: 'invalid_client', error_description: 'Client authentication failed', error_uri: 'https://op.example.com/errors#client' }, { error: 'vendor_specific_code' }],
    bad: [
      [{ error_description: 'no code' }, /missing required member "error"/],
      [{ error: 'invalid"request' }, /^error: expected only %x20-21 \/ %x23-5B \/ %x5D-7E: no quote or backslash \(RFC 6749 5\.2\), got "invalid\\"request"$/],
      [{ error: 'invalid_request', error_description: 'bad \\ backslash' }, /^error_description: expected .*printable ASCII without quote or backslash.*, got "bad \\\\ backslash"$/],
      [{ error: 'invalid_request', error_description: 'non-ASCII é' }, /^error_description: /],
      [{ error: 'invalid_request', error_description: 'line\nbreak' }, /^error_description: /],
      [{ error: 'invalid_request', error_uri: 'https://op/has space' }, /^error_uri: /],
      [{ error: '' }, /^error: /],
    ],
  },
  'userinfo': {
    good: [{ sub: '248289761001', name: 'Jane Doe', email_verified: true, phone_number_verified: false, updated_at: 1311280970, birthdate: '0000-03-22', address: { country: 'NL', postal_code: '1000' } }],
    bad: [
      [{ name: 'no subject' }, /missing required member "sub"/],
      [{ sub: '1', email_verified: 'true' }, /^email_verified: must be boolean, got string "true"$/],
      [{ sub: '1', phone_number_verified: 1 }, /^phone_number_verified: must be boolean, got number 1$/],
      [{ sub: '1', updated_at: '2024-01-01T00:00:00Z' }, /^updated_at: must be number, got string/],
      [{ sub: '1', address: '1 Main St' }, /^address: must be object, got string/],
      [{ sub: 'x'.repeat(256) }, /^sub: must NOT have more than 255 characters/],
      [{ sub: 'ünicode' }, /^sub: expected at most 255 ASCII characters \(OIDC Core 2\), got "ünicode"$/],
      [{ sub: '1', birthdate: '22/03/1990' }, /^birthdate: expected YYYY-MM-DD or YYYY.*, got "22\/03\/1990"$/],
    ],
  },
  'id-token-claims': {
    good: [
      { iss: 'https://op.example.com', sub: '24400320', aud: 's6BhdRkqt3', nonce: 'n-0S6_WzA2Mj', exp: 1311281970, iat: 1311280970, auth_time: 1311280969, acr: 'urn:mace:incommon:iap:silver' },
      { iss: 'https://op.example.com', sub: '1', aud: ['a', 'b'], azp: 'a', exp: 1311281970, iat: 1311280970, amr: ['pwd'], email_verified: false, updated_at: 1311280970, address: { country: 'NL' } },
    ],
    bad: [
      [{ sub: '1', aud: 'a', exp: 1, iat: 1 }, /missing required member "iss"/],
      [{ iss: 'i', sub: '1', aud: 'a', exp: '1311281970', iat: 1 }, /^exp: must be number, got string/],
      [{ iss: 'i', sub: '1', aud: 'a', exp: 1, iat: 1, updated_at: 1700000000000 }, /^updated_at: must be <= 100000000000/],
      [{ iss: 'i', sub: '1', aud: 'a', exp: 1, iat: 1, amr: 'pwd' }, /^amr: must be array, got string/],
      [{ iss: 'i', sub: '1', aud: 'a', exp: 1, iat: 1, email_verified: 'true' }, /^email_verified: must be boolean, got string "true"$/],
    ],
  },
  'introspection-response': {
    good: [{ active: false }, { active: true, scope: 'read write', client_id: 'c1', exp: 1900000000, iat: 1800000000, aud: ['api'], sub: 'u1', token_type: 'Bearer' }, { active: true, aud: 'api' }],
    bad: [
      [{ scope: 'read' }, /missing required member "active"/],
      [{ active: 'true' }, /^active: must be boolean, got string "true"$/],
      [{ active: true, exp: 1.5 }, /^exp: must be integer, got number 1\.5$/],
      [{ active: true, aud: 5 }, /^aud: must match exactly one schema/],
    ],
  },
};

describe('validatePayload', () => {
  it('has good and bad samples for every published schema', () => {
    expect(Object.keys(CASES).sort()).toEqual([...SCHEMA_NAMES].sort());
  });

  for (const name of SCHEMA_NAMES) {
    const { good, bad } = CASES[name];
    it.each(good.map((sample, i) => [i, sample]))(`${name}: accepts good sample %i`, (_i, sample) => {
      expect(validatePayload(name, JSON.parse(JSON.stringify(sample)))).toEqual({ valid: true, errors: [] });
    });
    it.each(bad.map(([sample, message], i) => [i, sample, message] as const))(`${name}: rejects bad sample %i with a readable error`, (_i, sample, message) => {
      const result = validatePayload(name, JSON.parse(JSON.stringify(sample)));
      expect(result.valid).toBe(false);
      expect(result.errors, JSON.stringify(result.errors)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });
  }

  it('reports a conditional requirement once, with its reason, without the "if" noise', () => {
    const result = validatePayload('discovery', { ...goodDiscovery, token_endpoint: undefined });
    expect(result.errors).toEqual(['(document): missing required member "token_endpoint" (token_endpoint is REQUIRED unless only the Implicit Flow is offered (OIDCD-3))']);
  });

  it('reports a failed "contains" once, not once per item', () => {
    const result = validatePayload('discovery', { ...goodDiscovery, id_token_signing_alg_values_supported: ['ES256', 'PS256'] });
    expect(result.errors).toEqual(['id_token_signing_alg_values_supported: must include RS256 (OIDCD-3)']);
  });

  it('never prints a credential value in an error', () => {
    const result = validatePayload('token-response', { access_token: 'séсret-token', token_type: 'Bearer' });
    expect(result.errors.join('\n')).not.toContain('séсret-token');
  });
});
