// Judges of token endpoint exchanges: pure functions of one recorded exchange each, so every one
// can be proven on a good and a bad sample without a provider.
import { CheckFailure, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import {
  expectJsonContentType,
  expectNoStore,
  expectOAuthError,
  expectPragmaNoCache,
  expectSchema,
  expectStatus,
  headerOf,
  jsonObject,
} from '../../harness/judge/exchange.ts';
import { judgeHttpsUrl } from '../discovery/judges.ts';

/** scope-token *( SP scope-token ), scope-token = 1*NQCHAR (RFC 6749 3.3). */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

function statusOf(exchange: Exchange): number | undefined {
  return exchange.response?.status;
}

function bodyOf(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.response?.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

export function judgeUnsupportedGrantType(exchange: Exchange): void {
  expectOAuthError(exchange, { status: 400, error: 'unsupported_grant_type' });
}

/** invalid_request with HTTP 400: a missing grant_type, a repeated parameter. */
export function judgeInvalidRequest(exchange: Exchange): void {
  expectOAuthError(exchange, { status: 400, error: 'invalid_request' });
}

export function judgeGetRefused(exchange: Exchange): void {
  const status = statusOf(exchange);
  if (status !== undefined && status >= 400 && status < 500) return;
  const issued = bodyOf(exchange)?.access_token !== undefined;
  failCheck(`a token request sent as GET was answered HTTP ${status ?? 'none'}${issued ? ' with an access token' : ''}`, {
    expected: 'a 4xx refusal (405 with Allow: POST is the clearest)',
    actual: { status, access_token: issued ? '(issued)' : undefined },
    exchanges: [exchange.id],
  });
}

export function judgeSecretInQueryRefused(exchange: Exchange): void {
  const status = statusOf(exchange) ?? 0;
  const body = bodyOf(exchange);
  const issued = body?.access_token !== undefined;
  // A 2xx carrying an error body is a refusal with the wrong status: judged by the error checks.
  if (issued || (status >= 200 && status < 300 && body?.error === undefined)) {
    failCheck(`client credentials sent in the URL query were accepted (HTTP ${status}${issued ? ', tokens issued' : ''})`, {
      expected: 'a refusal: credentials in the query never authenticate a client',
      actual: { status, access_token: issued ? '(issued)' : undefined },
      exchanges: [exchange.id],
    });
  }
}

/** RFC 6749 5.1: no-store is a MUST; a missing Pragma: no-cache alone only warns (RFC 9111 deprecates it). */
export function judgeNoStore(exchange: Exchange): void {
  expectNoStore(exchange);
  expectPragmaNoCache(exchange);
}

export function judgeJsonBody(exchange: Exchange): void {
  expectJsonContentType(exchange);
  jsonObject(exchange);
}

export function judgeTokenType(exchange: Exchange): void {
  const body = jsonObject(exchange);
  const type = body.token_type;
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    failCheck(type === undefined ? 'the token response has no token_type' : `token_type is ${JSON.stringify(type)}, not Bearer`, {
      expected: 'token_type "Bearer" (any case)',
      actual: type,
      exchanges: [exchange.id],
    });
  }
}

const STRING_MEMBERS = ['access_token', 'token_type', 'refresh_token', 'id_token', 'scope'];

export function judgeJsonTypes(exchange: Exchange): void {
  const body = jsonObject(exchange);
  const exchanges = [exchange.id];
  const problems: string[] = [];
  if (body.access_token === undefined) problems.push('access_token is not a top-level member');
  for (const name of STRING_MEMBERS) {
    const value = body[name];
    if (value !== undefined && value !== null && typeof value !== 'string') problems.push(`${name} is a JSON ${Array.isArray(value) ? 'array' : typeof value}, not a string`);
  }
  const expiresIn = body.expires_in;
  if (expiresIn !== undefined && expiresIn !== null && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    problems.push(`expires_in is ${JSON.stringify(expiresIn)}, not a non-negative JSON number`);
  }
  if (problems.length > 0) {
    failCheck(problems.join('; '), {
      expected: 'top-level members; expires_in a JSON number; tokens, token_type and scope strings',
      actual: Object.fromEntries(['token_type', 'expires_in', 'scope'].map((n) => [n, body[n]])),
      exchanges,
    });
  }
}

export function judgeNoNullMembers(exchange: Exchange): void {
  const body = jsonObject(exchange);
  const nulls = Object.entries(body).filter(([, v]) => v === null).map(([k]) => k);
  if (nulls.length > 0) failCheck(`members sent as null: ${nulls.join(', ')}`, { expected: 'members without a value left out', actual: nulls, exchanges: [exchange.id] });
}

/** Returns whether the response had a scope to judge. */
export function judgeScopeFormat(exchange: Exchange): boolean {
  const body = jsonObject(exchange);
  const scope = body.scope;
  if (scope === undefined) return false;
  if (typeof scope !== 'string' || !SCOPE.test(scope)) {
    const why =
      typeof scope !== 'string'
        ? `a JSON ${Array.isArray(scope) ? 'array' : typeof scope}`
        : /^ | $/.test(scope)
          ? 'leading or trailing spaces'
          : / {2}/.test(scope)
            ? 'several spaces in a row'
            : /[\t\r\n]/.test(scope)
              ? 'tabs or line breaks as separators'
              : scope === ''
                ? 'empty'
                : 'characters outside NQCHAR (%x21 / %x23-5B / %x5D-7E)';
      failCheck(`scope is not space-delimited scope tokens: ${why}`, { expected: 'scope tokens separated by single spaces', actual: scope, exchanges: [exchange.id] });
  }
  return true;
}

/** Returns whether the exchange carried an RFC 6749 error body to judge. */
export function judgeErrorCharset(exchange: Exchange): boolean {
  const body = bodyOf(exchange);
  if (!body || body.error === undefined) return false;
  expectSchema(exchange, 'error-response', body);
  return true;
}

/** A well-formed grant request with an extra (unknown or empty) parameter still succeeds. */
export function judgeStillSucceeds(exchange: Exchange, what: string): void {
  const body = bodyOf(exchange);
  if (statusOf(exchange) !== 200 || typeof body?.access_token !== 'string') {
    failCheck(`the token request with ${what} failed: HTTP ${statusOf(exchange) ?? 'none'}${body?.error !== undefined ? ` ${String(body.error)}` : ''}`, {
      expected: `HTTP 200 with an access token (${what} makes no difference)`,
      actual: { status: statusOf(exchange), error: body?.error, error_description: body?.error_description },
      exchanges: [exchange.id],
    });
  }
}

export function judgeBasicChallenge(exchange: Exchange): void {
  expectOAuthError(exchange, { status: 401, error: 'invalid_client' });
  const challenge = headerOf(exchange, 'www-authenticate');
  if (!challenge || !/(^|,)\s*Basic(\s|,|$)/i.test(challenge)) {
    failCheck(challenge ? 'the 401 after HTTP Basic does not challenge with the Basic scheme' : 'the 401 after HTTP Basic has no WWW-Authenticate header', {
      expected: 'WWW-Authenticate: Basic realm="..."',
      actual: challenge ?? '(no WWW-Authenticate)',
      exchanges: [exchange.id],
    });
  }
}

export function judgeInvalidClient(exchange: Exchange): void {
  expectOAuthError(exchange, { status: [400, 401], error: 'invalid_client' });
}

export function judgeTwoAuthMethods(exchange: Exchange): void {
  expectOAuthError(exchange, { status: [400, 401], error: ['invalid_request', 'invalid_client'] });
}

export function judgeBasicUrlEncoded(exchange: Exchange): void {
  const body = bodyOf(exchange);
  if (statusOf(exchange) === 401 || body?.error === 'invalid_client') {
    failCheck('a client whose id or secret needs form-urlencoding fails HTTP Basic authentication', {
      expected: 'the client authenticates (credentials form-urldecoded after base64, RFC 6749 2.3.1)',
      actual: { status: statusOf(exchange), error: body?.error },
      exchanges: [exchange.id],
    });
  }
  expectStatus(exchange, [200, 400], 'status after HTTP Basic with encoded credentials');
}

/**
 * client_secret_basic is supported: token_endpoint_auth_methods_supported lists it or is absent
 * (OIDC Discovery 3: the default), and no Basic-authenticated request was refused as invalid_client.
 */
export function judgeBasicSupported(metadata: Record<string, unknown>, basicRequests: Exchange[]): void {
  const methods = metadata.token_endpoint_auth_methods_supported;
  if (Array.isArray(methods) && !methods.includes('client_secret_basic')) {
    failCheck('token_endpoint_auth_methods_supported does not list client_secret_basic', { expected: 'client_secret_basic listed (or the member left out)', actual: methods, exchanges: ids(basicRequests) });
  }
  const refused = basicRequests.filter((e) => bodyOf(e)?.error === 'invalid_client' || statusOf(e) === 401);
  if (refused.length > 0) {
    failCheck('a request with the right HTTP Basic credentials was refused as invalid_client', { expected: 'the client authenticated', actual: refused.map((e) => ({ status: statusOf(e), error: bodyOf(e)?.error })), exchanges: ids(refused) });
  }
}

/** Authenticating with a method other than the registered one is refused as a client authentication failure. */
export function judgeOtherMethodRefused(exchange: Exchange): void {
  expectOAuthError(exchange, { status: [400, 401], error: ['invalid_client', 'invalid_request'] });
}

function ids(exchanges: Exchange[]): string[] {
  return exchanges.map((e) => e.id);
}

/** Asymmetric client authentication methods (RFC 9700 2.5: RECOMMENDED). */
export const ASYMMETRIC_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'];

export function judgeAsymmetricAuthOffered(metadata: Record<string, unknown>, exchanges: string[]): void {
  const methods = metadata.token_endpoint_auth_methods_supported;
  const listed = Array.isArray(methods) ? methods : ['client_secret_basic'];
  if (!listed.some((m) => ASYMMETRIC_AUTH_METHODS.includes(String(m)))) {
    failCheck('token_endpoint_auth_methods_supported offers no asymmetric client authentication (RFC 9700 2.5 recommends private_key_jwt or mTLS)', {
      expected: `one of ${ASYMMETRIC_AUTH_METHODS.join(', ')}`,
      actual: methods ?? '(absent: client_secret_basic only)',
      exchanges,
    });
  }
}

/**
 * TOK-06, CODE-14: the token endpoint, where client secrets and passwords travel, is https (RFC 6749
 * 2.3.1, 3.2); plain http on a loopback test target is only a warning.
 */
export function judgeTls(tokenEndpoint: unknown, exchanges: string[]): void {
  judgeHttpsUrl('token_endpoint', tokenEndpoint, exchanges, true);
}

// ---- credentials in the body: the declared policy (TOK-03) ---------------------------------------

/** Whether the exchange got past client authentication: tokens, or an error that is not about the client. */
function authenticated(exchange: Exchange): boolean {
  const error = bodyOf(exchange)?.error;
  return statusOf(exchange) !== 401 && error !== 'invalid_client' && (statusOf(exchange) === 200 || (typeof error === 'string' && error !== 'invalid_request'));
}

/**
 * TOK-03 (RFC 6749 2.3.1: credentials in the body MAY be supported, NOT RECOMMENDED): a client
 * sending its secret in the body gets through when the profile declares them accepted, and is
 * refused when it declares them refused.
 */
export function judgeBodyCredentialsPolicy(exchange: Exchange, declaredAccepted: boolean): string {
  const through = authenticated(exchange);
  const seen = `HTTP ${statusOf(exchange) ?? 'none'}${typeof bodyOf(exchange)?.error === 'string' ? ` ${String(bodyOf(exchange)?.error)}` : ''}`;
  if (declaredAccepted && !through) {
    failCheck(`a client_secret_post client sending its secret in the body was refused (${seen}), though the profile declares body credentials accepted`, {
      expected: 'the client authenticated',
      actual: { status: statusOf(exchange), error: bodyOf(exchange)?.error },
      exchanges: [exchange.id],
    });
  }
  if (!declaredAccepted && through) {
    failCheck(`client credentials in the body were accepted (${seen}), though the profile declares them refused (policies.client_secret_post: false)`, {
      expected: 'invalid_client or invalid_request',
      actual: { status: statusOf(exchange), error: bodyOf(exchange)?.error },
      exchanges: [exchange.id],
    });
  }
  return declaredAccepted
    ? `credentials in the body are accepted (${seen}), as declared; RFC 6749 2.3.1 does not recommend them`
    : `credentials in the body are refused (${seen}), as declared`;
}

// ---- client_secret_jwt assertions (TOK-10 to TOK-14) ---------------------------------------------

export interface AssertionAttempt {
  what: string;
  exchange: Exchange;
}

/** Tokens were issued (an error body with HTTP 200 is not a grant: the error's status is judged by the refusal). */
function granted(exchange: Exchange): boolean {
  return typeof bodyOf(exchange)?.access_token === 'string';
}

/** The well-formed assertion worked: the baseline every refusal is measured against. */
export function judgeAssertionAccepted({ what, exchange }: AssertionAttempt): void {
  if (!granted(exchange)) {
    failCheck(`${what} was refused (HTTP ${statusOf(exchange) ?? 'none'}${typeof bodyOf(exchange)?.error === 'string' ? ` ${String(bodyOf(exchange)?.error)}` : ''})`, {
      expected: 'HTTP 200 with tokens',
      actual: bodyOf(exchange) ?? exchange.response?.body.slice(0, 200),
      exchanges: [exchange.id],
    });
  }
}

/** A bad assertion gets no token: an RFC 6749 5.2 error, invalid_client (RFC 7521 4.2.1) or invalid_request. */
export function judgeAssertionRefused({ what, exchange }: AssertionAttempt): void {
  if (granted(exchange)) {
    failCheck(`${what} was accepted: the token endpoint issued tokens`, { expected: 'invalid_client', actual: { status: statusOf(exchange) }, exchanges: [exchange.id] });
  }
  expectOAuthError(exchange, { status: [400, 401], error: ['invalid_client', 'invalid_request'] });
}

/**
 * TOK-10: the well-formed assertion is accepted and each one with a claim wrong or missing is
 * refused; the issuer as aud (the OIDC Core errata-3 draft) refused is only a warning.
 */
export function judgeAssertionClaims(valid: AssertionAttempt, issuerAudience: AssertionAttempt | undefined, bad: AssertionAttempt[]): string {
  judgeAssertionAccepted(valid);
  for (const attempt of bad) judgeAssertionRefused(attempt);
  if (issuerAudience && !granted(issuerAudience.exchange)) {
    throw new CheckFailure(`${issuerAudience.what} was refused (OIDC Core errata 3 draft: aud is the issuer)`, {
      expected: 'accepted',
      actual: bodyOf(issuerAudience.exchange),
      exchanges: [issuerAudience.exchange.id],
      warnOnly: true,
    });
  }
  return `accepted with aud the token endpoint${issuerAudience ? ' and with aud the issuer' : ''}; refused: ${bad.map((a) => a.what).join(', ')}`;
}
