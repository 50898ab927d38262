// grant_type=password (RFC 6749 4.3). Documented as "not recommended" and kept for legacy clients;
// a refresh token only with offline_access (the documented rule).
import { secretsEqual } from '../../client-auth.ts';
import { InvalidGrant, InvalidRequest } from '../../errors.ts';
import { createGrant } from '../../tokens/issue.ts';
import { SUPPORTED_SCOPES } from '../authorization/validate-request.ts';
import type { GrantHandler } from './grant.ts';
import { issueUserTokens, refreshTokenDue } from './token-response.ts';

/** The vendor SDK's default scope, used when a password request names none. */
export const DEFAULT_PASSWORD_SCOPE = ['openid', 'profile', 'email', 'phone', 'address'];

export const passwordGrant: GrantHandler = async (ctx, client, params) => {
  const username = params.get('username');
  const password = params.get('password');
  if (username === undefined || password === undefined) throw new InvalidRequest('username and password are required');
  const user = ctx.userByName(username);
  const passwordOk = user !== undefined && (ctx.fault('password-unchecked') || secretsEqual(password, user.password));
  if (!user || !passwordOk) throw new InvalidGrant('wrong username or password');

  const requested = params.get('scope')?.split(' ').filter(Boolean);
  // Unknown scope values are ignored (OIDC Core 3.1.2.1 applies the same rule at the authorization endpoint).
  const scopes = requested ? [...new Set(requested.filter((s) => SUPPORTED_SCOPES.includes(s)))] : DEFAULT_PASSWORD_SCOPE;
  const refresh = refreshTokenDue(ctx, client, scopes.includes('offline_access'));
  const grant = await createGrant(ctx, client.client_id, user.sub);
  return issueUserTokens(ctx, { client, grantId: grant.id, sub: user.sub, scopes, authTime: ctx.now(), refresh });
};
