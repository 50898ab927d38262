// grant_type=client_credentials (RFC 6749 4.4): a machine client gets a token for scopes it holds.
// No user, so no ID token; no refresh token (RFC 6749 4.4.3).
import { InvalidScope } from '../../errors.ts';
import { createGrant, issueAccessToken, issueRefreshToken } from '../../tokens/issue.ts';
import type { GrantHandler } from './grant.ts';

export const clientCredentialsGrant: GrantHandler = async (ctx, client, params) => {
  const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
  const unheld = requested.filter((s) => !client.scopes.includes(s));
  if (unheld.length > 0 && !ctx.fault('client-credentials-scope-unchecked')) {
    throw new InvalidScope(`the client does not hold: ${unheld.join(' ')}`);
  }
  // The documented default when no scope is named: everything the client holds (RFC 6749 3.3).
  const scopes = requested.length > 0 ? [...new Set(requested)] : client.scopes;
  const grant = await createGrant(ctx, client.client_id);
  const { token, expiresIn } = await issueAccessToken(ctx, { grantId: grant.id, client, sub: client.client_id, scopes });
  const response: Record<string, unknown> = { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
  if (ctx.fault('refresh-to-client-credentials')) {
    response.refresh_token = await issueRefreshToken(ctx, { grantId: grant.id, client, sub: client.client_id, scopes, authTime: ctx.now() });
  }
  return response;
};
