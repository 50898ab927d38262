// Validating an authorization request: an ordered list of small named steps. Until the client and
// its redirect URI are trusted, a problem is shown to the user as an error page (UntrustedRedirectError);
// after that, it goes back to the client in the response mode (RedirectableError).
import { base64url } from 'jose';
import type { ResolvedClient } from '../../config/types.ts';
import { normaliseResponseType } from '../../config/defaults.ts';
import type { ProviderContext } from '../../context.ts';
import {
  type OAuthError,
  AccessDenied,
  InvalidRequest,
  InvalidRequestObject,
  InvalidScope,
  RegistrationNotSupported,
  RequestUriNotSupported,
  UnauthorizedClient,
  UnsupportedResponseType,
  UntrustedRedirectError,
  toOAuthError,
} from '../../errors.ts';
import { Params } from '../../http/params.ts';
import type { AuthorizationRequest, ClaimsRequest } from '../../models.ts';
import { ACR_PASSWORD } from '../../tokens/issue.ts';
import { verifyOwnJwt } from '../../tokens/jwt.ts';
import { RedirectableError, type ResponseMode, type ResponseTarget, defaultResponseMode } from './respond.ts';

export const SUPPORTED_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'];
export const SUPPORTED_RESPONSE_TYPES = ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'];
export const SUPPORTED_RESPONSE_MODES: ResponseMode[] = ['query', 'fragment', 'form_post'];
export const SUPPORTED_PROMPTS = ['none', 'login', 'consent', 'select_account'];
export const SUPPORTED_DISPLAYS = ['page', 'popup', 'touch', 'wap'];
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

function checkClient(ctx: ProviderContext, params: Params): ResolvedClient {
  if (params.duplicated().includes('client_id')) throw new UntrustedRedirectError('invalid_request', 'client_id was sent more than once');
  const clientId = params.get('client_id');
  if (!clientId) throw new UntrustedRedirectError('invalid_request', 'client_id is missing');
  const client = ctx.client(clientId);
  const redirectUri = params.get('redirect_uri');
  if (!client && ctx.fault('unknown-client-redirects') && redirectUri) {
    throw new RedirectableError(new InvalidRequest('unknown client_id'), { redirectUri, responseMode: 'query', state: params.get('state') });
  }
  if (!client) throw new UntrustedRedirectError('invalid_client', 'unknown client_id');
  return client;
}

/** Loopback IP literals may use any port (RFC 8252 7.3, RFC 9700 4.1.3); everything else is an exact string match. */
function isRegisteredRedirectUri(ctx: ProviderContext, client: ResolvedClient, uri: string): boolean {
  if (client.redirect_uris.includes(uri)) return true;
  if (ctx.fault('redirect-uri-prefix-match') && client.redirect_uris.some((r) => uri.startsWith(r))) return true;
  // Exact match once the port of a loopback IP literal is taken out; no other normalisation.
  // The port must be a real one (1-65535): anything else is no URL the response could go to.
  const loopback = /^(http:\/\/(?:127\.0\.0\.1|\[::1\])):(\d{1,5})(?=[/?]|$)/.exec(uri);
  if (!loopback || Number(loopback[2]) < 1 || Number(loopback[2]) > 65535) return false;
  return client.redirect_uris.includes(loopback[1]! + uri.slice(loopback[0].length));
}

function checkRedirectUri(ctx: ProviderContext, params: Params, client: ResolvedClient): string {
  if (params.duplicated().includes('redirect_uri')) throw new UntrustedRedirectError('invalid_request', 'redirect_uri was sent more than once');
  const uri = params.get('redirect_uri');
  // OIDC Core 3.1.2.1: redirect_uri is REQUIRED in an OpenID request.
  if (!uri) throw new UntrustedRedirectError('invalid_request', 'redirect_uri is missing');
  if (!isRegisteredRedirectUri(ctx, client, uri)) {
    // The error-page-unescaped fault names the URI, and the page shows it unescaped (routes.ts).
    throw new UntrustedRedirectError('invalid_request', ctx.fault('error-page-unescaped') ? `redirect_uri ${uri} is not registered for this client` : 'redirect_uri is not registered for this client');
  }
  return uri;
}

