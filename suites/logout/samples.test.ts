// Each logout judge proven on a bad sample (and passing on a good one).
import { describe, expect, test } from 'vitest';
import type { AuthorizationResult } from '../../harness/browser/session.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { passesOn, proves } from '../support/proves.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const OP = 'https://op.example.com';
const POST_LOGOUT = 'https://rp.example.com/logged-out';
const REDIRECT = 'https://rp.example.com/callback';

let counter = 0;
function exchange(method: string, url: string, status: number, headers: Record<string, string> = {}): Exchange {
  counter += 1;
  return { id: `lo#${counter}`, request: { method, url, headers: {} }, response: { status, headers, body: '', bytes: 0, truncated: false }, startedAt: new Date(0).toISOString(), durationMs: 1 };
}

function observed(result: Partial<AuthorizationResult>, exchanges: Exchange[]): judge.Observed {
  const full: AuthorizationResult = { outcome: 'page', params: {}, paramList: [], interactions: [], exchanges: exchanges.map((e) => e.id), requestUrl: `${OP}/session/end`, ...result };
  return { run: { sent: { client: { client_id: 'rp', auth_method: 'none' }, params: {}, redirectUri: POST_LOGOUT }, result: full }, exchanges };
}

/** The provider redirecting to `location` (captured there). */
function redirected(location: string, interactions: AuthorizationResult['interactions'] = []): judge.Observed {
  const hop = exchange('GET', `${OP}/session/end`, 303, { location });
  const url = new URL(location);
  const paramList = [...url.searchParams];
  return observed({ outcome: 'response', via: 'query', params: Object.fromEntries(paramList), paramList, responseTarget: `${url.origin}${url.pathname}`, responseExchange: hop.id, interactions }, [hop]);
}

function page(status = 400, text = 'invalid_request'): judge.Observed {
  const e = exchange('GET', `${OP}/session/end`, status, { 'content-type': 'text/html' });
  return observed({ outcome: 'page', page: { url: e.request.url, status, title: 'x', text } }, [e]);
}

const withConfirm = { confirmSteps: true };

