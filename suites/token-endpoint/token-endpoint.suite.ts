// Token endpoint generics: one successful request per grant the target offers without a browser,
// and one malformed or badly authenticated request per rule, each sent once and judged.
import { CheckSkip } from '../../harness/checks.ts';
import { clientCredentialsGrant, fetchDiscovery } from '../../harness/flows/steps.ts';
import { userGrants } from '../../harness/flows/user-tokens.ts';
import { encodeFormComponent } from '../../harness/http/encode-form.ts';
import type { Exchange, HttpRequest } from '../../harness/http/types.ts';
import { JWT_BEARER_ASSERTION, buildClientAssertion } from '../../harness/oauth/client-assertion.ts';
import { type Form, clientPost, withClientAuth } from '../../harness/oauth/token-request.ts';
import type { ClientRole, ProfileClient } from '../../harness/profile/types.ts';
import { type SuiteContext, createSuite } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('token-endpoint');
const userGrant = userGrants(suite, 'token-endpoint');
const UNKNOWN_CLIENT = 'oidc-conformance-unknown-client';
const ROLES: ClientRole[] = ['basic', 'post', 'machine', 'second', 'public'];

interface Grant {
  role: ClientRole;
  client: ProfileClient;
  form: Form;
}

/** The form of a grant this role's client may use without a browser; a bogus code otherwise (auth is judged first). */
function grantFormFor(target: Target, role: ClientRole, client: ProfileClient): Form {
  if (role === 'machine') return { grant_type: 'client_credentials' };
  const user = target.profile.users[0];
  if (target.grantTypes().includes('password') && user) return { grant_type: 'password', username: user.username, password: user.password };
  return { grant_type: 'authorization_code', code: 'oidc-conformance-invalid-code', redirect_uri: client.redirect_uri ?? 'https://rp.example.org/callback' };
}

/** A request that succeeds when sent right: client credentials as the machine client, else the password grant. */
function workingGrant(target: Target): Grant {
  const machine = target.profile.clients.machine;
  if (machine && target.grantTypes().includes('client_credentials')) return { role: 'machine', client: machine, form: { grant_type: 'client_credentials' } };
  const basic = target.profile.clients.basic;
  if (basic && target.grantTypes().includes('password') && target.profile.users[0]) return { role: 'basic', client: basic, form: grantFormFor(target, 'basic', basic) };
  throw new CheckSkip('neither client credentials (machine client) nor the password grant (basic client and a user) is available');
}

/** A confidential client of the profile that authenticates with `method` (roles in ROLES order). */
function clientWith(target: Target, method: ProfileClient['auth_method'], accept: (client: ProfileClient) => boolean = () => true): { role: ClientRole; client: ProfileClient } {
  for (const role of ROLES) {
    const client = target.profile.clients[role];
    if (client?.auth_method === method && client.client_secret !== undefined && accept(client)) return { role, client };
  }
  throw new CheckSkip(`the profile has no suitable client authenticating with ${method}`);
}

const basicClient = (target: Target, accept?: (client: ProfileClient) => boolean) => clientWith(target, 'client_secret_basic', accept);

const tokenUrl = (target: Target) => target.endpoint('token');

// ---- successful requests ----

const successes = suite.step('successful token requests', async (ctx) => {
  const sent: Exchange[] = [];
  const reasons: string[] = [];
  for (const send of [
    () => clientCredentialsGrant(ctx, { label: 'token: client credentials' }),
    () => userGrant(ctx, { scope: 'openid profile', label: 'token: openid profile' }),
  ]) {
    try {
      sent.push(await send());
    } catch (error) {
      if (!(error instanceof CheckSkip)) throw error;
      reasons.push(error.reason);
    }
  }
  if (sent.length === 0) throw new CheckSkip(`no grant to obtain a token response: ${reasons.join('; ')}`);
  return sent;
});

/** The 200 responses; SKIP when every request failed (the grant suites judge that). */
async function succeeded(): Promise<Exchange[]> {
  const sent = await successes();
  const ok = sent.filter((e) => e.response?.status === 200);
  if (ok.length === 0) throw new CheckSkip(`no token request succeeded (${sent.map((e) => `${e.id}: HTTP ${e.response?.status ?? 'none'}`).join(', ')})`);
  return ok;
}

// ---- requests that must be refused ----

const unknownGrant = suite.step('unknown grant_type', ({ target, http }) =>
  http.send(clientPost(tokenUrl(target), workingGrant(target).client, { grant_type: 'urn:oidc-conformance:unknown-grant' }, 'token: unknown grant_type')),
);

