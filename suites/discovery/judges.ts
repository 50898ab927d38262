// Judges of the discovery document: pure functions of what was fetched, so each one can be
// proven on a good and a bad sample without a provider.
import { CheckFailure, CheckSkip, failCheck } from '../../harness/checks.ts';
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

/** Endpoints whose requests are POSTs by their spec: endpoints-answer probes them with an empty POST. */
export const POST_ENDPOINT_MEMBERS: ReadonlySet<string> = new Set(['token_endpoint', 'revocation_endpoint', 'introspection_endpoint']);

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

// ---- extension members (DSC-06) ----------------------------------------------------------------

/**
 * Metadata names registered for authorization servers and OpenID providers: OIDC Discovery 3,
 * RFC 8414 2, the IANA "OAuth Authorization Server Metadata" registry (session management,
 * front- and back-channel and RP-initiated logout, mTLS, PAR, JAR, JARM, DPoP, RAR, CIBA, device
 * flow, RFC 9207, JWT introspection responses, prompt=create, OpenID Federation).
 */
export const REGISTERED_METADATA: readonly string[] = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'registration_endpoint',
  'scopes_supported', 'response_types_supported', 'response_modes_supported', 'grant_types_supported', 'acr_values_supported',
  'subject_types_supported', 'id_token_signing_alg_values_supported', 'id_token_encryption_alg_values_supported',
  'id_token_encryption_enc_values_supported', 'userinfo_signing_alg_values_supported', 'userinfo_encryption_alg_values_supported',
  'userinfo_encryption_enc_values_supported', 'request_object_signing_alg_values_supported',
  'request_object_encryption_alg_values_supported', 'request_object_encryption_enc_values_supported',
  'token_endpoint_auth_methods_supported', 'token_endpoint_auth_signing_alg_values_supported', 'display_values_supported',
  'claim_types_supported', 'claims_supported', 'service_documentation', 'claims_locales_supported', 'ui_locales_supported',
  'claims_parameter_supported', 'request_parameter_supported', 'request_uri_parameter_supported',
  'require_request_uri_registration', 'op_policy_uri', 'op_tos_uri',
  'revocation_endpoint', 'revocation_endpoint_auth_methods_supported', 'revocation_endpoint_auth_signing_alg_values_supported',
  'introspection_endpoint', 'introspection_endpoint_auth_methods_supported', 'introspection_endpoint_auth_signing_alg_values_supported',
  'code_challenge_methods_supported', 'signed_metadata',
  'check_session_iframe', 'end_session_endpoint', 'frontchannel_logout_supported', 'frontchannel_logout_session_supported',
  'backchannel_logout_supported', 'backchannel_logout_session_supported',
  'device_authorization_endpoint', 'tls_client_certificate_bound_access_tokens', 'mtls_endpoint_aliases',
  'pushed_authorization_request_endpoint', 'require_pushed_authorization_requests', 'require_signed_request_object',
  'authorization_signing_alg_values_supported', 'authorization_encryption_alg_values_supported',
  'authorization_encryption_enc_values_supported', 'authorization_response_iss_parameter_supported',
  'dpop_signing_alg_values_supported', 'authorization_details_types_supported',
  'backchannel_token_delivery_modes_supported', 'backchannel_authentication_endpoint',
  'backchannel_authentication_request_signing_alg_values_supported', 'backchannel_user_code_parameter_supported',
  'introspection_signing_alg_values_supported', 'introspection_encryption_alg_values_supported',
  'introspection_encryption_enc_values_supported', 'prompt_values_supported',
  'client_registration_types_supported', 'federation_registration_endpoint', 'request_authentication_methods_supported',
  'request_authentication_signing_alg_values_supported', 'organization_name', 'signed_jwks_uri', 'jwks',
];

function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The registered member an unregistered name looks like a misspelling of (case, separators, or up to 2 edits), if any. */
export function nearMissOf(name: string, registered: readonly string[] = REGISTERED_METADATA): string | undefined {
  if (registered.includes(name)) return undefined;
  const normal = normalisedName(name);
  const sameLetters = registered.find((r) => normalisedName(r) === normal);
  if (sameLetters) return sameLetters;
  if (name.length < 8) return undefined;
  return registered.find((r) => editDistance(name, r, 2) <= 2);
}

