// Each discovery check, proven on a bad sample (and passing on a good one).
import { describe, expect, test } from 'vitest';
import { base64url } from 'jose';
import { CheckSkip, judgeCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const ISSUER = 'https://op.example.com/oidc';
const GOOD: judge.Metadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/me`,
  jwks_uri: `${ISSUER}/jwks`,
  scopes_supported: ['openid', 'profile'],
  response_types_supported: ['code', 'id_token'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  claims_supported: ['sub'],
  claims_parameter_supported: true,
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
};
const ex = ['#1'];

/** An unsigned-looking compact JWT with these claims (the judge only decodes it). */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: 'RS256', kid: 'k1' })}.${part(claims)}.c2ln`;
}

function tokenExchange(status: number, body: Record<string, unknown>): Exchange {
  const text = JSON.stringify(body);
  return {
    id: '#2',
    request: { method: 'POST', url: `${ISSUER}/token`, headers: {} },
    response: { status, headers: { 'content-type': 'application/json' }, body: text, bytes: text.length, truncated: false, json: body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

function exchange(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id: '#1',
    request: { method: 'GET', url: `${ISSUER}/.well-known/openid-configuration`, headers: {} },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

describe('discovery samples', () => {
  passesOn(check.served, 'a 200 JSON object', () => judge.judgeServed(exchange(200, GOOD)));
  proves(check.served, 'a 404', () => judge.judgeServed(exchange(404, { error: 'not found' })), /expected HTTP 200/);
  proves(check.served, 'an HTML page', () => judge.judgeServed(exchange(200, '<html></html>', { 'content-type': 'text/html' })));

  passesOn(check.issuerMatches, 'the same issuer', () => judge.judgeIssuerMatches(GOOD, ISSUER, ex));
  proves(check.issuerMatches, 'a trailing slash', () => judge.judgeIssuerMatches({ ...GOOD, issuer: `${ISSUER}/` }, ISSUER, ex));

  passesOn(check.requiredMembers, 'a complete document', () => judge.judgeRequiredMembers(exchange(200, GOOD), GOOD));
  proves(check.requiredMembers, 'a missing jwks_uri', () => {
    const { jwks_uri: _, ...bad } = GOOD;
    judge.judgeRequiredMembers(exchange(200, bad), bad);
  }, /jwks_uri/);

  passesOn(check.rs256Supported, 'RS256 listed', () => judge.judgeRs256(GOOD, ex));
  proves(check.rs256Supported, 'only ES256', () => judge.judgeRs256({ ...GOOD, id_token_signing_alg_values_supported: ['ES256'] }, ex));

  passesOn(check.noEmptyArrays, 'no empty arrays', () => judge.judgeNoEmptyArrays(GOOD, ex));
  proves(check.noEmptyArrays, 'an empty claims_supported', () => judge.judgeNoEmptyArrays({ ...GOOD, claims_supported: [] }, ex));

  passesOn(check.issuerHttps, 'an https issuer', () => judge.judgeHttpsUrl('issuer', ISSUER, ex, false));
  proves(check.issuerHttps, 'an http issuer on a public host', () => judge.judgeHttpsUrl('issuer', 'http://op.example.com', ex, false));
  proves(check.issuerHttps, 'an issuer with a query', () => judge.judgeHttpsUrl('issuer', `${ISSUER}?tenant=a`, ex, false));

  passesOn(check.endpointsHttps, 'https endpoints', () => judge.judgeEndpointsHttps(GOOD, ex));
  proves(check.endpointsHttps, 'a fragment in the token endpoint', () => judge.judgeEndpointsHttps({ ...GOOD, token_endpoint: `${ISSUER}/token#x` }, ex));

  passesOn(check.endpointsAnswer, 'a 400', () => judge.judgeEndpointAnswered('token_endpoint', exchange(400, { error: 'invalid_request' })));
  proves(check.endpointsAnswer, 'a 404', () => judge.judgeEndpointAnswered('token_endpoint', exchange(404, {})));

  passesOn(check.openidScope, 'openid listed', () => judge.judgeOpenidScope(GOOD, ex));
  proves(check.openidScope, 'openid missing', () => judge.judgeOpenidScope({ ...GOOD, scopes_supported: ['profile'] }, ex));

  passesOn(check.userinfoAdvertised, 'userinfo_endpoint present', () => judge.judgeMemberPresent(GOOD, 'userinfo_endpoint', ex));
  proves(check.userinfoAdvertised, 'no userinfo_endpoint', () => judge.judgeMemberPresent({}, 'userinfo_endpoint', ex));

  passesOn(check.claimsSupported, 'claims_supported present', () => judge.judgeMemberPresent(GOOD, 'claims_supported', ex));
  proves(check.claimsSupported, 'no claims_supported', () => judge.judgeMemberPresent({}, 'claims_supported', ex));

  passesOn(check.booleanFlags, 'boolean flags', () => judge.judgeBooleanFlags(GOOD, ex));
  proves(check.booleanFlags, 'a "true" string', () => judge.judgeBooleanFlags({ ...GOOD, claims_parameter_supported: 'true' }, ex));

  passesOn(check.authSigningAlgs, 'no JWT methods', () => judge.judgeAuthSigningAlgs(GOOD, ex));
  proves(check.authSigningAlgs, 'none among the algs', () => judge.judgeAuthSigningAlgs({ ...GOOD, token_endpoint_auth_signing_alg_values_supported: ['RS256', 'none'] }, ex));
  proves(check.authSigningAlgs, 'private_key_jwt without algs', () => judge.judgeAuthSigningAlgs({ ...GOOD, token_endpoint_auth_methods_supported: ['private_key_jwt'] }, ex));

  passesOn(check.pkceMethods, 'S256 listed', () => judge.judgePkceMethods(GOOD, ex));
  proves(check.pkceMethods, 'only plain', () => judge.judgePkceMethods({ ...GOOD, code_challenge_methods_supported: ['plain'] }, ex));

  passesOn(check.cors, 'ACAO *', () => judge.judgeCors(exchange(200, GOOD, { 'access-control-allow-origin': '*' }), 'https://rp'));
  proves(check.cors, 'no ACAO', () => judge.judgeCors(exchange(200, GOOD), 'https://rp'));

  passesOn(check.rfc8414Consistent, 'agreeing metadata', () => judge.judgeRfc8414(exchange(200, GOOD), GOOD, ISSUER));
  proves(check.rfc8414Consistent, 'another jwks_uri', () => judge.judgeRfc8414(exchange(200, { ...GOOD, jwks_uri: 'https://x/jwks' }), GOOD, ISSUER));

  passesOn(check.issuerMatchesIdToken, 'iss equal to the issuer', () => judge.judgeIdTokenIssuer(GOOD, jwt({ iss: ISSUER, sub: 'u1' }), ex));
  proves(check.issuerMatchesIdToken, 'iss with a trailing slash', () => judge.judgeIdTokenIssuer(GOOD, jwt({ iss: `${ISSUER}/`, sub: 'u1' }), ex), /differs from the issuer/);
  proves(check.issuerMatchesIdToken, 'iss of another tenant', () => judge.judgeIdTokenIssuer(GOOD, jwt({ iss: 'https://op.example.com/other', sub: 'u1' }), ex));

  passesOn(check.grantTypesWork, 'a granted client_credentials request', () => judge.judgeGrantNotRefused('client_credentials', tokenExchange(200, { access_token: 'at', token_type: 'Bearer' })));
  passesOn(check.grantTypesWork, 'invalid_grant (the grant itself is offered)', () => judge.judgeGrantNotRefused('refresh_token', tokenExchange(400, { error: 'invalid_grant' })));
  proves(check.grantTypesWork, 'a listed password grant answered unsupported_grant_type', () => judge.judgeGrantNotRefused('password', tokenExchange(400, { error: 'unsupported_grant_type' })), /password is listed/);
  proves(check.grantTypesWork, 'a listed client_credentials grant answered unauthorized_client', () => judge.judgeGrantNotRefused('client_credentials', tokenExchange(400, { error: 'unauthorized_client' })), /unauthorized_client/);

  const clients = [{ role: 'basic', method: 'client_secret_basic' }, { role: 'post', method: 'client_secret_post' }];
  passesOn(check.authMethodsWork, 'both methods listed', () => judge.judgeClientMethodsListed({ ...GOOD, token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] }, clients, ex));
  passesOn(check.authMethodsWork, 'the member left out, a client_secret_basic client', () => {
    const { token_endpoint_auth_methods_supported: _, ...bare } = GOOD;
    judge.judgeClientMethodsListed(bare, [clients[0]!], ex);
  });
  passesOn(check.authMethodsWork, 'a client authenticated', () => judge.judgeClientAuthenticated('client_secret_post', tokenExchange(200, { access_token: 'at', token_type: 'Bearer' })));
  proves(check.authMethodsWork, 'a client_secret_post client while only client_secret_basic is listed', () => judge.judgeClientMethodsListed(GOOD, clients, ex), /post \(client_secret_post\)/);
  proves(check.authMethodsWork, 'the member left out, a client_secret_post client', () => {
    const { token_endpoint_auth_methods_supported: _, ...bare } = GOOD;
    judge.judgeClientMethodsListed(bare, clients, ex);
  }, /does not list/);
  proves(check.authMethodsWork, 'an advertised method refused as invalid_client', () => judge.judgeClientAuthenticated('client_secret_post', tokenExchange(401, { error: 'invalid_client' })), /client_secret_post is advertised/);
});

describe('discovery samples: extension members, WebFinger, registration, response modes, request objects', () => {
  passesOn(check.extensionMembers, 'registered members and an unrelated extension', () => judge.judgeExtensionMembers({ ...GOOD, acme_tenant_id: 'a1' }, ex));
  passesOn(check.extensionMembers, 'registered logout and PAR members', () => judge.judgeExtensionMembers({ ...GOOD, end_session_endpoint: `${ISSUER}/logout`, pushed_authorization_request_endpoint: `${ISSUER}/par` }, ex));
  proves(check.extensionMembers, 'user_info_endpoint (pyoidc style) instead of userinfo_endpoint', () => judge.judgeExtensionMembers({ ...GOOD, user_info_endpoint: `${ISSUER}/me` }, ex), /user_info_endpoint \(userinfo_endpoint\?\)/);
  proves(check.extensionMembers, 'a singular scope_supported', () => judge.judgeExtensionMembers({ ...GOOD, scope_supported: ['openid'] }, ex), /scopes_supported/);
  proves(check.extensionMembers, 'a camelCase tokenEndpoint', () => judge.judgeExtensionMembers({ ...GOOD, tokenEndpoint: `${ISSUER}/token` }, ex));

  const webfinger = (status: number, body: unknown): Exchange => ({ ...exchange(status, body, { 'content-type': 'application/jrd+json' }), id: '#3', request: { method: 'GET', url: 'https://op.example.com/.well-known/webfinger?resource=acct%3Aalice%40op.example.com', headers: {} } });
  const jrd = (href: string) => ({ subject: 'acct:alice@op.example.com', links: [{ rel: judge.ISSUER_REL, href }] });
  passesOn(check.webfingerIssuer, 'the issuer link equal to the issuer', () => judge.judgeWebfingerIssuer(webfinger(200, jrd(ISSUER)), GOOD, ex));
  proves(check.webfingerIssuer, 'an issuer link with a trailing slash', () => judge.judgeWebfingerIssuer(webfinger(200, jrd(`${ISSUER}/`)), GOOD, ex), /differs from the metadata issuer/);
  proves(check.webfingerIssuer, 'an issuer link naming another tenant', () => judge.judgeWebfingerIssuer(webfinger(200, jrd('https://op.example.com/other')), GOOD, ex), /differs/);

  passesOn(check.registrationEndpoint, 'registration offered and advertised', () => judge.judgeRegistrationEndpoint({ ...GOOD, registration_endpoint: `${ISSUER}/register` }, true, ex));
  passesOn(check.registrationEndpoint, 'registration not offered, none advertised', () => judge.judgeRegistrationEndpoint(GOOD, false, ex));
  proves(check.registrationEndpoint, 'registration offered but not advertised', () => judge.judgeRegistrationEndpoint(GOOD, true, ex), /advertises no registration_endpoint/);

  const REDIRECT = 'https://rp.example.com/cb';
  const STATE = 's1';
  const redirect = (id: string, location: string): Exchange => ({ ...exchange(302, '', { location }), id });
  const page = (id: string, html: string): Exchange => ({ ...exchange(200, html, { 'content-type': 'text/html' }), id });
  const form = `<form method="post" action="${REDIRECT}"><input type="hidden" name="error" value="login_required"><input type="hidden" name="state" value="${STATE}"></form>`;
  const query = { mode: 'query', listed: true, exchange: redirect('#q', `${REDIRECT}?error=login_required&state=${STATE}`) };
  const fragment = { mode: 'fragment', listed: true, exchange: redirect('#f', `${REDIRECT}#error=login_required&state=${STATE}`) };
  const formPost = { mode: 'form_post', listed: true, exchange: page('#p', `<html><body onload="document.forms[0].submit()">${form}</body></html>`) };
  passesOn(check.responseModesWork, 'query, fragment and form_post each delivered', () => judge.judgeResponseModes([query, fragment, formPost], REDIRECT, STATE, []));
  passesOn(check.responseModesWork, 'the form_post error form served with HTTP 400', () => judge.judgeResponseModes([query, { ...formPost, exchange: { ...formPost.exchange, response: { ...formPost.exchange.response!, status: 400 } } }], REDIRECT, STATE, []));
  proves(check.responseModesWork, 'a listed form_post answered with an HTTP 400 page without the form', () => judge.judgeResponseModes([query, { ...formPost, exchange: { ...exchange(400, '<html><body>bad request</body></html>', { 'content-type': 'text/html' }), id: '#p' } }], REDIRECT, STATE, []), /form_post/);
  proves(check.responseModesWork, 'a listed fragment mode answered in the query', () => judge.judgeResponseModes([query, { ...fragment, exchange: redirect('#f', `${REDIRECT}?error=login_required&state=${STATE}`) }], REDIRECT, STATE, []), /fragment/);
  proves(check.responseModesWork, 'a listed form_post answered with a redirect', () => judge.judgeResponseModes([query, { ...formPost, exchange: redirect('#p', `${REDIRECT}?error=login_required&state=${STATE}`) }], REDIRECT, STATE, []), /form_post/);
  proves(check.responseModesWork, 'form_post works but is not listed', () => judge.judgeResponseModes([query, fragment, { ...formPost, listed: false }], REDIRECT, STATE, []), /do not list|does not list/);

  passesOn(check.requestObjectAlgs, 'none and RS256 listed', () => judge.judgeRequestObjectAlgs({ ...GOOD, request_parameter_supported: true, request_object_signing_alg_values_supported: ['none', 'RS256', 'ES256'] }, ex));
  proves(check.requestObjectAlgs, 'request objects with only none', () => judge.judgeRequestObjectAlgs({ ...GOOD, request_parameter_supported: true, request_object_signing_alg_values_supported: ['none'] }, ex), /lacks RS256/);
  proves(check.requestObjectAlgs, 'request objects without the member', () => judge.judgeRequestObjectAlgs({ ...GOOD, request_parameter_supported: true }, ex), /none and RS256/);
  const DYNAMIC = { ...GOOD, registration_endpoint: `${ISSUER}/register`, response_types_supported: ['code', 'id_token', 'token id_token', 'code id_token'] };
  const held = (m: judge.Metadata, offered?: boolean, certification = false) => judge.judgeDynamicOpTypes(m, judge.dynamicOpReason(m, offered, certification), ex);
  passesOn(check.dynamicOpTypes, 'a dynamic OP listing the three types in any word order, grant_types_supported omitted', () => held(DYNAMIC));
  passesOn(check.dynamicOpTypes, 'a static OP listing code only (skipped, not failed)', () => expect(() => held(GOOD)).toThrow(CheckSkip));
  proves(check.dynamicOpTypes, 'a dynamic OP without "id_token token"', () => held({ ...DYNAMIC, response_types_supported: ['code', 'id_token'] }), /lacks "id_token token".*registration_endpoint/);
  proves(check.dynamicOpTypes, 'a dynamic OP whose grant_types_supported lacks implicit', () => held({ ...DYNAMIC, grant_types_supported: ['authorization_code', 'refresh_token'] }), /grant_types_supported lacks implicit/);
  proves(check.dynamicOpTypes, 'a code-only OP under --certification', () => held(GOOD, undefined, true), /lacks "id_token token".*--certification/);
  proves(check.dynamicOpTypes, 'a code-only OP whose profile offers registration', () => held(GOOD, true), /profile says it offers dynamic registration/);
  const SYNTAX = { ...GOOD, ui_locales_supported: ['en-US', 'zh-Hant-TW', 'de', 'x-private'], claims_locales_supported: ['fr-CA'], userinfo_signing_alg_values_supported: ['RS256', 'ES256', 'none'] };
  passesOn(check.valueSyntax, 'scope-tokens, canonical BCP47 tags and registered algorithms', () => judge.judgeValueSyntax(SYNTAX, ex));
  proves(check.valueSyntax, 'a scope with a space', () => judge.judgeValueSyntax({ ...SYNTAX, scopes_supported: ['openid', 'read write'] }, ex), /"read write" is not a scope-token/);
  proves(check.valueSyntax, 'a POSIX locale name', () => judge.judgeValueSyntax({ ...SYNTAX, ui_locales_supported: ['en_US'] }, ex), /"en_US" is not a BCP47 language tag/);
  proves(check.valueSyntax, 'a tag in the wrong casing (a warning)', () => judge.judgeValueSyntax({ ...SYNTAX, claims_locales_supported: ['EN-us'] }, ex), /"EN-us" is not in canonical casing \("en-US"/);
  proves(check.valueSyntax, 'an unregistered algorithm name (a warning)', () => judge.judgeValueSyntax({ ...SYNTAX, userinfo_signing_alg_values_supported: ['rs256'] }, ex), /"rs256" is not a registered JWS algorithm/);
  test('discovery/value-syntax: a wrong casing is a warning, a malformed tag a failure', async () => {
    const outcome = async (m: judge.Metadata) => (await judgeCheck(check.valueSyntax, async () => void judge.judgeValueSyntax(m, ex))).outcome;
    expect(await outcome({ ...SYNTAX, ui_locales_supported: ['en-us'] })).toBe('WARN');
    expect(await outcome({ ...SYNTAX, ui_locales_supported: ['en-us', 'english!'] })).toBe('FAIL');
    expect(judge.canonicalCasing('ZH-hant-tw')).toBe('zh-Hant-TW');
    expect(judge.canonicalCasing('de-CH-x-PHONEBK')).toBe('de-CH-x-phonebk');
    expect(judge.canonicalCasing('es-419')).toBe('es-419');
  });
});
