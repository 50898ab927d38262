// Client credentials: one grant for the scopes the machine client holds (the happy path every
// positive check judges), then one request per negative case.
import { randomUUID } from 'node:crypto';
import { skipCheck } from '../../harness/checks.ts';
import { clientCredentialsGrant, fetchJwks, tokenRequest } from '../../harness/flows/steps.ts';
import type { HttpRequest } from '../../harness/http/types.ts';
import { clientPost } from '../../harness/oauth/token-request.ts';
import type { ProfileClient } from '../../harness/profile/types.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import { decodeJwtAccessToken } from '../../harness/tokens/access-token.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('client-credentials');

/** The scope asked for when the profile names none the machine client lacks. */
const DEFAULT_UNHELD_SCOPE = 'oidc-conformance:not-granted';
const WRONG_SECRET = 'oidc-conformance-wrong-secret-5d1b7e0c';
const GRANT = { grant_type: 'client_credentials' };

function machine({ target }: SuiteContext): ProfileClient {
  target.requireGrant('client_credentials');
  return target.client('machine');
}

function confidentialMachine(ctx: SuiteContext): ProfileClient & { client_secret: string } {
  const client = machine(ctx);
  if (client.auth_method === 'none' || client.client_secret === undefined) skipCheck('the machine client has no client secret');
  return client as ProfileClient & { client_secret: string };
}

function heldScopes(ctx: SuiteContext): string[] {
  return machine(ctx).scopes ?? [];
}

function issuerOf(target: Target): string {
  const issuer = target.metadata().issuer;
  return typeof issuer === 'string' ? issuer : target.issuer;
}

function send(ctx: SuiteContext, request: Omit<HttpRequest, 'method' | 'url'>) {
  return ctx.http.send({ method: 'POST', url: ctx.target.endpoint('token'), ...request });
}

const granted = suite.step('client credentials grant for the held scopes', (ctx) => {
  const scopes = heldScopes(ctx);
  return clientCredentialsGrant(ctx, scopes.length > 0 ? { scope: scopes.join(' ') } : {});
});

const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));

/** The granted token response the dependent checks judge; SKIP when there is none (token-response reports why). */
async function tokens() {
  const exchange = await granted();
  const json = exchange.response?.json;
  if (exchange.response?.status !== 200 || typeof json !== 'object' || json === null) {
    skipCheck(`the client credentials grant was not granted (HTTP ${exchange.response?.status ?? 'none'}, ${exchange.id}): client-credentials/token-response reports it`);
  }
  return { exchange, body: json as judge.TokenBody };
}

async function jwtAccessToken() {
  const { exchange, body } = await tokens();
  const decoded = decodeJwtAccessToken(body.access_token);
  if (!decoded) skipCheck('the access token is opaque (or encrypted): the RFC 9068 rules apply to JWT access tokens only');
  return { exchange, body, decoded };
}

suite.judgeExchange(check.tokenResponse, granted, (exchange) => judge.judgeTokenResponse(exchange));