/** DSC-06: extension members are fine (OIDC Discovery 4.2); a near miss of a registered name is not what its author meant. */
export function judgeExtensionMembers(metadata: Metadata, exchanges: string[]): { message: string; evidence: Record<string, unknown> } {
  const extensions = Object.keys(metadata).filter((name) => !REGISTERED_METADATA.includes(name));
  const nearMisses = extensions.flatMap((name) => {
    const meant = nearMissOf(name);
    return meant === undefined ? [] : [{ member: name, looksLike: meant }];
  });
  if (nearMisses.length > 0) {
    failCheck(`members that look like misspelt registered metadata, which clients ignore: ${nearMisses.map((n) => `${n.member} (${n.looksLike}?)`).join(', ')}`, {
      expected: 'registered names spelt exactly, or extension names unlike them',
      actual: nearMisses,
      exchanges,
    });
  }
  return {
    message: extensions.length > 0 ? `extension members, none a near miss of a registered name: ${extensions.join(', ')}` : 'every member is a registered metadata name',
    evidence: { extensions },
  };
}

// ---- WebFinger issuer discovery (DSC-10) ------------------------------------------------------

export const ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';

/** OIDC Discovery 2.1: an e-mail-like identifier as acct:, else the user at the issuer's host. */
export function webfingerResource(issuer: string, username: string | undefined): string {
  if (username === undefined) return new URL(issuer).origin;
  return username.includes('@') ? `acct:${username}` : `acct:${username}@${new URL(issuer).hostname}`;
}

/** OIDC Discovery 2: the WebFinger query at the host of the resource (here, the issuer's). */
export function webfingerUrl(issuer: string, resource: string): string {
  const query = new URLSearchParams({ resource, rel: ISSUER_REL });
  return `${new URL(issuer).origin}/.well-known/webfinger?${query.toString()}`;
}

/** Statuses that say WebFinger is not served at all (the check SKIPs). */
const WEBFINGER_ABSENT = [404, 405, 410, 501];

export function judgeWebfingerIssuer(exchange: Exchange, metadata: Metadata, cited: string[]): string {
  const status = exchange.response?.status;
  const exchanges = [...cited, exchange.id];
  const where = exchange.request.url.split('?')[0];
  if (status === undefined || WEBFINGER_ABSENT.includes(status) || status >= 500) {
    throw new CheckSkip(`no WebFinger issuer discovery at ${where} (HTTP ${status ?? 'none'}, ${exchange.id})`);
  }
  const json = exchange.response?.json;
  const links = status === 200 && typeof json === 'object' && json !== null ? (json as Record<string, unknown>).links : undefined;
  const link = Array.isArray(links)
    ? (links as unknown[]).find((l): l is Record<string, unknown> => typeof l === 'object' && l !== null && (l as Record<string, unknown>).rel === ISSUER_REL)
    : undefined;
  if (link === undefined) {
    // A WebFinger service for other purposes, or none at all (an HTML page): OIDC issuer discovery is not offered.
    throw new CheckSkip(`${where} answers HTTP ${status} without an issuer link (rel ${ISSUER_REL}), so WebFinger issuer discovery is not offered (${exchange.id})`);
  }
  if (link.href !== metadata.issuer) {
    failCheck('the issuer WebFinger returns differs from the metadata issuer', { expected: metadata.issuer, actual: link.href, exchanges });
  }
  return `WebFinger returns the issuer ${JSON.stringify(link.href)}`;
}

// ---- registration_endpoint (DSC-15) -----------------------------------------------------------

export function judgeRegistrationEndpoint(metadata: Metadata, offered: boolean | undefined, exchanges: string[]): string {
  const advertised = typeof metadata.registration_endpoint === 'string';
  if (offered === true && !advertised) {
    failCheck('the profile says the provider offers dynamic client registration, but discovery advertises no registration_endpoint', {
      expected: 'registration_endpoint present',
      actual: metadata.registration_endpoint,
      exchanges,
    });
  }
  if (advertised) return `registration_endpoint is advertised: ${String(metadata.registration_endpoint)}`;
  if (offered === false) return 'the profile says the provider offers no dynamic registration, and discovery advertises none';
  throw new CheckSkip('discovery advertises no registration_endpoint and the profile does not say whether dynamic registration is offered (features.endpoints.registration)');
}

