// Judging authorization responses seen in a browser (implicit, hybrid, every response mode): pure
// functions of what the session captured (AuthorizationRun) and the exchanges of that request, so
// each rule can be proven on a good and a bad sample without a provider or a browser. A failure
// names the exchange that carried the response (the redirect, or the form_post arrival).
import { CheckFailure, CheckSkip, failCheck } from '../checks.ts';
import type { AuthorizationRun, ResponseVia } from '../flows/authorization.ts';
import type { IdTokenContext } from '../flows/front-channel.ts';
import type { Exchange } from '../http/types.ts';
import { type Claims, type IdTokenExpectations, decodeIdToken, halfHash, validateIdToken } from '../tokens/id-token.ts';
import { headerOf, jsonObject } from './exchange.ts';
import type { ScopedIdToken } from './scope-claims.ts';

/** One authorization request as the judges see it: what was sent, what came back, every hop recorded. */
export interface Observed {
  run: AuthorizationRun;
  /** The exchanges of this request, in order (the run's ids resolved by the recorder). */
  exchanges: Exchange[];
}

/** Parameters that carry credentials; none may travel in a query string for the fragment types (OAuth2-RT 5). */
export const CREDENTIAL_PARAMS = ['access_token', 'id_token', 'refresh_token'];
/** The result parameters a response type may carry (what must never leak outside the chosen mode). */
export const RESPONSE_PARAMS = ['code', 'access_token', 'token_type', 'id_token', 'expires_in', 'scope', 'refresh_token', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];
/** prompt=none failures (OIDC Core 3.1.2.6). */
export const LOGIN_ERRORS = ['login_required', 'interaction_required', 'consent_required', 'account_selection_required'];

/** The response type as a set of values (OAuth2-RT 1.2: order does not matter). */
export function typesOf(responseType: string): string[] {
  return responseType.split(' ').filter(Boolean);
}

/** The default mode of a response type: query for code alone, fragment for anything that returns a token (OAuth2-RT 2.1, 3, 5). */
export function defaultMode(responseType: string): 'query' | 'fragment' {
  const types = typesOf(responseType);
  return types.length === 1 && types[0] === 'code' ? 'query' : 'fragment';
}

/** The exchange that carried the response (the redirect, or the arrival at the redirect_uri). */
export function carrier(o: Observed): Exchange | undefined {
  const id = o.run.result.responseExchange;
  return id ? o.exchanges.find((e) => e.id === id) : undefined;
}

/** The evidence a verdict on this request cites: the carrying exchange, else the last hop. */
export function evidenceOf(o: Observed): string[] {
  const id = o.run.result.responseExchange ?? o.run.result.exchanges.at(-1);
  return id ? [id] : [];
}

export function evidenceOfAll(os: Observed[]): string[] {
  return [...new Set(os.flatMap(evidenceOf))];
}

/** What the provider showed instead of answering the redirect_uri, for messages. */
export function describePage(o: Observed): string {
  const page = o.run.result.page;
  const line = page?.text.split('\n').find((l) => l.trim()) ?? page?.title ?? '';
  return `a page of its own (${page?.url ?? '?'}, HTTP ${page?.status ?? '?'})${line ? `: ${line.slice(0, 160)}` : ''}`;
}

/** The response parameters; a failure saying what came instead when the provider kept the user on a page. */
export function responseOf(o: Observed, what: string): Record<string, string> {
  if (o.run.result.outcome !== 'response') {
    failCheck(`the provider did not answer the redirect_uri for ${what}: it showed ${describePage(o)}`, {
      expected: `an authorization response at ${o.run.sent.redirectUri}`,
      actual: { page: o.run.result.page?.url ?? null, status: o.run.result.page?.status ?? null },
      exchanges: evidenceOf(o),
    });
  }
  return o.run.result.params;
}