suite.check(check.bearerTokenType, async () => {
  const { exchange } = await tokens();
  judge.judgeBearer(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.expiresIn, async () => {
  const { exchange, body } = await tokens();
  judge.judgeExpiresIn(exchange);
  return { exchanges: [exchange.id], evidence: { expires_in: body.expires_in } };
});

suite.check(check.noStore, async () => {
  const { exchange } = await tokens();
  judge.judgeNoStore(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.jwtAccessToken, async (ctx) => {
  const { exchange, body } = await jwtAccessToken();
  const keys = await jwks();
  const exchanges = [exchange.id, keys.exchange.id];
  const { header, claims } = await judge.judgeJwtAccessToken(body.access_token, { issuer: issuerOf(ctx.target), clientId: machine(ctx).client_id, jwks: keys.jwks, exchanges });
  return { exchanges, evidence: { header, claims } };
});

suite.check(check.jwtAccessTokenSub, async (ctx) => {
  const { exchange, decoded } = await jwtAccessToken();
  judge.judgeAccessTokenSub(decoded.claims, machine(ctx).client_id, [exchange.id]);
  return { exchanges: [exchange.id], evidence: { sub: decoded.claims.sub } };
});

suite.check(check.jwtAccessTokenTyp, async () => {
  const { exchange, decoded } = await jwtAccessToken();
  judge.judgeAccessTokenTyp(decoded.header, [exchange.id]);
  return { exchanges: [exchange.id], evidence: { typ: decoded.header.typ } };
});

suite.check(check.heldScopeGranted, async (ctx) => {
  const scopes = heldScopes(ctx);
  if (scopes.length === 0) skipCheck('the profile lists no scopes for the machine client (clients.machine.scopes)');
  const exchange = await granted();
  judge.judgeHeldScopeGranted(exchange, scopes);
  return { exchanges: [exchange.id], evidence: { requested: scopes.join(' ') } };
});

suite.check(check.unheldScopeRefused, async (ctx) => {
  const unheld = machine(ctx).unheld_scope ?? DEFAULT_UNHELD_SCOPE;
  const scope = [...heldScopes(ctx), unheld].join(' ');
  const exchange = await clientCredentialsGrant(ctx, { scope, label: `client credentials: unheld scope ${unheld}` });
  if ((exchange.response?.json as judge.TokenBody | undefined)?.error === 'invalid_client') {
    skipCheck(`the machine client did not authenticate (invalid_client, ${exchange.id}), so the scope was never judged: check clients.machine in the profile`);
  }
  judge.judgeUnheldScopeRefused(exchange, unheld);
  return { exchanges: [exchange.id], evidence: { requested: scope } };
});

suite.check(check.wrongSecretRefused, async (ctx) => {
  const client = confidentialMachine(ctx);
  const exchange = await ctx.http.send(clientPost(ctx.target.endpoint('token'), { ...client, client_secret: WRONG_SECRET }, GRANT, 'client credentials: wrong client secret'));
  judge.judgeInvalidClient(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.basicFailure401, async (ctx) => {
  const client = confidentialMachine(ctx);
  const exchange = await send(ctx, { form: GRANT, basicAuth: { username: client.client_id, password: WRONG_SECRET }, label: 'client credentials: wrong secret over HTTP Basic' });
  judge.judgeInvalidClient(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.unknownClientRefused, async (ctx) => {
  const client = confidentialMachine(ctx);
  const unknown = { ...client, client_id: `oidc-conformance-unknown-${randomUUID()}`, client_secret: WRONG_SECRET };
  const exchange = await ctx.http.send(clientPost(ctx.target.endpoint('token'), unknown, GRANT, 'client credentials: unknown client'));
  judge.judgeInvalidClient(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.missingCredentialsRefused, async (ctx) => {
  const client = confidentialMachine(ctx);
  const none = await send(ctx, { form: GRANT, label: 'client credentials: no client authentication' });
  const idOnly = await send(ctx, { form: { ...GRANT, client_id: client.client_id }, label: 'client credentials: client_id without a secret' });
  judge.judgeInvalidClient(none);
  judge.judgeInvalidClient(idOnly);
  return { exchanges: [none.id, idOnly.id] };
});

suite.check(check.publicClientRefused, async (ctx) => {
  ctx.target.requireGrant('client_credentials');
  const client = ctx.target.client('public');
  const exchange = await ctx.http.send(clientPost(ctx.target.endpoint('token'), client, GRANT, 'client credentials: public client'));
  judge.judgePublicClientRefused(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.noRefreshToken, async () => {
  const { exchange } = await tokens();
  judge.judgeNoRefreshToken(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.noIdToken, async () => {
  const { exchange } = await tokens();
  judge.judgeNoIdToken(exchange);
  return { exchanges: [exchange.id] };
});

// ---- RFC 9068: scope, audience and expiry of the JWT access token ----------------------------------

suite.check(check.jwtAccessTokenScope, async (ctx) => {
  const requested = heldScopes(ctx);
  if (requested.length === 0) skipCheck('no scope was requested (the profile lists no scopes for the machine client), so RFC 9068 2.2.3 asks for no scope claim');
  const { exchange, body, decoded } = await jwtAccessToken();
  const message = judge.judgeAccessTokenScope(decoded.claims, requested, body, [exchange.id]);
  return { exchanges: [exchange.id], message, evidence: { scope: decoded.claims.scope } };
});

suite.check(check.jwtAccessTokenDefaultAudience, async (ctx) => {
  const { exchange, decoded } = await jwtAccessToken();
  const messages = [judge.judgeDefaultAudience(decoded.claims, [exchange.id])];
  const cited = [exchange.id];
  const resource = machine(ctx).resource;
  if (resource === undefined) {
    messages.push('the profile names no resource indicator for the machine client (clients.machine.resource), so aud for an explicit resource was not asked for');
  } else {
    const scopes = heldScopes(ctx);
    const form: Record<string, string> = { grant_type: 'client_credentials', resource };
    if (scopes.length > 0) form.scope = scopes.join(' ');
    const withResource = await tokenRequest(ctx, 'machine', form, `client credentials with resource=${resource}`);
    cited.push(withResource.id);
    messages.push(judge.judgeResourceAudience(withResource, resource));
  }
  return { exchanges: cited, message: messages.join('; ') };
});

suite.check(check.jwtAccessTokenAudienceRestricted, async (ctx) => {
  const { exchange, decoded } = await jwtAccessToken();
  return { exchanges: [exchange.id], message: judge.judgeAudienceRestricted(decoded.claims, machine(ctx).client_id, [exchange.id]) };
});

suite.check(check.jwtAccessTokenExpiry, async () => {
  const { exchange, decoded } = await jwtAccessToken();
  return { exchanges: [exchange.id], message: judge.judgeAccessTokenExpiry(decoded.claims, exchange) };
});