// ---- response modes (DSC-18) --------------------------------------------------------------------

export interface ModeProbe {
  mode: string;
  /** Listed in response_modes_supported (or its default). */
  listed: boolean;
  exchange: Exchange;
}

function baseOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function decodeHtml(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (entity: string, code: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (code.startsWith('#')) return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10));
    return named[code.toLowerCase()] ?? entity;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = match?.[2] ?? match?.[3] ?? match?.[4];
  return value === undefined ? undefined : decodeHtml(value);
}

/** The fields of the auto-submitting form that posts to `redirectUri` (OAuth 2.0 Form Post 2), if the page holds one. */
export function formPostFields(html: string, redirectUri: string): Record<string, string> | undefined {
  for (const form of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = form[1] ?? '';
    if ((attribute(tag, 'method') ?? 'get').toLowerCase() !== 'post' || attribute(tag, 'action') !== redirectUri) continue;
    const fields: Record<string, string> = {};
    for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
      const name = attribute(input[1] ?? '', 'name');
      if (name !== undefined) fields[name] = attribute(input[1] ?? '', 'value') ?? '';
    }
    return fields;
  }
  return undefined;
}

/** Whether the probe's answer delivered the error response in its mode: undefined when it did, else what came instead. */
export function modeMiss(probe: ModeProbe, redirectUri: string, state: string): string | undefined {
  const response = probe.exchange.response;
  const status = response?.status;
  if (!response) return 'no answer';
  if (probe.mode === 'form_post') {
    // Form Post 2 sets no status: a browser submits the form of a 400 page too (oidc-provider
    // answers errors with their status), so the form, not the status, is what delivers.
    const fields = formPostFields(response.body, redirectUri);
    if (!fields) return `HTTP ${status} without a form posting to the redirect URI`;
    if (fields.error === undefined || fields.state !== state) return `a form posting ${JSON.stringify(fields)} (an error and the state expected)`;
    return undefined;
  }
  const location = headerOf(probe.exchange, 'location');
  let target: URL | undefined;
  try {
    target = location ? new URL(location, probe.exchange.request.url) : undefined;
  } catch {
    target = undefined;
  }
  if (status === undefined || status < 300 || status >= 400 || !target || baseOf(target) !== baseOf(new URL(redirectUri))) {
    return `HTTP ${status}${location ? ` to ${location}` : ''}, not a redirect to the redirect URI`;
  }
  const params = new URLSearchParams(probe.mode === 'fragment' ? target.hash.slice(1) : target.search);
  const elsewhere = new URLSearchParams(probe.mode === 'fragment' ? target.search : target.hash.slice(1));
  if (params.get('error') === null || params.get('state') !== state) {
    return `a redirect without the error and state in the ${probe.mode === 'fragment' ? 'fragment' : 'query'} (${target.href})`;
  }
  if (elsewhere.get('error') !== null) return `the error also in the ${probe.mode === 'fragment' ? 'query' : 'fragment'} (${target.href})`;
  return undefined;
}

/** DSC-18: every listed mode delivers; an unlisted form_post that delivers is only a warning. */
export function judgeResponseModes(probes: ModeProbe[], redirectUri: string, state: string, notProbed: string[]): string {
  const exchanges = probes.map((p) => p.exchange.id);
  const misses = probes.map((probe) => ({ probe, miss: modeMiss(probe, redirectUri, state) }));
  if (!misses.some((m) => m.miss === undefined)) {
    throw new CheckSkip(`no mode delivered a prompt=none error without a login, so the modes cannot be told apart: ${misses.map((m) => `${m.probe.mode} (${m.probe.exchange.id}): ${m.miss}`).join('; ')}`);
  }
  const broken = misses.filter((m) => m.probe.listed && m.miss !== undefined);
  if (broken.length > 0) {
    failCheck(`listed response modes that do not deliver the response: ${broken.map((m) => `${m.probe.mode} (${m.probe.exchange.id}): ${m.miss}`).join('; ')}`, {
      expected: 'the error response delivered in each listed mode',
      actual: Object.fromEntries(broken.map((m) => [m.probe.mode, m.miss])),
      exchanges,
    });
  }
  const unlisted = misses.filter((m) => !m.probe.listed && m.miss === undefined);
  if (unlisted.length > 0) {
    throw new CheckFailure(`response modes that work but response_modes_supported does not list: ${unlisted.map((m) => m.probe.mode).join(', ')}`, {
      expected: 'every supported mode listed',
      actual: unlisted.map((m) => m.probe.mode),
      exchanges,
      warnOnly: true,
    });
  }
  const worked = probes.filter((p) => p.listed).map((p) => p.mode);
  return `the listed modes deliver the response: ${worked.join(', ')}${notProbed.length > 0 ? `; not exercisable over HTTP: ${notProbed.join(', ')}` : ''}`;
}