describe('logout samples', () => {
  test('the post-logout variants differ from the registered URI', () => {
    const variants = judge.postLogoutVariants(POST_LOGOUT, 'https://attacker.invalid/x');
    expect(variants.map((v) => v.uri)).not.toContain(POST_LOGOUT);
    expect(variants).toHaveLength(4);
  });

  passesOn(check.redirectWithState, 'the redirect with the state', () => judge.judgeRedirectWithState(redirected(`${POST_LOGOUT}?state=s1`), POST_LOGOUT, 's1', withConfirm));
  proves(check.redirectWithState, 'the state left out', () => judge.judgeRedirectWithState(redirected(POST_LOGOUT), POST_LOGOUT, 's1', withConfirm), /state/);
  proves(check.redirectWithState, 'an error page instead of the redirect', () => judge.judgeRedirectWithState(page(), POST_LOGOUT, 's1', withConfirm), /did not arrive/);
  test('a confirmation page without profile logout steps is a SKIP, not a FAIL', () => {
    expect(() => judge.judgeRedirectWithState(page(200, 'Sign out?'), POST_LOGOUT, 's1', { confirmSteps: false })).toThrow(/login\.logout/);
  });

  const code = redirected(`${REDIRECT}?code=abc&state=s1`);
  const loginRequired = redirected(`${REDIRECT}?error=login_required&state=s1`);
  passesOn(check.endsSession, 'a code before, login_required after', () => judge.judgeEndsSession(code, loginRequired));
  passesOn(check.endsSession, 'the login form after the logout (prompt=none shows it)', () => {
    const loginForm = page(200, 'Sign in');
    loginForm.run.result.stoppedAt = 'login';
    judge.judgeEndsSession(code, loginForm);
  });
  proves(check.endsSession, 'a code after the logout too', () => judge.judgeEndsSession(code, redirected(`${REDIRECT}?code=def&state=s2`)), /still has a login session/);
  proves(check.endsSession, 'consent_required after the logout (a session remains)', () => judge.judgeEndsSession(code, redirected(`${REDIRECT}?error=consent_required&state=s2`)), /still has a login session/);

  passesOn(check.confirmationWithoutHint, 'the session alive after an unconfirmed logout', () => judge.judgeNotLoggedOutWithoutConfirmation(page(200, 'Sign out?'), code));
  proves(check.confirmationWithoutHint, 'logged out without asking', () => judge.judgeNotLoggedOutWithoutConfirmation(page(200, 'Signed out'), loginRequired), /nobody confirmed/);

  passesOn(check.postSupported, 'the POST redirected', () => judge.judgeArrived(redirected(`${POST_LOGOUT}?state=s3`), POST_LOGOUT, 'the logout POST', withConfirm));
  proves(check.postSupported, 'the POST refused with 405', () => judge.judgeArrived(page(405), POST_LOGOUT, 'the logout POST', withConfirm), /did not arrive/);

  passesOn(check.idempotent, 'the repeat redirected', () => judge.judgeArrived(redirected(`${POST_LOGOUT}?state=s2`), POST_LOGOUT, 'the repeated logout', withConfirm));
  proves(check.idempotent, 'an error page because nobody is logged in', () => judge.judgeArrived(page(400, 'not logged in'), POST_LOGOUT, 'the repeated logout', withConfirm), /did not arrive/);

  passesOn(check.optionalParametersAccepted, 'redirected despite ui_locales=xx-YY', () => judge.judgeArrived(redirected(`${POST_LOGOUT}?state=s4`), POST_LOGOUT, 'the logout with ui_locales', withConfirm));
  proves(check.optionalParametersAccepted, 'an error for the unsupported locale', () => judge.judgeArrived(page(400, 'unsupported ui_locales'), POST_LOGOUT, 'the logout with ui_locales', withConfirm), /did not arrive/);

  const probe = (o: judge.Observed, uri: string) => [{ name: 'probe', observed: o, uris: [uri] }];
  const suffixed = `${POST_LOGOUT}.oidc-conformance`;
  passesOn(check.unregisteredUriNoRedirect, 'an error page', () => judge.judgeNoPostLogoutRedirect(probe(page(), suffixed)));
  proves(check.unregisteredUriNoRedirect, 'a redirect to the suffixed URI', () => judge.judgeNoPostLogoutRedirect(probe(redirected(`${suffixed}?state=x`), suffixed)), /redirected/);
  proves(check.unregisteredUriNoRedirect, 'the added query kept in the redirect', () =>
    judge.judgeNoPostLogoutRedirect(probe(redirected(`${POST_LOGOUT}?oidc_conformance=1&state=x`), `${POST_LOGOUT}?oidc_conformance=1`)), /redirected/);

  passesOn(check.foreignHintNoRedirect, 'an error page', () => judge.judgeNoPostLogoutRedirect(probe(page(), POST_LOGOUT)));
  proves(check.foreignHintNoRedirect, 'a redirect for a forged hint', () => judge.judgeNoPostLogoutRedirect(probe(redirected(`${POST_LOGOUT}?state=x`), POST_LOGOUT)), /failed validation/);

  passesOn(check.clientIdMismatchNoRedirect, 'a confirmation page, no redirect', () => judge.judgeNoPostLogoutRedirect(probe(page(200, 'Sign out?'), POST_LOGOUT)));
  proves(check.clientIdMismatchNoRedirect, 'a redirect despite the mismatch', () => judge.judgeNoPostLogoutRedirect(probe(redirected(POST_LOGOUT), POST_LOGOUT)), /failed validation/);

  passesOn(check.noHintNoRedirect, 'an error page', () => judge.judgeNoPostLogoutRedirect(probe(page(), POST_LOGOUT)));
  proves(check.noHintNoRedirect, 'a redirect without any hint', () => judge.judgeNoPostLogoutRedirect(probe(redirected(`${POST_LOGOUT}?state=x`, ['confirm']), POST_LOGOUT)), /failed validation/);
});
