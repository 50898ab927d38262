// Judges of the authorization endpoint's security: pure functions of what the browser showed and
// the exchanges it recorded (every hop, headers and bodies), so each rule is proven on good and bad
// samples without a provider or a browser.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { headerOf } from '../../harness/judge/exchange.ts';
import type { Observed } from '../../harness/judge/authorization-response.ts';

export type { Observed };

/** prompt=none errors that say the user is not signed in (consent_required means a session exists). */
export const NOT_SIGNED_IN_ERRORS = ['login_required', 'interaction_required', 'account_selection_required'];
/** Parameters that carry something issued to the client. */
const ISSUED = ['code', 'access_token', 'id_token', 'refresh_token'];
/** The tag injected through redirect_uri and state: escaped, it never appears as markup. */
export const PROBE_TAG = '<oidc-conformance-probe';

function safeUrl(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** Every URL the browser was sent to or arrived at during one request: request URLs and redirect Locations. */
export function landings(exchanges: Exchange[]): Array<{ url: URL; exchange: Exchange }> {
  const out: Array<{ url: URL; exchange: Exchange }> = [];
  for (const exchange of exchanges) {
    const requested = safeUrl(exchange.request.url);
    if (requested) out.push({ url: requested, exchange });
    const status = exchange.response?.status ?? 0;
    const location = status >= 300 && status < 400 ? headerOf(exchange, 'location') : undefined;
    const next = location ? safeUrl(location, exchange.request.url) : undefined;
    if (next) out.push({ url: next, exchange });
  }
  return out;
}

/**
 * Whether `url` is `uri` with response parameters added: same origin and path (as a browser
 * resolves them), every query parameter of `uri` present, and its fragment, when it has one.
 */
export function isAt(url: URL, uri: string): boolean {
  const target = safeUrl(uri);
  if (!target || url.origin !== target.origin || url.pathname !== target.pathname) return false;
  for (const [name, value] of target.searchParams) if (!url.searchParams.getAll(name).includes(value)) return false;
  return target.hash.length <= 1 || url.hash === target.hash;
}

function issued(o: Observed): string[] {
  return o.run.result.outcome === 'response' ? ISSUED.filter((name) => name in o.run.result.params) : [];
}

function lastId(o: Observed): string[] {
  const id = o.run.result.responseExchange ?? o.run.result.exchanges.at(-1);
  return id ? [id] : [];
}

/** A short account of where one request ended, for expected/actual. */
export function outcomeOf(o: Observed): Record<string, unknown> {
  const { result } = o.run;
  if (result.outcome === 'response') return { arrivedAt: result.responseTarget, via: result.via, params: Object.keys(result.params) };
  return { page: result.page?.url, status: result.page?.status, stoppedAt: result.stoppedAt, text: result.page?.text.split('\n').find((l) => l.trim())?.slice(0, 160) };
}

export interface Variant {
  /** What was changed ("added query"). */
  name: string;
  /** The redirect_uri sent. */
  uri: string;
  observed: Observed;
}

/**
 * RFC 6749 3.1.2.4 / 4.1.2.1: a redirect_uri that is not registered gets no redirect to it. The
 * browser reaching the variant (or the provider asking the user to log in or consent for it, after
 * which it would redirect there) fails; a redirect to the registered URI instead is a warning
 * (the user SHOULD be told, OIDC Core 3.1.2.6).
 */
export function judgeVariantsRefused(variants: Variant[], registered: string): void {
  if (variants.length === 0) throw new CheckSkip('no variant of the registered redirect_uri could be built');
  const warnings: string[] = [];
  for (const { name, uri, observed } of variants) {
    const reached = landings(observed.exchanges).find((l) => isAt(l.url, uri));
    if (reached) {
      failCheck(`${name}: the browser was sent to the unregistered redirect_uri ${uri}`, { expected: 'an error page at the provider', actual: { redirect_uri: uri, sentTo: reached.url.href }, exchanges: [reached.exchange.id] });
    }
    const stopped = observed.run.result.stoppedAt;
    if (stopped) {
      failCheck(`${name}: the provider accepted redirect_uri ${uri} and asked the user to ${stopped === 'login' ? 'log in' : 'consent'}; the response would go there next`, {
        expected: 'an error page at the provider',
        actual: outcomeOf(observed),
        exchanges: lastId(observed),
      });
    }
    const toRegistered = landings(observed.exchanges).find((l) => isAt(l.url, registered));
    if (toRegistered) warnings.push(`${name} (${uri}) → ${toRegistered.url.origin}${toRegistered.url.pathname}`);
  }
  if (warnings.length > 0) {
    throw new CheckFailure(`the provider redirected to the registered redirect URI instead of telling the user the redirect_uri was invalid: ${warnings.join('; ')}`, {
      warnOnly: true,
      expected: 'an error page',
      actual: warnings,
      exchanges: variants.flatMap((v) => lastId(v.observed)),
    });
  }
}

/** RFC 6749 4.1.2.1: an untrusted request (unknown or missing client_id) never reaches the redirect URI. */
export function judgeNotRedirected(probes: Array<{ name: string; observed: Observed }>, redirectUri: string): void {
  for (const { name, observed } of probes) {
    const reached = landings(observed.exchanges).find((l) => isAt(l.url, redirectUri));
    if (reached) {
      failCheck(`${name}: the browser was sent to ${redirectUri} although the client cannot be trusted`, {
        expected: 'an error page at the provider (no redirect to the client)',
        actual: { sentTo: reached.url.href },
        exchanges: [reached.exchange.id],
      });
    }
  }
}

/** OIDC Core 3.1.2.2: without redirect_uri nothing is issued; an error sent to the registered URI is only a warning. */
export function judgeRedirectUriRequired(observed: Observed, registered: string): void {
  const exchanges = lastId(observed);
  const tokens = issued(observed);
  if (tokens.length > 0) {
    failCheck(`an OpenID request without redirect_uri got ${tokens.join(', ')} at the registered redirect URI`, { expected: 'an error page', actual: outcomeOf(observed), exchanges });
  }
  if (observed.run.result.stoppedAt === 'consent') {
    failCheck('the request without redirect_uri was accepted: the provider asked for consent', { expected: 'an error page', actual: outcomeOf(observed), exchanges });
  }
  const reached = landings(observed.exchanges).find((l) => isAt(l.url, registered));
  if (reached) {
    throw new CheckFailure(`the missing redirect_uri was answered with an error at the registered redirect URI (${reached.url.searchParams.get('error') ?? 'no error code'}), not an error page`, {
      warnOnly: true,
      expected: 'an error page (OIDC Core 3.1.2.1: redirect_uri is REQUIRED)',
      actual: { sentTo: reached.url.href },
      exchanges: [reached.exchange.id],
    });
  }
}

/** RFC 6749 10.14: the injected tag never comes back as markup in an HTML page. */
export function judgeEscaped(exchanges: Exchange[]): void {
  const pages = exchanges.filter((e) => /html/i.test(headerOf(e, 'content-type') ?? '') && e.response?.body);
  if (pages.length === 0) throw new CheckSkip('the provider answered the injected values with no HTML page');
  for (const page of pages) {
    const body = page.response!.body;
    const at = body.indexOf(PROBE_TAG);
    if (at !== -1) {
      failCheck('injected markup came back unescaped in the provider\'s HTML', {
        expected: `${PROBE_TAG}> escaped (&lt;oidc-conformance-probe&gt;)`,
        actual: body.slice(Math.max(0, at - 80), at + 60),
        exchanges: [page.id],
      });
    }
  }
}

/** RFC 9700 2.1 / 4.11.2: the browser never goes to the foreign origin the probes named. */
export function judgeNoForeignNavigation(probes: Array<{ name: string; observed: Observed }>, foreignOrigin: string): void {
  if (probes.length === 0) throw new CheckSkip('no open-redirect probe could be sent');
  for (const { name, observed } of probes) {
    const away = landings(observed.exchanges).find((l) => l.url.origin === foreignOrigin);
    if (away) {
      failCheck(`${name}: the provider sent the browser to ${away.url.href}`, { expected: `no navigation to ${foreignOrigin}`, actual: { sentTo: away.url.href }, exchanges: [away.exchange.id] });
    }
  }
}

/** The HTML page a request stopped at (the last HTML answer of the provider). */
export function pageExchange(observed: Observed): Exchange | undefined {
  // The arrival at the redirect_uri (form_post) is answered by the harness, not the provider.
  const arrival = observed.run.result.responseExchange;
  return [...observed.exchanges].reverse().find((e) => e.id !== arrival && /html/i.test(headerOf(e, 'content-type') ?? '') && (e.response?.status ?? 0) < 300);
}

export interface ShownPage {
  kind: 'login' | 'consent' | 'error' | 'form_post';
  exchange: Exchange;
}

function frameAncestors(exchange: Exchange): string | undefined {
  const csp = headerOf(exchange, 'content-security-policy');
  const directive = csp?.split(/[;,]/).map((d) => d.trim()).find((d) => /^frame-ancestors(\s|$)/i.test(d));
  return directive?.replace(/^frame-ancestors\s*/i, '');
}

function frameOptions(exchange: Exchange): string | undefined {
  const value = headerOf(exchange, 'x-frame-options')?.trim().toUpperCase();
  return value === 'DENY' || value === 'SAMEORIGIN' ? value : undefined;
}

/**
 * RFC 9700 4.16: interactive pages MUST resist framing; CSP frame-ancestors SHOULD be used (with
 * X-Frame-Options for older browsers), error pages included.
 */
export function judgeNotFrameable(pages: ShownPage[]): void {
  const interactive = pages.filter((p) => p.kind === 'login' || p.kind === 'consent');
  if (interactive.length === 0) throw new CheckSkip('no login or consent page was shown');
  const warnings: string[] = [];
  for (const { kind, exchange } of pages.filter((p) => p.kind !== 'form_post')) {
    const ancestors = frameAncestors(exchange);
    const csp = ancestors !== undefined && !/(^|\s)\*(\s|$)/.test(ancestors);
    const xfo = frameOptions(exchange) !== undefined;
    if (!csp && !xfo) {
      const detail = { expected: "X-Frame-Options: DENY/SAMEORIGIN or CSP frame-ancestors 'none'/'self'", actual: { 'x-frame-options': headerOf(exchange, 'x-frame-options') ?? null, 'frame-ancestors': ancestors ?? null }, exchanges: [exchange.id] };
      if (kind !== 'error') failCheck(`the ${kind} page can be framed by any site (clickjacking)`, detail);
      warnings.push(`the ${kind} page ${exchange.id} can be framed`);
    } else if (!csp) {
      warnings.push(`the ${kind} page ${exchange.id} forbids framing with X-Frame-Options only, no CSP frame-ancestors`);
    }
  }
  if (warnings.length > 0) {
    throw new CheckFailure(warnings.join('; '), { warnOnly: true, expected: 'CSP frame-ancestors on every page (RFC 9700 4.16)', actual: warnings, exchanges: pages.map((p) => p.exchange.id) });
  }
}

export interface SetCookie {
  name: string;
  attributes: Map<string, string>;
  exchange: Exchange;
}

/** Set-Cookie headers of these exchanges (deletions left out). */
export function cookiesSet(exchanges: Exchange[]): SetCookie[] {
  const out: SetCookie[] = [];
  for (const exchange of exchanges) {
    const raw = exchange.response?.headers['set-cookie'];
    for (const line of (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((l) => l.split('\n'))) {
      const [pair = '', ...rest] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq === -1 ? undefined : eq).trim();
      const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
      const attributes = new Map(rest.map((a) => a.trim()).filter(Boolean).map((a) => {
        const i = a.indexOf('=');
        return [(i === -1 ? a : a.slice(0, i)).toLowerCase(), i === -1 ? '' : a.slice(i + 1)] as [string, string];
      }));
      const deleted = value === '' || attributes.get('max-age') === '0' || (attributes.has('expires') && Date.parse(attributes.get('expires')!) < Date.now());
      if (name && !deleted) out.push({ name, attributes, exchange });
    }
  }
  return out;
}

/** The cookies set when the user logs in carry HttpOnly, SameSite (not None) and, over https, Secure. */
export function judgeCookieFlags(cookies: SetCookie[]): void {
  if (cookies.length === 0) throw new CheckSkip('the provider set no cookie while the user logged in');
  const problems: string[] = [];
  for (const { name, attributes, exchange } of cookies) {
    if (!attributes.has('httponly')) problems.push(`${name}: no HttpOnly`);
    const sameSite = attributes.get('samesite')?.toLowerCase();
    if (sameSite !== 'lax' && sameSite !== 'strict') problems.push(`${name}: SameSite=${attributes.get('samesite') ?? 'absent'}`);
    if (exchange.request.url.startsWith('https:') && !attributes.has('secure')) problems.push(`${name}: no Secure over https`);
  }
  if (problems.length > 0) {
    failCheck(`session cookies lack protection: ${problems.join(', ')}`, {
      expected: 'HttpOnly; SameSite=Lax or Strict; Secure over https',
      actual: problems,
      exchanges: [...new Set(cookies.map((c) => c.exchange.id))],
    });
  }
}

/** The POSTs of this request that carried the user's credentials (their body names the username). */
export function credentialPosts(exchanges: Exchange[], username: string): Exchange[] {
  const encoded = [encodeURIComponent(username), new URLSearchParams({ u: username }).toString().slice(2)];
  return exchanges.filter((e) => e.request.method === 'POST' && encoded.some((u) => e.request.body?.includes(`=${u}`)));
}

/** RFC 9700 4.12: a credentials POST is never answered with 307/308; 303 SHOULD be used. */
export function judgeNo307(posts: Exchange[]): void {
  if (posts.length === 0) throw new CheckSkip('no POST carrying the test user\'s name was recorded during login');
  for (const post of posts) {
    const status = post.response?.status;
    if (status === 307 || status === 308) {
      failCheck(`the login POST was answered with HTTP ${status}: the browser re-sends the credentials to the next URL`, { expected: '303 (or a page)', actual: { status, location: headerOf(post, 'location') }, exchanges: [post.id] });
    }
  }
  const loose = posts.filter((p) => p.response?.status === 301 || p.response?.status === 302);
  if (loose.length > 0) {
    throw new CheckFailure(`the login POST was answered with HTTP ${loose[0]!.response!.status}; RFC 9700 4.12 asks for 303 See Other`, {
      warnOnly: true,
      expected: 303,
      actual: loose[0]!.response!.status,
      exchanges: loose.map((p) => p.id),
    });
  }
}

const LEAKY_POLICIES = ['unsafe-url', 'no-referrer-when-downgrade'];
const KNOWN_POLICIES = ['no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url'];

/** The page's effective referrer policy: the meta tag wins over the header; the last known token counts. */
export function referrerPolicy(exchange: Exchange): string | undefined {
  const pick = (value: string | undefined) => value?.split(',').map((v) => v.trim().toLowerCase()).filter((v) => KNOWN_POLICIES.includes(v)).at(-1);
  const meta = /<meta\s+[^>]*name\s*=\s*["']?referrer["']?[^>]*>/i.exec(exchange.response?.body ?? '')?.[0];
  const content = meta ? /content\s*=\s*["']?([^"'>\s]+)/i.exec(meta)?.[1] : undefined;
  return pick(content) ?? pick(headerOf(exchange, 'referrer-policy'));
}

/** Absolute URLs the page loads or links to whose origin is not the page's. */
export function foreignReferences(exchange: Exchange): string[] {
  const body = exchange.response?.body ?? '';
  const origin = safeUrl(exchange.request.url)?.origin;
  const found = new Set<string>();
  const patterns = [/\b(?:src|href|action|data|poster|background)\s*=\s*["']?([^"'\s>]+)/gi, /url\(\s*["']?([^"')\s]+)/gi];
  for (const pattern of patterns) {
    for (const match of body.matchAll(pattern)) {
      const value = match[1]!;
      if (!/^(https?:)?\/\//i.test(value)) continue;
      const url = safeUrl(value, exchange.request.url);
      if (url && url.origin !== origin) found.add(url.href);
    }
  }
  return [...found];
}

/** RFC 9700 4.2.4: no third-party resources or external links, and a referrer policy that keeps URLs in. */
export function judgeNoThirdPartyContent(pages: ShownPage[]): void {
  if (pages.length === 0) throw new CheckSkip('no login, consent or form_post page was shown');
  const problems: string[] = [];
  for (const { kind, exchange } of pages) {
    const foreign = foreignReferences(exchange);
    if (foreign.length > 0) problems.push(`the ${kind} page references other origins: ${foreign.slice(0, 3).join(', ')}`);
    const policy = referrerPolicy(exchange);
    if (policy === undefined) problems.push(`the ${kind} page sets no Referrer-Policy`);
    else if (LEAKY_POLICIES.includes(policy)) problems.push(`the ${kind} page uses Referrer-Policy ${policy}, which sends the full URL to other sites`);
  }
  if (problems.length > 0) {
    failCheck(problems.join('; '), {
      expected: 'no third-party resources or links; Referrer-Policy no-referrer (or another that keeps the URL in)',
      actual: problems,
      exchanges: pages.map((p) => p.exchange.id),
    });
  }
}

export interface ForgedLogin {
  /** The cross-site POST of the login form and what came of it. */
  forged: Observed;
  /** prompt=none sent afterwards in the same browser. */
  after: Observed;
  /** The hidden fields the forged form left out. */
  hidden: string[];
}

/**
 * RFC 6749 10.12, OIDC Core 3.1.2.3: a login form posted from another site without its hidden
 * fields must not sign the user in (no code, no consent page, no session afterwards); a consent
 * form posted so must not issue a code.
 */
export function judgeCsrf(login: ForgedLogin | undefined, consent: Observed | undefined): void {
  if (!login && !consent) throw new CheckSkip('neither the login nor the consent form could be found on the provider\'s pages');
  if (login) {
    const tokens = issued(login.forged);
    if (tokens.length > 0 || login.forged.run.result.stoppedAt === 'consent') {
      failCheck(`a cross-site POST of the login form${login.hidden.length ? ` without its hidden fields (${login.hidden.join(', ')})` : ''} signed the user in`, {
        expected: 'the POST refused',
        actual: outcomeOf(login.forged),
        exchanges: lastId(login.forged),
      });
    }
    const after = login.after.run.result;
    const error = after.outcome === 'response' ? after.params.error : undefined;
    // The login form shown again (a provider that shows it even for prompt=none) also says: not signed in.
    if (after.stoppedAt !== 'login' && (error === undefined || !NOT_SIGNED_IN_ERRORS.includes(error))) {
      failCheck('after a cross-site POST of the login form the browser has a login session: prompt=none no longer answers login_required', {
        expected: `an error among ${NOT_SIGNED_IN_ERRORS.join(', ')}`,
        actual: outcomeOf(login.after),
        exchanges: [...lastId(login.forged), ...lastId(login.after)],
      });
    }
  }
  if (consent) {
    const tokens = issued(consent);
    if (tokens.length > 0) {
      failCheck(`a cross-site POST of the consent form issued ${tokens.join(', ')}`, { expected: 'the POST refused', actual: outcomeOf(consent), exchanges: lastId(consent) });
    }
  }
}

export interface ErrorExpectation {
  errors: string[];
  state: string | undefined;
  via: 'query' | 'fragment' | 'form_post';
  /** The issuer when discovery sets authorization_response_iss_parameter_supported. */
  iss?: string;
}

/** An error response at the redirect_uri: the expected error, in the expected place, state unchanged, iss when advertised, nothing issued. */
export function judgeErrorResponse(observed: Observed, expected: ErrorExpectation): void {
  const { result } = observed.run;
  const exchanges = lastId(observed);
  if (result.outcome !== 'response') {
    failCheck(`no response at the redirect_uri: the provider showed a page (${result.page?.url ?? '?'}, HTTP ${result.page?.status ?? '?'})`, { expected: `error=${expected.errors.join('|')} via ${expected.via}`, actual: outcomeOf(observed), exchanges });
  }
  if (result.via !== expected.via) failCheck(`the error came via ${result.via}, not ${expected.via}`, { expected: expected.via, actual: result.via, exchanges });
  const error = result.params.error;
  if (error === undefined || !expected.errors.includes(error)) failCheck(`error=${error ?? '(none)'} instead of ${expected.errors.join(' or ')}`, { expected: expected.errors, actual: result.params, exchanges });
  if (result.params.state !== expected.state) failCheck('state is missing or changed in the error response', { expected: expected.state ?? null, actual: result.params.state ?? null, exchanges });
  const tokens = issued(observed);
  if (tokens.length > 0) failCheck(`the error response also carries ${tokens.join(', ')}`, { expected: 'only error parameters', actual: Object.keys(result.params), exchanges });
  if (expected.iss !== undefined && result.params.iss !== expected.iss) {
    failCheck(result.params.iss === undefined ? 'no iss although discovery sets authorization_response_iss_parameter_supported' : 'iss differs from the issuer', { expected: expected.iss, actual: result.params.iss ?? null, exchanges });
  }
}

/** Normalised visible text of a consent page. */
function textOf(observed: Observed): string {
  return (observed.run.result.page?.text ?? '').replace(/\s+/g, ' ').trim();
}

/** RFC 6749 10.2: the consent page names the client and the scope: it differs when either changes. */
export function judgeConsentInformative(first: Observed, otherClient: Observed, otherScope: Observed): void {
  const all = [first, otherClient, otherScope];
  if (all.some((o) => o.run.result.stoppedAt !== 'consent')) throw new CheckSkip('prompt=consent did not show a consent page for each request');
  const exchanges = all.flatMap(lastId);
  if (textOf(first) === textOf(otherClient)) {
    failCheck('the consent page reads the same for two different clients: it does not tell the user which client asks', { expected: 'the client named', actual: textOf(first).slice(0, 200), exchanges });
  }
  if (textOf(first) === textOf(otherScope)) {
    failCheck('the consent page reads the same for two different scopes: it does not tell the user what is asked', { expected: 'the requested scope shown', actual: textOf(first).slice(0, 200), exchanges });
  }
}

/** RFC 6749 10.2: a public client's repeated request is not approved without the user. */
export function judgeRepeatedConsent(first: Observed, repeated: Observed): void {
  if (!first.run.result.interactions.includes('consent')) throw new CheckSkip('the public client was approved without a consent page the first time (pre-approved client): nothing to repeat');
  const tokens = issued(repeated);
  if (tokens.length > 0) {
    failCheck(`the public client's repeated request got ${tokens.join(', ')} without the user approving it again`, {
      expected: 'the consent page again (or another user interaction)',
      actual: outcomeOf(repeated),
      exchanges: lastId(repeated),
    });
  }
}

/** RFC 9700 2.1.2: response types that return access tokens from the authorization endpoint. */
export function judgeNoFrontChannelTokens(responseTypes: string[], exchanges: string[]): void {
  const withToken = responseTypes.filter((t) => t.split(' ').includes('token'));
  if (withToken.length > 0) {
    failCheck(`the provider offers response types that return an access token in the front channel: ${withToken.join(', ')}`, {
      expected: 'no response type containing "token"',
      actual: withToken,
      exchanges,
    });
  }
}

/** RFC 9700 4.13: the forged host never shows up in the metadata, nor in an authorization redirect. */
export function judgeForwardedIgnored(discovery: Exchange, baseline: Record<string, unknown>, authorization: Exchange, forgedHost: string): void {
  const json = discovery.response?.json;
  if (typeof json !== 'object' || json === null) throw new CheckSkip('discovery with forwarded headers did not answer JSON');
  const changed = Object.entries(json as Record<string, unknown>).filter(([name, value]) => typeof value === 'string' && (value.includes(forgedHost) || (typeof baseline[name] === 'string' && baseline[name] !== value)));
  if (changed.length > 0) {
    failCheck(`discovery follows the forwarded headers a client sent: ${changed.map(([n]) => n).join(', ')}`, {
      expected: Object.fromEntries(changed.map(([n]) => [n, baseline[n]])),
      actual: Object.fromEntries(changed),
      exchanges: [discovery.id],
    });
  }
  const location = headerOf(authorization, 'location');
  if (location?.includes(forgedHost)) {
    failCheck('the authorization endpoint redirects to the host a client put in forwarded headers', { expected: 'a redirect within the provider', actual: location, exchanges: [authorization.id] });
  }
}

export interface TlsFacts {
  endpoint: string;
  /** The certificate chain and host name validated. */
  certificate: { ok: boolean; error?: string };
  /** A TLS 1.1 (or older) handshake: refused by the server, accepted, or not testable here. */
  legacy: 'refused' | 'accepted' | 'untestable';
  /** The http:// form of the endpoint: what it answered. */
  plain: { status?: number; location?: string; error?: string };
  exchanges: string[];
}

/** RFC 6749 3.1 / 10.9, OIDC Core 16.17: TLS with a valid certificate, no legacy TLS, nothing served over plain http. */
export function judgeTls(facts: TlsFacts): void {
  const { exchanges } = facts;
  if (!facts.certificate.ok) failCheck(`the certificate of ${facts.endpoint} does not validate: ${facts.certificate.error ?? ''}`, { expected: 'a certificate chain clients can validate', actual: facts.certificate.error, exchanges });
  if (facts.legacy === 'accepted') failCheck('the endpoint accepts a TLS 1.1 handshake', { expected: 'TLS 1.2 or newer only (BCP 195)', actual: 'TLS 1.1 accepted', exchanges });
  const { status, location } = facts.plain;
  const served = status !== undefined && ((status >= 200 && status < 300) || (status >= 300 && status < 400 && !(location ?? '').startsWith('https:')));
  if (served) {
    failCheck('the http:// form of the authorization endpoint serves the request instead of refusing it or redirecting to https', { expected: 'a refusal, an error status or a redirect to https', actual: facts.plain, exchanges });
  }
}

/** The variants of a registered redirect URI that simple string comparison must refuse. */
export function redirectUriVariants(uri: string): Array<{ name: string; uri: string }> {
  const base = new URL(uri);
  const loopback = base.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(base.hostname);
  const withPath = (path: string) => {
    const u = new URL(uri);
    u.pathname = path;
    return u.href;
  };
  const path = base.pathname;
  const variants: Array<{ name: string; uri: string }> = [
    { name: 'suffix on the last segment', uri: withPath(`${path.replace(/\/$/, '')}.oidc-conformance`) },
    { name: 'extra path segment', uri: withPath(`${path.replace(/\/$/, '')}/oidc-conformance`) },
    { name: 'trailing slash', uri: path.endsWith('/') ? withPath(path.slice(0, -1) || '/x') : withPath(`${path}/`) },
    { name: 'added query parameter', uri: `${uri.split('#')[0]}${base.search ? '&' : '?'}oidc_conformance=1` },
    { name: 'added fragment', uri: `${uri.split('#')[0]}#oidc-conformance` },
    { name: 'dot-segment escape', uri: `${uri.split(/[?#]/)[0]!.replace(/\/$/, '')}/%2e%2e/oidc-conformance` },
  ];
  if (/[a-z]/.test(path)) variants.push({ name: 'path in other case', uri: withPath(path.replace(/[a-z]/, (c) => c.toUpperCase())) });
  if (!loopback) {
    const port = new URL(uri);
    port.port = String((Number(base.port) || (base.protocol === 'https:' ? 443 : 80)) + 8000);
    variants.push({ name: 'other port', uri: port.href });
  }
  const scheme = new URL(uri);
  if (base.protocol === 'https:' || base.protocol === 'http:') {
    variants.push({ name: base.protocol === 'https:' ? 'http instead of https' : 'https instead of http', uri: `${base.protocol === 'https:' ? 'http' : 'https'}:${scheme.href.slice(scheme.protocol.length)}` });
  }
  return variants.filter((v) => v.uri !== uri);
}


/** RFC 9700 2.2.1: a sender-constraining mechanism the metadata advertises (DPoP, RFC 9449; mTLS, RFC 8705). */
export function judgeSenderConstraining(metadata: Record<string, unknown>, exchanges: string[]): void {
  const dpop = metadata.dpop_signing_alg_values_supported;
  const mtls = metadata.tls_client_certificate_bound_access_tokens;
  if ((Array.isArray(dpop) && dpop.length > 0) || mtls === true) return;
  failCheck('the provider advertises no way to sender-constrain access tokens: bearer tokens work for whoever holds them', {
    expected: 'dpop_signing_alg_values_supported or tls_client_certificate_bound_access_tokens: true',
    actual: { dpop_signing_alg_values_supported: dpop ?? null, tls_client_certificate_bound_access_tokens: mtls ?? null },
    exchanges,
  });
}

/** RFC 6750 5.3: bearer tokens SHOULD be short-lived (one hour or less). */
export function judgeTokenLifetime(tokenResponse: Exchange): number {
  const json = tokenResponse.response?.json;
  const expiresIn = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).expires_in : undefined;
  if (typeof expiresIn !== 'number') throw new CheckSkip(`the token response gives no numeric expires_in (${tokenResponse.id}), so the lifetime cannot be judged`);
  if (expiresIn > 3600) {
    failCheck(`the access token lives ${expiresIn} s, more than one hour`, { expected: 'expires_in <= 3600', actual: expiresIn, exchanges: [tokenResponse.id] });
  }
  return expiresIn;
}

/** RFC 6749 3.1.2: the query of a registered redirect URI is kept when the response parameters are added. */
export function judgeRegisteredQueryKept(observed: Observed, registered: string): void {
  const own = [...new URL(registered).searchParams];
  if (own.length === 0) throw new CheckSkip('the profile\'s redirect_uri has no query component (register one with a query to run this check)');
  const arrival = landings(observed.exchanges).find((l) => l.url.origin + l.url.pathname === new URL(registered).origin + new URL(registered).pathname);
  if (!arrival) failCheck('no response arrived at the redirect_uri to judge', { expected: registered, actual: outcomeOf(observed), exchanges: lastId(observed) });
  const lost = own.filter(([name, value]) => !arrival.url.searchParams.getAll(name).includes(value));
  if (lost.length > 0) {
    failCheck(`the response dropped the registered query parameters ${lost.map(([n]) => n).join(', ')}`, { expected: registered, actual: arrival.url.href, exchanges: [arrival.exchange.id] });
  }
}