// ---- request object algorithms (DSC-28) -------------------------------------------------------

export function judgeRequestObjectAlgs(metadata: Metadata, exchanges: string[]): string {
  const algs = metadata.request_object_signing_alg_values_supported;
  const advertised = metadata.request_parameter_supported === true || metadata.request_uri_parameter_supported === true || Array.isArray(algs);
  if (!advertised) throw new CheckSkip('discovery advertises no request object support (request_parameter_supported, request_uri_parameter_supported, request_object_signing_alg_values_supported)');
  const listed = Array.isArray(algs) ? algs : [];
  const missing = ['none', 'RS256'].filter((alg) => !listed.includes(alg));
  if (missing.length > 0) {
    failCheck(`request_object_signing_alg_values_supported lacks ${missing.join(' and ')} (OIDC Discovery 3: servers SHOULD support none and RS256)`, {
      expected: 'contains "none" and "RS256"',
      actual: algs,
      exchanges,
    });
  }
  return `request objects signed with ${listed.join(', ')}`;
}

// ---- what a dynamic OP lists (DSC-17, DSC-19) ----------------------------------------------------

/** Why the provider is held to the dynamic-OP lists, or undefined when nothing says it is one. */
export function dynamicOpReason(metadata: Metadata, registrationOffered: boolean | undefined, certification: boolean): string | undefined {
  if (typeof metadata.registration_endpoint === 'string') return 'it advertises a registration_endpoint';
  if (registrationOffered === true) return 'the profile says it offers dynamic registration';
  if (certification) return "--certification: the Foundation's Config OP plan asks it of every provider";
  return undefined;
}

const DYNAMIC_RESPONSE_TYPES = ['code', 'id_token', 'id_token token'];
const DYNAMIC_GRANT_TYPES = ['authorization_code', 'implicit'];
/** grant_types_supported when the member is omitted (OIDC Discovery 3). */
const DEFAULT_GRANT_TYPES = ['authorization_code', 'implicit'];

/** A response type as a set of words: "token id_token" is "id_token token". */
function responseTypeKey(value: unknown): string {
  return String(value).split(' ').filter(Boolean).sort().join(' ');
}

export function judgeDynamicOpTypes(metadata: Metadata, reason: string | undefined, exchanges: string[]): string {
  if (reason === undefined) {
    throw new CheckSkip('nothing says the provider is a dynamic OP (no registration_endpoint, no features.endpoints.registration in the profile); --certification judges it as the Config OP plan does');
  }
  const listed = Array.isArray(metadata.response_types_supported) ? metadata.response_types_supported.map(responseTypeKey) : [];
  const missingTypes = DYNAMIC_RESPONSE_TYPES.filter((type) => !listed.includes(responseTypeKey(type)));
  const grants = metadata.grant_types_supported === undefined ? DEFAULT_GRANT_TYPES : Array.isArray(metadata.grant_types_supported) ? metadata.grant_types_supported.map(String) : [];
  const missingGrants = DYNAMIC_GRANT_TYPES.filter((grant) => !grants.includes(grant));
  const problems = [
    ...(missingTypes.length > 0 ? [`response_types_supported lacks ${missingTypes.map((t) => `"${t}"`).join(', ')}`] : []),
    ...(missingGrants.length > 0 ? [`grant_types_supported lacks ${missingGrants.join(', ')}`] : []),
  ];
  if (problems.length > 0) {
    failCheck(`${problems.join('; ')} (OIDC Discovery 3: dynamic OpenID Providers MUST support them; held to it because ${reason})`, {
      expected: { response_types_supported: DYNAMIC_RESPONSE_TYPES, grant_types_supported: DYNAMIC_GRANT_TYPES },
      actual: { response_types_supported: metadata.response_types_supported, grant_types_supported: metadata.grant_types_supported ?? '(omitted)' },
      exchanges,
    });
  }
  return `code, id_token and "id_token token" listed, authorization_code and implicit granted${metadata.grant_types_supported === undefined ? ' (grant_types_supported omitted: the default)' : ''}; judged because ${reason}`;
}

