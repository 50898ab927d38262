// Judges of code-flow results: pure functions of what the browser and the HTTP recorder saw, so
// each can be proven on a good and a bad sample without a provider or a browser. Tokens never go
// into a message or an expected/actual value: the recorded exchanges carry them, redacted.
import { CheckFailure, type PassDetails, failCheck, skipCheck } from '../../harness/checks.ts';
import type { AuthorizationResult, AuthorizationRun } from '../../harness/flows/authorization.ts';
import { memberOf } from '../../harness/flows/steps.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectInvalidClient, expectNoStore, expectPragmaNoCache, expectTokenError, expectTokenSuccess, headerOf } from '../../harness/judge/exchange.ts';
import { judgeNoUnaskedScopeClaims } from '../../harness/judge/scope-claims.ts';
import { decodeJwt } from 'jose';
import { type Claims, type IdTokenExpectations, decodeIdToken, validateIdToken } from '../../harness/tokens/id-token.ts';
import { isJws, maxEntropyBits } from '../refresh-token/judges.ts';
import { judgeAccepted, judgeSubMatches } from '../userinfo/judges.ts';

/** Where a response was seen: the exchange that carried it, else the last one recorded. */
export function evidenceOf(run: AuthorizationRun): string[] {
  const id = run.result.responseExchange ?? run.result.exchanges.at(-1);
  return id ? [id] : [];
}