/** An unsupported response_mode cannot carry its own error, so it is an error page (OIDC Core 3.1.2.6). */
function checkResponseMode(ctx: ProviderContext, params: Params): ResponseMode | undefined {
  const mode = params.get('response_mode');
  if (mode === undefined) return undefined;
  if (!SUPPORTED_RESPONSE_MODES.includes(mode as ResponseMode)) {
    if (ctx.fault('unknown-response-mode-ignored')) return undefined;
    throw new UntrustedRedirectError('invalid_request', 'unsupported response_mode');
  }
  return mode as ResponseMode;
}

/** Unsigned request objects (OIDC Core 6.1): their claims override the query parameters (6.3.3). */
function decodeRequestObject(jwt: string): Record<string, string> {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new InvalidRequestObject('the request object is not a JWT');
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(parts[0]!)));
    payload = JSON.parse(new TextDecoder().decode(base64url.decode(parts[1]!)));
  } catch {
    throw new InvalidRequestObject('the request object cannot be decoded');
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'none') {
    throw new InvalidRequestObject('only unsigned (alg none) request objects are supported');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidRequestObject('the request object payload is not a JSON object');
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (['iss', 'aud', 'exp', 'iat', 'nbf', 'jti'].includes(name)) continue;
    values[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return values;
}

function checkResponseType(ctx: ProviderContext, params: Params, client: ResolvedClient): string {
  const raw = params.get('response_type');
  if (raw === undefined && ctx.fault('response-type-missing-defaults')) return 'code';
  if (raw === undefined) throw new InvalidRequest('response_type is missing');
  const responseType = normaliseResponseType(raw);
  if (!SUPPORTED_RESPONSE_TYPES.map(normaliseResponseType).includes(responseType)) {
    throw new UnsupportedResponseType('unsupported response_type');
  }
  if (!client.response_types.includes(responseType)) {
    throw new UnauthorizedClient('this client may not use this response_type');
  }
  return responseType;
}

function modeFitsType(ctx: ProviderContext, mode: ResponseMode | undefined, responseType: string | undefined): boolean {
  // OAuth2-RT 5/7: tokens never travel in the query.
  return !(mode === 'query' && responseType !== undefined && responseType !== 'code' && !ctx.fault('tokens-in-query'));
}

/**
 * Where the response goes: the requested mode, else the type's default. A query request for a type
 * that returns tokens is refused, and that error goes where the type's responses go by default,
 * the fragment, because query encoding MUST NOT be used for it (OAuth2-RT 5).
 */
function responseModeFor(ctx: ProviderContext, mode: ResponseMode | undefined, responseType: string | undefined): ResponseMode {
  return mode !== undefined && modeFitsType(ctx, mode, responseType) ? mode : defaultResponseMode(ctx, responseType);
}

function checkModeFitsType(ctx: ProviderContext, mode: ResponseMode | undefined, responseType: string): void {
  if (!modeFitsType(ctx, mode, responseType)) {
    throw new InvalidRequest('response_mode=query is not allowed for a response type that returns tokens');
  }
}

/**
 * Scopes: openid is required; unknown values are ignored (OIDC Core 3.1.2.1). offline_access is kept only
 * when a code is returned (OIDC Core 11) and, in the documented rule, only with prompt=consent.
 */
function checkScopes(ctx: ProviderContext, params: Params, responseType: string, prompt: string[]): string[] {
  const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
  if (!requested.includes('openid')) throw new InvalidScope('the scope must contain openid');
  const known = [...new Set(requested.filter((s) => SUPPORTED_SCOPES.includes(s)))];
  const returnsCode = responseType.split(' ').includes('code');
  const consentRule = ctx.config.policies.refreshToken.codeFlowRequiresPromptConsent && !ctx.fault('refresh-without-prompt-consent');
  const offlineAllowed = returnsCode && (!consentRule || prompt.includes('consent'));
  return known.filter((s) => s !== 'offline_access' || offlineAllowed);
}

function checkNonce(ctx: ProviderContext, params: Params, responseType: string): string | undefined {
  const nonce = params.get('nonce');
  const types = responseType.split(' ');
  const required = types.includes('id_token') || (ctx.fault('code-token-nonce-required') && types.includes('token'));
  if (required && nonce === undefined && !ctx.fault('implicit-nonce-optional')) {
    throw new InvalidRequest('nonce is required for this response_type');
  }
  return nonce;
}

function checkPkce(ctx: ProviderContext, params: Params, client: ResolvedClient, responseType: string) {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method without code_challenge');
    const policy = ctx.config.policies.pkce.required;
    const required = policy === 'all' || (policy === 'public' && client.token_endpoint_auth_method === 'none');
    if (required && responseType.split(' ').includes('code')) {
      throw new InvalidRequest('PKCE is required for this client: code_challenge is missing');
    }
    return {};
  }
  const effective = method ?? 'plain'; // RFC 7636 4.3
  if (effective !== 'S256' && !(effective === 'plain' && ctx.config.policies.pkce.plainAllowed)) {
    throw new InvalidRequest('unsupported code_challenge_method');
  }
  if (!PKCE_VALUE.test(challenge)) throw new InvalidRequest('code_challenge must be 43 to 128 unreserved characters');
  return { codeChallenge: challenge, codeChallengeMethod: effective as 'S256' | 'plain' };
}

