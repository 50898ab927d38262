// Judges of implicit-flow results: pure functions of what the browser and the HTTP recorder saw.
// The rules every front-channel response shares (delivery, state, iss, refusals) live in
// harness/judge/authorization-response.ts; this file adds the implicit ID token rules.
import { CheckSkip, type PassDetails, failCheck } from '../../harness/checks.ts';
import type { IdTokenContext } from '../../harness/flows/front-channel.ts';
import { type Observed, evidenceOf, frontIdTokensWithScope, judgeResponseIdToken, judgeTokenHash, responseOf } from '../../harness/judge/authorization-response.ts';
import { jsonObject } from '../../harness/judge/exchange.ts';
import { judgeNoUnaskedScopeClaims } from '../../harness/judge/scope-claims.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { type Claims, decodeIdToken } from '../../harness/tokens/id-token.ts';

export {
  judgeDelivery,
  judgeErrorsDelivered,
  judgeExpiresIn,
  judgeIssParameter,
  judgeNoRedirect,
  judgeNoRefreshToken,
  judgePromptNoneWithoutSession,
  judgeRefused,
  judgeStateEchoed,
  judgeSuccessParameters,
  judgeUserinfoSub,
} from '../../harness/judge/authorization-response.ts';

function what(o: Observed): string {
  return `response_type=${o.run.sent.params.response_type}`;
}

/**
 * OIDC Core 3.2.2.11 (by 3.1.3.7): signature through the JWK Set and kid (never alg none), iss,
 * aud, azp, exp, iat, sub, the request's nonce (REQUIRED in this flow, 3.2.2.10), and at_hash
 * when an access token came with it.
 */
export function judgeImplicitIdToken(o: Observed, env: IdTokenContext): Promise<Claims> {
  if (o.run.sent.nonce === undefined) throw new Error('the implicit request was sent without nonce; the ID token check needs one');
  return judgeResponseIdToken(o, env);
}

/** OIDC Core 5.4/5.5: no claim of a scope value the request did not ask for, in any of these ID tokens (a warning). */
export function judgeOpenidScopeOnly(os: Observed[]): PassDetails {
  const tokens = frontIdTokensWithScope(os);
  if (tokens.length === 0) throw new CheckSkip('no response carried an ID token (the response checks judge that)');
  return judgeNoUnaskedScopeClaims(tokens, os.flatMap(evidenceOf));
}

/** OIDC Core 3.2.2.10: at_hash is REQUIRED beside an access token, and is the left half of its hash (the ID token's alg). */
export function judgeAtHash(o: Observed): void {
  judgeTokenHash(o, 'at_hash');
}

/** OIDC Core 3.2.2.10: at_hash "MAY NOT be used" for response_type=id_token, which issues no access token. */
export function judgeNoAtHash(o: Observed): void {
  const params = responseOf(o, what(o));
  const exchanges = evidenceOf(o);
  if (params.id_token === undefined) throw new CheckSkip(`${what(o)} returned no ID token (the response check judges that)`);
  if (params.access_token !== undefined) throw new CheckSkip(`${what(o)} also returned an access token (the response check warns about it)`);
  const { claims } = decodeIdToken(params.id_token, exchanges);
  if (claims.at_hash !== undefined) failCheck(`${what(o)}: the ID token carries at_hash although no access token was issued`, { expected: 'no at_hash', actual: claims.at_hash, exchanges });
}

/** The claims of the email scope (OIDC Core 5.4). */
export const EMAIL_CLAIMS = ['email', 'email_verified'];

/**
 * OIDC Core 5.4: with no access token (response_type=id_token), the claims requested by scope are
 * returned in the ID token. UserInfo, reached with an access token issued for the same scope,
 * says which of them the user has.
 */
export function judgeScopeClaims(o: Observed, userinfo: Exchange): void {
  const params = responseOf(o, what(o));
  const exchanges = [...evidenceOf(o), userinfo.id];
  if (params.id_token === undefined) throw new CheckSkip(`${what(o)} returned no ID token (the response check judges that)`);
  if (userinfo.response?.status !== 200) throw new CheckSkip(`UserInfo did not answer the scope=openid email access token (HTTP ${userinfo.response?.status ?? 'nothing'}); the userinfo checks judge it`);
  const held = jsonObject(userinfo);
  const { claims } = decodeIdToken(params.id_token, exchanges);
  const known = EMAIL_CLAIMS.filter((name) => held[name] !== undefined);
  if (known.length === 0) throw new CheckSkip('UserInfo returns no email claim for the test user, so there is nothing the ID token should carry');
  const missing = known.filter((name) => JSON.stringify(claims[name]) !== JSON.stringify(held[name]));
  if (missing.length > 0) {
    failCheck(`${what(o)} with scope=openid email: the ID token lacks ${missing.join(', ')} (or differs from UserInfo), although no access token was issued to fetch them`, {
      expected: Object.fromEntries(known.map((n) => [n, held[n]])),
      actual: Object.fromEntries(known.map((n) => [n, claims[n] ?? null])),
      exchanges,
    });
  }
}

/** The sub of the response's ID token (decoded; the validity check judges the rest). */
export function subOf(o: Observed): string {
  const params = responseOf(o, what(o));
  if (params.id_token === undefined) throw new CheckSkip(`${what(o)} returned no ID token to compare UserInfo with`);
  const { claims } = decodeIdToken(params.id_token, evidenceOf(o));
  if (typeof claims.sub !== 'string') throw new CheckSkip(`the ID token of ${what(o)} has no sub (the ID token check judges that)`);
  return claims.sub;
}
