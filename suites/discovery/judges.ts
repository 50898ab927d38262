// Judges of the discovery document: pure functions of what was fetched, so each one can be
// proven on a good and a bad sample without a provider.
import { CheckFailure, failCheck } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectJsonContentType, expectSchema, expectStatus, headerOf, isLoopbackUrl, jsonObject } from '../../harness/judge/exchange.ts';
import { decodeIdToken } from '../../harness/tokens/id-token.ts';

export type Metadata = Record<string, unknown>;

export const ENDPOINT_MEMBERS = [
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'registration_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'end_session_endpoint',
] as const;

export function judgeServed(exchange: Exchange): void {
  expectStatus(exchange, 200);
  expectJsonContentType(exchange);
  jsonObject(exchange);
}

export function judgeIssuerMatches(metadata: Metadata, expectedIssuer: string, exchanges: string[]): void {
  if (metadata.issuer !== expectedIssuer) {
    failCheck('issuer differs from the URL the configuration was fetched from', { expected: expectedIssuer, actual: metadata.issuer, exchanges });
  }
}

export function judgeRequiredMembers(exchange: Exchange, metadata: Metadata): void {
  expectSchema(exchange, 'discovery', metadata);
}

export function judgeRs256(metadata: Metadata, exchanges: string[]): void {
  const algs = metadata.id_token_signing_alg_values_supported;
  if (!Array.isArray(algs) || !algs.includes('RS256')) {
    failCheck('id_token_signing_alg_values_supported does not contain RS256', { expected: 'contains "RS256"', actual: algs, exchanges });
  }
}

export function judgeNoEmptyArrays(metadata: Metadata, exchanges: string[]): void {
  const empty = Object.entries(metadata).filter(([, v]) => Array.isArray(v) && v.length === 0).map(([k]) => k);
  if (empty.length > 0) failCheck(`members with zero elements: ${empty.join(', ')}`, { expected: 'no empty arrays', actual: empty, exchanges });
}

/** https, no query, no fragment; plain http on a loopback host is only a warning. */
export function judgeHttpsUrl(name: string, value: unknown, exchanges: string[], allowQuery: boolean): void {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    failCheck(`${name} is not a URL`, { expected: 'an https URL', actual: value, exchanges });
  }
  if (url.hash !== '' || String(value).includes('#')) failCheck(`${name} has a fragment`, { expected: 'no fragment', actual: value, exchanges });
  if (!allowQuery && url.search !== '') failCheck(`${name} has a query`, { expected: 'no query', actual: value, exchanges });
  if (url.protocol === 'https:') return;
  const loopback = url.protocol === 'http:' && isLoopbackUrl(url.href);
  throw new CheckFailure(`${name} is not https${loopback ? ' (loopback test target)' : ''}`, { expected: 'https', actual: value, exchanges, warnOnly: loopback });
}

export function judgeEndpointsHttps(metadata: Metadata, exchanges: string[]): void {
  const problems: CheckFailure[] = [];
  for (const member of ENDPOINT_MEMBERS) {
    if (metadata[member] === undefined) continue;
    try {
      judgeHttpsUrl(member, metadata[member], exchanges, true);
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      problems.push(error);
    }
  }
  const hard = problems.filter((p) => !p.warnOnly);
  if (problems.length > 0) {
    throw new CheckFailure(problems.map((p) => p.message).join('; '), { expected: 'https endpoints without fragments', actual: Object.fromEntries(ENDPOINT_MEMBERS.filter((m) => metadata[m] !== undefined).map((m) => [m, metadata[m]])), exchanges, warnOnly: hard.length === 0 });
  }
}

export function judgeEndpointAnswered(member: string, exchange: Exchange): void {
  const status = exchange.response?.status;
  if (status === undefined || status === 404 || status >= 500) {
    failCheck(`${member} does not answer (HTTP ${status ?? 'none'})`, { expected: 'any answer but 404 or 5xx', actual: status, exchanges: [exchange.id] });
  }
}

export function judgeOpenidScope(metadata: Metadata, exchanges: string[]): void {
  const scopes = metadata.scopes_supported;
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.includes('openid'))) {
    failCheck('scopes_supported does not list openid', { expected: 'contains "openid"', actual: scopes, exchanges });
  }
}

export function judgeMemberPresent(metadata: Metadata, member: string, exchanges: string[]): void {
  if (metadata[member] === undefined) failCheck(`${member} is not published`, { expected: `${member} present`, actual: undefined, exchanges });
}

const BOOLEAN_FLAGS = ['claims_parameter_supported', 'request_parameter_supported', 'request_uri_parameter_supported', 'require_request_uri_registration'];

export function judgeBooleanFlags(metadata: Metadata, exchanges: string[]): void {
  const wrong = BOOLEAN_FLAGS.filter((f) => metadata[f] !== undefined && typeof metadata[f] !== 'boolean');
  if (wrong.length > 0) failCheck(`not JSON booleans: ${wrong.join(', ')}`, { expected: 'true or false', actual: Object.fromEntries(wrong.map((f) => [f, metadata[f]])), exchanges });
}