function body(exchange: Exchange | undefined): Record<string, unknown> | undefined {
  const json = exchange?.response?.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

const member = (exchange: Exchange | undefined, name: string): string | undefined => (exchange ? memberOf(exchange, name) : undefined);

/** The token endpoint handed out tokens (whatever its status said). */
export function issuedTokens(exchange: Exchange | undefined): boolean {
  return member(exchange, 'access_token') !== undefined;
}

/** A request to a protected resource or the token endpoint was honoured. */
function honoured(exchange: Exchange): boolean {
  const status = exchange.response?.status;
  return status !== undefined && status >= 200 && status < 300;
}

/** What the authorization endpoint said, in words, for messages. */
export function describeAnswer(run: AuthorizationRun): string {
  const { result } = run;
  if (result.outcome === 'page') return `a page of its own (${result.page?.url ?? '?'}, HTTP ${result.page?.status ?? '?'})`;
  if (result.params.error !== undefined) return `error=${result.params.error}${result.params.error_description ? ` (${result.params.error_description})` : ''}`;
  return result.params.code !== undefined ? 'a code' : `a response without code (${Object.keys(result.params).join(', ') || 'no parameters'})`;
}

// ---- the authorization response ---------------------------------------------------------------

/** OIDC Core 3.1.2.5: a code in the query of the redirect_uri, and no token in the response. */
export function judgeCodeResponse(run: AuthorizationRun): void {
  const exchanges = evidenceOf(run);
  const { result } = run;
  if (result.outcome !== 'response') {
    failCheck(`the provider did not answer the redirect_uri: it showed a page (${result.page?.url ?? '?'}, HTTP ${result.page?.status ?? '?'})`, { expected: 'a redirect to the redirect_uri with code', actual: result.page?.text.slice(0, 200) ?? null, exchanges });
  }
  if (typeof result.params.error === 'string') failCheck(`the provider answered with error=${result.params.error}`, { expected: 'code', actual: result.params, exchanges });
  if (result.via !== 'query') failCheck(`the code response came in the ${result.via}, not the query (the default response mode of response_type=code)`, { expected: 'query', actual: result.via, exchanges });
  if (!result.params.code) failCheck('the authorization response has no code', { expected: 'code', actual: Object.keys(result.params), exchanges });
  const tokens = ['access_token', 'id_token', 'refresh_token'].filter((name) => name in result.params);
  if (tokens.length > 0) failCheck(`response_type=code returned ${tokens.join(', ')} from the authorization endpoint`, { expected: 'no tokens', actual: tokens, exchanges });
}

// ---- the token response --------------------------------------------------------------------------

/** OIDC Core 3.1.3.3: 200 JSON with access_token, token_type Bearer and an id_token. */
export function judgeTokenExchange(exchange: Exchange): Record<string, unknown> {
  const json = expectTokenSuccess(exchange);
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer') failCheck('token_type is not Bearer', { expected: 'Bearer', actual: json.token_type ?? null, exchanges: [exchange.id] });
  if (typeof json.id_token !== 'string') failCheck('no id_token in the token response to an openid request', { expected: 'id_token', actual: Object.keys(json), exchanges: [exchange.id] });
  return json;
}

/** SKIP (pointing at the check that judges it) unless the redemption handed out tokens. */
export function requireRedeemed(exchange: Exchange, see: string): Record<string, unknown> {
  if (exchange.response?.status !== 200 || !issuedTokens(exchange)) {
    skipCheck(`the code redemption (${exchange.id}) did not succeed (HTTP ${exchange.response?.status ?? 'nothing'}${member(exchange, 'error') ? ` ${member(exchange, 'error')}` : ''}): see ${see}`);
  }
  return body(exchange)!;
}

/**
 * The ID token of a code redemption, fully validated (harness/tokens/id-token.ts): signature via
 * the JWK Set and kid, iss, aud, azp, exp, iat, sub, the request's nonce, and at_hash when present
 * (OPTIONAL at the token endpoint, OIDC Core 3.1.3.6).
 */
export async function judgeIdToken(exchange: Exchange, run: AuthorizationRun, expect: Omit<IdTokenExpectations, 'exchanges' | 'nonce' | 'accessToken' | 'code'>): Promise<PassDetails> {
  const json = requireRedeemed(exchange, 'the token-exchange check of this client');
  const token = json.id_token;
  const exchanges = [exchange.id, ...evidenceOf(run)];
  const { claims } = decodeIdToken(token, exchanges);
  // at_hash and c_hash are optional in the token endpoint's ID token; when present they must match
  // the access token and the redeemed code (OIDC Core 3.1.3.6, 3.3.3.6).
  const accessToken = claims.at_hash === undefined ? undefined : member(exchange, 'access_token');
  const code = claims.c_hash === undefined ? undefined : run.result.params.code;
  await validateIdToken(token, { ...expect, nonce: run.sent.nonce, accessToken, ...(code === undefined ? {} : { code }), exchanges });
  const hashes = [claims.at_hash === undefined ? 'no at_hash' : 'at_hash matches', ...(code === undefined ? [] : ['c_hash matches'])];
  return { exchanges, evidence: { claims }, message: `the ID token validates (${hashes.join(', ')}, nonce ${run.sent.nonce === undefined ? 'not sent' : 'matches'})` };
}

/** OIDC Core 3.1.3.7 (11) and 2: the nonce sent comes back in the ID token, byte for byte. */
export function judgeNonceInIdToken(exchange: Exchange, run: AuthorizationRun): PassDetails {
  const json = requireRedeemed(exchange, 'code-flow/token-exchange-basic');
  const exchanges = [exchange.id, ...evidenceOf(run)];
  if (run.sent.nonce === undefined) skipCheck('the request carried no nonce');
  const { claims } = decodeIdToken(json.id_token, exchanges);
  if (claims.nonce === undefined) failCheck('the ID token has no nonce although the request carried one', { expected: run.sent.nonce, actual: '(no nonce)', exchanges });
  if (claims.nonce !== run.sent.nonce) failCheck('the ID token nonce differs from the request', { expected: run.sent.nonce, actual: claims.nonce, exchanges });
  return { exchanges, message: 'the ID token carries the request nonce unchanged' };
}

/** The authorization endpoint answered with a code (the check's own flow: no code is its FAIL). */
export function judgeCodeIssued(run: AuthorizationRun, what: string): string {
  const code = run.result.outcome === 'response' ? run.result.params.code : undefined;
  if (code === undefined) {
    failCheck(`${what}: the provider answered ${describeAnswer(run)}`, { expected: 'a code at the redirect_uri', actual: run.result.outcome === 'response' ? run.result.params : run.result.page?.text.slice(0, 200), exchanges: evidenceOf(run) });
  }
  return code;
}

/** The flow succeeded: a code at the redirect_uri, and its redemption granted tokens. */
export function judgeFlowSucceeds(run: AuthorizationRun, redemption: Exchange | undefined, what: string): PassDetails {
  const exchanges = evidenceOf(run);
  judgeCodeIssued(run, what);
  if (!redemption) throw new Error('the code was not redeemed');
  try {
    expectTokenSuccess(redemption);
  } catch (error) {
    if (error instanceof CheckFailure) error.message = `${what}: ${error.message}`;
    throw error;
  }
  return { exchanges: [...exchanges, redemption.id], message: `${what}: a code, redeemed (${redemption.id})` };
}

/** A code flow without nonce works (nonce is OPTIONAL for response_type=code, OIDC Core 3.1.2.1). */
export function judgeNoNonce(run: AuthorizationRun, redemption: Exchange | undefined): PassDetails {
  const passed = judgeFlowSucceeds(run, redemption, 'a request without nonce');
  const json = judgeTokenExchange(redemption!);
  const { claims } = decodeIdToken(json.id_token, passed.exchanges!);
  if (claims.nonce !== undefined) {
    throw new CheckFailure('the ID token carries a nonce although the request sent none', { expected: '(no nonce)', actual: claims.nonce, exchanges: passed.exchanges, warnOnly: true });
  }
  return { ...passed, message: 'a request without nonce got a code, and an ID token without nonce' };
}

/** UserInfo took the access token and answered the same sub as the ID token (OIDC Core 5.3.2). */
export function judgeUserinfo(exchange: Exchange, how: string, idTokenSub: string | undefined, idTokenExchange: string): PassDetails {
  judgeAccepted(exchange, how);
  judgeSubMatches(exchange, idTokenSub, idTokenExchange);
  return { exchanges: [exchange.id, idTokenExchange], message: `${how}: 200 with the ID token's sub` };
}

/** The sub of the redemption's ID token (decoded: its validity is the id-token checks' business). */
export function idTokenSubOf(exchange: Exchange): string | undefined {
  const token = member(exchange, 'id_token');
  if (token === undefined) return undefined;
  const sub = decodeIdToken(token, [exchange.id]).claims.sub;
  return typeof sub === 'string' ? sub : undefined;
}

/** OIDC Core 5.4/5.5: the ID token carries no claim of a scope value the request did not ask for (a warning). */
export function judgeIdTokenOpenidScopeOnly(exchange: Exchange, scope: string): PassDetails {
  const json = requireRedeemed(exchange, 'code-flow/token-exchange-basic');
  if (typeof json.id_token !== 'string') failCheck('the token response has no id_token', { expected: 'an id_token', actual: Object.keys(json), exchanges: [exchange.id] });
  const { claims } = decodeIdToken(json.id_token, [exchange.id]);
  return judgeNoUnaskedScopeClaims([{ label: 'the ID token', claims, scope }], [exchange.id]);
}

/** RFC 6749 5.1: Cache-Control: no-store (and Pragma: no-cache, only a warning) on the token response. */
export function judgeNoStore(exchange: Exchange): PassDetails {
  requireRedeemed(exchange, 'code-flow/token-exchange-basic');
  expectNoStore(exchange);
  expectPragmaNoCache(exchange);
  return { exchanges: [exchange.id], message: `Cache-Control: ${headerOf(exchange, 'cache-control')}` };
}

/** RFC 6749 5.1: expires_in RECOMMENDED, and a JSON number of seconds when present. */
export function judgeExpiresIn(exchange: Exchange): PassDetails {
  const json = requireRedeemed(exchange, 'code-flow/token-exchange-basic');
  const value = json.expires_in;
  if (value === undefined) {
    throw new CheckFailure('the token response has no expires_in (RECOMMENDED; the lifetime must then be documented)', { expected: 'expires_in', actual: '(absent)', exchanges: [exchange.id], warnOnly: true });
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    failCheck('expires_in is not a non-negative JSON number of seconds', { expected: 'a JSON number, e.g. 3600', actual: value, exchanges: [exchange.id] });
  }
  return { exchanges: [exchange.id], message: `expires_in ${value}` };
}

/** The claims of a JWT access token, when it is one. */
function jwtClaims(token: string | undefined): Claims | undefined {
  try {
    return token === undefined ? undefined : (decodeJwt(token) as Claims);
  } catch {
    return undefined;
  }
}

/**
 * RFC 6749 5.1: scope is REQUIRED in the token response when the granted scope differs from the
 * requested one. Without it the response claims everything requested (the unknown value too):
 * refuted when the access token is a JWT whose scope says otherwise.
 */
export function judgeScopeReturned(redemption: Exchange, requested: string[]): PassDetails {
  const json = requireRedeemed(redemption, 'code-flow/unknown-scope-ignored');
  const exchanges = [redemption.id];
  if (typeof json.scope === 'string') return { exchanges, message: `the token response states the granted scope: "${json.scope}"` };
  const claims = jwtClaims(member(redemption, 'access_token'));
  const granted = typeof claims?.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : undefined;
  const same = (a: string[], b: string[]) => [...new Set(a)].sort().join(' ') === [...new Set(b)].sort().join(' ');
  const withoutOffline = (scopes: string[]) => scopes.filter((s) => s !== 'offline_access');
  if (granted && !same(withoutOffline(granted), withoutOffline(requested))) {
    failCheck('the token response leaves out scope although the access token was granted another scope than requested', { expected: 'a scope member', actual: { requested: requested.join(' '), accessTokenScope: granted.join(' ') }, exchanges });
  }
  return { exchanges, message: 'no scope member: the provider states it granted the whole requested scope (nothing observable contradicts it)' };
}

// ---- refused redemptions ----------------------------------------------------------------------------

/** A redemption that must not hand out tokens, answered with one of these RFC 6749 5.2 errors. */
export function judgeRefused(exchange: Exchange, what: string, errors: string[]): PassDetails {
  if (issuedTokens(exchange)) {
    failCheck(`${what} was accepted: the token endpoint issued tokens`, { expected: errors.join(' or '), actual: { status: exchange.response?.status, issued: Object.keys(body(exchange) ?? {}) }, exchanges: [exchange.id] });
  }
  try {
    if (errors.includes('invalid_client') && errors.length === 1) expectInvalidClient(exchange);
    else expectTokenError(exchange, { status: errors.includes('invalid_client') ? [400, 401] : 400, error: errors });
  } catch (error) {
    if (error instanceof CheckFailure) error.message = `${what}: ${error.message}`;
    throw error;
  }
  return { exchanges: [exchange.id], message: `${what} is refused with ${String(member(exchange, 'error'))}` };
}

/**
 * RFC 6749 4.1.3: redirect_uri is REQUIRED at the token endpoint when the authorization request
 * carried it. OIDC Core 3.1.3.2 lets a provider proceed without it when the client registered one
 * redirect URI only, which the harness cannot see: an accepted redemption is a warning.
 */
export function judgeRedirectUriOmitted(exchange: Exchange): PassDetails {
  if (issuedTokens(exchange)) {
    throw new CheckFailure('a redemption without the redirect_uri of the authorization request was accepted (allowed by OIDC Core 3.1.3.2 only when the client registered a single redirect URI)', {
      expected: 'invalid_request or invalid_grant',
      actual: { status: exchange.response?.status, issued: Object.keys(body(exchange) ?? {}) },
      exchanges: [exchange.id],
      warnOnly: true,
    });
  }
  return judgeRefused(exchange, 'a redemption without redirect_uri', ['invalid_request', 'invalid_grant']);
}

/** SKIP unless the authorization that should give the test its code did. */
export function requireCode(run: AuthorizationRun, purpose: string): string {
  const code = run.result.outcome === 'response' ? run.result.params.code : undefined;
  if (code === undefined) skipCheck(`no code to ${purpose}: the authorization endpoint answered ${describeAnswer(run)} (${evidenceOf(run).join(', ') || 'no exchange'})`);
  return code;
}

/**
 * RFC 7636 4.4.1 with the profile's pkce_required policy: a public client's request without
 * code_challenge gets invalid_request at the redirect_uri, never a code. With "none" the outcome is
 * recorded (RFC 7636 5 lets a provider accept clients without PKCE).
 */
export function judgePkceRequired(run: AuthorizationRun, policy: 'public' | 'all' | 'none'): PassDetails {
  const exchanges = evidenceOf(run);
  const { result } = run;
  if (policy === 'none') return { exchanges, message: `the profile says PKCE is not required (pkce_required none); a public client's request without code_challenge got ${describeAnswer(run)}` };
  if (result.outcome === 'response' && result.params.code !== undefined) {
    failCheck('a public client got a code without sending a code_challenge although the profile says PKCE is required', { expected: 'error=invalid_request', actual: 'a code', exchanges });
  }
  if (result.outcome !== 'response') {
    throw new CheckFailure(`the request was refused with a page of the provider's own instead of an error response at the redirect_uri (${result.page?.url ?? '?'})`, { expected: 'error=invalid_request at the redirect_uri', actual: result.page?.text.slice(0, 200), exchanges, warnOnly: true });
  }
  if (result.params.error !== 'invalid_request') failCheck(`the request without code_challenge got error=${result.params.error ?? '(none)'}`, { expected: 'invalid_request', actual: result.params.error, exchanges });
  return { exchanges, message: 'a public client\'s request without code_challenge gets invalid_request' };
}

/**
 * RFC 7636 4.3: a challenge without method is plain. Where plain is advertised
 * (code_challenge_methods_supported), verifier = challenge redeems; where it is not, the request
 * gets invalid_request (4.4.1) or, if a code is issued anyway, plain still applies.
 */
export function judgePlainDefault(run: AuthorizationRun, redemption: Exchange | undefined, plainAdvertised: boolean): PassDetails {
  const exchanges = evidenceOf(run);
  const { result } = run;
  if (result.outcome === 'response' && result.params.code === undefined) {
    if (plainAdvertised) failCheck(`a code_challenge without code_challenge_method was refused (error=${result.params.error ?? '?'}) although discovery lists plain`, { expected: 'a code', actual: result.params, exchanges });
    if (result.params.error !== 'invalid_request') failCheck(`plain is not offered, but the request got error=${result.params.error ?? '(none)'}`, { expected: 'invalid_request', actual: result.params.error, exchanges });
    return { exchanges, message: 'plain is not offered, and a challenge without method (plain) gets invalid_request' };
  }
  if (result.outcome !== 'response') skipCheck(`the authorization endpoint answered ${describeAnswer(run)}`);
  if (!redemption) throw new Error('the code was not redeemed');
  if (!issuedTokens(redemption)) {
    failCheck('a code issued for a challenge without method (plain) is not redeemed by verifier = challenge', { expected: 'tokens', actual: { status: redemption.response?.status, error: member(redemption, 'error') }, exchanges: [...exchanges, redemption.id] });
  }
  return { exchanges: [...exchanges, redemption.id], message: `a challenge without method is treated as plain${plainAdvertised ? '' : ' (though discovery does not list plain)'}` };
}

/** A code and the challenge it was issued for. */
export interface IssuedCode {
  code: string;
  exchange: string;
  challenge?: string;
}

/** The readable forms of a code: itself, and each base64url part decoded (a JWT's header and payload). */
function readableForms(code: string): string[] {
  const forms = [code];
  for (const part of code.split('.')) {
    try {
      forms.push(Buffer.from(part, 'base64url').toString('latin1'));
    } catch {
      // not base64url
    }
  }
  return forms;
}

/** RFC 7636 4.4: the code_challenge is not readable from the code (CODE-29). */
export function judgeChallengeNotExposed(codes: IssuedCode[]): PassDetails {
  const withChallenge = codes.filter((c) => c.challenge !== undefined);
  if (withChallenge.length === 0) skipCheck('no code issued for a code_challenge to look at');
  for (const { code, exchange, challenge } of withChallenge) {
    if (readableForms(code).some((form) => form.includes(challenge!))) {
      failCheck('the code carries its code_challenge readably', { expected: 'a code that does not reveal the challenge', actual: 'the challenge appears in the code or in a decoded part of it', exchanges: [exchange] });
    }
  }
  return { exchanges: [...new Set(withChallenge.map((c) => c.exchange))], message: `${withChallenge.length} codes, none revealing its code_challenge` };
}

/**
 * An estimate of the randomness of several codes of one format: each character position that holds
 * the same character in every code carries none, the others at most what their alphabet allows.
 * With a few random codes, a random position repeating in all of them is vanishingly unlikely.
 */
function estimateEntropyBits(codes: string[]): number {
  const shortest = Math.min(...codes.map((c) => c.length));
  const upper = Math.min(...codes.map((c) => maxEntropyBits(c)));
  if (codes.length < 2) return upper;
  let constant = 0;
  for (let i = 0; i < shortest; i++) if (codes.every((c) => c[i] === codes[0]![i])) constant++;
  const longest = Math.max(...codes.map((c) => c.length));
  return Math.floor(upper * (1 - constant / longest));
}

/** RFC 6749 10.10: guessing a code has a probability of at most 2^-128 (SHOULD 2^-160). */
export function judgeCodesUnguessable(codes: IssuedCode[]): PassDetails {
  if (codes.length === 0) skipCheck('no code was issued to look at');
  const exchanges = [...new Set(codes.map((c) => c.exchange))];
  const seen = new Map<string, string>();
  for (const { code, exchange } of codes) {
    const earlier = seen.get(code);
    if (earlier !== undefined) failCheck('the same code was issued twice', { expected: 'a new value each time', actual: `the value of ${earlier} again`, exchanges: [earlier, exchange] });
    seen.set(code, exchange);
  }
  const opaque = codes.filter((c) => !isJws(c.code)).map((c) => c.code);
  if (opaque.length === 0) return { exchanges, message: `${codes.length} structured (JWT) codes: their signature, not their length, stops forgery` };
  const bits = estimateEntropyBits(opaque);
  const details = { expected: 'at least 128 bits (160 recommended)', actual: `about ${bits} bits over ${opaque.length} codes of ${Math.min(...opaque.map((c) => c.length))}+ characters`, exchanges };
  if (bits < 128) failCheck(`the codes hold at most about ${bits} bits of randomness`, details);
  if (bits < 160) throw new CheckFailure(`the codes hold about ${bits} bits of randomness, below the recommended 160`, { ...details, warnOnly: true });
  return { exchanges, message: `${codes.length} distinct codes, about ${bits} bits each (estimated over ${opaque.length})` };
}

// ---- the refresh-token rule --------------------------------------------------------------------------

export type CodeFlowRefreshRule = 'offline_access+prompt_consent' | 'offline_access' | 'always' | 'never';

/** Whether the documented rule issues a refresh token for this request. */
function refreshDue(rule: CodeFlowRefreshRule, offlineAccess: boolean, promptConsent: boolean): boolean {
  switch (rule) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'offline_access':
      return offlineAccess;
    case 'offline_access+prompt_consent':
      return offlineAccess && promptConsent;
  }
}

