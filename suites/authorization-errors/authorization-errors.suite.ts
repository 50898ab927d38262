// Authorization endpoint errors that need no login: each request is sent once over plain HTTP
// (no browser, no cookies, redirects not followed) and the answer's Location is judged.
import { CheckFailure, CheckSkip } from '../../harness/checks.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('authorization-errors');
const STATE = 'oidc-conformance-state-1';
/** Reserved and non-ASCII characters, which must come back byte-exact (AZ-14, AZ-15). */
const RESERVED_STATE = 'st%at+e&=/?#;ä€ 1';
const UNKNOWN_CLIENT = 'oidc-conformance-unknown-client';
const CORS_ORIGIN = 'https://rp.example.org';
/** A well-formed code_challenge (43 unreserved characters). */
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

interface Client {
  endpoint: string;
  clientId: string;
  redirectUri: string;
}

/** The basic client and its redirect URI; SKIP when the profile lacks either. */
function basicClient({ target }: SuiteContext): Client {
  const client = target.client('basic');
  if (client.redirect_uri === undefined) throw new CheckSkip('the basic client of the profile has no redirect_uri');
  return { endpoint: target.endpoint('authorization'), clientId: client.client_id, redirectUri: client.redirect_uri };
}

/** A GET authorization request by the basic client; `params` override (undefined removes). */
function authorize(ctx: SuiteContext, label: string, params: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Exchange> {
  const { endpoint, clientId, redirectUri } = basicClient(ctx);
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: STATE, ...params })) {
    if (value !== undefined) query[name] = value;
  }
  return ctx.http.send({ method: 'GET', url: endpoint, query, headers, label: `authorization: ${label}` });
}

const unsupportedType = suite.step('response_type=foo', (ctx) => authorize(ctx, 'response_type=foo', { response_type: 'foo' }));
const promptNone = suite.step('prompt=none without a session', (ctx) => authorize(ctx, 'prompt=none, no session', { prompt: 'none', state: RESERVED_STATE }));
const pkceS512 = suite.step('code_challenge_method=S512', (ctx) => authorize(ctx, 'code_challenge_method=S512', { code_challenge: CHALLENGE, code_challenge_method: 'S512' }));

/** The answers of the three steps above that are redirects to the redirect URI (others are judged by their own checks). */
async function errorRedirects(ctx: SuiteContext): Promise<judge.ErrorRedirect[]> {
  const { redirectUri } = basicClient(ctx);
  const redirects: judge.ErrorRedirect[] = [];
  for (const exchange of [await unsupportedType(), await promptNone(), await pkceS512()]) {
    try {
      redirects.push(judge.errorRedirect(exchange, redirectUri));
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
    }
  }
  return redirects;
}

suite.check(check.unsupportedResponseType, async (ctx) => {
  const exchange = await unsupportedType();
  judge.judgeErrorRedirect(exchange, basicClient(ctx).redirectUri, { errors: ['unsupported_response_type'], state: STATE });
  return { exchanges: [exchange.id] };
});

suite.check(check.noneCombinedRefused, async (ctx) => {
  const exchange = await authorize(ctx, 'response_type=code none', { response_type: 'code none' });
  const { params } = judge.judgeErrorRedirect(exchange, basicClient(ctx).redirectUri, { errors: judge.NONE_COMBINED_ERRORS, state: STATE });
  return { exchanges: [exchange.id], message: `"code none" refused with ${params.error}` };
});

const UNKNOWN_VALUE = 'oidc-conformance-unknown';

suite.check(check.unknownPromptDisplay, async (ctx) => {
  const { redirectUri } = basicClient(ctx);
  const prompt = await authorize(ctx, `prompt=${UNKNOWN_VALUE}`, { prompt: UNKNOWN_VALUE });
  const display = await authorize(ctx, `display=${UNKNOWN_VALUE}`, { display: UNKNOWN_VALUE });
  const message = [judge.judgeUnknownValue(prompt, redirectUri, STATE, 'an unknown prompt'), judge.judgeUnknownValue(display, redirectUri, STATE, 'an unknown display')].join('; ');
  return { exchanges: [prompt.id, display.id], message };
});

suite.check(check.promptNoneWithoutSession, async (ctx) => {
  const exchange = await promptNone();
  judge.judgeErrorRedirect(exchange, basicClient(ctx).redirectUri, { errors: judge.LOGIN_ERRORS, state: RESERVED_STATE });
  return { exchanges: [exchange.id] };
});

suite.check(check.errorRedirectClean, async (ctx) => {
  const redirects = await errorRedirects(ctx);
  judge.judgeErrorRedirectsClean(redirects, basicClient(ctx).redirectUri);
  return { exchanges: redirects.map((r) => r.exchange.id), message: `${redirects.length} error redirects carry only the error parameters, in the allowed characters` };
});

suite.check(check.issParameter, async (ctx) => {
  const redirects = await errorRedirects(ctx);
  const metadata = ctx.target.metadata();
  const issuer = typeof metadata.issuer === 'string' ? metadata.issuer : ctx.target.issuer;
  judge.judgeIssParameter(redirects, metadata, issuer);
  return { exchanges: redirects.map((r) => r.exchange.id), evidence: { authorization_response_iss_parameter_supported: metadata.authorization_response_iss_parameter_supported } };
});

suite.check(check.unsupportedPkceMethod, async (ctx) => {
  const exchange = await pkceS512();
  judge.judgeErrorRedirect(exchange, basicClient(ctx).redirectUri, { errors: ['invalid_request'], state: STATE });
  return { exchanges: [exchange.id] };
});

