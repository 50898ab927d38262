// grant_type=refresh_token (RFC 6749 6, OIDC Core 12). Refresh tokens are bound to their client,
// can only narrow scope, rotate on use (policy), and a retired token presented again revokes its
// whole grant (RFC 9700 4.14.2, policy).
import { InvalidGrant, InvalidRequest, InvalidScope } from '../../errors.ts';
import type { RefreshTokenRecord } from '../../models.ts';
import { isGrantActive, issueRefreshToken, revokeGrant } from '../../tokens/issue.ts';
import { type GrantHandler, raceWindow } from './grant.ts';
import { issueUserTokens } from './token-response.ts';

export const refreshTokenGrant: GrantHandler = async (ctx, client, params) => {
  const token = params.get('refresh_token');
  if (token === undefined) throw new InvalidRequest('refresh_token is missing');
  const record = await ctx.store.get<RefreshTokenRecord>('refreshToken', token);
  if (!record || record.revoked || !(await isGrantActive(ctx, record.grantId))) {
    throw new InvalidGrant('the refresh token is invalid, expired or revoked');
  }
  if (record.clientId !== client.client_id && !ctx.fault('refresh-not-client-bound')) {
    throw new InvalidGrant('the refresh token was issued to another client');
  }
  const { rotation, reuseRevokesFamily } = ctx.config.policies.refreshToken;
  const refuseReuse = async (): Promise<never> => {
    if (reuseRevokesFamily && !ctx.fault('refresh-reuse-keeps-family')) await revokeGrant(ctx, record.grantId);
    throw new InvalidGrant('the refresh token has already been used');
  };
  if (record.consumed) await refuseReuse();
  const requested = params.get('scope')?.split(' ').filter(Boolean);
  const wider = (requested ?? []).filter((s) => !record.scopes.includes(s));
  if (wider.length > 0 && !ctx.fault('refresh-scope-widened')) {
    throw new InvalidScope(`the refresh token was not granted: ${wider.join(' ')}`);
  }
  const scopes = requested ? [...new Set(requested)] : record.scopes;
  const rotate = rotation === 'always';
  if (rotate && !ctx.fault('refresh-not-rotated')) {
    if (ctx.fault('refresh-rotation-race')) {
      // A read, a pause, then a write: parallel refreshes with one token all pass.
      await raceWindow();
      await ctx.store.update('refreshToken', token, { ...record, consumed: true });
    } else {
      // Marked used atomically: of two parallel refreshes with one token, one wins (RFC 9700 4.14.2).
      const claimed = await ctx.store.consume<RefreshTokenRecord>('refreshToken', token);
      if (!claimed?.first) await refuseReuse();
    }
  }

  const response = await issueUserTokens(ctx, {
    client,
    grantId: record.grantId,
    sub: record.sub,
    scopes,
    authTime: record.authTime, // OIDC Core 12.2: the original auth_time, and no nonce
    acr: record.acr,
    sessionId: record.sessionId,
    claims: record.claims,
    refresh: false,
  });
  if (rotate) {
    // The successor keeps exactly the scope of the token presented (RFC 6749 6).
    response.refresh_token = await issueRefreshToken(ctx, { ...record, client });
  }
  return response;
};
