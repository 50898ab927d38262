// Discovery: fetch the configuration (and the RFC 8414 metadata) once, then judge it.
import { CheckSkip } from '../../harness/checks.ts';
import { clientCredentialsGrant, memberOf, refreshTokenGrant } from '../../harness/flows/steps.ts';
import { sourceName, userGrants, userTokenSource } from '../../harness/flows/user-tokens.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { type Form, clientPost } from '../../harness/oauth/token-request.ts';
import type { ClientRole, ProfileClient } from '../../harness/profile/types.ts';
import { type SuiteContext, createSuite } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('discovery');
const CORS_ORIGIN = 'https://rp.example.org';

const configuration = suite.step('fetch the configuration', async ({ target, http }) => {
  target.metadata(); // ERROR at once when the preflight could not reach the target
  return http.send({ method: 'GET', url: target.discoveryUrl, headers: { origin: CORS_ORIGIN }, label: 'discovery' });
});

const metadata = async () => {
  const exchange = await configuration();
  judge.judgeServed(exchange);
  return { exchange, metadata: exchange.response!.json as judge.Metadata, exchanges: [exchange.id] };
};

suite.judgeExchange(check.served, configuration, (exchange) => judge.judgeServed(exchange));

suite.check(check.issuerMatches, async ({ target }) => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeIssuerMatches(m, target.issuer, exchanges);
  return { exchanges };
});

suite.check(check.requiredMembers, async () => {
  const { exchange, metadata: m, exchanges } = await metadata();
  judge.judgeRequiredMembers(exchange, m);
  return { exchanges };
});

suite.check(check.rs256Supported, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeRs256(m, exchanges);
  return { exchanges };
});

suite.check(check.noEmptyArrays, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeNoEmptyArrays(m, exchanges);
  return { exchanges };
});

suite.check(check.issuerHttps, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeHttpsUrl('issuer', m.issuer, exchanges, false);
  return { exchanges };
});

suite.check(check.endpointsHttps, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeEndpointsHttps(m, exchanges);
  return { exchanges };
});

suite.check(check.endpointsAnswer, async ({ http }) => {
  const { metadata: m } = await metadata();
  const cited: string[] = [];
  for (const member of judge.ENDPOINT_MEMBERS) {
    if (typeof m[member] !== 'string') continue;
    // Token, revocation and introspection requests are POSTs (RFC 6749 3.2, RFC 7009 2.1, RFC 7662
    // 2.1): probed with GET, a server that has the endpoint may answer 404 "no such route" (oidc-provider).
    const exchange = judge.POST_ENDPOINT_MEMBERS.has(member)
      ? await http.send({ method: 'POST', url: m[member], form: {}, label: `discovery: probe ${member} (empty POST)` })
      : await http.send({ method: 'GET', url: m[member], label: `discovery: probe ${member}` });
    cited.push(exchange.id);
    judge.judgeEndpointAnswered(member, exchange);
  }
  return { exchanges: cited, message: `${cited.length} advertised endpoints answer` };
});

suite.check(check.openidScope, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeOpenidScope(m, exchanges);
  return { exchanges };
});

suite.check(check.userinfoAdvertised, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeMemberPresent(m, 'userinfo_endpoint', exchanges);
  return { exchanges };
});

suite.check(check.claimsSupported, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeMemberPresent(m, 'claims_supported', exchanges);
  return { exchanges };
});

suite.check(check.booleanFlags, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeBooleanFlags(m, exchanges);
  return { exchanges };
});

suite.check(check.authSigningAlgs, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgeAuthSigningAlgs(m, exchanges);
  return { exchanges };
});

suite.check(check.pkceMethods, async () => {
  const { metadata: m, exchanges } = await metadata();
  judge.judgePkceMethods(m, exchanges);
  return { exchanges };
});

suite.judgeExchange(check.cors, configuration, (exchange) => judge.judgeCors(exchange, CORS_ORIGIN));

suite.check(check.rfc8414Consistent, async ({ target, http }) => {
  const { metadata: m, exchanges } = await metadata();
  const as = await http.send({ method: 'GET', url: judge.rfc8414Url(target.issuer), label: 'RFC 8414 metadata' });
  judge.judgeRfc8414(as, m, target.issuer);
  return { exchanges: [...exchanges, as.id] };
});

// ---- what the provider issues, compared with what the metadata says ----

const userGrant = userGrants(suite, 'discovery');

const idTokenGrant = suite.step("the user's grant (openid)", (ctx) => userGrant(ctx, { scope: 'openid', label: 'discovery: openid' }));

const offlineGrant = suite.step("the user's grant (openid offline_access)", (ctx) =>
  userGrant(ctx, { scope: 'openid offline_access', label: 'discovery: openid offline_access' }),
);

