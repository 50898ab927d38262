// Judges of response-mode results: pure functions of what the browser and the HTTP recorder saw.
// Delivery, state and iss rules are shared with the implicit and hybrid areas
// (harness/judge/authorization-response.ts); this file adds the form_post page and the rules that
// compare modes across response types.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import { type Observed, CREDENTIAL_PARAMS, carrier, defaultMode, evidenceOf, judgeDelivery, urlParts } from '../../harness/judge/authorization-response.ts';
import { headerOf } from '../../harness/judge/exchange.ts';
import type { Exchange } from '../../harness/http/types.ts';

export {
  judgeDelivery,
  judgeIssParameter,
  judgePromptNoneWithoutSession,
  judgeResponseIdToken,
  judgeSingleMode,
  judgeStateEchoed,
  judgeSuccessParameters,
} from '../../harness/judge/authorization-response.ts';

function typeOf(o: Observed): string {
  return o.run.sent.params.response_type ?? '';
}

/** OAuth2-RT 2.1, 3, 5 and OIDC Core 3.1.2.5: with no response_mode, each type answers in its default mode. */
export function judgeDefaultModes(os: Observed[]): void {
  for (const o of os) {
    const type = typeOf(o);
    judgeDelivery(o, defaultMode(type), `response_type=${type} without response_mode`);
  }
}

/** The response came in `mode`, as requested (explicit default modes, code in the fragment, errors too). */
export function judgeRequestedMode(o: Observed): void {
  const mode = o.run.sent.params.response_mode;
  if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') throw new Error(`the sample requested response_mode=${mode ?? '(none)'}`);
  const error = o.run.result.params.error;
  judgeDelivery(o, mode, `${error ? `the error (${error}) for ` : ''}response_type=${typeOf(o)} with response_mode=${mode}`);
}

/**
 * OAuth2-RT 3, 5 (and 7): for a type that returns a token or ID token, the query encoding MUST NOT
 * be used even when requested: an error, an error page, or the response in another mode are all
 * acceptable; an access token or ID token in the query never is.
 */
export function judgeQueryRefused(o: Observed): 'error' | 'page' | 'other mode' {
  if (o.run.result.outcome !== 'response') return 'page';
  const parts = urlParts(o);
  const leaked = parts.query.filter((n) => CREDENTIAL_PARAMS.includes(n));
  if (leaked.length > 0) {
    failCheck(`response_type=${typeOf(o)} with response_mode=query put ${leaked.join(', ')} in the query string`, {
      expected: 'an error, or no credential in the query',
      actual: { via: o.run.result.via, query: parts.query },
      exchanges: evidenceOf(o),
    });
  }
  return o.run.result.params.error !== undefined ? 'error' : 'other mode';
}

/** OIDC Core 3.1.2.6: an unsupported response_mode is answered with HTTP 400 (or at least an error), never a code or token. */
export function judgeUnknownModeRefused(o: Observed): 'page' | 'error' {
  if (o.run.result.outcome !== 'response') return 'page';
  const { params } = o.run.result;
  const issued = ['code', ...CREDENTIAL_PARAMS].filter((n) => params[n] !== undefined);
  if (issued.length > 0 || params.error === undefined) {
    failCheck(`response_mode=${o.run.sent.params.response_mode} was ignored: the provider answered with ${issued.length > 0 ? issued.join(', ') : 'no error'} in the ${o.run.result.via}`, {
      expected: 'HTTP 400 without redirect, or an error response',
      actual: { via: o.run.result.via, parameters: Object.keys(params) },
      exchanges: evidenceOf(o),
    });
  }
  return 'error';
}

/** The page that carried the auto-submitting form: the last HTML page before the POST to the redirect_uri. */
export function formPageOf(o: Observed): Exchange | undefined {
  const arrival = carrier(o);
  const index = arrival ? o.exchanges.indexOf(arrival) : -1;
  for (let i = index - 1; i >= 0; i--) {
    const e = o.exchanges[i]!;
    if (e.response && e.response.status === 200 && /html/i.test(headerOf(e, 'content-type') ?? '')) return e;
  }
  return undefined;
}

/** OAuth2-FP 2: the response MUST tell the user agent and intermediaries not to store or reuse it (Cache-Control: no-store). */
export function judgeFormPageNoStore(o: Observed): void {
  if (o.run.result.via !== 'form_post') throw new CheckSkip(`response_type=${typeOf(o)} was not answered with a form_post (response-modes/form-post-delivery judges that)`);
  const page = formPageOf(o);
  if (!page) failCheck('the page that posted the form was not recorded', { expected: 'an HTML page with the form', actual: o.exchanges.map((e) => e.id), exchanges: evidenceOf(o) });
  const cacheControl = (headerOf(page, 'cache-control') ?? '').toLowerCase();
  if (!cacheControl.split(',').map((d) => d.trim()).includes('no-store')) {
    failCheck(`the form_post page for response_type=${typeOf(o)} may be stored: no Cache-Control: no-store`, { expected: 'Cache-Control: no-store', actual: headerOf(page, 'cache-control') ?? '(no Cache-Control)', exchanges: [page.id] });
  }
}

/** A state made to break out of an HTML attribute, quoted either way (RFC 6749 10.14): only %x20-7E, as state allows. */
export const HOSTILE_STATE = 'st"ate\'<b>&amp;"><input name="oidc-conformance-injected" value="1\'><input name=\'oidc-conformance-injected\' value=\'1';
const INJECTED = 'oidc-conformance-injected';

/** RFC 6749 10.14: the values placed in the form are escaped, so the hostile state is posted back byte-exact and adds no field. */
export function judgeFormPostEscaping(o: Observed): void {
  if (o.run.result.outcome !== 'response' || o.run.result.via !== 'form_post') {
    throw new CheckSkip(`the request with the hostile state was not answered with a form_post (${o.run.result.outcome === 'response' ? `it came in the ${o.run.result.via}` : 'a page'}); response-modes/form-post-delivery judges form_post itself`);
  }
  const exchanges = evidenceOf(o);
  const names = o.run.result.paramList.map(([n]) => n);
  if (names.includes(INJECTED)) failCheck('a field injected through state was posted: the form does not escape the values it carries', { expected: 'no extra field', actual: names, exchanges });
  const state = o.run.result.params.state;
  if (state !== o.run.sent.state) failCheck('the hostile state did not come back byte-exact through the form', { expected: o.run.sent.state, actual: state ?? null, exchanges });
}

/** OIDC Discovery 3 (RM-14): form_post is advertised exactly when it works. */
export function judgeFormPostAdvertised(advertised: boolean, o: Observed): void {
  const works = o.run.result.outcome === 'response' && o.run.result.via === 'form_post' && o.run.result.params.error === undefined;
  if (advertised && !works) {
    failCheck('response_modes_supported lists form_post, but a form_post request was not answered with a form_post', {
      expected: 'a form_post response',
      actual: o.run.result.outcome === 'response' ? { via: o.run.result.via, error: o.run.result.params.error ?? null } : { page: o.run.result.page?.url ?? null },
      exchanges: evidenceOf(o),
    });
  }
  if (!advertised && works) {
    throw new CheckFailure('form_post works but response_modes_supported does not list it', { expected: 'form_post in response_modes_supported', actual: 'not listed', exchanges: evidenceOf(o) });
  }
}