/** One cell of the offline_access x prompt=consent matrix: the request and its redemption. */
export interface RefreshCombination {
  offlineAccess: boolean;
  promptConsent: boolean;
  /** The redemption, or why there is none (the authorization failed). */
  redemption: Exchange | string;
}

function describeCombination(c: Pick<RefreshCombination, 'offlineAccess' | 'promptConsent'>): string {
  return `${c.offlineAccess ? 'with' : 'without'} offline_access, ${c.promptConsent ? 'with' : 'without'} prompt=consent`;
}

/** OIDC Core 11 as the profile documents it: a refresh token for exactly the combinations the rule names. */
export function judgeRefreshRule(combinations: RefreshCombination[], rule: CodeFlowRefreshRule): PassDetails {
  const exchanges = combinations.flatMap((c) => (typeof c.redemption === 'string' ? [] : [c.redemption.id]));
  const seen: string[] = [];
  for (const combination of combinations) {
    const { redemption } = combination;
    const label = describeCombination(combination);
    if (typeof redemption === 'string') failCheck(`the code flow ${label} did not get to a redemption: ${redemption}`, { expected: 'a code', actual: redemption, exchanges });
    expectTokenSuccess(redemption);
    const issued = member(redemption, 'refresh_token') !== undefined;
    const due = refreshDue(rule, combination.offlineAccess, combination.promptConsent);
    if (issued && !due) failCheck(`a refresh token was issued ${label}, which the documented rule (${rule}) does not allow`, { expected: 'no refresh_token', actual: 'a refresh_token', exchanges: [redemption.id] });
    if (!issued && due) failCheck(`no refresh token ${label}, although the documented rule (${rule}) issues one`, { expected: 'a refresh_token', actual: 'none', exchanges: [redemption.id] });
    seen.push(`${label}: ${issued ? 'refresh token' : 'none'}`);
  }
  return { exchanges, message: `as the rule "${rule}" says: ${seen.join('; ')}` };
}