const missingGrantType = suite.step('no grant_type', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  const { grant_type: _, ...rest } = form;
  return http.send(clientPost(tokenUrl(target), client, rest, 'token: no grant_type'));
});

const repeatedParameter = suite.step('grant_type sent twice', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  const grantType = String(form.grant_type);
  return http.send(clientPost(tokenUrl(target), client, { ...form, grant_type: [grantType, grantType] }, 'token: grant_type sent twice'));
});

const getRequest = suite.step('token request as GET', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  const { form: query, ...request } = withClientAuth(client, { method: 'GET', url: tokenUrl(target), form, label: 'token: GET with the parameters in the query' });
  return http.send({ ...request, query });
});

const secretInQuery = suite.step('client credentials in the URL query', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  if (client.client_secret === undefined) throw new CheckSkip('the client of the working grant has no secret');
  return http.send({
    method: 'POST',
    url: tokenUrl(target),
    query: { client_id: client.client_id, client_secret: client.client_secret },
    form,
    label: 'token: client_id and client_secret in the URL query',
  });
});

const unknownParameter = suite.step('an unknown parameter', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  return http.send(clientPost(tokenUrl(target), client, { ...form, oidc_conformance_unknown: 'ignore-me' }, 'token: with an unknown parameter'));
});

const emptyParameter = suite.step('an empty scope parameter', ({ target, http }) => {
  const { client, form } = workingGrant(target);
  return http.send(clientPost(tokenUrl(target), client, { ...form, scope: '' }, 'token: with scope= (empty, so absent)'));
});

const wrongBasicSecret = suite.step('wrong Basic secret', ({ target, http }) => {
  const { role, client } = basicClient(target);
  return http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: grantFormFor(target, role, client),
    basicAuth: { username: client.client_id, password: `${client.client_secret ?? ''}-wrong` },
    label: 'token: HTTP Basic with a wrong secret',
  });
});

const unknownClientBasic = suite.step('unknown client over Basic', ({ target, http }) =>
  http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: workingGrant(target).form,
    basicAuth: { username: UNKNOWN_CLIENT, password: 'not-a-secret' },
    label: 'token: HTTP Basic as an unknown client',
  }),
);

const unknownClientBody = suite.step('unknown client in the body', ({ target, http }) =>
  http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: { ...workingGrant(target).form, client_id: UNKNOWN_CLIENT, client_secret: 'not-a-secret' },
    label: 'token: an unknown client_id and client_secret in the body',
  }),
);

const noCredentials = suite.step('no client authentication', ({ target, http }) =>
  http.send({ method: 'POST', url: tokenUrl(target), form: workingGrant(target).form, label: 'token: no client authentication at all' }),
);

const twoMethods = suite.step('Basic and client_secret in the body', ({ target, http }) => {
  const { role, client } = basicClient(target);
  const secret = client.client_secret ?? '';
  return http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: { ...grantFormFor(target, role, client), client_id: client.client_id, client_secret: secret },
    basicAuth: { username: client.client_id, password: secret },
    label: 'token: HTTP Basic and client_secret in the body at once',
  });
});

const basicClientPosting = suite.step('a client_secret_basic client posting its secret', ({ target, http }) => {
  const { role, client } = basicClient(target);
  return http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: { ...grantFormFor(target, role, client), client_id: client.client_id, client_secret: client.client_secret ?? '' },
    label: 'token: a client_secret_basic client sending its secret in the body',
  });
});

const postClientUsingBasic = suite.step('a client_secret_post client using Basic', ({ target, http }) => {
  const { role, client } = clientWith(target, 'client_secret_post');
  return http.send({
    method: 'POST',
    url: tokenUrl(target),
    form: grantFormFor(target, role, client),
    basicAuth: { username: client.client_id, password: client.client_secret ?? '' },
    label: 'token: a client_secret_post client using HTTP Basic',
  });
});

/** Refusals whose bodies must be RFC 6749 5.2 JSON errors. */
const ERROR_PROBES = [
  unknownGrant,
  missingGrantType,
  repeatedParameter,
  secretInQuery,
  wrongBasicSecret,
  unknownClientBasic,
  unknownClientBody,
  noCredentials,
  twoMethods,
  basicClientPosting,
  postClientUsingBasic,
];

/** The exchanges of the steps that apply to this target (a step that SKIPs is left out). */
async function gather(steps: Array<() => Promise<Exchange>>): Promise<Exchange[]> {
  const out: Exchange[] = [];
  for (const step of steps) {
    try {
      out.push(await step());
    } catch (error) {
      if (!(error instanceof CheckSkip)) throw error;
    }
  }
  return out;
}

