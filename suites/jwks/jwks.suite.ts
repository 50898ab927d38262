// JWK Set: fetch jwks_uri once, obtain one signed token response, then judge the keys and the
// signatures against them.
import { CheckSkip } from '../../harness/checks.ts';
import { clientCredentialsGrant, fetchJwks } from '../../harness/flows/steps.ts';
import { userGrants } from '../../harness/flows/user-tokens.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { createSuite } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('jwks');
const userGrant = userGrants(suite, 'jwks');

const jwks = suite.step('fetch the JWK Set', async (ctx) => (await fetchJwks(ctx)).exchange);

const keySet = async () => {
  const exchange = await jwks();
  const set = judge.judgeServed(exchange);
  return { exchange, set, exchanges: [exchange.id] };
};

/** An ID token (password grant, else code flow) or else a JWT access token (client credentials) the provider signed. */
const signedTokens = suite.step('obtain signed tokens', async (ctx): Promise<judge.SignedToken[]> => {
  const attempts: Array<() => Promise<Exchange>> = [
    () => userGrant(ctx, { scope: 'openid', label: 'a signed ID token' }),
    () => clientCredentialsGrant(ctx, { label: 'client credentials (a signed access token)' }),
  ];
  const reasons: string[] = [];
  for (const attempt of attempts) {
    let exchange: Exchange;
    try {
      exchange = await attempt();
    } catch (error) {
      if (!(error instanceof CheckSkip)) throw error;
      reasons.push(error.reason);
      continue;
    }
    const body = exchange.response?.json as Record<string, unknown> | undefined;
    if (exchange.response?.status !== 200 || typeof body !== 'object' || body === null) {
      reasons.push(`${exchange.label ?? 'the token request'} failed with HTTP ${exchange.response?.status ?? 'none'} (${exchange.id})`);
      continue;
    }
    const tokens: judge.SignedToken[] = [];
    if (judge.jwsHeader(body.id_token)) tokens.push({ label: 'ID token', token: body.id_token as string, idToken: true, exchanges: [exchange.id] });
    if (judge.jwsHeader(body.access_token)) tokens.push({ label: 'JWT access token', token: body.access_token as string, idToken: false, exchanges: [exchange.id] });
    if (tokens.length > 0) return tokens;
    reasons.push(`${exchange.label ?? 'the token response'} carried no JWS (${exchange.id})`);
  }
  throw new CheckSkip(`no signed token could be obtained: ${reasons.join('; ')}`);
});

suite.check(check.served, async () => {
  const { set, exchanges } = await keySet();
  return { exchanges, message: `a JWK Set of ${set.keys.length} keys` };
});

suite.judgeExchange(check.contentType, jwks, (exchange) => judge.judgeContentType(exchange));

suite.check(check.keysParse, async () => {
  const { exchange, set } = await keySet();
  return judge.judgeKeysParse(exchange, set);
});

suite.check(check.noPrivateMembers, async () => {
  const { set, exchanges } = await keySet();
  judge.judgeNoPrivateMembers(set, exchanges);
  return { exchanges };
});

suite.check(check.kidUnique, async () => {
  const { set, exchanges } = await keySet();
  judge.judgeKidUnique(set, exchanges);
  return { exchanges };
});

suite.check(check.useConsistent, async () => {
  const { set, exchanges } = await keySet();
  judge.judgeUseConsistent(set, exchanges);
  return { exchanges };
});

suite.check(check.noSharedSigEncKeys, async () => {
  const { set, exchanges } = await keySet();
  judge.judgeNoSharedSigEncKeys(set, exchanges);
  return { exchanges };
});

suite.check(check.algsConsistent, async ({ target }) => {
  const { set, exchanges } = await keySet();
  return judge.judgeAlgsConsistent(set, target.metadata(), exchanges);
});

suite.check(check.rsaKeySize, async () => {
  const { set, exchanges } = await keySet();
  return judge.judgeRsaKeySize(set, exchanges);
});

suite.check(check.ecCoordinates, async () => {
  const { set, exchanges } = await keySet();
  return judge.judgeEcCoordinates(set, exchanges);
});

suite.check(check.x5cMatchesKey, async () => {
  const { set, exchanges } = await keySet();
  return judge.judgeX5cMatchesKey(set, exchanges);
});

suite.judgeExchange(check.cacheControl, jwks, (exchange) => judge.judgeCacheControl(exchange));

suite.check(check.tokenVerifies, async () => {
  const { set, exchanges } = await keySet();
  return judge.judgeTokenVerifies(await signedTokens(), set, exchanges);
});

suite.check(check.noKeyReferences, async () => judge.judgeNoKeyReferences(await signedTokens()));

suite.check(check.bareKeys, async () => {
  const { set, exchanges } = await keySet();
  return judge.judgeBareKeys(set, exchanges);
});