/** The text of the HTML pages a flow went through (the consent page among them). */
function pageText(pages: Exchange[]): string {
  return pages
    .filter((e) => /text\/html/i.test(headerOf(e, 'content-type') ?? '') && e.response?.status === 200)
    .map((e) => e.response!.body.replace(/<[^>]*>/g, ' '))
    .join('\n');
}

/**
 * OIDC Core 11: consent for offline access is obtained (prompt=consent shows the consent page,
 * OIDC Core 3.1.2.1), and the page should say what is asked; a page that does not name offline
 * access is only a warning (a heuristic: the page may word it otherwise).
 */
export function judgeOfflineAccessConsent(consentOnly: AuthorizationRun, offline: AuthorizationRun, offlinePages: Exchange[]): PassDetails {
  const exchanges = [...consentOnly.result.exchanges, ...offline.result.exchanges];
  for (const [run, what] of [[consentOnly, 'prompt=consent'], [offline, 'offline_access with prompt=consent']] as const) {
    if (!run.result.interactions.includes('consent')) {
      failCheck(`${what} completed without showing the consent page`, { expected: 'the consent page', actual: `${describeAnswer(run)} after ${run.result.interactions.join(', ') || 'no interaction'}`, exchanges: run.result.exchanges });
    }
  }
  if (!/offline|refresh token/i.test(pageText(offlinePages))) {
    throw new CheckFailure('the consent page for offline_access does not mention offline access', { expected: 'a consent page naming offline access', actual: 'no "offline" on the pages shown', exchanges: offline.result.exchanges, warnOnly: true });
  }
  return { exchanges, message: 'the consent page is shown for prompt=consent and names offline access' };
}

