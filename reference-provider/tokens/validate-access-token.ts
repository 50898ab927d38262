// Checks an access token presented to this provider (userinfo, introspection): our signature, the
// at+jwt type (an ID token is not an access token, RFC 9068 5), not expired, and not revoked.
import type { ProviderContext } from '../context.ts';
import type { AccessTokenRecord } from '../models.ts';
import { isGrantActive } from './issue.ts';
import { verifyOwnJwt } from './jwt.ts';

export async function findActiveAccessToken(ctx: ProviderContext, token: string): Promise<AccessTokenRecord | undefined> {
  const verified = await verifyOwnJwt(ctx, token);
  if (!verified || verified.typ !== 'at+jwt' || typeof verified.payload.jti !== 'string') return undefined;
  const record = await ctx.store.get<AccessTokenRecord>('accessToken', verified.payload.jti);
  if (!record || record.revoked || record.expiresAt <= ctx.now()) return undefined;
  return (await isGrantActive(ctx, record.grantId)) ? record : undefined;
}

/** The jti of a token that looks like one of our access tokens, without judging whether it is active. */
export async function accessTokenId(ctx: ProviderContext, token: string): Promise<string | undefined> {
  const verified = await verifyOwnJwt(ctx, token);
  return verified?.typ === 'at+jwt' && typeof verified.payload.jti === 'string' ? verified.payload.jti : undefined;
}