// ---- the syntax of listed values -----------------------------------------------------------------

/** RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** RFC 5646 2.1 (well-formed langtag, private use and the irregular grandfathered tags; not the registry's validity). */
const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de))$/i;
/** JWS "alg" values of the IANA registry (RFC 7518 3.1, RFC 8037, RFC 8812, RFC 9864) and none. */
const JWS_ALGS = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'ES256K', 'Ed25519', 'Ed448', 'none']);

/**
 * RFC 5646 2.1.1: the language subtag lower case, a script subtag title case, a region subtag upper
 * case, everything else lower case (after a singleton, extensions and private use stay lower case).
 */
export function canonicalCasing(tag: string): string {
  let afterSingleton = false;
  return tag
    .split('-')
    .map((subtag, index) => {
      const lower = subtag.toLowerCase();
      if (index === 0 || afterSingleton) {
        if (lower.length === 1) afterSingleton = true;
        return lower;
      }
      if (lower.length === 1) {
        afterSingleton = true;
        return lower;
      }
      if (lower.length === 2) return lower.toUpperCase();
      if (lower.length === 4 && /^[a-z]{4}$/.test(lower)) return lower[0]!.toUpperCase() + lower.slice(1);
      return lower;
    })
    .join('-');
}

export function judgeValueSyntax(metadata: Metadata, exchanges: string[]): string {
  const errors: string[] = [];
  const warnings: string[] = [];
  const values = (member: string): unknown[] => (Array.isArray(metadata[member]) ? (metadata[member] as unknown[]) : []);
  const locales = ['ui_locales_supported', 'claims_locales_supported'];
  const algs = Object.keys(metadata).filter((name) => name.endsWith('signing_alg_values_supported')).sort();
  const judged = ['scopes_supported', ...locales, ...algs].filter((member) => Array.isArray(metadata[member]));
  for (const scope of values('scopes_supported')) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) errors.push(`scopes_supported: ${JSON.stringify(scope)} is not a scope-token (RFC 6749 3.3)`);
  }
  for (const member of locales) {
    for (const tag of values(member)) {
      if (typeof tag !== 'string' || !LANGUAGE_TAG.test(tag)) {
        errors.push(`${member}: ${JSON.stringify(tag)} is not a BCP47 language tag (RFC 5646 2.1)`);
        continue;
      }
      const canonical = canonicalCasing(tag);
      if (canonical !== tag && !/^(?:i|sgn|en-gb)-/i.test(tag)) warnings.push(`${member}: "${tag}" is not in canonical casing ("${canonical}", RFC 5646 2.1.1)`);
    }
  }
  for (const member of algs) {
    for (const alg of values(member)) {
      if (typeof alg !== 'string' || alg === '') errors.push(`${member}: ${JSON.stringify(alg)} is not an algorithm name`);
      else if (!JWS_ALGS.has(alg)) warnings.push(`${member}: "${alg}" is not a registered JWS algorithm (RFC 7518 3.1; names are case-sensitive)`);
    }
  }
  if (errors.length > 0) failCheck(errors.join('; '), { expected: 'scope-tokens, BCP47 language tags, JWS algorithm names', actual: errors, exchanges });
  if (warnings.length > 0) failCheck(warnings.join('; '), { warnOnly: true, expected: 'canonical casing, registered algorithm names', actual: warnings, exchanges });
  if (judged.length === 0) throw new CheckSkip('discovery lists no scopes_supported, *_locales_supported or *signing_alg_values_supported');
  return `well-formed: ${judged.join(', ')}`;
}
