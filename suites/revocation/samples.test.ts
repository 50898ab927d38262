// Each revocation judge on a good sample and a bad one.
import { describe } from 'vitest';
import type { Exchange } from '../../harness/http/types.ts';
import { judgeCors, judgeHttpsUrl } from '../discovery/judges.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const BASIC_CHALLENGE = { ...JSON_TYPE, 'www-authenticate': 'Basic realm="op"' };

function exchange(id: string, status: number, body: unknown = '', headers: Record<string, string> = JSON_TYPE, basic = false): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id,
    request: { method: 'POST', url: 'https://op.example.com/revoke', headers: {}, ...(basic ? { basicAuthUsername: 'web-basic' } : {}) },
    response: { status, headers, body: text, bytes: text.length, truncated: false, json: typeof body === 'string' ? undefined : body },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const revoked = exchange('#1', 200);
const refreshRefused = exchange('#2', 400, { error: 'invalid_grant' });
const refreshGranted = exchange('#2', 200, { access_token: 'a', token_type: 'Bearer' });
const introspection = (active: boolean): judge.Probe => ({ kind: 'introspection', exchange: exchange('#3', 200, { active }) });
const userinfo = (status: number): judge.Probe => ({ kind: 'userinfo', exchange: exchange('#4', status, status === 200 ? { sub: 'x' } : { error: 'invalid_token' }) });
const invalidClient = exchange('#1', 401, { error: 'invalid_client' }, BASIC_CHALLENGE, true);

describe('revocation samples', () => {
  passesOn(check.requestAccepted, 'a 200', () => judge.judgeRevocation200(revoked, 'revoking a refresh token'));
  proves(check.requestAccepted, 'a 400 invalid_request', () => judge.judgeRevocation200(exchange('#1', 400, { error: 'invalid_request' }), 'revoking a refresh token'), /instead of 200/);

  passesOn(check.refreshTokenRevoked, '200 then invalid_grant', () => judge.judgeRefreshRefused(revoked, refreshRefused));
  proves(check.refreshTokenRevoked, 'a refresh that still works', () => judge.judgeRefreshRefused(revoked, refreshGranted), /still works/);
  proves(check.refreshTokenRevoked, 'a refusal with invalid_request', () => judge.judgeRefreshRefused(revoked, exchange('#2', 400, { error: 'invalid_request' })), /invalid_grant/);
  proves(check.refreshTokenRevoked, 'the revocation itself refused', () => judge.judgeRefreshRefused(exchange('#1', 400, { error: 'unsupported_token_type' }), refreshRefused));

  passesOn(check.refreshRevokesAccessTokens, 'inactive and refused', () => judge.judgeTokenDead([introspection(false), userinfo(401)], 'the access token'));
  passesOn(check.refreshRevokesAccessTokens, 'an introspection that cannot tell, userinfo refused', () =>
    judge.judgeTokenDead([{ kind: 'introspection', exchange: exchange('#3', 401, { error: 'invalid_client' }) }, userinfo(401)], 'the access token'));
  proves(check.refreshRevokesAccessTokens, 'userinfo still answers', () => judge.judgeTokenDead([introspection(false), userinfo(200)], 'the access token'), /userinfo accepts it/);

  passesOn(check.accessTokenRevoked, '200, then inactive', () => judge.judgeAccessTokenRevoked(revoked, [introspection(false), userinfo(401)]));
  proves(check.accessTokenRevoked, 'a false 200', () => judge.judgeAccessTokenRevoked(revoked, [introspection(true)]), /active:true/);
  proves(check.accessTokenRevoked, 'unsupported_token_type', () => judge.judgeAccessTokenRevoked(exchange('#1', 400, { error: 'unsupported_token_type' }), [introspection(true)]), /does not revoke access tokens/);

  passesOn(check.wrongHintIgnored, '200 then invalid_grant', () => judge.judgeRefreshRefused(revoked, refreshRefused));
  proves(check.wrongHintIgnored, 'the token not found under the hint', () => judge.judgeRefreshRefused(revoked, refreshGranted));

  passesOn(check.unknownToken200, 'a 200', () => judge.judgeRevocation200(revoked, 'revoking an unknown token'));
  proves(check.unknownToken200, 'a 403 (doorkeeper #1362)', () => judge.judgeRevocation200(exchange('#1', 403, { error: 'unauthorized_client' }), 'revoking an unknown token'));

  passesOn(check.unknownHint200, 'a 200', () => judge.judgeRevocation200(revoked, 'an unknown hint'));
  proves(check.unknownHint200, 'unsupported_token_type for the hint', () => judge.judgeRevocation200(exchange('#1', 400, { error: 'unsupported_token_type' }), 'an unknown hint'), /unsupported_token_type/);

  passesOn(check.clientAuthRequired, '401 invalid_client, token kept', () => judge.judgeWrongSecretRefused(invalidClient, { refresh: refreshGranted }));
  proves(check.clientAuthRequired, 'a 200 for a wrong secret', () => judge.judgeWrongSecretRefused(revoked, { refresh: refreshGranted }), /was accepted/);
  proves(check.clientAuthRequired, 'a 400 after HTTP Basic', () => judge.judgeWrongSecretRefused(exchange('#1', 400, { error: 'invalid_client' }, JSON_TYPE, true), { refresh: refreshGranted }));
  proves(check.clientAuthRequired, 'the token revoked anyway', () => judge.judgeWrongSecretRefused(invalidClient, { probes: [introspection(false)] }), /no longer works/);

  passesOn(check.otherClientTokenKept, '200 and the token kept', () => judge.judgeOtherClientRefused(revoked, { refresh: refreshGranted }));
  passesOn(check.otherClientTokenKept, 'unauthorized_client and the token kept', () => judge.judgeOtherClientRefused(exchange('#1', 400, { error: 'unauthorized_client' }), { probes: [introspection(true), userinfo(200)] }));
  proves(check.otherClientTokenKept, 'the token revoked by another client', () => judge.judgeOtherClientRefused(revoked, { refresh: refreshRefused }), /no longer works/);
  proves(check.otherClientTokenKept, 'a 500', () => judge.judgeOtherClientRefused(exchange('#1', 500, { error: 'server_error' }), { refresh: refreshGranted }), /HTTP 500/);

  passesOn(check.tls, 'an https endpoint', () => judgeHttpsUrl('revocation_endpoint', 'https://op.example.com/revoke', ['#1'], true));
  proves(check.tls, 'plain http on a public host', () => judgeHttpsUrl('revocation_endpoint', 'http://op.example.com/revoke', ['#1'], true), /not https/);

  passesOn(check.publicClientIdOnly, 'a 200', () => judge.judgeRevocation200(revoked, 'a public client with client_id alone'));
  proves(check.publicClientIdOnly, 'invalid_client for a public client', () => judge.judgeRevocation200(exchange('#1', 401, { error: 'invalid_client' }), 'a public client with client_id alone'), /invalid_client/);
});