const ids = (exchanges: Exchange[]) => exchanges.map((e) => e.id);

// ---- checks ----

suite.judgeExchange(check.unsupportedGrantType, unknownGrant, (exchange) => judge.judgeUnsupportedGrantType(exchange));

suite.judgeExchange(check.missingGrantType, missingGrantType, (exchange) => judge.judgeInvalidRequest(exchange));

suite.judgeExchange(check.repeatedParameter, repeatedParameter, (exchange) => judge.judgeInvalidRequest(exchange));

suite.check(check.getRefused, async () => {
  const exchange = await getRequest();
  judge.judgeGetRefused(exchange);
  return { exchanges: [exchange.id], message: `GET refused with HTTP ${exchange.response?.status}` };
});

suite.check(check.secretInQueryRefused, async () => {
  const exchange = await secretInQuery();
  judge.judgeSecretInQueryRefused(exchange);
  return { exchanges: [exchange.id], message: `credentials in the query refused with HTTP ${exchange.response?.status}` };
});

suite.check(check.noStore, async () => {
  const ok = await succeeded();
  for (const exchange of ok) judge.judgeNoStore(exchange);
  return { exchanges: ids(ok) };
});

suite.check(check.jsonContentType, async () => {
  const ok = await succeeded();
  const errors = (await gather(ERROR_PROBES)).filter((e) => (e.response?.status ?? 0) >= 400);
  for (const exchange of [...ok, ...errors]) judge.judgeJsonBody(exchange);
  return { exchanges: ids([...ok, ...errors]), message: `${ok.length} successful and ${errors.length} error responses are JSON` };
});

suite.check(check.tokenType, async () => {
  const ok = await succeeded();
  for (const exchange of ok) judge.judgeTokenType(exchange);
  return { exchanges: ids(ok) };
});

suite.check(check.jsonTypes, async () => {
  const ok = await succeeded();
  for (const exchange of ok) judge.judgeJsonTypes(exchange);
  return { exchanges: ids(ok) };
});

suite.check(check.noNullMembers, async () => {
  const ok = await succeeded();
  for (const exchange of ok) judge.judgeNoNullMembers(exchange);
  return { exchanges: ids(ok) };
});

suite.check(check.scopeFormat, async () => {
  const ok = await succeeded();
  const judged = ok.filter((exchange) => judge.judgeScopeFormat(exchange));
  if (judged.length === 0) throw new CheckSkip('no token response carried scope');
  return { exchanges: ids(judged) };
});

suite.check(check.errorCharset, async () => {
  const judged = (await gather(ERROR_PROBES)).filter((exchange) => judge.judgeErrorCharset(exchange));
  if (judged.length === 0) throw new CheckSkip('no error response with a JSON error body to judge');
  return { exchanges: ids(judged), message: `${judged.length} error bodies within the RFC 6749 character sets` };
});

suite.check(check.unknownParameterIgnored, async () => {
  const unknown = await unknownParameter();
  judge.judgeStillSucceeds(unknown, 'an unknown parameter');
  const empty = await emptyParameter();
  judge.judgeStillSucceeds(empty, 'an empty scope parameter');
  return { exchanges: [unknown.id, empty.id] };
});

suite.check(check.basicChallenge, async () => {
  const judged = [await wrongBasicSecret(), await unknownClientBasic()];
  for (const exchange of judged) judge.judgeBasicChallenge(exchange);
  return { exchanges: ids(judged) };
});

suite.check(check.invalidClient, async () => {
  const judged = [await unknownClientBasic(), await unknownClientBody(), await noCredentials()];
  for (const exchange of judged) judge.judgeInvalidClient(exchange);
  return { exchanges: ids(judged) };
});

suite.judgeExchange(check.twoAuthMethods, twoMethods, (exchange) => judge.judgeTwoAuthMethods(exchange));

