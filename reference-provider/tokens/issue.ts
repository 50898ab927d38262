// Minting tokens. Access tokens are RS256 JWTs (RFC 9068 shape, as documented) that are also
// recorded, so that revocation and code-reuse detection can kill them; refresh tokens are opaque.
import type { ResolvedClient } from '../config/types.ts';
import type { ProviderContext } from '../context.ts';
import type { AccessTokenRecord, ClaimsRequest, Grant, RefreshTokenRecord } from '../models.ts';
import { selectUserClaims } from './claims.ts';
import { halfHash, randomToken, signJwt } from './jwt.ts';

export const ACR_PASSWORD = 'urn:oidc-conformance:acr:password';

export async function createGrant(ctx: ProviderContext, clientId: string, sub?: string): Promise<Grant> {
  const grant: Grant = { id: randomToken(), clientId, sub, revoked: false };
  await ctx.store.set('grant', grant.id, grant, ctx.config.lifetimes.refreshToken);
  return grant;
}

export async function revokeGrant(ctx: ProviderContext, grantId: string): Promise<void> {
  const grant = await ctx.store.get<Grant>('grant', grantId);
  if (grant) await ctx.store.update('grant', grantId, { ...grant, revoked: true });
}

export async function isGrantActive(ctx: ProviderContext, grantId: string): Promise<boolean> {
  const grant = await ctx.store.get<Grant>('grant', grantId);
  return grant !== undefined && !grant.revoked;
}

export interface AccessTokenInput {
  grantId: string;
  client: ResolvedClient;
  /** The user, or the client itself in the client credentials grant (RFC 9068 2.2). */
  sub: string;
  scopes: string[];
  claims?: ClaimsRequest;
}

export async function issueAccessToken(ctx: ProviderContext, input: AccessTokenInput): Promise<{ token: string; expiresIn: number }> {
  const now = ctx.now();
  const expiresIn = ctx.config.lifetimes.accessToken;
  const jti = randomToken();
  const token = await signJwt(
    ctx,
    {
      iss: ctx.config.issuer,
      sub: input.sub,
      aud: ctx.config.issuer,
      client_id: input.client.client_id,
      scope: input.scopes.join(' '),
      jti,
      iat: now,
      exp: now + expiresIn,
    },
    { alg: 'RS256', typ: 'at+jwt' },
  );
  const record: AccessTokenRecord = {
    jti,
    grantId: input.grantId,
    clientId: input.client.client_id,
    sub: input.sub,
    scopes: input.scopes,
    claims: input.claims,
    issuedAt: now,
    expiresAt: now + expiresIn,
    revoked: false,
  };
  await ctx.store.set('accessToken', jti, record, expiresIn);
  return { token, expiresIn };
}

export interface IdTokenInput {
  client: ResolvedClient;
  sub: string;
  scopes: string[];
  authTime: number;
  nonce?: string;
  acr?: string;
  sessionId?: string;
  claims?: ClaimsRequest;
  /** Set when an access token is issued in the same response: at_hash, and user claims go to userinfo instead. */
  accessToken?: string;
  /** Set when a code is issued in the same front-channel response: c_hash, and user claims go to userinfo. */
  code?: string;
}

export async function issueIdToken(ctx: ProviderContext, input: IdTokenInput): Promise<string> {
  const now = ctx.now();
  const alg = input.client.id_token_signed_response_alg;
  const user = ctx.userBySub(input.sub);
  // OIDC Core 5.4: scope claims go in the ID token only when the response type issues no access
  // token. A code (hybrid front channel) means one is issued at the token endpoint: userinfo then.
  const scopeClaims = input.accessToken || input.code ? [] : input.scopes;
  const userClaims = user ? selectUserClaims(user, scopeClaims, input.claims?.id_token) : {};
  if (ctx.fault('updated-at-milliseconds') && typeof userClaims.updated_at === 'number') userClaims.updated_at *= 1000;
  if (ctx.fault('id-token-name-unasked') && user?.claims?.name !== undefined) userClaims.name = user.claims.name;
  const payload: Record<string, unknown> = {
    ...userClaims,
    iss: ctx.fault('id-token-wrong-iss') ? `${ctx.config.issuer}/other` : ctx.config.issuer,
    sub: ctx.fault('id-token-sub-too-long') ? input.sub.padEnd(300, 'x') : input.sub,
    aud: ctx.fault('id-token-wrong-aud') ? 'some-other-client' : input.client.client_id,
    iat: now,
    // Expired by more than any sensible clock-skew allowance, so a validating RP must refuse it.
    exp: ctx.fault('id-token-expired') ? now - 900 : now + ctx.config.lifetimes.idToken,
    auth_time: input.authTime,
    amr: ['pwd'],
  };
  if (ctx.fault('auth-time-missing')) delete payload.auth_time;
  if (ctx.fault('id-token-azp-wrong')) payload.azp = 'some-other-client';
  if (input.acr) payload.acr = input.acr;
  if (input.sessionId) payload.sid = input.sessionId;
  if (input.nonce !== undefined && !ctx.fault('id-token-nonce-dropped')) {
    payload.nonce = ctx.fault('id-token-nonce-changed') ? `${input.nonce}-changed` : input.nonce;
  }
  if (input.accessToken) {
    payload.at_hash = halfHash(ctx.fault('id-token-at-hash-wrong') ? `${input.accessToken}x` : input.accessToken, alg);
  }
  if (input.code && !ctx.fault('id-token-c-hash-missing')) payload.c_hash = halfHash(input.code, alg);
  return signJwt(ctx, payload, { alg, client: input.client, idToken: true });
}

export interface RefreshTokenInput {
  grantId: string;
  client: ResolvedClient;
  sub: string;
  scopes: string[];
  authTime: number;
  sessionId?: string;
  claims?: ClaimsRequest;
  acr?: string;
}

export async function issueRefreshToken(ctx: ProviderContext, input: RefreshTokenInput): Promise<string> {
  const now = ctx.now();
  const record: RefreshTokenRecord = {
    token: randomToken(),
    grantId: input.grantId,
    clientId: input.client.client_id,
    sub: input.sub,
    scopes: input.scopes,
    authTime: input.authTime,
    sessionId: input.sessionId,
    claims: input.claims,
    acr: input.acr,
    issuedAt: now,
    expiresAt: now + ctx.config.lifetimes.refreshToken,
    revoked: false,
  };
  await ctx.store.set('refreshToken', record.token, record, ctx.config.lifetimes.refreshToken);
  return record.token;
}