describe('revocation samples: access-token revocation policy, CORS, raced tokens', () => {
  passesOn(check.accessRevokesRefresh, 'the refresh token kept, as declared', () => judge.judgeAccessRevokesRefresh(revoked, refreshGranted, false));
  passesOn(check.accessRevokesRefresh, 'the refresh token revoked too, recorded without a policy', () => judge.judgeAccessRevokesRefresh(revoked, refreshRefused, undefined));
  proves(check.accessRevokesRefresh, 'the refresh token revoked though the profile declares it kept', () => judge.judgeAccessRevokesRefresh(revoked, refreshRefused, false), /declares that it leaves/);
  proves(check.accessRevokesRefresh, 'the refresh token kept though the profile declares it revoked', () => judge.judgeAccessRevokesRefresh(revoked, refreshGranted, true), /declares that it revokes/);
  proves(check.accessRevokesRefresh, 'a 500 on the refresh', () => judge.judgeAccessRevokesRefresh(revoked, exchange('#2', 500, { error: 'server_error' }), undefined), /neither tokens nor invalid_grant/);

  passesOn(check.cors, 'Access-Control-Allow-Origin: *', () => judgeCors(exchange('#1', 200, '', { 'access-control-allow-origin': '*' }), 'https://spa.example.org'));
  proves(check.cors, 'no Access-Control-Allow-Origin', () => judgeCors(exchange('#1', 200, ''), 'https://spa.example.org'), /Access-Control-Allow-Origin/);

  const dead: judge.RaceToken[] = [{ what: 'access token 1', probes: [introspection(false)] }, { what: 'refresh token 2', refresh: refreshRefused }];
  passesOn(check.raceTokensRevoked, 'every raced token dead', () => judge.judgeRaceTokensRevoked(revoked, dead));
  proves(check.raceTokensRevoked, 'a second winner\'s access token still active', () =>
    judge.judgeRaceTokensRevoked(revoked, [...dead, { what: 'access token 2', probes: [introspection(true), userinfo(200)] }]), /survive the revocation: access token 2/);
  proves(check.raceTokensRevoked, 'a second winner\'s refresh token still refreshing', () =>
    judge.judgeRaceTokensRevoked(revoked, [...dead, { what: 'refresh token 3', refresh: refreshGranted }]), /refresh token 3/);
});
