// Password grant: two grants for the first test user (scope openid, and openid offline_access)
// that the positive checks judge, then one request per negative case. RFC 9700 2.4 says the
// grant MUST NOT be used, so a target that does not offer it SKIPs every check but the one that
// confirms it issues nothing.
import { randomUUID } from 'node:crypto';
import { skipCheck } from '../../harness/checks.ts';
import { fetchJwks, passwordGrant, tokenRequest } from '../../harness/flows/steps.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { clientPost, type Form } from '../../harness/oauth/token-request.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import { decodeIdToken } from '../../harness/tokens/id-token.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('password');
const WRONG_SECRET = 'oidc-conformance-wrong-secret-5d1b7e0c';

function requirePassword({ target }: SuiteContext): void {
  if (!target.grantTypes().includes('password')) {
    skipCheck('the target does not offer the password grant (RFC 9700 2.4: it MUST NOT be used), so there is nothing to check');
  }
}

function issuerOf(target: Target): string {
  const issuer = target.metadata().issuer;
  return typeof issuer === 'string' ? issuer : target.issuer;
}

/** A password request as the basic client with the test user's credentials, edited by `change`. */
function passwordRequest(ctx: SuiteContext, label: string, change: (form: Form) => void): Promise<Exchange> {
  requirePassword(ctx);
  const user = ctx.target.user();
  const form: Form = { grant_type: 'password', username: user.username, password: user.password, scope: 'openid' };
  change(form);
  return tokenRequest(ctx, 'basic', form, label);
}

const withoutOffline = suite.step('password grant (openid)', (ctx) => passwordGrant(ctx, { scope: 'openid' }));
const withOffline = suite.step('password grant (openid offline_access)', (ctx) => passwordGrant(ctx, { scope: 'openid offline_access' }));
const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));
const probe = suite.step('password grant probe (not advertised)', (ctx) => {
  const user = ctx.target.user();
  return tokenRequest(ctx, 'basic', { grant_type: 'password', username: user.username, password: user.password, scope: 'openid' }, 'password grant probe (not advertised)');
});

/** A granted response the dependent checks judge; SKIP when there is none (password/token-response reports why). */
async function granted(step: typeof withoutOffline) {
  const exchange = await step();
  const json = exchange.response?.json;
  if (exchange.response?.status !== 200 || typeof json !== 'object' || json === null) {
    skipCheck(`the password grant was not granted (HTTP ${exchange.response?.status ?? 'none'}, ${exchange.id}): password/token-response reports it`);
  }
  return { exchange, body: json as Record<string, unknown> };
}

suite.check(check.grantNotOffered, async (ctx) => {
  const advertised = ctx.target.grantTypes().includes('password');
  // Offered: the happy-path grant is the evidence. Not offered: probe whether it answers anyway.
  const exchange = advertised ? await withoutOffline() : await probe();
  judge.judgeGrantNotOffered(exchange, advertised);
  return { exchanges: [exchange.id], message: `the password grant issued no tokens (HTTP ${exchange.response?.status ?? 'none'})` };
});

suite.check(check.tokenResponse, async (ctx) => {
  requirePassword(ctx);
  const exchange = await withoutOffline();
  judge.judgeTokenResponse(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.noStore, async (ctx) => {
  requirePassword(ctx);
  const exchanges = [(await granted(withoutOffline)).exchange, (await granted(withOffline)).exchange];
  judge.judgeNoStore(exchanges);
  return { exchanges: exchanges.map((e) => e.id) };
});

suite.check(check.idTokenValid, async (ctx) => {
  requirePassword(ctx);
  const { exchange, body } = await granted(withoutOffline);
  if (body.id_token === undefined) skipCheck('no ID token for scope openid: OIDC Core does not define ID tokens for the password grant');
  const client = ctx.target.client('basic');
  const keys = await jwks();
  const expect: Parameters<typeof judge.judgeIdToken>[1] = { issuer: issuerOf(ctx.target), clientId: client.client_id, jwks: keys.jwks };
  if (client.client_secret !== undefined) expect.clientSecret = client.client_secret;
  const sub = ctx.target.user().sub;
  if (sub !== undefined) expect.sub = sub;
  const claims = await judge.judgeIdToken(exchange, expect, [keys.exchange.id]);
  return { exchanges: [exchange.id, keys.exchange.id], evidence: { claims } };
});

suite.check(check.subStable, async (ctx) => {
  requirePassword(ctx);
  const first = await granted(withoutOffline);
  const second = await granted(withOffline);
  if (first.body.id_token === undefined || second.body.id_token === undefined) skipCheck('the password grant returned no ID tokens to compare');
  const exchanges = [first.exchange.id, second.exchange.id];
  const a = decodeIdToken(first.body.id_token, exchanges).claims.sub;
  const b = decodeIdToken(second.body.id_token, exchanges).claims.sub;
  judge.judgeSubStable(a, b, exchanges);
  return { exchanges, evidence: { sub: a } };
});

suite.check(check.refreshOnlyWithOfflineAccess, async (ctx) => {
  requirePassword(ctx);
  if (!ctx.target.grantTypes().includes('refresh_token')) skipCheck('the target does not offer the refresh_token grant');
  const rule = ctx.target.refreshPolicy().password;
  const without = await withoutOffline();
  const withIt = await withOffline();
  judge.judgeRefreshRule(rule, without, withIt);
  return { exchanges: [without.id, withIt.id], evidence: { rule } };
});

suite.check(check.wrongPasswordRefused, async (ctx) => {
  const exchange = await passwordRequest(ctx, 'password grant: wrong password', (form) => {
    form.password = `${String(form.password)}-wrong`;
  });
  judge.judgeInvalidGrant(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.unknownUserRefused, async (ctx) => {
  const exchange = await passwordRequest(ctx, 'password grant: unknown user', (form) => {
    form.username = `oidc-conformance-unknown-${randomUUID()}`;
  });
  judge.judgeInvalidGrant(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.missingParametersRefused, async (ctx) => {
  const noUsername = await passwordRequest(ctx, 'password grant: no username', (form) => delete form.username);
  const noPassword = await passwordRequest(ctx, 'password grant: no password', (form) => delete form.password);
  judge.judgeInvalidRequest(noUsername);
  judge.judgeInvalidRequest(noPassword);
  return { exchanges: [noUsername.id, noPassword.id] };
});

suite.check(check.clientAuthenticationRequired, async (ctx) => {
  requirePassword(ctx);
  const client = ctx.target.client('basic');
  if (client.auth_method === 'none' || client.client_secret === undefined) skipCheck('the basic client has no client secret');
  const user = ctx.target.user();
  const form: Form = { grant_type: 'password', username: user.username, password: user.password, scope: 'openid' };
  const url = ctx.target.endpoint('token');
  const idOnly = await ctx.http.send({ method: 'POST', url, form: { ...form, client_id: client.client_id }, label: 'password grant: client_id without a secret' });
  const wrongSecret = await ctx.http.send(clientPost(url, { ...client, client_secret: WRONG_SECRET }, form, 'password grant: wrong client secret'));
  judge.judgeInvalidClient(idOnly);
  judge.judgeInvalidClient(wrongSecret);
  return { exchanges: [idOnly.id, wrongSecret.id] };
});
