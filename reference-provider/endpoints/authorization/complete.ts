// The end of a successful authorization: mint what the response type asks for, in one grant.
import type { ProviderContext } from '../../context.ts';
import type { AuthorizationRequest, CodeRecord, Session } from '../../models.ts';
import { ACR_PASSWORD, createGrant, issueAccessToken, issueIdToken, issueRefreshToken } from '../../tokens/issue.ts';
import { randomToken } from '../../tokens/jwt.ts';

/** The acr to report: ours, when the request asked for acr values or the claim (OIDC Core 3.1.2.1, 5.5.1.1). */
export function acrFor(request: Pick<AuthorizationRequest, 'acrValues' | 'claims'>): string | undefined {
  const asked = request.acrValues !== undefined || request.claims?.id_token?.acr !== undefined;
  return asked ? ACR_PASSWORD : undefined;
}

export async function completeAuthorization(
  ctx: ProviderContext,
  request: AuthorizationRequest,
  session: Session,
): Promise<Record<string, string>> {
  const client = ctx.client(request.clientId)!;
  const types = request.responseType.split(' ');
  const grant = await createGrant(ctx, client.client_id, session.sub);
  const acr = acrFor(request);
  const params: Record<string, string> = {};

  if (types.includes('code')) {
    const record: CodeRecord = {
      code: randomToken(),
      grantId: grant.id,
      clientId: client.client_id,
      redirectUri: request.redirectUri,
      sub: session.sub,
      scopes: request.scopes,
      nonce: request.nonce,
      authTime: session.authTime,
      sessionId: session.id,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      claims: request.claims,
      acr,
      offlineAccess: request.scopes.includes('offline_access'),
    };
    await ctx.store.set('code', record.code, record, ctx.config.lifetimes.authorizationCode);
    // Fault: the code a hybrid response carries is not the one stored, so it cannot be redeemed.
    params.code = types.length > 1 && ctx.fault('hybrid-code-unredeemable') ? randomToken() : record.code;
  }
  if (types.includes('token')) {
    const accessScopes = request.scopes.filter((s) => s !== 'offline_access');
    const { token, expiresIn } = await issueAccessToken(ctx, { grantId: grant.id, client, sub: session.sub, scopes: accessScopes, claims: request.claims });
    params.access_token = token;
    params.token_type = 'Bearer';
    params.expires_in = String(expiresIn);
    params.scope = accessScopes.join(' ');
  }
  if (types.includes('id_token')) {
    params.id_token = await issueIdToken(ctx, {
      client,
      sub: types.includes('code') && ctx.fault('hybrid-front-sub-differs') ? `${session.sub}-front` : session.sub,
      scopes: request.scopes,
      authTime: session.authTime,
      nonce: request.nonce,
      acr,
      sessionId: session.id,
      claims: request.claims,
      accessToken: params.access_token,
      code: params.code,
    });
  }
  if (!types.includes('code') && ctx.fault('refresh-token-in-fragment')) {
    params.refresh_token = await issueRefreshToken(ctx, { grantId: grant.id, client, sub: session.sub, scopes: request.scopes, authTime: session.authTime });
  }
  return params;
}
