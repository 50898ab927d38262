// Judges of RP-initiated logout: pure functions of what the browser showed and the exchanges it
// recorded, proven on samples in samples.test.ts.
import { CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Observed } from '../../harness/judge/authorization-response.ts';
import { isAt, landings, outcomeOf } from '../authorization-security/judges.ts';

export type { Observed };

/** prompt=none errors that say the user is not signed in (consent_required would mean a session). */
const SIGNED_OUT_ERRORS = ['login_required', 'interaction_required', 'account_selection_required'];

function lastId(o: Observed): string[] {
  const id = o.run.result.responseExchange ?? o.run.result.exchanges.at(-1);
  return id ? [id] : [];
}

/** The browser arrived at `uri` (the post_logout_redirect_uri); when it did not, why not, as a failure (or a SKIP). */
export function judgeArrived(observed: Observed, uri: string, what: string, options: { confirmSteps: boolean }): void {
  const { result } = observed.run;
  const arrived = landings(observed.exchanges).some((l) => isAt(l.url, uri));
  if (arrived && result.outcome === 'response') return;
  if (!options.confirmSteps && result.outcome === 'page' && !result.interactions.includes('confirm')) {
    throw new CheckSkip(`${what}: the provider showed a page instead of redirecting (${result.page?.url ?? '?'}); if it asks the user to confirm, give the profile login.logout steps`);
  }
  failCheck(`${what}: the browser did not arrive at the post_logout_redirect_uri ${uri}`, { expected: `a redirect to ${uri}`, actual: outcomeOf(observed), exchanges: lastId(observed) });
}

/** OIDCRIL-2: the state of the logout request comes back unchanged. */
export function judgeRedirectWithState(observed: Observed, uri: string, state: string, options: { confirmSteps: boolean }): void {
  judgeArrived(observed, uri, 'the logout', options);
  const got = observed.run.result.params.state;
  if (got !== state) failCheck('the post-logout redirect does not carry the state unchanged', { expected: state, actual: got ?? null, exchanges: lastId(observed) });
}

function issued(o: Observed): boolean {
  return o.run.result.outcome === 'response' && ('code' in o.run.result.params || 'id_token' in o.run.result.params || 'access_token' in o.run.result.params);
}

/** OIDCRIL-2 ("the OP MUST log out the End-User"): prompt=none answered a code before the logout and a login error after it. */
export function judgeEndsSession(before: Observed, after: Observed): void {
  if (!issued(before)) throw new CheckSkip(`prompt=none before the logout gave no code (${JSON.stringify(outcomeOf(before))}), so the session cannot be observed`);
  const error = after.run.result.outcome === 'response' ? after.run.result.params.error : undefined;
  // The login form (a provider that shows it even for prompt=none) also says: signed out.
  const signedOut = after.run.result.stoppedAt === 'login' || (error !== undefined && SIGNED_OUT_ERRORS.includes(error));
  if (issued(after) || !signedOut) {
    failCheck('after the logout the browser still has a login session: prompt=none does not answer login_required', {
      expected: `an error among ${SIGNED_OUT_ERRORS.join(', ')}`,
      actual: outcomeOf(after),
      exchanges: [...lastId(before), ...lastId(after)],
    });
  }
}

/** OIDCRIL-2: without id_token_hint the OP MUST ask the user first, so the session outlives the unconfirmed request. */
export function judgeNotLoggedOutWithoutConfirmation(logout: Observed, after: Observed): void {
  if (!issued(after)) {
    failCheck('a logout request without id_token_hint ended the session although nobody confirmed it: prompt=none no longer gets a code', {
      expected: 'the session alive until the user confirms (a code for prompt=none)',
      actual: outcomeOf(after),
      exchanges: [...lastId(logout), ...lastId(after)],
    });
  }
}

/** OIDCRIL-3 / 4: a request that fails validation sends the browser to none of these URIs. */
export function judgeNoPostLogoutRedirect(probes: Array<{ name: string; observed: Observed; uris: string[] }>): void {
  if (probes.length === 0) throw new CheckSkip('no request of this kind could be built from the profile');
  for (const { name, observed, uris } of probes) {
    for (const uri of uris) {
      const reached = landings(observed.exchanges).find((l) => isAt(l.url, uri));
      if (reached) {
        failCheck(`${name}: the provider redirected to ${reached.url.origin}${reached.url.pathname} although the request failed validation`, {
          expected: 'no post-logout redirect (an error page or a confirmation at the provider)',
          actual: { sentTo: reached.url.href },
          exchanges: [reached.exchange.id],
        });
      }
    }
  }
}

/** Variants of a registered post_logout_redirect_uri that an exact comparison refuses, and a foreign one. */
export function postLogoutVariants(uri: string, foreign: string): Array<{ name: string; uri: string }> {
  const base = new URL(uri);
  const other = new URL(uri);
  other.pathname = `${base.pathname.replace(/\/$/, '')}.oidc-conformance`;
  const path = new URL(uri);
  path.pathname = '/oidc-conformance-unregistered';
  return [
    { name: 'suffix on the path', uri: other.href },
    { name: 'other path', uri: path.href },
    { name: 'added query parameter', uri: `${uri.split('#')[0]}${base.search ? '&' : '?'}oidc_conformance=1` },
    { name: 'foreign host', uri: foreign },
  ];
}
