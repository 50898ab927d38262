// The RFC 6749 5.1 success body shared by every grant; members without a value are left out (OIDC Core 13.3).
import type { ResolvedClient } from '../../config/types.ts';
import type { ProviderContext } from '../../context.ts';
import type { ClaimsRequest } from '../../models.ts';
import { issueAccessToken, issueIdToken, issueRefreshToken } from '../../tokens/issue.ts';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export interface UserTokenInput {
  client: ResolvedClient;
  grantId: string;
  sub: string;
  /** Granted scopes; offline_access among them means a refresh token is issued. */
  scopes: string[];
  authTime: number;
  nonce?: string;
  acr?: string;
  sessionId?: string;
  claims?: ClaimsRequest;
  /** Whether to mint a refresh token (the grant's rule decides). */
  refresh: boolean;
}

/**
 * Whether a user grant earns a refresh token: the documented rule (offline_access granted, by the
 * code flow's or the password grant's own condition) and a client allowed the refresh_token grant.
 */
export function refreshTokenDue(ctx: ProviderContext, client: ResolvedClient, offlineAccessGranted: boolean): boolean {
  return (
    (offlineAccessGranted || ctx.fault('refresh-without-offline-access')) &&
    client.grant_types.includes('refresh_token') &&
    !ctx.fault('refresh-withheld')
  );
}

/** Tokens for a user: access token, ID token when openid was granted, refresh token when due. */
export async function issueUserTokens(ctx: ProviderContext, input: UserTokenInput): Promise<TokenResponse> {
  const accessScopes = input.scopes.filter((s) => s !== 'offline_access');
  const { token, expiresIn } = await issueAccessToken(ctx, {
    grantId: input.grantId,
    client: input.client,
    sub: input.sub,
    scopes: accessScopes,
    claims: input.claims,
  });
  const response: TokenResponse = { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: input.scopes.join(' ') };
  if (input.scopes.includes('openid')) {
    response.id_token = await issueIdToken(ctx, {
      client: input.client,
      sub: input.sub,
      scopes: input.scopes,
      authTime: input.authTime,
      nonce: input.nonce,
      acr: input.acr,
      sessionId: input.sessionId,
      claims: input.claims,
      accessToken: token,
    });
  }
  if (input.refresh) {
    response.refresh_token = await issueRefreshToken(ctx, {
      grantId: input.grantId,
      client: input.client,
      sub: input.sub,
      scopes: input.scopes,
      authTime: input.authTime,
      sessionId: input.sessionId,
      claims: input.claims,
      acr: input.acr,
    });
  }
  return response;
}
