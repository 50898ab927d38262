// Each introspection judge on a good sample and a bad one.
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { judgeHttpsUrl } from '../discovery/judges.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const ISSUED_AT = 1_800_000_000;
const ACTIVE = {
  active: true,
  scope: 'openid profile',
  client_id: 'web-basic',
  sub: 'user-alice-0001',
  token_type: 'Bearer',
  iat: ISSUED_AT,
  exp: ISSUED_AT + 3600,
  aud: 'https://op.example.com',
};

function exchange(id: string, status: number, body: unknown, headers: Record<string, string> = JSON_TYPE, startedAt = new Date(ISSUED_AT * 1000)): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id,
    request: { method: 'POST', url: 'https://op.example.com/introspect', headers: {} },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: startedAt.toISOString(),
    durationMs: 1,
  };
}

const tokenResponse = exchange('#1', 200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600, scope: 'profile openid' });
const issued: judge.Issued = { exchange: tokenResponse, requestedScope: 'openid profile', clientId: 'web-basic' };
const introspected = (body: unknown) => exchange('#2', 200, body);

describe('introspection samples', () => {
  passesOn(check.activeToken, 'active: true', () => judge.judgeActive(introspected(ACTIVE)));
  proves(check.activeToken, '"active": "true" (a string)', () => judge.judgeActive(introspected({ ...ACTIVE, active: 'true' })), /not a JSON boolean/);
  proves(check.activeToken, 'an issued token called inactive', () => judge.judgeActive(introspected({ active: false })), /described as inactive/);
  proves(check.activeToken, 'text/plain', () => judge.judgeActive(exchange('#2', 200, JSON.stringify(ACTIVE), { 'content-type': 'text/plain' })));

  passesOn(check.memberTypes, 'typed members', () => judge.judgeMemberTypes([introspected(ACTIVE), introspected({ active: false })]));
  proves(check.memberTypes, 'exp in milliseconds as a float string', () => judge.judgeMemberTypes([introspected({ ...ACTIVE, exp: '1800003600.5' })]), /exp/);
  proves(check.memberTypes, 'scope as an array', () => judge.judgeMemberTypes([introspected({ ...ACTIVE, scope: ['openid'] })]), /scope/);

  passesOn(check.consistentWithIssue, 'agreeing members', () => judge.judgeConsistent(introspected(ACTIVE), issued));
  passesOn(check.consistentWithIssue, 'no iat, exp near the time of issue', () => {
    const { iat: _, ...noIat } = ACTIVE;
    judge.judgeConsistent(introspected(noIat), issued);
  });
  proves(check.consistentWithIssue, 'a longer lifetime than expires_in', () => judge.judgeConsistent(introspected({ ...ACTIVE, exp: ISSUED_AT + 86400 }), issued), /expires_in/);
  proves(check.consistentWithIssue, 'a wider scope', () => judge.judgeConsistent(introspected({ ...ACTIVE, scope: 'openid profile admin' }), issued), /scope differs/);
  proves(check.consistentWithIssue, 'another client_id', () => judge.judgeConsistent(introspected({ ...ACTIVE, client_id: 'web-post' }), issued), /client_id/);

  passesOn(check.unknownTokenInactive, 'exactly {"active":false}', () => judge.judgeInactive(introspected({ active: false }), 'a token never issued'));
  proves(check.unknownTokenInactive, 'active: true', () => judge.judgeInactive(introspected({ active: true }), 'a token never issued'), /described as active/);
  proves(check.unknownTokenInactive, 'a 400 invalid_token', () => judge.judgeInactive(exchange('#2', 400, { error: 'invalid_token' }), 'a token never issued'), /expected HTTP 200/);
  proves(check.unknownTokenInactive, 'inactive but leaking sub (warning)', () => judge.judgeInactive(introspected({ active: false, sub: 'user-alice-0001' }), 'a token never issued'), /SHOULD NOT/);

  passesOn(check.revokedTokenInactive, 'exactly {"active":false}', () => judge.judgeInactive(introspected({ active: false }), 'a revoked token'));
  proves(check.revokedTokenInactive, 'a revoked token still active', () => judge.judgeInactive(introspected(ACTIVE), 'a revoked token'), /described as active/);

  passesOn(check.requiresAuthentication, '401 invalid_client', () => judge.judgeUnauthenticatedRefused(exchange('#3', 401, { error: 'invalid_client' })));
  proves(check.requiresAuthentication, 'a 200 to an anonymous caller', () => judge.judgeUnauthenticatedRefused(introspected(ACTIVE)), /without credentials with HTTP 200/);
  proves(check.requiresAuthentication, 'a 400 (warning)', () => judge.judgeUnauthenticatedRefused(exchange('#3', 400, { error: 'invalid_request' })), /rather than 401/);

  passesOn(check.badCredentials401, '401 invalid_client', () => judge.judgeBadCredentials(exchange('#3', 401, { error: 'invalid_client' })));
  proves(check.badCredentials401, 'a 200', () => judge.judgeBadCredentials(introspected(ACTIVE)), /wrong client secret/);
  proves(check.badCredentials401, 'a 400 invalid_client', () => judge.judgeBadCredentials(exchange('#3', 400, { error: 'invalid_client' })), /expected HTTP 401/);

  passesOn(check.hintIgnored, 'active: true', () => judge.judgeActive(introspected(ACTIVE), 'a token with the wrong hint'));
  proves(check.hintIgnored, 'not found under the hint', () => judge.judgeActive(introspected({ active: false }), 'a token with the wrong hint'), /inactive/);

  passesOn(check.tls, 'an https endpoint', () => judgeHttpsUrl('introspection_endpoint', 'https://op.example.com/introspect', ['#1'], true));
  proves(check.tls, 'plain http on a public host', () => judgeHttpsUrl('introspection_endpoint', 'http://op.example.com/introspect', ['#1'], true), /not https/);
});

describe('introspection samples: GET policy', () => {
  const refused = exchange('#9', 405, { error: 'invalid_request', error_description: 'POST only' });
  const answered = exchange('#9', 200, { active: false });
  passesOn(check.getPolicy, 'GET refused, as declared', () => judge.judgeGetPolicy(refused, 'refused'));
  passesOn(check.getPolicy, 'GET answered, recorded without a policy', () => judge.judgeGetPolicy(answered, undefined));
  proves(check.getPolicy, 'GET answered though the profile declares it refused', () => judge.judgeGetPolicy(answered, 'refused'), /declares that it refuses/);
  proves(check.getPolicy, 'GET refused though the profile declares it answered', () => judge.judgeGetPolicy(refused, 'answered'), /declares that it answers/);
  proves(check.getPolicy, 'a 500 for GET', () => judge.judgeGetPolicy(exchange('#9', 500, 'boom', { 'content-type': 'text/plain' }), undefined), /HTTP 500/);
  proves(check.getPolicy, 'a 200 HTML page for GET', () => judge.judgeGetPolicy(exchange('#9', 200, '<html>', { 'content-type': 'text/html' }), undefined), /without an introspection response/);
});
