// Samples of browser-captured authorization responses for the judges' proofs (implicit, hybrid,
// response modes): an Observed built the way BrowserSession records one (the redirect with its
// Location, or the form page and the POST arrival at the redirect_uri), and ID tokens signed
// with a throwaway key whose JWK Set the judges verify against.
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { AuthorizationRun, ResponseVia } from '../../harness/flows/authorization.ts';
import type { IdTokenContext } from '../../harness/flows/front-channel.ts';
import type { Observed } from '../../harness/judge/authorization-response.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { halfHash } from '../../harness/tokens/id-token.ts';

export const ISSUER = 'https://op.example.com/oidc';
export const CLIENT_ID = 'web-basic';
export const REDIRECT_URI = 'https://rp.example.com/callback';
export const SUB = 'user-alice-0001';
export const STATE = 'sample-state-1';
export const NONCE = 'sample-nonce-1';

let counter = 0;
const nextId = () => `sample#${++counter}`;

export interface SampleSpec {
  responseType: string;
  /** The response parameters, in order (state and iss are not added for you). */
  params?: Record<string, string>;
  /** How it came back (default: the type's default mode). */
  via?: ResponseVia;
  /** 'page': the provider kept the user on a page of its own (then params are ignored). */
  outcome?: 'response' | 'page';
  /** Request parameters added to or replacing the defaults (null removes one: nonce, state). */
  request?: Record<string, string | null>;
  /** Overrides of the carrying exchange: a Location with extra query, another form method or content type, the form page's headers. */
  location?: string;
  arrival?: { method?: string; contentType?: string; url?: string };
  formPageHeaders?: Record<string, string>;
  formPageBody?: string;
  interactions?: Array<'login' | 'consent'>;
  redirectUri?: string;
}

function exchange(request: Exchange['request'], response?: Exchange['response']): Exchange {
  const recorded: Exchange = { id: nextId(), request, startedAt: new Date(0).toISOString(), durationMs: 1 };
  if (response) recorded.response = response;
  return recorded;
}

function html(body: string, headers: Record<string, string>): NonNullable<Exchange['response']> {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body, bytes: body.length, truncated: false };
}

/** An authorization request and what came back, as the session would have recorded it. */
export function observed(spec: SampleSpec): Observed {
  const redirectUri = spec.redirectUri ?? REDIRECT_URI;
  const sentParams: Record<string, string> = { response_type: spec.responseType, client_id: CLIENT_ID, redirect_uri: redirectUri, scope: 'openid', state: STATE, nonce: NONCE };
  for (const [name, value] of Object.entries(spec.request ?? {})) {
    if (value === null) delete sentParams[name];
    else sentParams[name] = value;
  }
  const run: AuthorizationRun = {
    sent: { client: { client_id: CLIENT_ID, auth_method: 'client_secret_basic', client_secret: 'secret' }, params: sentParams, redirectUri },
    result: { outcome: spec.outcome ?? 'response', params: {}, paramList: [], interactions: spec.interactions ?? [], exchanges: [], requestUrl: `${ISSUER}/auth` },
  };
  if (sentParams.state !== undefined) run.sent.state = sentParams.state;
  if (sentParams.nonce !== undefined) run.sent.nonce = sentParams.nonce;
  const authRequest = exchange({ method: 'GET', url: `${ISSUER}/auth?${new URLSearchParams(sentParams)}`, headers: {} });
  const exchanges: Exchange[] = [authRequest];
  if (run.result.outcome === 'page') {
    const page = exchange({ method: 'GET', url: `${ISSUER}/error`, headers: {} }, html('<p>error</p>', {}));
    exchanges.push(page);
    run.result.page = { url: `${ISSUER}/error`, status: 400, title: 'error', text: 'invalid_request' };
  } else {
    const params = spec.params ?? {};
    const paramList = Object.entries(params);
    const via: ResponseVia = spec.via ?? (spec.responseType === 'code' ? 'query' : 'fragment');
    const encoded = new URLSearchParams(paramList).toString();
    let carrier: Exchange;
    if (via === 'form_post') {
      const form = spec.formPageBody ?? `<form method="post" action="${redirectUri}">${paramList.map(([n, v]) => `<input type="hidden" name="${n}" value="${v}">`).join('')}</form>`;
      exchanges.push(exchange({ method: 'GET', url: `${ISSUER}/auth/resume`, headers: {} }, html(form, spec.formPageHeaders ?? { 'cache-control': 'no-store' })));
      const arrival = spec.arrival ?? {};
      carrier = exchange(
        { method: arrival.method ?? 'POST', url: arrival.url ?? redirectUri, headers: { 'content-type': arrival.contentType ?? 'application/x-www-form-urlencoded' }, body: encoded },
        html('captured', {}),
      );
    } else {
      const location = spec.location ?? `${redirectUri}${via === 'fragment' ? '#' : '?'}${encoded}`;
      carrier = exchange({ method: 'GET', url: `${ISSUER}/auth/resume`, headers: {} }, { status: 302, headers: { location }, body: '', bytes: 0, truncated: false });
    }
    exchanges.push(carrier);
    Object.assign(run.result, { via, params: Object.fromEntries(paramList), paramList, responseTarget: redirectUri, responseExchange: carrier.id });
  }
  run.result.exchanges = exchanges.map((e) => e.id);
  return { run, exchanges };
}

/** A JSON exchange (token or UserInfo response). */
export function jsonExchange(status: number, body: unknown, method = 'GET', url = `${ISSUER}/me`): Exchange {
  const text = JSON.stringify(body);
  return exchange({ method, url, headers: {} }, { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: text, bytes: text.length, truncated: false, json: body });
}

export interface SampleKeys {
  jwks: { keys: JWK[] };
  /** Signs claims as an RS256 ID token with kid k1 (header fields may be overridden). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The ID token context the judges validate with. */
  context: IdTokenContext;
}

export async function sampleKeys(): Promise<SampleKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' } as JWK] };
  return {
    jwks,
    sign: (claims, header = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header } as { alg: string }).sign(privateKey),
    context: { issuer: ISSUER, clientId: CLIENT_ID, jwks, sub: SUB },
  };
}

/** The claims of a good ID token for the sample request; `extra` adds or replaces (undefined removes). */
export function idTokenClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: ISSUER, sub: SUB, aud: CLIENT_ID, iat: now, exp: now + 600, nonce: NONCE, auth_time: now - 5 };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

export { halfHash };