/** OIDC Core 11: offline_access is ignored unless the response type returns a code. */
export function judgeOfflineNeedsCode(run: AuthorizationRun): PassDetails {
  const exchanges = evidenceOf(run);
  const { result } = run;
  if (result.outcome !== 'response' || result.params.access_token === undefined) {
    skipCheck(`the id_token token request was not answered with tokens: ${describeAnswer(run)} (the implicit suite judges that flow)`);
  }
  if (result.params.refresh_token !== undefined) {
    failCheck('a response type without code returned a refresh token for offline_access', { expected: 'no refresh_token', actual: 'a refresh_token', exchanges });
  }
  if (result.params.scope?.split(' ').includes('offline_access')) {
    throw new CheckFailure('offline_access appears in the granted scope of a response type without code (OIDC Core 11: it is ignored there)', { expected: 'no offline_access', actual: result.params.scope, exchanges, warnOnly: true });
  }
  return { exchanges, message: 'no refresh token for offline_access without a code' };
}

/** A refresh token issued under the rule refreshes (RFC 6749 6). */
export function judgeRefreshWorks(grant: Exchange, refresh: Exchange | undefined, rule: CodeFlowRefreshRule): PassDetails {
  requireRedeemed(grant, 'code-flow/refresh-token-rule');
  if (member(grant, 'refresh_token') === undefined) {
    failCheck(`the code redemption returned no refresh token although the documented rule (${rule}) issues one for offline_access with prompt=consent`, { expected: 'a refresh_token', actual: Object.keys(body(grant) ?? {}), exchanges: [grant.id] });
  }
  if (!refresh) throw new Error('the refresh request was not sent');
  expectTokenSuccess(refresh);
  return { exchanges: [grant.id, refresh.id], message: `the code flow's refresh token refreshes (${refresh.id})` };
}

