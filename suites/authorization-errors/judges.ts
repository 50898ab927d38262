// Judges of authorization endpoint answers that need no login: pure functions of the recorded
// exchanges. Redirects are never followed; the Location header is read and its query or fragment parsed.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { headerOf } from '../../harness/judge/exchange.ts';

/** prompt=none failures (OIDC Core 3.1.2.6). */
export const LOGIN_ERRORS = ['login_required', 'interaction_required', 'consent_required', 'account_selection_required'];
/** What an error redirect may carry (OIDC Core 3.1.2.6, RFC 6749 4.1.2.1, RFC 9207 2). */
export const ERROR_PARAMS = ['error', 'error_description', 'error_uri', 'state', 'iss'];
/** RFC 6749 4.1.2.1: %x20-21 / %x23-5B / %x5D-7E. */
const ERROR_CHARSET = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export interface ErrorRedirect {
  exchange: Exchange;
  /** Where the parameters were found. */
  via: 'query' | 'fragment';
  /** Every parameter of the Location (first value of each name). */
  params: Record<string, string>;
  /** Parameter names as they came (repeated names kept). */
  names: string[];
}

function withoutQueryAndFragment(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The Location of a redirect, resolved against the request URL; undefined when none. */
export function locationOf(exchange: Exchange): URL | undefined {
  const location = headerOf(exchange, 'location');
  if (location === undefined || location === '') return undefined;
  try {
    return new URL(location, exchange.request.url);
  } catch {
    return undefined;
  }
}

/** Whether a Location is the redirect URI (its query and fragment aside). */
function isRedirectUri(location: URL | undefined, redirectUri: string): boolean {
  return location !== undefined && withoutQueryAndFragment(location) === withoutQueryAndFragment(new URL(redirectUri));
}

function isRedirect(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 300 && status < 400;
}

/** The redirect to `redirectUri` with its parameters; a failure when the answer is anything else. */
export function errorRedirect(exchange: Exchange, redirectUri: string): ErrorRedirect {
  const status = exchange.response?.status;
  const location = locationOf(exchange);
  if (!isRedirect(exchange) || location === undefined || !isRedirectUri(location, redirectUri)) {
    failCheck(`expected a redirect to the redirect URI, got HTTP ${status ?? 'no response'}${location ? ` to ${location.href}` : ''}`, {
      expected: `HTTP 302/303 with Location ${redirectUri}?error=...`,
      actual: { status, location: headerOf(exchange, 'location') },
      exchanges: [exchange.id],
    });
  }
  const via = location.hash.length > 1 ? 'fragment' : 'query';
  const search = new URLSearchParams(via === 'fragment' ? location.hash.slice(1) : location.search);
  const params: Record<string, string> = {};
  const names: string[] = [];
  for (const [name, value] of search) {
    names.push(name);
    if (!(name in params)) params[name] = value;
  }
  return { exchange, via, params, names };
}

/** The error response carries the state exactly as sent (RFC 6749 4.1.2.1); `what` names the request in the message. */
function expectStateEchoed(redirect: ErrorRedirect, state: string, what?: string): void {
  const echoed = redirect.params.state;
  if (echoed === state) return;
  const problem = `the error response ${echoed === undefined ? 'leaves out' : 'changes'} state`;
  failCheck(what ? `${what}: ${problem}` : problem, { expected: state, actual: echoed, exchanges: [redirect.exchange.id] });
}

/** How a provider may refuse "code none": a type it does not understand (RFC 6749 3.1.1), or a malformed request. */
export const NONE_COMBINED_ERRORS = ['unsupported_response_type', 'invalid_request'];

/**
 * OIDC Core 3.1.2.1 leaves an unknown prompt or display value open (AZ-24): the provider may go on
 * (a redirect elsewhere, e.g. to its sign-in page, or the page itself) or refuse it, and a refusal
 * of a request with a valid client and redirect URI is an error response at the redirect URI
 * (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6) with the state. Returns which of the two it did.
 */
export function judgeUnknownValue(exchange: Exchange, redirectUri: string, state: string, what: string): string {
  const status = exchange.response?.status;
  const location = locationOf(exchange);
  const atRedirectUri = isRedirectUri(location, redirectUri);
  if (isRedirect(exchange) && location !== undefined && !atRedirectUri) return `${what}: ignored (HTTP ${status}, on to ${location.origin}, not to the redirect URI)`;
  if (status === 200) return `${what}: ignored (HTTP 200, the provider's page)`;
  if (!atRedirectUri) {
    failCheck(`${what}: neither ignored nor refused at the redirect URI: HTTP ${status ?? 'no response'}`, {
      expected: 'the sign-in going on, or an error response at the redirect URI',
      actual: { status, location: headerOf(exchange, 'location') ?? null },
      exchanges: [exchange.id],
    });
  }
  const redirect = errorRedirect(exchange, redirectUri);
  if (redirect.params.error === undefined) return `${what}: ignored (an answer at the redirect URI without error)`;
  expectStateEchoed(redirect, state, what);
  return `${what}: refused with ${redirect.params.error}`;
}

/** An error redirect with one of `errors` and the state exactly as sent. */
export function judgeErrorRedirect(exchange: Exchange, redirectUri: string, expected: { errors: string[]; state: string }): ErrorRedirect {
  const redirect = errorRedirect(exchange, redirectUri);
  const { error } = redirect.params;
  if (error === undefined || !expected.errors.includes(error)) {
    failCheck(`expected error ${expected.errors.join(' or ')}, got ${error ?? 'no error parameter'}`, {
      expected: expected.errors.length === 1 ? expected.errors[0] : expected.errors,
      actual: redirect.params,
      exchanges: [exchange.id],
    });
  }
  expectStateEchoed(redirect, expected.state);
  return redirect;
}

function parsesAsUrl(value: string): boolean {
  try {
    new URL(value, 'https://base.invalid/');
    return true;
  } catch {
    return false;
  }
}

/** Names the registered redirect URI itself carries in its query (RFC 6749 3.1.2 keeps them). */
function registeredNames(redirectUri: string): Set<string> {
  return new Set(new URL(redirectUri).searchParams.keys());
}

/** Character set (a MUST) on every redirect; parameters beyond the error ones only warn (SHOULD NOT). */
export function judgeErrorRedirectsClean(redirects: ErrorRedirect[], redirectUri: string): void {
  const exchanges = redirects.map((r) => r.exchange.id);
  if (redirects.length === 0) throw new CheckSkip('no error redirect to judge (the checks that provoke them report why)');
  for (const { exchange, params } of redirects) {
    for (const name of ['error', 'error_description']) {
      const value = params[name];
      if (value !== undefined && !ERROR_CHARSET.test(value)) {
        failCheck(`${name} has characters outside %x20-21 / %x23-5B / %x5D-7E`, { expected: 'printable ASCII without " and \\', actual: value, exchanges: [exchange.id] });
      }
    }
    const uri = params.error_uri;
    if (uri !== undefined && (!/^[\x21\x23-\x5b\x5d-\x7e]*$/.test(uri) || !parsesAsUrl(uri))) {
      failCheck('error_uri is not a URI-reference in the allowed characters', { expected: 'a URI-reference', actual: uri, exchanges: [exchange.id] });
    }
  }
  const own = registeredNames(redirectUri);
  const extra = redirects.flatMap(({ exchange, via, names }) =>
    names.filter((n) => !ERROR_PARAMS.includes(n) && !(via === 'query' && own.has(n))).map((n) => `${exchange.id}: ${n}`),
  );
  if (extra.length > 0) {
    throw new CheckFailure(`error redirects carry parameters beyond ${ERROR_PARAMS.join(', ')}: ${extra.join(', ')}`, {
      expected: ERROR_PARAMS,
      actual: Object.fromEntries(redirects.map((r) => [r.exchange.id, r.names])),
      exchanges,
      warnOnly: true,
    });
  }
}

/** RFC 9207: iss on every response when the flag is true (DSC-39: only then). */
export function judgeIssParameter(redirects: ErrorRedirect[], metadata: Record<string, unknown>, issuer: string): void {
  const exchanges = redirects.map((r) => r.exchange.id);
  const flag = metadata.authorization_response_iss_parameter_supported;
  const withIss = redirects.filter((r) => 'iss' in r.params);
  if (flag === true) {
    if (redirects.length === 0) throw new CheckSkip('no error redirect to judge (the checks that provoke them report why)');
    for (const { exchange, params } of redirects) {
      if (params.iss !== issuer) {
        failCheck(params.iss === undefined ? 'an error response has no iss although authorization_response_iss_parameter_supported is true' : 'iss differs from the issuer', {
          expected: issuer,
          actual: params.iss,
          exchanges: [exchange.id],
        });
      }
    }
    return;
  }
  if (withIss.length > 0) {
    failCheck('error responses carry iss but discovery does not set authorization_response_iss_parameter_supported to true', {
      expected: { authorization_response_iss_parameter_supported: true },
      actual: { authorization_response_iss_parameter_supported: flag, iss: withIss[0]!.params.iss },
      exchanges,
    });
  }
  throw new CheckSkip('the target neither advertises nor sends the iss response parameter (RFC 9207)');
}

/** No redirect to `uris` (compared without query and fragment): an error page instead. */
export function judgeNoRedirectTo(exchange: Exchange, uris: string[]): void {
  const location = locationOf(exchange);
  if (!isRedirect(exchange) || location === undefined) return;
  const bases = uris.map((u) => withoutQueryAndFragment(new URL(u)));
  const target = withoutQueryAndFragment(location);
  if (bases.some((b) => target === b || target.startsWith(b))) {
    failCheck('the user agent is redirected to the client although the request cannot be trusted', {
      expected: 'an error page (no redirect to the client)',
      actual: { status: exchange.response?.status, location: location.href },
      exchanges: [exchange.id],
    });
  }
}

/** OIDC Core 3.1.2.6: an unsupported response_mode is HTTP 400, no Location. */
export function judgeResponseModeRejected(exchange: Exchange): void {
  const status = exchange.response?.status;
  const location = headerOf(exchange, 'location');
  if (status !== 400 || location !== undefined) {
    failCheck(`expected an HTTP 400 page without a redirect, got HTTP ${status ?? 'no response'}${location ? ` to ${location}` : ''}`, {
      expected: { status: 400, location: undefined },
      actual: { status, location },
      exchanges: [exchange.id],
    });
  }
}

export interface Variant {
  parameter: string;
  value: string;
  exchange: Exchange;
}

/** Each advertised value gets the same prompt=none error as the request without it. */
export function judgeAdvertisedValues(baseline: Exchange, variants: Variant[], redirectUri: string): void {
  if (variants.length === 0) throw new CheckSkip('discovery advertises no display, ui_locales, claims_locales or acr values');
  let expected: string | undefined;
  try {
    expected = errorRedirect(baseline, redirectUri).params.error;
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
  }
  if (expected === undefined || !LOGIN_ERRORS.includes(expected)) {
    throw new CheckSkip(`prompt=none without the parameters gives no login error to compare with (${baseline.id}; prompt-none-without-session judges it)`);
  }
  for (const { parameter, value, exchange } of variants) {
    let got: string | undefined;
    try {
      got = errorRedirect(exchange, redirectUri).params.error;
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      throw new CheckFailure(`${parameter}=${value} (advertised) changes the answer: ${error.message}`, { expected: `a redirect with error=${expected}`, actual: error.actual, exchanges: [baseline.id, exchange.id] });
    }
    if (got !== expected) {
      failCheck(`${parameter}=${value} (advertised) changes the prompt=none answer from ${expected} to ${got ?? 'no error'}`, {
        expected,
        actual: got,
        exchanges: [baseline.id, exchange.id],
      });
    }
  }
}

/** No Access-Control-Allow-* header on any of the answers. */
export function judgeNoCors(exchanges: Exchange[]): void {
  for (const exchange of exchanges) {
    const cors = Object.keys(exchange.response?.headers ?? {}).filter((h) => h.toLowerCase().startsWith('access-control-allow-'));
    if (cors.length > 0) {
      failCheck('the authorization endpoint answers with CORS headers', {
        expected: 'no Access-Control-Allow-* headers',
        actual: Object.fromEntries(cors.map((h) => [h, headerOf(exchange, h)])),
        exchanges: [exchange.id],
      });
    }
  }
}

// ---- request-object error codes (ERR-11) ----------------------------------------------------------

export interface RequestObjectProbe {
  /** The parameter sent: request_uri, request or registration. */
  parameter: string;
  exchange: Exchange;
  /** The error codes OIDC Core 3.1.2.6 gives for it here. */
  codes: string[];
  /** Answering as if the parameter were absent is allowed (registration). */
  mayIgnore?: boolean;
}

/**
 * ERR-11: each request-object problem that the provider reports through an error redirect uses
 * its OIDC error code. Answers that are not error redirects (a login page: the provider judges the
 * request after login) cannot be judged over HTTP.
 */
export function judgeRequestObjectErrors(probes: RequestObjectProbe[], redirectUri: string): string {
  const judged: string[] = [];
  const unjudged: string[] = [];
  const wrong: string[] = [];
  for (const probe of probes) {
    let redirect: ErrorRedirect | undefined;
    try {
      redirect = errorRedirect(probe.exchange, redirectUri);
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
    }
    const error = redirect?.params.error;
    if (error === undefined) {
      unjudged.push(`${probe.parameter} (${probe.exchange.id}: HTTP ${probe.exchange.response?.status ?? 'none'}${probe.mayIgnore ? ', ignored' : ''})`);
      continue;
    }
    if (!probe.codes.includes(error)) wrong.push(`${probe.parameter} (${probe.exchange.id}): error=${error} instead of ${probe.codes.join(' or ')}`);
    else judged.push(`${probe.parameter}: ${error}`);
  }
  if (wrong.length > 0) {
    failCheck(`request-object problems reported with other error codes than OIDC Core 3.1.2.6 defines: ${wrong.join('; ')}`, {
      expected: Object.fromEntries(probes.map((p) => [p.parameter, p.codes])),
      actual: wrong,
      exchanges: probes.map((p) => p.exchange.id),
    });
  }
  if (judged.length === 0) throw new CheckSkip(`no request-object problem was answered with an error redirect before login: ${unjudged.join('; ')}`);
  return `${judged.join(', ')}${unjudged.length > 0 ? `; not judged over HTTP: ${unjudged.join('; ')}` : ''}`;
}

// ---- status of requests that cannot be redirected (ERR-13) ---------------------------------------

export interface UntrustedProbe {
  what: string;
  exchange: Exchange;
}

/**
 * ERR-13 (OIDC Core 3.1.2.6: HTTP errors unrelated to RFC 6749 are returned to the user agent with
 * the appropriate status): a 4xx page, or a redirect to the provider's own page that carries no
 * OAuth error parameters; a 200 page, a 5xx or an OAuth error redirect is not.
 */
export function judgeUntrustedStatus(probes: UntrustedProbe[], authorizationEndpoint: string): string {
  const problems: string[] = [];
  const seen: string[] = [];
  const origin = new URL(authorizationEndpoint).origin;
  for (const { what, exchange } of probes) {
    const status = exchange.response?.status;
    if (status !== undefined && status >= 400 && status < 500) {
      seen.push(`${what}: HTTP ${status}`);
      continue;
    }
    if (status !== undefined && status >= 300 && status < 400) {
      const location = locationOf(exchange);
      const params = location ? new URLSearchParams(`${location.search.slice(1)}&${location.hash.slice(1)}`) : undefined;
      if (location && location.origin === origin && params?.get('error') === null) {
        seen.push(`${what}: HTTP ${status} to the provider's own page`);
        continue;
      }
      problems.push(`${what} (${exchange.id}): HTTP ${status} to ${location?.href ?? '(no Location)'}, an OAuth-style redirect instead of an error for the user agent`);
      continue;
    }
    problems.push(`${what} (${exchange.id}): HTTP ${status ?? 'none'} instead of a 4xx error status`);
  }
  if (problems.length > 0) {
    failCheck(`requests that cannot be redirected are not answered with a fitting HTTP error status: ${problems.join('; ')}`, {
      expected: 'a 4xx error page for the user agent',
      actual: probes.map((p) => ({ what: p.what, status: p.exchange.response?.status, location: headerOf(p.exchange, 'location') })),
      exchanges: probes.map((p) => p.exchange.id),
    });
  }
  return seen.join('; ');
}