// prompt=none in the untrusted requests: a provider that wrongly trusts them answers at once with a
// redirect (login_required) instead of a login page that would hide the breach until after login.
suite.check(check.unknownClientNoRedirect, async (ctx) => {
  const { redirectUri } = basicClient(ctx);
  const exchange = await authorize(ctx, 'unknown client_id, prompt=none', { client_id: UNKNOWN_CLIENT, prompt: 'none' });
  judge.judgeNoRedirectTo(exchange, [redirectUri]);
  return { exchanges: [exchange.id] };
});

suite.check(check.unregisteredRedirectNoRedirect, async (ctx) => {
  const { redirectUri } = basicClient(ctx);
  const suffixed = new URL(redirectUri);
  suffixed.pathname = `${suffixed.pathname.replace(/\/$/, '')}.oidc-conformance`;
  const otherPath = new URL(redirectUri);
  otherPath.pathname = '/oidc-conformance-unregistered';
  const cited: string[] = [];
  for (const uri of [suffixed.href, otherPath.href]) {
    const exchange = await authorize(ctx, `unregistered redirect_uri ${uri}, prompt=none`, { redirect_uri: uri, prompt: 'none' });
    cited.push(exchange.id);
    judge.judgeNoRedirectTo(exchange, [uri]);
  }
  return { exchanges: cited };
});

suite.check(check.unsupportedResponseMode, async (ctx) => {
  const exchange = await authorize(ctx, 'response_mode=bogus', { response_mode: 'bogus' });
  judge.judgeResponseModeRejected(exchange);
  return { exchanges: [exchange.id] };
});

const ADVERTISED: Array<[member: string, parameter: string]> = [
  ['display_values_supported', 'display'],
  ['ui_locales_supported', 'ui_locales'],
  ['claims_locales_supported', 'claims_locales'],
  ['acr_values_supported', 'acr_values'],
];

suite.check(check.advertisedValuesAccepted, async (ctx) => {
  const baseline = await promptNone();
  const metadata = ctx.target.metadata();
  const variants: judge.Variant[] = [];
  for (const [member, parameter] of ADVERTISED) {
    const values = metadata[member];
    if (!Array.isArray(values)) continue;
    for (const value of values.filter((v): v is string => typeof v === 'string')) {
      const exchange = await authorize(ctx, `prompt=none, ${parameter}=${value}`, { prompt: 'none', state: RESERVED_STATE, [parameter]: value });
      variants.push({ parameter, value, exchange });
    }
  }
  judge.judgeAdvertisedValues(baseline, variants, basicClient(ctx).redirectUri);
  return { exchanges: [baseline.id, ...variants.map((v) => v.exchange.id)], message: `${variants.length} advertised values leave the prompt=none answer unchanged` };
});

suite.check(check.noCors, async (ctx) => {
  const { endpoint } = basicClient(ctx);
  const request = await authorize(ctx, 'with an Origin header', { prompt: 'none' }, { origin: CORS_ORIGIN });
  const preflight = await ctx.http.send({
    method: 'OPTIONS',
    url: endpoint,
    headers: { origin: CORS_ORIGIN, 'access-control-request-method': 'GET' },
    label: 'authorization: CORS preflight',
  });
  judge.judgeNoCors([request, preflight]);
  return { exchanges: [request.id, preflight.id] };
});

// ---- request objects, and requests that cannot be redirected ---------------------------------------

/** A request_uri that resolves nowhere (.invalid, RFC 6761), so nothing is fetched from anyone. */
const UNRESOLVABLE_REQUEST_URI = 'https://oidc-conformance.invalid/request-object.jwt';

suite.check(check.requestObjectErrors, async (ctx) => {
  const { redirectUri } = basicClient(ctx);
  const metadata = ctx.target.metadata();
  const probes: judge.RequestObjectProbe[] = [
    {
      parameter: 'request_uri',
      exchange: await authorize(ctx, 'request_uri that resolves nowhere', { request_uri: UNRESOLVABLE_REQUEST_URI }),
      // OIDC Discovery 3: request_uri_parameter_supported defaults to true.
      codes: metadata.request_uri_parameter_supported === false ? ['request_uri_not_supported'] : ['invalid_request_uri', 'request_uri_not_supported'],
    },
    {
      parameter: 'request',
      exchange: await authorize(ctx, 'request that is not a JWT', { request: 'oidc-conformance.not-a-jwt' }),
      // request_parameter_supported defaults to false.
      codes: metadata.request_parameter_supported === true ? ['invalid_request_object'] : ['request_not_supported', 'invalid_request_object'],
    },
    {
      parameter: 'registration',
      exchange: await authorize(ctx, 'registration parameter', { registration: JSON.stringify({ client_name: 'oidc-conformance' }) }),
      codes: ['registration_not_supported'],
      mayIgnore: true,
    },
  ];
  return { exchanges: probes.map((p) => p.exchange.id), message: judge.judgeRequestObjectErrors(probes, redirectUri) };
});

suite.check(check.untrustedRequestStatus, async (ctx) => {
  const { endpoint, redirectUri } = basicClient(ctx);
  const unregistered = new URL(redirectUri);
  unregistered.pathname = '/oidc-conformance-unregistered';
  const probes: judge.UntrustedProbe[] = [
    { what: 'no client_id', exchange: await authorize(ctx, 'no client_id, prompt=none', { client_id: undefined, prompt: 'none' }) },
    { what: 'an unknown client_id', exchange: await authorize(ctx, 'unknown client_id, prompt=none (status)', { client_id: UNKNOWN_CLIENT, prompt: 'none' }) },
    { what: 'an unregistered redirect_uri', exchange: await authorize(ctx, 'unregistered redirect_uri, prompt=none (status)', { redirect_uri: unregistered.href, prompt: 'none' }) },
  ];
  return { exchanges: probes.map((p) => p.exchange.id), message: judge.judgeUntrustedStatus(probes, endpoint) };
});