// ---- one-time use and what follows it --------------------------------------------------------------

/** The second redemption of a code was refused with invalid_grant, the first having succeeded. */
export function judgeReuseRefused(first: Exchange, second: Exchange): PassDetails {
  requireRedeemed(first, 'code-flow/token-exchange-basic');
  const passed = judgeRefused(second, 'the second redemption of a code', ['invalid_grant']);
  return { exchanges: [first.id, second.id], message: passed.message };
}

/** A token that must be dead by now, and the request that tried it. */
export interface Attempt {
  what: string;
  exchange: Exchange;
}

/** Each attempt was refused: UserInfo did not answer 2xx, the token endpoint issued nothing. */
export function judgeTokensDead(attempts: Attempt[], context: string, options: { warnOnly?: boolean } = {}): PassDetails {
  if (attempts.length === 0) skipCheck('no token to try');
  for (const { what, exchange } of attempts) {
    if (honoured(exchange) || issuedTokens(exchange)) {
      throw new CheckFailure(`${what} still works ${context}`, { expected: 'refused (401 or invalid_grant)', actual: { status: exchange.response?.status }, exchanges: attempts.map((a) => a.exchange.id), warnOnly: options.warnOnly ?? false });
    }
  }
  return { exchanges: attempts.map((a) => a.exchange.id), message: `${attempts.map((a) => a.what).join(' and ')} refused ${context}` };
}