/** The step's exchange, or the reason it cannot be had (a CheckSkip's reason). */
async function attempt(run: () => Promise<Exchange>): Promise<Exchange | string> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CheckSkip) return error.reason;
    throw error;
  }
}

suite.check(check.issuerMatchesIdToken, async ({ target }) => {
  const { metadata: m, exchanges } = await metadata();
  const grant = await idTokenGrant();
  const idToken = memberOf(grant, 'id_token');
  if (grant.response?.status !== 200 || idToken === undefined) {
    throw new CheckSkip(`no ID token to compare: ${sourceName(target)} answered HTTP ${grant.response?.status ?? 'nothing'}${idToken === undefined ? ' without an id_token' : ''} (${grant.id}; the password and code-flow suites judge the grant)`);
  }
  const cited = [...exchanges, grant.id];
  judge.judgeIdTokenIssuer(m, idToken, cited);
  return { exchanges: cited, message: `the ID token of ${grant.id} carries iss ${JSON.stringify(m.issuer)}` };
});

/** How each grant listed in grant_types_supported is exercised over HTTP, or why it is not. */
function grantProbe(ctx: SuiteContext, grantType: string): (() => Promise<Exchange>) | string {
  switch (grantType) {
    case 'client_credentials':
      return () => clientCredentialsGrant(ctx, { label: 'discovery: client credentials (listed grant)' });
    case 'password':
      return idTokenGrant;
    case 'refresh_token':
      return async () => {
        const grant = await offlineGrant();
        const refreshToken = memberOf(grant, 'refresh_token');
        if (refreshToken === undefined) {
          throw new CheckSkip(`no refresh token from ${sourceName(ctx.target)} with offline_access (${grant.id}: HTTP ${grant.response?.status ?? 'nothing'})`);
        }
        return refreshTokenGrant(ctx, refreshToken, { label: 'discovery: refresh_token (listed grant)' });
      };
    case 'authorization_code':
      // Without the password grant, the user's grant above is a code flow: its redemption is the probe.
      return async () => {
        if (userTokenSource(ctx.target) !== 'code') throw new CheckSkip('needs a browser (the browser suites exercise it)');
        return idTokenGrant();
      };
    case 'implicit':
      return 'needs a browser (the browser suites exercise it)';
    default:
      return 'not exercisable over HTTP with the profile';
  }
}

suite.check(check.grantTypesWork, async (ctx) => {
  const { metadata: m, exchanges } = await metadata();
  const listed = Array.isArray(m.grant_types_supported) ? m.grant_types_supported.map(String) : ['authorization_code', 'implicit'];
  const cited = [...exchanges];
  const worked: string[] = [];
  const skipped: string[] = [];
  for (const grantType of listed) {
    const probe = grantProbe(ctx, grantType);
    const result = typeof probe === 'string' ? probe : await attempt(probe);
    if (typeof result === 'string') {
      skipped.push(`${grantType} (${result})`);
      continue;
    }
    cited.push(result.id);
    judge.judgeGrantNotRefused(grantType, result);
    worked.push(`${grantType} (${result.id}: HTTP ${result.response?.status ?? 'none'})`);
  }
  if (worked.length === 0) throw new CheckSkip(`no listed grant could be exercised: ${skipped.join('; ')}`);
  return { exchanges: cited, message: `not refused: ${worked.join(', ')}${skipped.length > 0 ? `; SKIPPED: ${skipped.join('; ')}` : ''}` };
});

const ROLES: ClientRole[] = ['basic', 'post', 'machine', 'second', 'public', 'jwt'];

/** A profile client registered for `method` with a grant it can send over HTTP, or why there is none. */
function clientFor(target: Target, method: string): { role: ClientRole; client: ProfileClient; form: Form } | string {
  const grants = target.grantTypes();
  const user = target.profile.users[0];
  for (const role of ROLES) {
    const client = target.profile.clients[role];
    if (client?.auth_method !== method || client.client_secret === undefined) continue;
    if (role === 'machine' && grants.includes('client_credentials')) return { role, client, form: { grant_type: 'client_credentials' } };
    if (role !== 'machine' && grants.includes('password') && user) return { role, client, form: { grant_type: 'password', username: user.username, password: user.password, scope: 'openid' } };
  }
  return `no profile client registered for ${method} with a client_credentials or password grant to send`;
}