function checkPrompt(params: Params): string[] {
  const prompt = [...new Set((params.get('prompt') ?? '').split(' ').filter(Boolean))];
  if (prompt.includes('none') && prompt.length > 1) throw new InvalidRequest('prompt=none cannot be combined with other values');
  // Unknown prompt values are ignored (OIDC Core 3.1.2.1 leaves this open).
  return prompt.filter((p) => SUPPORTED_PROMPTS.includes(p));
}

function checkMaxAge(params: Params): number | undefined {
  const raw = params.get('max_age');
  if (raw === undefined) return undefined;
  if (!/^\d{1,10}$/.test(raw)) throw new InvalidRequest('max_age must be a non-negative integer');
  return Number(raw);
}

function isClaimsMember(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

function checkClaims(ctx: ProviderContext, params: Params): ClaimsRequest | undefined {
  const raw = params.get('claims');
  if (raw === undefined || ctx.fault('claims-parameter-ignored')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRequest('claims is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidRequest('claims must be a JSON object');
  const { userinfo, id_token } = parsed as Record<string, unknown>;
  if (!isClaimsMember(userinfo) || !isClaimsMember(id_token)) throw new InvalidRequest('claims.userinfo and claims.id_token must be objects');
  // Unknown members are ignored (OIDC Core 5.5).
  return { userinfo: userinfo as ClaimsRequest['userinfo'], id_token: id_token as ClaimsRequest['id_token'] };
}

/**
 * An essential acr with values the provider cannot meet is a failed authentication: the provider
 * has one acr, and MUST NOT return another one instead (OIDC Core 5.5.1.1).
 */
function checkEssentialAcr(claims: ClaimsRequest | undefined): void {
  const acr = claims?.id_token?.acr;
  if (typeof acr !== 'object' || acr === null || acr.essential !== true) return;
  const wanted = Array.isArray(acr.values) ? acr.values : acr.value !== undefined ? [acr.value] : undefined;
  if (wanted !== undefined && !wanted.includes(ACR_PASSWORD)) {
    throw new AccessDenied('none of the essential acr values can be satisfied');
  }
}

async function checkIdTokenHint(ctx: ProviderContext, params: Params): Promise<string | undefined> {
  const hint = params.get('id_token_hint');
  if (hint === undefined || ctx.fault('id-token-hint-ignored')) return undefined;
  const verified = await verifyOwnJwt(ctx, hint); // expired hints are accepted (OIDC Core 3.1.2.2)
  if (!verified || typeof verified.payload.sub !== 'string') throw new InvalidRequest('id_token_hint was not issued by this provider');
  return verified.payload.sub;
}

function rejectUnsupported(ctx: ProviderContext, params: Params): void {
  if (params.has('request_uri') && !ctx.fault('request-uri-ignored')) throw new RequestUriNotSupported('request_uri is not supported');
  if (params.has('registration')) throw new RegistrationNotSupported('the registration parameter is not supported');
}

/** Parameters this provider knows (the unknown-param-rejected fault refuses any other). */
const KNOWN_PARAMETERS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'response_mode', 'prompt', 'max_age', 'ui_locales', 'claims_locales', 'id_token_hint', 'login_hint', 'acr_values', 'display', 'claims', 'request', 'request_uri', 'registration', 'code_challenge', 'code_challenge_method'];

/** Request-parameter faults that refuse what a provider must accept. */
function rejectForFaults(ctx: ProviderContext, params: Params): void {
  const unknown = params.names().filter((name) => !KNOWN_PARAMETERS.includes(name));
  if (ctx.fault('unknown-param-rejected') && unknown.length > 0) throw new InvalidRequest(`unknown parameter: ${unknown.join(', ')}`);
  const display = params.get('display');
  if (ctx.fault('display-popup-rejected') && display === 'popup') throw new InvalidRequest('display=popup is not supported');
  const locales = (params.get('ui_locales') ?? '').split(' ').filter(Boolean);
  if (ctx.fault('ui-locales-rejected') && locales.some((tag) => tag !== 'en')) throw new InvalidRequest('unsupported ui_locales');
}

/** Runs every step; returns the validated request or throws a page error / redirectable error. */
export async function validateAuthorizationRequest(ctx: ProviderContext, outer: Params): Promise<AuthorizationRequest> {
  const client = checkClient(ctx, outer);
  let params = outer;
  let requestObjectError: OAuthError | undefined;
  const requestObject = ctx.fault('request-object-ignored') ? undefined : outer.get('request');
  if (requestObject !== undefined) {
    try {
      const values = decodeRequestObject(requestObject);
      if (values.client_id !== undefined && values.client_id !== client.client_id) {
        throw new InvalidRequestObject('client_id in the request object differs from the request');
      }
      params = outer.overriddenBy(values);
    } catch (error) {
      requestObjectError = error as OAuthError;
    }
  }
  const redirectUri = checkRedirectUri(ctx, params, client);
  const explicitMode = checkResponseMode(ctx, params);
  const rawType = params.get('response_type');
  const target: ResponseTarget = {
    redirectUri,
    responseMode: responseModeFor(ctx, explicitMode, rawType && normaliseResponseType(rawType)),
    state: params.get('state'),
  };
  const fail = (error: OAuthError): never => {
    throw new RedirectableError(error, target);
  };
  try {
    if (requestObjectError) throw requestObjectError;
    rejectUnsupported(ctx, params);
    rejectForFaults(ctx, params);
    const duplicated = params.duplicated();
    if (duplicated.length > 0) throw new InvalidRequest(`parameter sent more than once: ${duplicated.join(', ')}`);
    const responseType = checkResponseType(ctx, params, client);
    target.responseMode = responseModeFor(ctx, explicitMode, responseType);
    checkModeFitsType(ctx, explicitMode, responseType);
    const prompt = checkPrompt(params);
    const scopes = checkScopes(ctx, params, responseType, prompt);
    const nonce = checkNonce(ctx, params, responseType);
    const pkce = checkPkce(ctx, params, client, responseType);
    const maxAge = checkMaxAge(params);
    const claims = checkClaims(ctx, params);
    checkEssentialAcr(claims);
    const idTokenHintSub = await checkIdTokenHint(ctx, params);
    return {
      clientId: client.client_id,
      redirectUri,
      responseType,
      responseMode: target.responseMode,
      scopes,
      state: target.state,
      nonce,
      prompt,
      maxAge,
      loginHint: params.get('login_hint'),
      idTokenHintSub,
      acrValues: params.get('acr_values')?.split(' ').filter(Boolean),
      ...pkce,
      claims,
      uiLocales: params.get('ui_locales'),
    };
  } catch (error) {
    if (error instanceof RedirectableError) throw error;
    return fail(toOAuthError(error));
  }
}

export { Params };