/** Of several parallel requests with one one-time artefact, at most one was honoured. */
export function judgeAtMostOnce(exchanges: Exchange[], what: string): PassDetails {
  const ids = exchanges.map((e) => e.id);
  const winners = exchanges.filter(issuedTokens);
  if (winners.length > 1) {
    failCheck(`${what} succeeded ${winners.length} times out of ${exchanges.length} parallel requests`, { expected: 'at most one success', actual: winners.map((w) => `${w.id}: HTTP ${w.response?.status}`), exchanges: ids });
  }
  const statuses = exchanges.map((e) => e.response?.status ?? 'no response').join(', ');
  return { exchanges: ids, message: `${winners.length} of ${exchanges.length} parallel requests succeeded (HTTP ${statuses})` };
}

/** The successful one among parallel attempts, and whether the others were refused. */
export function raceOutcome(exchanges: Exchange[]): { winners: Exchange[]; refused: Exchange[] } {
  return { winners: exchanges.filter(issuedTokens), refused: exchanges.filter((e) => !issuedTokens(e)) };
}

/**
 * RFC 7009 2.1: "The invalidation takes place immediately, and the token cannot be used again
 * after the revocation." The refresh token sent right after the 200 must be refused; the grant's
 * access token still working then is a warning (revoking a refresh token SHOULD also revoke them).
 */