/** The Location of a redirect, resolved against its request. */
export function locationOf(exchange: Exchange | undefined): URL | undefined {
  if (!exchange) return undefined;
  const location = headerOf(exchange, 'location');
  if (!location) return undefined;
  try {
    return new URL(location, exchange.request.url);
  } catch {
    return undefined;
  }
}

function names(search: string): string[] {
  return [...new URLSearchParams(search.replace(/^[?#]/, '')).keys()];
}

/** Names the registered redirect URI itself carries in its query (RFC 6749 3.1.2 keeps them). */
function registeredNames(redirectUri: string): Set<string> {
  try {
    return new Set(new URL(redirectUri).searchParams.keys());
  } catch {
    return new Set();
  }
}

/**
 * Where each part of the response travelled: the parameter names found in the query and in the
 * fragment of the URL the response went to (the registered query's own names left out).
 */
export function urlParts(o: Observed): { query: string[]; fragment: string[] } {
  const { result } = o.run;
  const own = registeredNames(o.run.sent.redirectUri);
  let url: URL | undefined;
  if (result.via === 'form_post') {
    const arrival = carrier(o);
    try {
      url = arrival ? new URL(arrival.request.url) : undefined;
    } catch {
      url = undefined;
    }
  } else {
    url = locationOf(carrier(o));
  }
  if (!url) {
    // A JavaScript navigation to the redirect_uri: the session read the parameters from where they landed.
    const landed = result.paramList.map(([n]) => n);
    return { query: result.via === 'query' ? landed : [], fragment: result.via === 'fragment' ? landed : [] };
  }
  return { query: names(url.search).filter((n) => !own.has(n)), fragment: names(url.hash) };
}

/**
 * The response arrived in `mode`: query or fragment of the redirect, or an auto-submitted
 * form_post (HTTP POST, application/x-www-form-urlencoded, to the redirect_uri itself); and no
 * credential travelled in the URL's query when the mode is not query (OAuth2-RT 5, OAuth2-FP 2).
 */
export function judgeDelivery(o: Observed, mode: ResponseVia, what: string): void {
  const params = responseOf(o, what);
  const exchanges = evidenceOf(o);
  const { via } = o.run.result;
  if (via !== mode) {
    failCheck(`${what}: the response came ${via === 'form_post' ? 'as a form_post' : `in the ${via}`}, not ${mode === 'form_post' ? 'as a form_post' : `in the ${mode}`}`, {
      expected: mode,
      actual: { via, parameters: Object.keys(params) },
      exchanges,
    });
  }
  const parts = urlParts(o);
  if (mode !== 'query') {
    const leaked = parts.query.filter((n) => CREDENTIAL_PARAMS.includes(n) || n === 'code');
    if (leaked.length > 0) {
      failCheck(`${what}: ${leaked.join(', ')} travelled in the query string of the redirect`, { expected: `no credentials in the query (${mode} mode)`, actual: leaked, exchanges });
    }
  }
  if (mode === 'form_post') {
    const arrival = carrier(o)!;
    if (arrival.request.method !== 'POST') failCheck(`${what}: the form was not submitted with POST`, { expected: 'POST', actual: arrival.request.method, exchanges });
    const contentType = Object.entries(arrival.request.headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      failCheck(`${what}: the form body is not application/x-www-form-urlencoded`, { expected: 'application/x-www-form-urlencoded', actual: contentType || '(none)', exchanges });
    }
    if (!sameUrl(arrival.request.url, o.run.sent.redirectUri)) {
      failCheck(`${what}: the form's action is not the redirect_uri`, { expected: o.run.sent.redirectUri, actual: arrival.request.url, exchanges });
    }
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/** OAuth2-RT 2.2 (SHOULD): every parameter of the response uses the one mode; none spill into the other part of the URL. */
export function judgeSingleMode(o: Observed, what: string): void {
  responseOf(o, what);
  const { via } = o.run.result;
  const parts = urlParts(o);
  const spilled =
    via === 'query' ? parts.fragment.filter((n) => RESPONSE_PARAMS.includes(n)).map((n) => `#${n}`) :
    via === 'fragment' ? parts.query.filter((n) => RESPONSE_PARAMS.includes(n)).map((n) => `?${n}`) :
    [...parts.query.map((n) => `?${n}`), ...parts.fragment.map((n) => `#${n}`)].filter((n) => RESPONSE_PARAMS.includes(n.slice(1)));
  if (spilled.length > 0) {
    failCheck(`${what}: the response is split between modes (${via} plus ${spilled.join(', ')})`, { expected: `every parameter in the ${via}`, actual: spilled, exchanges: evidenceOf(o) });
  }
}

/**
 * A successful response carries what its response type requires (OAuth2-RT 3, 5; OIDC Core
 * 3.2.2.5, 3.3.2.5): code, id_token, access_token with token_type Bearer. For id_token alone the
 * provider SHOULD NOT add a code or access token (OAuth2-RT 3), and the implicit flow returns no
 * code (OIDC Core 3.2.2.5): extras are warnings.
 */
export function judgeSuccessParameters(o: Observed): void {
  const responseType = o.run.sent.params.response_type ?? '';
  const what = `response_type=${responseType}`;
  const params = responseOf(o, what);
  const exchanges = evidenceOf(o);
  if (params.error !== undefined) {
    failCheck(`${what} was answered with error=${params.error}${params.error_description ? ` (${params.error_description})` : ''}`, { expected: 'a successful response', actual: { error: params.error, error_description: params.error_description }, exchanges });
  }
  const types = typesOf(responseType);
  const required = [...(types.includes('code') ? ['code'] : []), ...(types.includes('id_token') ? ['id_token'] : []), ...(types.includes('token') ? ['access_token', 'token_type'] : [])];
  const missing = required.filter((n) => !params[n]);
  if (missing.length > 0) failCheck(`${what}: the response lacks ${missing.join(', ')}`, { expected: required, actual: Object.keys(params), exchanges });
  if (types.includes('token') && params.token_type!.toLowerCase() !== 'bearer') {
    failCheck(`${what}: token_type is not Bearer`, { expected: 'Bearer', actual: params.token_type, exchanges });
  }
  const duplicated = o.run.result.paramList.map(([n]) => n).filter((n, i, all) => all.indexOf(n) !== i);
  if (duplicated.length > 0) failCheck(`${what}: parameters repeated in the response: ${[...new Set(duplicated)].join(', ')}`, { expected: 'each parameter once', actual: duplicated, exchanges });
  const unexpected = [
    ...(!types.includes('code') && params.code !== undefined ? ['code'] : []),
    ...(!types.includes('token') && types.length === 1 && types[0] === 'id_token' ? ['access_token', 'token_type'].filter((n) => params[n] !== undefined) : []),
  ];
  if (unexpected.length > 0) {
    throw new CheckFailure(`${what}: the response also carries ${unexpected.join(', ')}, which this response type does not return`, { warnOnly: true, expected: `only ${required.join(', ')} (and state, expires_in, scope)`, actual: Object.keys(params), exchanges });
  }
}

/** RFC 6749 4.2.2 / OIDC Core 3.2.2.5: expires_in is RECOMMENDED with an access token, as a number of seconds. */
export function judgeExpiresIn(o: Observed): void {
  const what = `response_type=${o.run.sent.params.response_type}`;
  const params = responseOf(o, what);
  const exchanges = evidenceOf(o);
  if (params.access_token === undefined) throw new CheckSkip(`${what} returned no access token (the response checks judge that)`);
  const value = params.expires_in;
  if (value === undefined) failCheck(`${what}: no expires_in beside the access token`, { expected: 'expires_in (seconds)', actual: Object.keys(params), exchanges });
  if (!/^[1-9]\d{0,9}$/.test(value)) failCheck(`${what}: expires_in is not a positive number of seconds`, { expected: 'a positive integer', actual: value, exchanges });
}

/** RFC 6749 4.2.2: no refresh token from the authorization endpoint in the implicit flow. */
export function judgeNoRefreshToken(o: Observed): void {
  const what = `response_type=${o.run.sent.params.response_type}`;
  const params = responseOf(o, what);
  if (params.refresh_token !== undefined) failCheck(`${what}: the authorization endpoint issued a refresh token`, { expected: 'no refresh_token', actual: 'refresh_token present', exchanges: evidenceOf(o) });
}

/**
 * state comes back byte-exact, once, in every response to a request that had one (RFC 6749
 * 4.1.2, 4.2.2, 4.2.2.1; OAuth2-RT 3, 5), success and error alike. Pages are not responses.
 */
export function judgeStateEchoed(os: Observed[]): void {
  const judged = os.filter((o) => o.run.result.outcome === 'response' && o.run.sent.state !== undefined);
  if (judged.length === 0) throw new CheckSkip('no authorization response to a request with state to judge (the response checks say why)');
  for (const o of judged) {
    const values = o.run.result.paramList.filter(([n]) => n === 'state').map(([, v]) => v);
    const what = `response_type=${o.run.sent.params.response_type}${o.run.result.params.error ? ` (error ${o.run.result.params.error})` : ''}`;
    if (values.length !== 1 || values[0] !== o.run.sent.state) {
      failCheck(values.length === 0 ? `${what}: the response leaves out state` : values.length > 1 ? `${what}: state is repeated` : `${what}: state differs from the request`, {
        expected: o.run.sent.state,
        actual: values.length === 1 ? values[0] : values,
        exchanges: evidenceOf(o),
      });
    }
  }
}

/**
 * RFC 9207 2 and 2.4: with authorization_response_iss_parameter_supported, every response (success
 * and error) carries iss equal to the issuer, and equal to the iss of an ID token in the same
 * response; an iss the metadata does not announce is a failure too (as in authorization-errors).
 */
export function judgeIssParameter(os: Observed[], metadata: Record<string, unknown>, issuer: string): void {
  const responses = os.filter((o) => o.run.result.outcome === 'response');
  const flag = metadata.authorization_response_iss_parameter_supported;
  if (flag !== true) {
    const withIss = responses.filter((o) => 'iss' in o.run.result.params);
    if (withIss.length > 0) {
      failCheck('authorization responses carry iss but discovery does not set authorization_response_iss_parameter_supported to true', {
        expected: { authorization_response_iss_parameter_supported: true },
        actual: { authorization_response_iss_parameter_supported: flag ?? null, iss: withIss[0]!.run.result.params.iss },
        exchanges: evidenceOfAll(withIss),
      });
    }
    throw new CheckSkip('the target neither advertises nor sends the iss response parameter (RFC 9207)');
  }
  if (responses.length === 0) throw new CheckSkip('no authorization response to judge (the response checks say why)');
  for (const o of responses) {
    const { params } = o.run.result;
    const what = `response_type=${o.run.sent.params.response_type}${params.error ? ` (error ${params.error})` : ''}`;
    if (params.iss !== issuer) {
      failCheck(params.iss === undefined ? `${what}: no iss although authorization_response_iss_parameter_supported is true` : `${what}: iss differs from the issuer`, { expected: issuer, actual: params.iss ?? null, exchanges: evidenceOf(o) });
    }
    if (params.id_token !== undefined) {
      const { claims } = decodeIdToken(params.id_token, evidenceOf(o));
      if (claims.iss !== params.iss) failCheck(`${what}: the iss parameter differs from the ID token's iss`, { expected: params.iss, actual: claims.iss, exchanges: evidenceOf(o) });
    }
  }
}

/**
 * A request the provider must refuse (a required parameter missing): no code and no token reach the
 * client; it answers with an error (one of `errors`, else a warning) or an error page of its own.
 */
export function judgeRefused(o: Observed, what: string, errors: string[]): 'page' | 'error' {
  const exchanges = evidenceOf(o);
  if (o.run.result.outcome !== 'response') return 'page';
  const { params } = o.run.result;
  const issued = ['code', ...CREDENTIAL_PARAMS].filter((n) => params[n] !== undefined);
  if (issued.length > 0) failCheck(`${what} was granted: the response carries ${issued.join(', ')}`, { expected: { error: errors.length === 1 ? errors[0] : errors }, actual: Object.keys(params), exchanges });
  if (params.error === undefined) failCheck(`${what}: the response carries neither an error nor a result`, { expected: { error: errors.length === 1 ? errors[0] : errors }, actual: params, exchanges });
  if (!errors.includes(params.error)) {
    throw new CheckFailure(`${what} was refused, but with error=${params.error} instead of ${errors.join(' or ')}`, { warnOnly: true, expected: errors.length === 1 ? errors[0] : errors, actual: params.error, exchanges });
  }
  return 'error';
}

/**
 * prompt=none in a browser without a session (OIDC Core 3.1.2.1, 3.1.2.6): no login or consent
 * page, an error such as login_required at the redirect_uri, and no code or token.
 */
export function judgePromptNoneWithoutSession(o: Observed): void {
  const what = `prompt=none with response_type=${o.run.sent.params.response_type} and no session`;
  const exchanges = evidenceOf(o);
  if (o.run.result.interactions.length > 0) {
    failCheck(`${what}: the provider showed its ${o.run.result.interactions.join(' and ')} page`, { expected: 'no user interface, an error response', actual: o.run.result.interactions, exchanges });
  }
  const params = responseOf(o, what);
  const issued = ['code', ...CREDENTIAL_PARAMS].filter((n) => params[n] !== undefined);
  if (issued.length > 0) failCheck(`${what}: the response carries ${issued.join(', ')}`, { expected: { error: LOGIN_ERRORS }, actual: Object.keys(params), exchanges });
  if (params.error === undefined || !LOGIN_ERRORS.includes(params.error)) {
    failCheck(`${what}: expected ${LOGIN_ERRORS.join(' or ')}, got ${params.error ?? 'no error'}`, { expected: LOGIN_ERRORS, actual: params.error ?? null, exchanges });
  }
}

/** Error responses go where the mode says (OIDC Core 3.2.2.6, 3.3.2.6; OAuth2-RT 3, 5): the requested mode, else the type's default. */
export function judgeErrorsDelivered(os: Observed[]): void {
  const errors = os.filter((o) => o.run.result.outcome === 'response' && o.run.result.params.error !== undefined);
  if (errors.length === 0) throw new CheckSkip('no error response reached the redirect_uri (the provider answered with pages; the refusal checks judge them)');
  for (const o of errors) {
    const responseType = o.run.sent.params.response_type ?? '';
    const requested = o.run.sent.params.response_mode as ResponseVia | undefined;
    const mode = requested ?? defaultMode(responseType);
    judgeDelivery(o, mode, `the error response (${o.run.result.params.error}) to response_type=${responseType}${requested ? ` with response_mode=${requested}` : ''}`);
  }
}

/** An unregistered redirect_uri (RFC 6749 3.1.2.4, 4.2.2.1; OIDC Core 3.1.2.1) never receives the response: an error page instead. */
export function judgeNoRedirect(o: Observed): void {
  if (o.run.result.outcome === 'response') {
    failCheck(`the provider sent the user agent to the unregistered redirect_uri ${o.run.sent.redirectUri}`, {
      expected: 'an error page at the provider, no redirect',
      actual: { via: o.run.result.via, parameters: Object.keys(o.run.result.params) },
      exchanges: evidenceOf(o),
    });
  }
}

/** OIDC Core 5.3.1/5.3.2: UserInfo answers the access token with 200 and a JSON object whose sub is the ID token's. */
export function judgeUserinfoSub(exchange: Exchange, sub: string): void {
  if (exchange.response?.status !== 200) {
    failCheck(`UserInfo (${exchange.request.method}) refused the access token: HTTP ${exchange.response?.status ?? 'no response'}`, {
      expected: 200,
      actual: { status: exchange.response?.status, 'www-authenticate': headerOf(exchange, 'www-authenticate') ?? null },
      exchanges: [exchange.id],
    });
  }
  const body = jsonObject(exchange);
  if (body.sub !== sub) failCheck(`UserInfo (${exchange.request.method}) returns a sub that differs from the ID token's`, { expected: sub, actual: body.sub ?? null, exchanges: [exchange.id] });
}

/**
 * at_hash / c_hash of the response's ID token (OIDC Core 3.2.2.10, 3.3.2.11): present, and the
 * base64url left half of the hash (the ID token's alg) of the access token / code beside it.
 */
export function judgeTokenHash(o: Observed, claim: 'at_hash' | 'c_hash'): void {
  const what = `response_type=${o.run.sent.params.response_type}`;
  const params = responseOf(o, what);
  const exchanges = evidenceOf(o);
  const source = claim === 'at_hash' ? 'access_token' : 'code';
  const value = params[source];
  if (value === undefined || params.id_token === undefined) {
    throw new CheckSkip(`${what} returned no ${value === undefined ? source : 'id_token'} (the response check judges that)`);
  }
  const { header, claims } = decodeIdToken(params.id_token, exchanges);
  const expected = halfHash(value, String(header.alg));
  if (claims[claim] === undefined) failCheck(`${what}: the ID token has no ${claim}`, { expected, actual: null, exchanges });
  if (claims[claim] !== expected) failCheck(`${what}: ${claim} does not match the ${source === 'code' ? 'code' : 'access token'} (${String(header.alg)})`, { expected, actual: claims[claim], exchanges });
}

/**
 * The ID token of a front-channel response (OIDC Core 3.2.2.11, 3.3.2.12, by 3.1.3.7): signature
 * through the JWK Set and kid (never alg none), iss, aud, azp, exp, iat, sub, the request's nonce
 * (3.2.2.10, 3.3.2.11), c_hash for a code and at_hash for an access token in the same response
 * (both REQUIRED there).
 */
export async function judgeResponseIdToken(o: Observed, env: IdTokenContext): Promise<Claims> {
  const what = `response_type=${o.run.sent.params.response_type}`;
  const params = responseOf(o, what);
  const exchanges = [...evidenceOf(o), ...(env.jwksExchange ? [env.jwksExchange] : [])];
  if (params.id_token === undefined) failCheck(`${what}: no id_token in the response`, { expected: 'id_token', actual: Object.keys(params), exchanges });
  const expect: IdTokenExpectations = { issuer: env.issuer, clientId: env.clientId, jwks: env.jwks, exchanges };
  if (o.run.sent.nonce !== undefined) expect.nonce = o.run.sent.nonce;
  if (env.clientSecret !== undefined) expect.clientSecret = env.clientSecret;
  if (env.sub !== undefined) expect.sub = env.sub;
  if (params.code !== undefined) expect.code = params.code;
  if (params.access_token !== undefined) expect.accessToken = params.access_token;
  return validateIdToken(params.id_token, expect);
}

/**
 * The authorization endpoint's ID token of each response that carried one, with the scope its
 * request asked for: what judgeNoUnaskedScopeClaims (scope-claims.ts) reads. A response without an
 * ID token is the response checks' to judge.
 */
export function frontIdTokensWithScope(os: Observed[]): ScopedIdToken[] {
  return os.flatMap((o) => {
    const idToken = o.run.result.outcome === 'response' ? o.run.result.params.id_token : undefined;
    if (idToken === undefined) return [];
    const label = `the authorization endpoint's ID token of response_type=${o.run.sent.params.response_type}`;
    return [{ label, claims: decodeIdToken(idToken, evidenceOf(o)).claims, scope: o.run.sent.params.scope ?? '' }];
  });
}