suite.check(check.authMethodsWork, async ({ target, http }) => {
  const { metadata: m, exchanges } = await metadata();
  const clients = ROLES.flatMap((role) => {
    const client = target.profile.clients[role];
    return client ? [{ role, method: client.auth_method }] : [];
  });
  judge.judgeClientMethodsListed(m, clients, exchanges);
  const listed = judge.listedAuthMethods(m);
  const cited = [...exchanges];
  const worked: string[] = [];
  const skipped: string[] = [];
  for (const method of ['client_secret_basic', 'client_secret_post']) {
    if (!listed.includes(method)) continue;
    const chosen = clientFor(target, method);
    if (typeof chosen === 'string') {
      skipped.push(chosen);
      continue;
    }
    const exchange = await http.send(clientPost(target.endpoint('token'), chosen.client, chosen.form, `discovery: ${method} as the ${chosen.role} client (${String(chosen.form.grant_type)})`));
    cited.push(exchange.id);
    judge.judgeClientAuthenticated(method, exchange);
    worked.push(`${method} (${chosen.role} client, ${exchange.id}: HTTP ${exchange.response?.status ?? 'none'})`);
  }
  const methods = clients.map((c) => `${c.role}: ${c.method}`).join(', ');
  return {
    exchanges: cited,
    message: `every profile client's method is listed (${methods})${worked.length > 0 ? `; authenticated: ${worked.join(', ')}` : ''}${skipped.length > 0 ? `; SKIPPED: ${skipped.join('; ')}` : ''}`,
  };
});

// ---- extension members, WebFinger, registration, response modes, request objects ----------------

suite.check(check.extensionMembers, async () => {
  const { metadata: m, exchanges } = await metadata();
  return { exchanges, ...judge.judgeExtensionMembers(m, exchanges) };
});

suite.check(check.webfingerIssuer, async ({ target, http }) => {
  const { metadata: m, exchanges } = await metadata();
  const issuer = typeof m.issuer === 'string' ? m.issuer : target.issuer;
  const resource = judge.webfingerResource(issuer, target.profile.users[0]?.username);
  const exchange = await http.send({ method: 'GET', url: judge.webfingerUrl(issuer, resource), label: `discovery: WebFinger issuer query for ${resource}` });
  const message = judge.judgeWebfingerIssuer(exchange, m, exchanges);
  return { exchanges: [...exchanges, exchange.id], message };
});

suite.check(check.registrationEndpoint, async ({ target }) => {
  const { metadata: m, exchanges } = await metadata();
  return { exchanges, message: judge.judgeRegistrationEndpoint(m, target.profile.features?.endpoints?.registration, exchanges) };
});

const MODE_STATE = 'oidc-conformance-mode-state';
/** The modes an authorization request over plain HTTP can show (the JARM ".jwt" modes cannot be read without keys). */
const HTTP_MODES = ['query', 'fragment', 'form_post'];

suite.check(check.responseModesWork, async ({ target, http }) => {
  const { metadata: m } = await metadata();
  const client = target.client('basic');
  if (client.redirect_uri === undefined) throw new CheckSkip('the basic client of the profile has no redirect_uri');
  const listed = Array.isArray(m.response_modes_supported) ? m.response_modes_supported.map(String) : ['query', 'fragment'];
  const modes = [...new Set([...listed.filter((mode) => HTTP_MODES.includes(mode)), 'form_post'])];
  const probes: judge.ModeProbe[] = [];
  for (const mode of modes) {
    // prompt=none without a session: an error response (login_required) at once, in the mode asked for.
    const query = { client_id: client.client_id, redirect_uri: client.redirect_uri, response_type: 'code', scope: 'openid', state: MODE_STATE, prompt: 'none', response_mode: mode };
    const exchange = await http.send({ method: 'GET', url: target.endpoint('authorization'), query, label: `discovery: response_mode=${mode}, prompt=none` });
    probes.push({ mode, listed: listed.includes(mode), exchange });
  }
  const notProbed = listed.filter((mode) => !HTTP_MODES.includes(mode));
  const message = judge.judgeResponseModes(probes, client.redirect_uri, MODE_STATE, notProbed);
  return { exchanges: probes.map((p) => p.exchange.id), message };
});

suite.check(check.requestObjectAlgs, async () => {
  const { metadata: m, exchanges } = await metadata();
  return { exchanges, message: judge.judgeRequestObjectAlgs(m, exchanges) };
});

suite.check(check.dynamicOpTypes, async ({ target }) => {
  const { metadata: m, exchanges } = await metadata();
  const reason = judge.dynamicOpReason(m, target.profile.features?.endpoints?.registration, target.description.certification === true);
  return { exchanges, message: judge.judgeDynamicOpTypes(m, reason, exchanges) };
});

suite.check(check.valueSyntax, async () => {
  const { metadata: m, exchanges } = await metadata();
  return { exchanges, message: judge.judgeValueSyntax(m, exchanges) };
});