export function judgeRevocationImmediate(revocation: Exchange, refresh: Exchange, userinfo: Exchange | undefined): PassDetails {
  if (revocation.response?.status !== 200) skipCheck(`the revocation (${revocation.id}) answered HTTP ${revocation.response?.status ?? 'nothing'} (the revocation suite judges it)`);
  const exchanges = [revocation.id, refresh.id, ...(userinfo ? [userinfo.id] : [])];
  if (issuedTokens(refresh)) {
    failCheck('the refresh token still refreshes right after its revocation was answered 200', { expected: 'invalid_grant', actual: { status: refresh.response?.status }, exchanges });
  }
  if (userinfo && honoured(userinfo)) {
    throw new CheckFailure("the grant's access token still works at UserInfo right after its refresh token was revoked", { expected: 'HTTP 401', actual: { status: userinfo.response?.status }, exchanges, warnOnly: true });
  }
  return { exchanges, message: `right after the revocation's 200, the refresh token is refused (HTTP ${refresh.response?.status})${userinfo ? ` and so is the access token (HTTP ${userinfo.response?.status})` : ''}` };
}

/** RP-Initiated Logout then prompt=none: once logged out, silent authentication fails. */
export function judgeLogoutEndsSilentLogin(logout: AuthorizationResult, logoutPages: Exchange[], silent: AuthorizationRun): PassDetails {
  const exchanges = [...logout.exchanges, ...evidenceOf(silent)];
  const last = logoutPages.at(-1);
  if (last?.response && /<form\b/i.test(last.response.body) && logout.outcome === 'page' && !logout.interactions.includes('confirm')) {
    skipCheck(`the provider asks the user to confirm the logout (${last.id}) and the profile has no login.logout steps to confirm it with: the session may still be on`);
  }
  if (silent.result.outcome === 'response' && silent.result.params.code !== undefined) {
    failCheck('after RP-initiated logout, a prompt=none request still got a code', { expected: 'error=login_required (or another error)', actual: 'a code', exchanges });
  }
  return { exchanges, message: `after logout, prompt=none got ${describeAnswer(silent)}` };
}
