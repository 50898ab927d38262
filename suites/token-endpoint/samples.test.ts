// Each token endpoint check, proven on a bad sample (and passing on a good one).
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const JSON_NO_STORE = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' };
const CHALLENGE = { ...JSON_NO_STORE, 'www-authenticate': 'Basic realm="https://op.example.com", charset="UTF-8"' };
const SUCCESS = { access_token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', token_type: 'Bearer', expires_in: 3600, scope: 'openid profile' };

function exchange(status: number, body: unknown, headers: Record<string, string> = JSON_NO_STORE, options: { method?: string; basic?: boolean } = {}): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const json = typeof body === 'string' || !/json/.test(headers['content-type'] ?? '') ? undefined : body;
  const request: Exchange['request'] = { method: options.method ?? 'POST', url: 'https://op.example.com/token', headers: {} };
  if (options.basic) request.basicAuthUsername = 'web-basic';
  return {
    id: '#1',
    request,
    response: { status, headers, body: text, bytes: text.length, truncated: false, json },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const error = (status: number, code: string, description = 'why it failed', headers = JSON_NO_STORE) => exchange(status, { error: code, error_description: description }, headers);

describe('token endpoint samples', () => {
  passesOn(check.unsupportedGrantType, '400 unsupported_grant_type', () => judge.judgeUnsupportedGrantType(error(400, 'unsupported_grant_type')));
  proves(check.unsupportedGrantType, 'invalid_request instead', () => judge.judgeUnsupportedGrantType(error(400, 'invalid_request')), /unsupported_grant_type/);
  proves(check.unsupportedGrantType, 'the right code with HTTP 200', () => judge.judgeUnsupportedGrantType(error(200, 'unsupported_grant_type')), /HTTP 400/);

  passesOn(check.missingGrantType, '400 invalid_request', () => judge.judgeInvalidRequest(error(400, 'invalid_request')));
  proves(check.missingGrantType, 'unsupported_grant_type for a missing grant_type', () => judge.judgeInvalidRequest(error(400, 'unsupported_grant_type')));
  proves(check.missingGrantType, 'a 500', () => judge.judgeInvalidRequest(error(500, 'server_error')));

  passesOn(check.repeatedParameter, '400 invalid_request', () => judge.judgeInvalidRequest(error(400, 'invalid_request')));
  proves(check.repeatedParameter, 'a repeated grant_type granted', () => judge.judgeInvalidRequest(exchange(200, SUCCESS)), /without an error code/);

  passesOn(check.getRefused, '405', () => judge.judgeGetRefused(error(405, 'invalid_request')));
  proves(check.getRefused, 'tokens issued for a GET', () => judge.judgeGetRefused(exchange(200, SUCCESS, JSON_NO_STORE, { method: 'GET' })), /with an access token/);
  proves(check.getRefused, 'a 302 to a login page', () => judge.judgeGetRefused(exchange(302, '', {}, { method: 'GET' })));

  passesOn(check.secretInQueryRefused, '400 invalid_request', () => judge.judgeSecretInQueryRefused(error(400, 'invalid_request')));
  passesOn(check.secretInQueryRefused, '401 invalid_client (query ignored)', () => judge.judgeSecretInQueryRefused(error(401, 'invalid_client')));
  passesOn(check.secretInQueryRefused, 'an error body with HTTP 200 (the error checks judge the status)', () => judge.judgeSecretInQueryRefused(error(200, 'invalid_request')));
  proves(check.secretInQueryRefused, 'tokens issued', () => judge.judgeSecretInQueryRefused(exchange(200, SUCCESS)), /were accepted/);

  passesOn(check.noStore, 'no-store and no-cache', () => judge.judgeNoStore(exchange(200, SUCCESS)));
  passesOn(check.noStore, 'no-store among other directives', () => judge.judgeNoStore(exchange(200, SUCCESS, { ...JSON_NO_STORE, 'cache-control': 'private, no-store, max-age=0' })));
  proves(check.noStore, 'no Cache-Control', () => judge.judgeNoStore(exchange(200, SUCCESS, { 'content-type': 'application/json', pragma: 'no-cache' })), /no-store/);
  proves(check.noStore, 'no-cache instead of no-store', () => judge.judgeNoStore(exchange(200, SUCCESS, { ...JSON_NO_STORE, 'cache-control': 'no-cache' })));
  proves(check.noStore, 'no Pragma (warning)', () => judge.judgeNoStore(exchange(200, SUCCESS, { 'content-type': 'application/json', 'cache-control': 'no-store' })), /Pragma/);

  passesOn(check.jsonContentType, 'a JSON success', () => judge.judgeJsonBody(exchange(200, SUCCESS)));
  passesOn(check.jsonContentType, 'a JSON error', () => judge.judgeJsonBody(error(400, 'invalid_request')));
  proves(check.jsonContentType, 'an HTML error page', () => judge.judgeJsonBody(exchange(400, '<html><body>Bad Request</body></html>', { 'content-type': 'text/html' })), /content-type/);
  proves(check.jsonContentType, 'JSON labelled text/plain', () => judge.judgeJsonBody(exchange(200, JSON.stringify(SUCCESS), { 'content-type': 'text/plain' })));

  passesOn(check.tokenType, 'Bearer', () => judge.judgeTokenType(exchange(200, SUCCESS)));
  passesOn(check.tokenType, 'bearer in lower case', () => judge.judgeTokenType(exchange(200, { ...SUCCESS, token_type: 'bearer' })));
  proves(check.tokenType, 'no token_type', () => {
    const { token_type: _, ...bad } = SUCCESS;
    return judge.judgeTokenType(exchange(200, bad));
  }, /no token_type/);
  proves(check.tokenType, 'token_type mac', () => judge.judgeTokenType(exchange(200, { ...SUCCESS, token_type: 'mac' })));

  passesOn(check.jsonTypes, 'numbers and strings', () => judge.judgeJsonTypes(exchange(200, SUCCESS)));
  proves(check.jsonTypes, 'expires_in as a string', () => judge.judgeJsonTypes(exchange(200, { ...SUCCESS, expires_in: '3600' })), /expires_in/);
  proves(check.jsonTypes, 'the tokens nested under "data"', () => judge.judgeJsonTypes(exchange(200, { data: SUCCESS })), /top-level/);
  proves(check.jsonTypes, 'scope as an array', () => judge.judgeJsonTypes(exchange(200, { ...SUCCESS, scope: ['openid', 'profile'] })), /scope is a JSON array/);

  passesOn(check.noNullMembers, 'members left out', () => judge.judgeNoNullMembers(exchange(200, SUCCESS)));
  proves(check.noNullMembers, 'refresh_token: null', () => judge.judgeNoNullMembers(exchange(200, { ...SUCCESS, refresh_token: null })), /refresh_token/);

  passesOn(check.scopeFormat, 'openid profile', () => judge.judgeScopeFormat(exchange(200, SUCCESS)));
  proves(check.scopeFormat, 'two spaces', () => judge.judgeScopeFormat(exchange(200, { ...SUCCESS, scope: 'openid  profile' })), /several spaces/);
  proves(check.scopeFormat, 'a trailing space', () => judge.judgeScopeFormat(exchange(200, { ...SUCCESS, scope: 'openid profile ' })), /trailing/);
  proves(check.scopeFormat, 'a tab', () => judge.judgeScopeFormat(exchange(200, { ...SUCCESS, scope: 'openid\tprofile' })), /tabs/);
  proves(check.scopeFormat, 'an array', () => judge.judgeScopeFormat(exchange(200, { ...SUCCESS, scope: ['openid'] })), /array/);

  passesOn(check.errorCharset, 'printable ASCII', () => judge.judgeErrorCharset(error(400, 'invalid_request', 'grant_type is missing')));
  proves(check.errorCharset, 'a quote in error_description', () => judge.judgeErrorCharset(error(400, 'invalid_request', 'parameter "grant_type" is missing')), /error_description/);
  proves(check.errorCharset, 'a non-ASCII error_description', () => judge.judgeErrorCharset(error(400, 'invalid_request', 'paramètre manquant')));
  proves(check.errorCharset, 'a backslash in error', () => judge.judgeErrorCharset(error(400, 'invalid\\request')), /error/);

  passesOn(check.unknownParameterIgnored, 'a granted request', () => judge.judgeStillSucceeds(exchange(200, SUCCESS), 'an unknown parameter'));
  proves(check.unknownParameterIgnored, 'invalid_request for an unknown parameter', () => judge.judgeStillSucceeds(error(400, 'invalid_request', 'unknown parameter'), 'an unknown parameter'), /invalid_request/);
  proves(check.unknownParameterIgnored, 'invalid_scope for scope=', () => judge.judgeStillSucceeds(error(400, 'invalid_scope'), 'an empty scope parameter'), /empty scope/);

  passesOn(check.basicChallenge, '401 with a Basic challenge', () => judge.judgeBasicChallenge(exchange(401, { error: 'invalid_client' }, CHALLENGE, { basic: true })));
  proves(check.basicChallenge, '400 invalid_client', () => judge.judgeBasicChallenge(exchange(400, { error: 'invalid_client' }, JSON_NO_STORE, { basic: true })), /HTTP 401/);
  proves(check.basicChallenge, '401 without WWW-Authenticate', () => judge.judgeBasicChallenge(exchange(401, { error: 'invalid_client' }, JSON_NO_STORE, { basic: true })), /WWW-Authenticate/);
  proves(check.basicChallenge, '401 challenging with Bearer', () =>
    judge.judgeBasicChallenge(exchange(401, { error: 'invalid_client' }, { ...JSON_NO_STORE, 'www-authenticate': 'Bearer realm="op"' }, { basic: true })), /Basic scheme/);

  passesOn(check.invalidClient, '401 invalid_client', () => judge.judgeInvalidClient(error(401, 'invalid_client')));
  passesOn(check.invalidClient, '400 invalid_client', () => judge.judgeInvalidClient(error(400, 'invalid_client')));
  proves(check.invalidClient, 'invalid_request for missing credentials', () => judge.judgeInvalidClient(error(400, 'invalid_request')), /invalid_client/);
  proves(check.invalidClient, 'invalid_client with 403', () => judge.judgeInvalidClient(error(403, 'invalid_client')));

  passesOn(check.twoAuthMethods, '400 invalid_request', () => judge.judgeTwoAuthMethods(error(400, 'invalid_request')));
  passesOn(check.twoAuthMethods, '401 invalid_client', () => judge.judgeTwoAuthMethods(error(401, 'invalid_client')));
  proves(check.twoAuthMethods, 'tokens issued', () => judge.judgeTwoAuthMethods(exchange(200, SUCCESS)));

  passesOn(check.basicUrlEncoded, 'a granted request', () => judge.judgeBasicUrlEncoded(exchange(200, SUCCESS)));
  passesOn(check.basicUrlEncoded, 'authenticated, then invalid_grant', () => judge.judgeBasicUrlEncoded(error(400, 'invalid_grant')));
  proves(check.basicUrlEncoded, '401 invalid_client', () => judge.judgeBasicUrlEncoded(exchange(401, { error: 'invalid_client' }, CHALLENGE, { basic: true })), /form-urlencoding/);
  const metadata = (methods?: string[]) => (methods ? { token_endpoint_auth_methods_supported: methods } : {});
  passesOn(check.basicSupported, 'client_secret_basic listed, a Basic grant succeeding', () =>
    judge.judgeBasicSupported(metadata(['client_secret_basic', 'client_secret_post']), [exchange(200, SUCCESS, JSON_NO_STORE, { basic: true })]));
  passesOn(check.basicSupported, 'the member left out (the default is client_secret_basic)', () => judge.judgeBasicSupported(metadata(), []));
  proves(check.basicSupported, 'only client_secret_post advertised', () => judge.judgeBasicSupported(metadata(['client_secret_post']), []), /client_secret_basic/);
  proves(check.basicSupported, 'right Basic credentials refused', () =>
    judge.judgeBasicSupported(metadata(['client_secret_basic']), [exchange(401, { error: 'invalid_client' }, CHALLENGE, { basic: true })]), /refused/);

  passesOn(check.registeredMethodEnforced, '401 invalid_client', () => judge.judgeOtherMethodRefused(error(401, 'invalid_client')));
  proves(check.registeredMethodEnforced, 'tokens for a basic client posting its secret', () => judge.judgeOtherMethodRefused(exchange(200, SUCCESS)));
  proves(check.registeredMethodEnforced, 'invalid_grant (the client was authenticated)', () => judge.judgeOtherMethodRefused(error(400, 'invalid_grant')), /invalid_client/);

  passesOn(check.tls, 'an https token endpoint', () => judge.judgeTls('https://op.example.com/token', ['#1']));
  proves(check.tls, 'plain http on a public host', () => judge.judgeTls('http://op.example.com/token', ['#1']), /not https/);
  proves(check.tls, 'plain http on loopback (warning)', () => judge.judgeTls('http://127.0.0.1:8080/token', ['#1']), /loopback/);

  passesOn(check.asymmetricAuthOffered, 'private_key_jwt listed', () => judge.judgeAsymmetricAuthOffered(metadata(['client_secret_basic', 'private_key_jwt']), []));
  passesOn(check.asymmetricAuthOffered, 'self_signed_tls_client_auth listed', () => judge.judgeAsymmetricAuthOffered(metadata(['self_signed_tls_client_auth']), []));
  proves(check.asymmetricAuthOffered, 'only shared secrets', () => judge.judgeAsymmetricAuthOffered(metadata(['client_secret_basic', 'client_secret_post', 'none']), []), /asymmetric/);
  proves(check.asymmetricAuthOffered, 'the member left out (client_secret_basic only)', () => judge.judgeAsymmetricAuthOffered(metadata(), []));
});

describe('token endpoint samples: body credentials policy, client assertions', () => {
  passesOn(check.clientSecretPostPolicy, 'a post client granted, declared accepted', () => judge.judgeBodyCredentialsPolicy(exchange(200, SUCCESS), true));
  passesOn(check.clientSecretPostPolicy, 'a bogus code refused after the client authenticated, declared accepted', () => judge.judgeBodyCredentialsPolicy(error(400, 'invalid_grant'), true));
  passesOn(check.clientSecretPostPolicy, 'body credentials refused, declared refused', () => judge.judgeBodyCredentialsPolicy(error(401, 'invalid_client'), false));
  proves(check.clientSecretPostPolicy, 'a post client refused though declared accepted', () => judge.judgeBodyCredentialsPolicy(error(401, 'invalid_client'), true), /declares body credentials accepted/);
  proves(check.clientSecretPostPolicy, 'body credentials granted though declared refused', () => judge.judgeBodyCredentialsPolicy(exchange(200, SUCCESS), false), /declares them refused/);

  const attempt = (what: string, e: Exchange): judge.AssertionAttempt => ({ what, exchange: e });
  const granted = (what: string) => attempt(what, exchange(200, SUCCESS));
  const refused = (what: string) => attempt(what, error(401, 'invalid_client'));
  passesOn(check.clientAssertionClaimsChecked, 'the good one accepted, the bad ones refused', () =>
    judge.judgeAssertionClaims(granted('well-formed'), granted('aud the issuer'), [refused('another audience'), refused('no jti')]));
  proves(check.clientAssertionClaimsChecked, 'an assertion for another audience accepted', () =>
    judge.judgeAssertionClaims(granted('well-formed'), undefined, [granted('an assertion for another audience')]), /another audience was accepted/);
  proves(check.clientAssertionClaimsChecked, 'the well-formed assertion refused', () => judge.judgeAssertionClaims(refused('a well-formed assertion'), undefined, []), /was refused/);
  proves(check.clientAssertionClaimsChecked, 'aud the issuer refused (errata 3)', () =>
    judge.judgeAssertionClaims(granted('well-formed'), refused('an assertion with aud the issuer'), []), /aud the issuer was refused/);
  proves(check.clientAssertionClaimsChecked, 'no exp refused with a 500', () =>
    judge.judgeAssertionClaims(granted('well-formed'), undefined, [attempt('no exp', error(500, 'server_error'))]), /invalid_client or invalid_request/);

  passesOn(check.clientAssertionReplayRefused, 'the replay refused', () => judge.judgeAssertionRefused(refused('the replay')));
  proves(check.clientAssertionReplayRefused, 'the replay granted', () => judge.judgeAssertionRefused(granted('the accepted assertion sent again')), /sent again was accepted/);

  passesOn(check.clientAssertionExpiryChecked, 'an expired assertion refused with invalid_client', () => judge.judgeAssertionRefused(attempt('expired', error(400, 'invalid_client'))));
  proves(check.clientAssertionExpiryChecked, 'an expired assertion granted', () => judge.judgeAssertionRefused(granted('an assertion that expired an hour ago')), /expired an hour ago was accepted/);

  passesOn(check.clientAssertionTypeChecked, 'another type refused with invalid_request', () => judge.judgeAssertionRefused(attempt('saml2-bearer type', error(400, 'invalid_request'))));
  proves(check.clientAssertionTypeChecked, 'another type granted', () => judge.judgeAssertionRefused(granted('a valid assertion with client_assertion_type saml2-bearer')), /accepted/);

  passesOn(check.clientAssertionSignatureChecked, 'alg none refused', () => judge.judgeAssertionRefused(refused('alg none')));
  proves(check.clientAssertionSignatureChecked, 'alg none granted', () => judge.judgeAssertionRefused(granted('an unsigned assertion (alg none)')), /unsigned assertion \(alg none\) was accepted/);
  proves(check.clientAssertionSignatureChecked, 'a bad MAC answered 200 with an error body', () => judge.judgeAssertionRefused(attempt('a bad MAC', error(200, 'invalid_client'))));
});