export function judgeAuthSigningAlgs(metadata: Metadata, exchanges: string[]): void {
  for (const prefix of ['token_endpoint', 'revocation_endpoint', 'introspection_endpoint']) {
    const methods = metadata[`${prefix}_auth_methods_supported`];
    const algs = metadata[`${prefix}_auth_signing_alg_values_supported`];
    if (Array.isArray(algs) && algs.includes('none')) {
      failCheck(`${prefix}_auth_signing_alg_values_supported contains "none"`, { expected: 'no "none"', actual: algs, exchanges });
    }
    const jwtMethod = Array.isArray(methods) && methods.some((m) => m === 'private_key_jwt' || m === 'client_secret_jwt');
    if (jwtMethod && !Array.isArray(algs)) {
      failCheck(`${prefix}_auth_methods_supported lists a JWT method but ${prefix}_auth_signing_alg_values_supported is missing`, { expected: 'the signing algs listed', actual: algs, exchanges });
    }
  }
}

export function judgePkceMethods(metadata: Metadata, exchanges: string[]): void {
  const methods = metadata.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    failCheck('code_challenge_methods_supported is missing or lacks S256', { expected: 'a list containing "S256"', actual: methods, exchanges });
  }
}

export function judgeCors(exchange: Exchange, origin: string): void {
  const allowed = headerOf(exchange, 'access-control-allow-origin');
  if (allowed !== '*' && allowed !== origin) {
    failCheck('no Access-Control-Allow-Origin for a cross-origin request', { expected: `* or ${origin}`, actual: allowed ?? '(none)', exchanges: [exchange.id] });
  }
}

export function judgeRfc8414(exchange: Exchange, oidc: Metadata, issuer: string): void {
  if (exchange.response?.status === 404) {
    failCheck('no RFC 8414 metadata at the well-known location (RECOMMENDED by RFC 9700 2.6)', { expected: 'HTTP 200', actual: 404, exchanges: [exchange.id] });
  }
  judgeServed(exchange);
  const as = jsonObject(exchange);
  if (as.issuer !== issuer) failCheck('RFC 8414 issuer differs from the issuer', { expected: issuer, actual: as.issuer, exchanges: [exchange.id] });
  if (as.jwks_uri !== oidc.jwks_uri) failCheck('RFC 8414 jwks_uri differs from the OpenID one', { expected: oidc.jwks_uri, actual: as.jwks_uri, exchanges: [exchange.id] });
}

/** RFC 8414 3: /.well-known/oauth-authorization-server goes between the host and the issuer's path. */
export function rfc8414Url(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/** DSC-09 (OIDC Discovery 3, OIDC Core 16.15): the ID token's iss is the metadata issuer, character for character. */
export function judgeIdTokenIssuer(metadata: Metadata, idToken: string, exchanges: string[]): void {
  const { claims } = decodeIdToken(idToken, exchanges);
  if (claims.iss !== metadata.issuer) {
    failCheck('the iss of an ID token the provider issued differs from the issuer in its metadata', { expected: metadata.issuer, actual: claims.iss, exchanges });
  }
}

/** The token endpoint errors that say a grant is not offered (to anyone, or to this client). */
export const GRANT_REFUSALS = ['unsupported_grant_type', 'unauthorized_client'];

function errorOf(exchange: Exchange): unknown {
  const json = exchange.response?.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>).error : undefined;
}

/** DSC-19: a grant listed in grant_types_supported, sent as documented, is not refused as unsupported or unauthorized. */
export function judgeGrantNotRefused(grantType: string, exchange: Exchange): void {
  const error = errorOf(exchange);
  if (typeof error === 'string' && GRANT_REFUSALS.includes(error)) {
    failCheck(`${grantType} is listed in grant_types_supported but the token endpoint refuses it with ${error}`, {
      expected: `the ${grantType} grant accepted (not ${GRANT_REFUSALS.join(' or ')})`,
      actual: { status: exchange.response?.status, error },
      exchanges: [exchange.id],
    });
  }
}

/** token_endpoint_auth_methods_supported, or its default client_secret_basic (OIDC Discovery 3). */
export function listedAuthMethods(metadata: Metadata): string[] {
  const methods = metadata.token_endpoint_auth_methods_supported;
  return Array.isArray(methods) ? methods.map(String) : ['client_secret_basic'];
}

/** DSC-25: every profile client authenticates with a method the metadata lists. */
export function judgeClientMethodsListed(metadata: Metadata, clients: Array<{ role: string; method: string }>, exchanges: string[]): void {
  const listed = listedAuthMethods(metadata);
  const unlisted = clients.filter((c) => !listed.includes(c.method));
  if (unlisted.length > 0) {
    failCheck(`profile clients use auth methods token_endpoint_auth_methods_supported does not list: ${unlisted.map((c) => `${c.role} (${c.method})`).join(', ')}`, {
      expected: `every client's method among ${JSON.stringify(listed)}${metadata.token_endpoint_auth_methods_supported === undefined ? ' (the default)' : ''}`,
      actual: unlisted,
      exchanges,
    });
  }
}

/** DSC-25: a client registered for an advertised method, authenticating with it, is not refused as invalid_client. */
export function judgeClientAuthenticated(method: string, exchange: Exchange): void {
  const error = errorOf(exchange);
  const status = exchange.response?.status;
  if (status === 401 || error === 'invalid_client') {
    failCheck(`${method} is advertised but a client registered for it, authenticating with it, was refused (HTTP ${status ?? 'none'}${typeof error === 'string' ? ` ${error}` : ''})`, {
      expected: `the client authenticated with ${method}`,
      actual: { status, error },
      exchanges: [exchange.id],
    });
  }
}