suite.check(check.basicUrlEncoded, async ({ target, http }) => {
  const needsEncoding = (value: string) => encodeFormComponent(value) !== value;
  let chosen: { role: ClientRole; client: ProfileClient };
  try {
    chosen = basicClient(target, (c) => needsEncoding(c.client_id) || needsEncoding(c.client_secret ?? ''));
  } catch (error) {
    if (!(error instanceof CheckSkip)) throw error;
    throw new CheckSkip('no client_secret_basic client of the profile has a client_id or secret that form-urlencoding changes (":", "%", "+", space, ...); this check needs one configured');
  }
  const { role, client } = chosen;
  const request: HttpRequest = {
    method: 'POST',
    url: tokenUrl(target),
    form: grantFormFor(target, role, client),
    basicAuth: { username: client.client_id, password: client.client_secret ?? '' },
    label: 'token: HTTP Basic with credentials that need form-urlencoding',
  };
  const exchange = await http.send(request);
  judge.judgeBasicUrlEncoded(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.basicSupported, async ({ target }) => {
  const basicRequests = (await successes().catch((error: unknown) => {
    if (error instanceof CheckSkip) return [];
    throw error;
  })).filter((e) => e.request.basicAuthUsername !== undefined);
  judge.judgeBasicSupported(target.metadata(), basicRequests);
  const shown = basicRequests.map((e) => `${e.id}: HTTP ${e.response?.status}`).join(', ');
  return { exchanges: ids(basicRequests), message: `client_secret_basic is offered${shown ? `; Basic-authenticated requests: ${shown}` : ' (no Basic-authenticated grant was sent)'}` };
});

suite.check(check.registeredMethodEnforced, async () => {
  const judged = await gather([basicClientPosting, postClientUsingBasic]);
  if (judged.length === 0) throw new CheckSkip('the profile has no client_secret_basic or client_secret_post client');
  for (const exchange of judged) judge.judgeOtherMethodRefused(exchange);
  return { exchanges: ids(judged) };
});

suite.check(check.tls, async ({ target }) => {
  const url = tokenUrl(target);
  const sent = await successes().catch((error: unknown) => {
    if (error instanceof CheckSkip) return [];
    throw error;
  });
  judge.judgeTls(url, ids(sent));
  return { exchanges: ids(sent), message: `token_endpoint ${url} is https` };
});

const discovery = suite.step('discovery', fetchDiscovery);

suite.check(check.asymmetricAuthOffered, async () => {
  const { exchange, metadata } = await discovery();
  judge.judgeAsymmetricAuthOffered(metadata, [exchange.id]);
  return { exchanges: [exchange.id], message: `token_endpoint_auth_methods_supported: ${JSON.stringify(metadata.token_endpoint_auth_methods_supported)}` };
});

// ---- credentials in the body: the declared policy ----------------------------------------------------

const postClientPosting = suite.step('a client_secret_post client posting its secret', ({ target, http }) => {
  const { role, client } = clientWith(target, 'client_secret_post');
  return http.send(clientPost(tokenUrl(target), client, grantFormFor(target, role, client), 'token: a client_secret_post client (credentials in the body)'));
});

suite.check(check.clientSecretPostPolicy, async ({ target }) => {
  const accepted = target.profile.policies?.client_secret_post ?? true;
  // Declared accepted: a client registered for the body method gets through. Declared refused: a
  // Basic client's secret sent in the body does not.
  const exchange = accepted ? await postClientPosting() : await basicClientPosting();
  return { exchanges: [exchange.id], message: judge.judgeBodyCredentialsPolicy(exchange, accepted) };
});

// ---- client_secret_jwt assertions ---------------------------------------------------------------------

/** The profile's client_secret_jwt client; SKIP without one (the checks need a client registered for it). */
function jwtClient(target: Target): ProfileClient & { client_secret: string } {
  const client = target.client('jwt');
  if (client.auth_method !== 'client_secret_jwt' || client.client_secret === undefined) {
    throw new CheckSkip(`the "jwt" client of the profile authenticates with ${client.auth_method}, not client_secret_jwt`);
  }
  target.requireGrant('client_credentials');
  return client as ProfileClient & { client_secret: string };
}

interface AssertionRequest {
  claims?: Record<string, unknown>;
  alg?: 'HS256' | 'none';
  audience?: string;
  secret?: string;
  type?: string;
  /** Send this assertion as is (a replay). */
  assertion?: string;
}

function assertionFor(target: Target, request: AssertionRequest = {}): string {
  const client = jwtClient(target);
  const options: Parameters<typeof buildClientAssertion>[2] = { audience: request.audience ?? tokenUrl(target) };
  if (request.claims) options.claims = request.claims;
  if (request.alg) options.alg = request.alg;
  return buildClientAssertion(client.client_id, request.secret ?? client.client_secret, options);
}

/** client_credentials as the jwt client, authenticated by this assertion. */
function sendAssertion({ target, http }: SuiteContext, what: string, request: AssertionRequest = {}): Promise<judge.AssertionAttempt> {
  const assertion = request.assertion ?? assertionFor(target, request);
  return http
    .send({
      method: 'POST',
      url: tokenUrl(target),
      form: { grant_type: 'client_credentials', client_assertion_type: request.type ?? JWT_BEARER_ASSERTION, client_assertion: assertion },
      label: `token: client_secret_jwt, ${what}`,
    })
    .then((exchange) => ({ what, exchange }));
}

const validAssertion = suite.step('a well-formed client assertion', async (ctx) => {
  const assertion = assertionFor(ctx.target);
  return { assertion, attempt: await sendAssertion(ctx, 'a well-formed assertion (aud the token endpoint)', { assertion }) };
});

/** The negative checks mean something only when a well-formed assertion works. */
async function requireWorkingAssertion(): Promise<judge.AssertionAttempt> {
  const { attempt } = await validAssertion();
  if (attempt.exchange.response?.status !== 200) {
    throw new CheckSkip(`a well-formed client_secret_jwt assertion was refused too (${attempt.exchange.id}: HTTP ${attempt.exchange.response?.status ?? 'none'}), so a refusal shows nothing: see token-endpoint/client-assertion-claims-checked`);
  }
  return attempt;
}

suite.check(check.clientAssertionClaimsChecked, async (ctx) => {
  const { attempt: valid } = await validAssertion();
  const metadata = ctx.target.metadata();
  const issuer = typeof metadata.issuer === 'string' ? metadata.issuer : ctx.target.issuer;
  const issuerAudience = await sendAssertion(ctx, 'an assertion with aud the issuer', { audience: issuer });
  const bad = [
    await sendAssertion(ctx, 'an assertion for another audience', { audience: 'https://oidc-conformance.invalid/token' }),
    await sendAssertion(ctx, 'an assertion whose iss is not the client_id', { claims: { iss: 'oidc-conformance-someone-else' } }),
    await sendAssertion(ctx, 'an assertion without iss', { claims: { iss: undefined } }),
    await sendAssertion(ctx, 'an assertion without sub', { claims: { sub: undefined } }),
    await sendAssertion(ctx, 'an assertion without aud', { claims: { aud: undefined } }),
    await sendAssertion(ctx, 'an assertion without jti', { claims: { jti: undefined } }),
    await sendAssertion(ctx, 'an assertion without exp', { claims: { exp: undefined } }),
  ];
  const message = judge.judgeAssertionClaims(valid, issuerAudience, bad);
  return { exchanges: [valid.exchange.id, issuerAudience.exchange.id, ...bad.map((a) => a.exchange.id)], message };
});

suite.check(check.clientAssertionReplayRefused, async (ctx) => {
  const first = await requireWorkingAssertion();
  const { assertion } = await validAssertion();
  const replay = await sendAssertion(ctx, 'the accepted assertion sent again', { assertion });
  judge.judgeAssertionRefused(replay);
  return { exchanges: [first.exchange.id, replay.exchange.id] };
});

suite.check(check.clientAssertionExpiryChecked, async (ctx) => {
  const valid = await requireWorkingAssertion();
  const now = Math.floor(Date.now() / 1000);
  const attempts = [
    await sendAssertion(ctx, 'an assertion that expired an hour ago', { claims: { iat: now - 3660, exp: now - 3600 } }),
    await sendAssertion(ctx, 'an assertion not valid before an hour from now (nbf)', { claims: { nbf: now + 3600, exp: now + 3660 } }),
  ];
  for (const attempt of attempts) judge.judgeAssertionRefused(attempt);
  return { exchanges: [valid.exchange.id, ...attempts.map((a) => a.exchange.id)] };
});

suite.check(check.clientAssertionTypeChecked, async (ctx) => {
  const valid = await requireWorkingAssertion();
  const attempt = await sendAssertion(ctx, 'a valid assertion with client_assertion_type saml2-bearer', { type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' });
  judge.judgeAssertionRefused(attempt);
  return { exchanges: [valid.exchange.id, attempt.exchange.id] };
});

suite.check(check.clientAssertionSignatureChecked, async (ctx) => {
  const valid = await requireWorkingAssertion();
  const attempts = [
    await sendAssertion(ctx, 'an unsigned assertion (alg none)', { alg: 'none' }),
    await sendAssertion(ctx, 'an assertion MACed with another secret', { secret: 'oidc-conformance-not-the-client-secret-0123456789' }),
  ];
  for (const attempt of attempts) judge.judgeAssertionRefused(attempt);
  return { exchanges: [valid.exchange.id, ...attempts.map((a) => a.exchange.id)] };
});
