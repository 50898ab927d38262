// A user's tokens for the suites that consume them (userinfo, revocation, introspection, refresh
// tokens, the token endpoint, discovery, the JWK Set): the password grant when the target offers
// it (the first choice: one HTTP request), else the browser code flow (an authorization request
// with the profile's login and consent scripts, then the code redeemed as the same client).
//
// The code flows of one suite file share one browser session (one login, ~1.5 s of browser time,
// then a redirect per grant). A provider may keep one grant per client and login session
// (oidc-provider does), so revoking one refresh token of it, or replaying a rotated-out one, ends
// every token of that grant. The grants a check ends (`separate`) therefore come from a second
// session of the file, never from the grant the other checks hold; checks run one at a time, and
// each one that ends a grant is done with it before the next asks for one.
import { CheckSkip } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import type { ClientRole } from '../profile/types.ts';
import type { Suite, SuiteContext } from '../suite.ts';
import type { Target } from '../target.ts';
import { type AuthorizationSpec, redeemCode, sharedSession } from './authorization.ts';
import { type IssuedTokens, issuedTokens, passwordGrant } from './steps.ts';

export type UserTokenSource = 'password' | 'code';

/** Where the user's tokens come from: the password grant, else the code flow; SKIP when neither can be had. */
export function userTokenSource(target: Target): UserTokenSource {
  const grants = target.grantTypes();
  if (grants.includes('password')) return 'password';
  if (grants.includes('authorization_code') && target.responseTypes().includes('code') && target.profile.login) return 'code';
  throw new CheckSkip(
    `the target does not offer the password grant${grants.includes('authorization_code') ? ', and the profile has no login steps for the code flow' : ' nor the code flow'}`,
  );
}

/** The words for the source in labels and messages. */
export function sourceName(target: Target): string {
  return userTokenSource(target) === 'password' ? 'the password grant' : 'the code flow';
}

/** The documented refresh-token rule of the source (profile policies.refresh_token.password or .code_flow). */
export function userRefreshRule(target: Target): 'offline_access' | 'offline_access+prompt_consent' | 'always' | 'never' {
  const policy = target.refreshPolicy();
  return userTokenSource(target) === 'password' ? policy.password : policy.codeFlow;
}

/** The scope with offline_access added when the source's rule needs it for a refresh token. */
export function refreshScope(target: Target, scope: string[]): string[] {
  const rule = userRefreshRule(target);
  return rule === 'always' || rule === 'never' || scope.includes('offline_access') ? scope : [...scope, 'offline_access'];
}

export interface UserGrantOptions {
  /** The client (default basic). */
  role?: ClientRole;
  /** Default "openid" for the code flow, the provider's default for the password grant. */
  scope?: string;
  /** What the tokens are for: labels "password grant (<label>)" or "code flow (<label>)". */
  label?: string;
  /** Code flow only: the check revokes or replays the grant's tokens, so it comes from the file's second session (see above). */
  separate?: boolean;
}

/** A token request for the first test user: the password grant's, or the code redemption's. */
export type UserGrant = (ctx: SuiteContext, options?: UserGrantOptions) => Promise<Exchange>;

/**
 * The user-token source of one suite file (call it at the file's top level). The code flow asks
 * for offline_access with prompt=consent when the scope holds offline_access and the documented
 * rule needs the consent prompt (OIDC Core 11); PKCE S256 when the provider requires it of the client.
 */
export function userGrants(suite: Suite, label: string): UserGrant {
  const shared = sharedSession(suite, `${label}: code flows for a user's tokens`);
  const ended = sharedSession(suite, `${label}: code flows for grants the checks end`);
  return async (ctx, options = {}) => {
    const purpose = options.label ?? options.scope ?? 'default scope';
    const role = options.role ?? 'basic';
    if (userTokenSource(ctx.target) === 'password') {
      const grant: { role: ClientRole; scope?: string; label: string } = { role, label: `password grant (${purpose})` };
      if (options.scope !== undefined) grant.scope = options.scope;
      return passwordGrant(ctx, grant);
    }
    const scope = options.scope ?? 'openid';
    const spec: AuthorizationSpec = { role, responseType: 'code', scope };
    if (scope.split(' ').includes('offline_access') && ctx.target.refreshPolicy().codeFlow === 'offline_access+prompt_consent') spec.params = { prompt: 'consent' };
    if (ctx.target.pkceRequired() === 'all') spec.pkce = 'S256';
    const requestLabel = `code flow (${purpose})`;
    const run = await (options.separate ? ended : shared)(ctx, spec, requestLabel);
    if (run.result.params.code === undefined) {
      const { params, page } = run.result;
      const answer = params.error !== undefined ? `error=${params.error}` : run.result.outcome === 'page' ? `a page (${page?.url ?? '?'}, HTTP ${page?.status ?? '?'})` : 'no code';
      const cited = run.result.responseExchange ?? run.result.exchanges.at(-1) ?? 'no exchange';
      throw new CheckSkip(`no code to redeem for the user's tokens: the authorization endpoint answered ${answer} (${cited}; the code-flow suites judge the flow)`);
    }
    return redeemCode(ctx, run, { label: `${requestLabel}: code redemption` });
  };
}

/** The tokens a user grant issued; SKIP, naming the answer, when no access token came. */
export async function userTokens(grant: UserGrant, ctx: SuiteContext, options: UserGrantOptions = {}): Promise<IssuedTokens> {
  return issuedTokens(await grant(ctx, options), sourceName(ctx.target));
}
