// grant_type=authorization_code (RFC 6749 4.1.3, OIDC Core 3.1.3.2, RFC 7636 4.6).
import { createHash } from 'node:crypto';
import { base64url } from 'jose';
import type { ProviderContext } from '../../context.ts';
import { InvalidGrant, InvalidRequest } from '../../errors.ts';
import type { Params } from '../../http/params.ts';
import type { CodeRecord } from '../../models.ts';
import { isGrantActive, revokeGrant } from '../../tokens/issue.ts';
import { secretsEqual } from '../../client-auth.ts';
import { type GrantHandler, raceWindow } from './grant.ts';
import { issueUserTokens, refreshTokenDue } from './token-response.ts';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function checkPkce(ctx: ProviderContext, record: CodeRecord, verifier: string | undefined): void {
  if (ctx.fault('pkce-ignored')) return;
  if (record.codeChallenge === undefined) {
    // RFC 9700 2.1.1: a verifier for a code issued without a challenge is a downgrade attempt.
    if (verifier !== undefined && !ctx.fault('pkce-downgrade-accepted')) throw new InvalidGrant('code_verifier sent for a code issued without code_challenge');
    return;
  }
  if (verifier === undefined) throw new InvalidGrant('code_verifier is required for this code');
  if (!VERIFIER.test(verifier)) throw new InvalidGrant('code_verifier must be 43 to 128 unreserved characters');
  const computed = record.codeChallengeMethod === 'S256' ? base64url.encode(createHash('sha256').update(verifier, 'ascii').digest()) : verifier;
  if (!secretsEqual(computed, record.codeChallenge)) throw new InvalidGrant('code_verifier does not match the code_challenge');
}

/**
 * The code-redemption-race fault: a read, a pause, then a write, as a store without an atomic
 * "mark used" would do it. One redemption after another is still caught; parallel ones all pass.
 */
async function consumeNonAtomically(ctx: ProviderContext, code: string): Promise<{ value: CodeRecord; first: boolean } | undefined> {
  const record = await ctx.store.get<CodeRecord>('code', code);
  if (!record) return undefined;
  const first = !record.consumed;
  await raceWindow();
  await ctx.store.update('code', code, { ...record, consumed: true });
  return { value: record, first };
}

export const authorizationCodeGrant: GrantHandler = async (ctx, client, params: Params) => {
  const code = params.get('code');
  if (code === undefined) throw new InvalidRequest('code is missing');
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === undefined) throw new InvalidRequest('redirect_uri is missing');

  const found = await ctx.store.get<CodeRecord>('code', code);
  if (!found || (found.clientId !== client.client_id && !ctx.fault('code-not-client-bound'))) {
    throw new InvalidGrant('the code is invalid, expired, or was issued to another client');
  }
  const consumed = ctx.fault('code-redemption-race') ? await consumeNonAtomically(ctx, code) : await ctx.store.consume<CodeRecord>('code', code);
  if (!consumed) throw new InvalidGrant('the code is invalid or expired');
  const record = consumed.value;
  if (!consumed.first && !ctx.fault('code-reusable')) {
    // RFC 6749 4.1.2: a reused code is refused, and the tokens issued from it are revoked.
    if (!ctx.fault('code-reuse-keeps-tokens')) await revokeGrant(ctx, record.grantId);
    throw new InvalidGrant('the code has already been used');
  }
  if (!(await isGrantActive(ctx, record.grantId))) throw new InvalidGrant('the grant behind this code was revoked');
  if (redirectUri !== record.redirectUri && !ctx.fault('token-redirect-uri-unchecked')) {
    throw new InvalidGrant('redirect_uri differs from the authorization request');
  }
  checkPkce(ctx, record, params.get('code_verifier'));

  const refresh = refreshTokenDue(ctx, client, record.offlineAccess);
  return issueUserTokens(ctx, {
    client,
    grantId: record.grantId,
    sub: record.sub,
    scopes: record.scopes,
    authTime: record.authTime,
    nonce: record.nonce,
    acr: record.acr,
    sessionId: record.sessionId,
    claims: record.claims,
    refresh,
  });
};
