// Authorization request parameters in real browser sessions. Each session has its own cookies, so
// its own login: the first request logs the user in, the later ones reuse that login, the way an
// RP's second request would. The sessions are queued when the file starts and run one at a time;
// each check waits for its own request only. Sessions:
//   login session      prompt=none, id_token_hint (own, forged), max_age=10000, prompt="none login",
//                      prompt=consent, then prompt=login and, two seconds later, max_age=1;
//   second user        login_hint, then a hint / a claims sub value naming the first user;
//   parameters         unknown and empty parameters, claims_locales, acr_values, response_type
//                      order, scope variants (unknown value, none, no openid);
//   claims, objects    the claims parameter, essential acr, request objects, request_uri;
//   scopes             profile, email, address, phone, all (for every offered response type);
//   fresh sessions     display=page, display=popup, ui_locales: the login page itself is exercised;
//   no session         prompt=none for every offered response type.
// Requests without a response_type, or with a repeated parameter, are plain HTTP (no login).
// The session helpers are in sessions.ts; the same requests with the implicit and hybrid plans'
// response types are in front-channel.browser.suite.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url } from 'jose';
import { CheckSkip } from '../../harness/checks.ts';
import { authorizeIn, buildAuthorizationRequest, requireResponseType } from '../../harness/flows/authorization.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';
import type { Attempt } from './judges.ts';
import {
  type AttemptOptions,
  CLAIM_SCOPES,
  OIDC_RESPONSE_TYPES,
  RequestNeeds,
  SILENT,
  UNSUPPORTED_LOCALES,
  acrRequested,
  attempt,
  browserCheckOf,
  browserSession,
  claimsSupported,
  delay,
  fileSessions,
  first,
  lazySessions,
  metadataList,
  objectRedirectUriAttempt,
  offeredResponseTypes,
  random,
  requestObjectAttempt,
  requestOf,
  scopesOffered,
  unsignedRequestObject,
} from './sessions.ts';

const suite = createSuite('request-params');

type LoginKey = 'first' | 'promptNone' | 'hint' | 'forgedHint' | 'maxAge10000' | 'noneLogin' | 'consent' | 'promptLogin' | 'maxAge1';
type OtherKey = 'loginHint' | 'hintOtherUser' | 'subOtherUser';
type ParamKey = 'unknown' | 'claimsLocales' | 'acrValues' | 'empty' | 'typeOrder' | 'unknownScope' | 'scopeOmitted' | 'noOpenid';
type ObjectKey = 'claimsEssential' | 'claimsIdToken' | 'claimsUnknown' | 'acrKnown' | 'acrUnknown' | 'requestObject' | 'objectRedirectUri' | 'requestUri';
type FreshKey = 'displayPage' | 'displayPopup' | 'uiLocales';

interface ObjectExtra {
  inside: { state: string; nonce: string };
  uriInside: { state: string };
  uriLog: judge.RequestUriLog;
  acr: { known?: string; unknown: string };
  objectRedirectUri: string;
}

/** Serves one request object on loopback for the duration of `run`, counting the fetches. */
async function servingRequestObject<T>(jwt: string, run: (url: string, log: judge.RequestUriLog) => Promise<T>): Promise<T> {
  const log: judge.RequestUriLog = { fetched: 0 };
  const path = `/request-object/${random()}.jwt`;
  const server = createServer((req, res) => {
    if (req.url === path) {
      log.fetched++;
      res.writeHead(200, { 'content-type': 'application/oauth-authz-req+jwt' }).end(jwt);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, log);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The sessions of the area, each started when a check first needs it and run one at a time: a
 * check waits only for its own request, the area never runs two browser sessions against a busy
 * machine at once, and a run that selects a few checks runs only their sessions.
 */
function sessionsOf(ctx: SuiteContext, wants: (key: string) => boolean) {
  const { queue, lazy, settled } = lazySessions(wants);
  const silent = SILENT;

  // The login session: prompt=none, id_token_hint, max_age=10000, prompt="none login",
  // prompt=consent, then prompt=login and, two seconds after it, max_age=1.
  const login = lazy('login', () => browserSession<LoginKey>(ctx, queue, 'request-params login session', async (session, made) => {
    // OFCS oidcc-max-age-10000 starts with max_age=15000: auth_time is REQUIRED in this token too.
    const loginAttempt = await made.login('first', () => first(ctx, session, { responseType: 'code', params: { max_age: '15000' } }, 'first request (max_age=15000)', { authTimeRequired: 'max_age was sent' }));
    if (!loginAttempt) return;
    let loggedInAt = Date.now();
    const hint = loginAttempt.flow!.idTokens.find((t) => t.source === 'token endpoint')?.token;
    await made.make('promptNone', () => attempt(ctx, session, { responseType: 'code', params: { prompt: 'none' } }, 'prompt=none', silent));
    await made.make('hint', async () => {
      if (!hint) throw new CheckSkip('the first request gave no ID token to send as id_token_hint');
      return attempt(ctx, session, { responseType: 'code', params: { prompt: 'none', id_token_hint: hint } }, 'prompt=none with the id_token_hint of the signed-in user', silent);
    });
    await made.make('forgedHint', async () => {
      if (!hint) throw new CheckSkip('the first request gave no ID token to forge an id_token_hint from');
      const [header, payload, signature] = hint.split('.');
      // The same token with its signature's bytes reversed: well-formed, but not the provider's.
      const forged = `${header}.${payload}.${base64url.encode(Buffer.from(base64url.decode(signature ?? '')).reverse())}`;
      return attempt(ctx, session, { responseType: 'code', params: { prompt: 'none', id_token_hint: forged } }, 'prompt=none with a forged id_token_hint', silent);
    });
    await made.make('maxAge10000', () => attempt(ctx, session, { responseType: 'code', params: { max_age: '10000' } }, 'max_age=10000', { ...silent, authTimeRequired: 'max_age was sent' }));
    await made.make('noneLogin', () => attempt(ctx, session, { responseType: 'code', params: { prompt: 'none login' } }, 'prompt="none login"', silent));
    await made.make('consent', () => attempt(ctx, session, { responseType: 'code', params: { prompt: 'consent' } }, 'prompt=consent'));
    const relogin = await made.make('promptLogin', async () => {
      // auth_time has a resolution of one second: the new login must fall in a later second.
      await delay(Math.max(0, 1100 - (Date.now() - loggedInAt)));
      return attempt(ctx, session, { responseType: 'code', params: { prompt: 'login' } }, 'prompt=login', { checkId: check.promptLogin.id });
    });
    if (relogin?.run.result.interactions.includes('login')) loggedInAt = Date.now();
    await made.make('maxAge1', async () => {
      // OFCS oidcc-max-age-1: wait 2 s after the last login, then max_age=1 must force a new one.
      await delay(Math.max(0, 2100 - (Date.now() - loggedInAt)));
      return attempt(ctx, session, { responseType: 'code', params: { max_age: '1' } }, 'max_age=1 after 2 s', { checkId: check.maxAge1.id, authTimeRequired: 'max_age was sent' });
    });
  }));

  // The second user: login_hint, then prompt=none naming the first user (whose session is
  // queued first: this one waits for its ID token).
  const other = lazy('other', () => (login(), browserSession<OtherKey>(
    ctx,
    queue,
    'request-params second user',
    async (session, made) => {
      const bob = ctx.target.user(1);
      const loginAttempt = await made.login('loginHint', () => first(ctx, session, { responseType: 'code', params: { login_hint: bob.username } }, `login_hint=${bob.username}`));
      if (!loginAttempt) return;
      const alice = await login().made.get('first').catch(() => undefined);
      const aliceToken = alice?.flow?.idTokens.find((t) => t.source === 'token endpoint')?.token;
      const aliceSub = alice ? judge.idTokenClaims(alice)?.sub : undefined;
      await made.make('hintOtherUser', async () => {
        if (!aliceToken) throw new CheckSkip('the first user\'s session gave no ID token to name them with');
        return attempt(ctx, session, { responseType: 'code', params: { prompt: 'none', id_token_hint: aliceToken } }, 'prompt=none with the first user\'s id_token_hint', silent);
      });
      await made.make('subOtherUser', async () => {
        if (!claimsSupported(ctx)) throw new CheckSkip('discovery does not say claims_parameter_supported: true');
        if (typeof aliceSub !== 'string') throw new CheckSkip('the first user\'s ID token has no sub to name them with');
        return attempt(ctx, session, { responseType: 'code', params: { prompt: 'none', claims: JSON.stringify({ id_token: { sub: { value: aliceSub } } }) } }, 'prompt=none with claims naming the first user\'s sub', silent);
      });
    },
    { userIndex: 1 },
  )));

  // Parameters that must not get in the way.
  const params = lazy('params', () => browserSession<ParamKey>(ctx, queue, 'request-params parameters', async (session, made) => {
    await first(ctx, session, { responseType: 'code' }, 'first request');
    await made.make('unknown', () => attempt(ctx, session, { responseType: 'code', params: { extra: 'foobar', x_oidc_conformance_unknown: random() } }, 'extra=foobar'));
    await made.make('claimsLocales', () => attempt(ctx, session, { responseType: 'code', params: { claims_locales: UNSUPPORTED_LOCALES } }, `claims_locales=${UNSUPPORTED_LOCALES}`));
    await made.make('acrValues', () => attempt(ctx, session, { responseType: 'code', params: { acr_values: acrRequested(ctx).join(' ') } }, 'acr_values'));
    await made.make('empty', () => attempt(ctx, session, { responseType: 'code', params: { display: '', ui_locales: '', acr_values: '', claims_locales: '' } }, 'empty display, ui_locales, acr_values, claims_locales'));
    await made.make('typeOrder', async () => {
      requireResponseType(ctx.target, 'code id_token');
      return attempt(ctx, session, { responseType: 'id_token code' }, 'response_type "id_token code"');
    });
    await made.make('unknownScope', () => attempt(ctx, session, { responseType: 'code', scope: 'openid oidc-conformance-unknown-scope' }, 'scope "openid oidc-conformance-unknown-scope"'));
    // No nonce either, as for noOpenid: without scope=openid it is no OpenID request, and a nonce
    // would be refused for itself (oidc-provider: invalid_request), not for the missing scope.
    await made.make('scopeOmitted', () => attempt(ctx, session, { responseType: 'code', nonce: false, params: { scope: null } }, 'no scope'));
    await made.make('noOpenid', () => attempt(ctx, session, { responseType: 'code', scope: 'profile', nonce: false }, 'scope "profile" (no openid)'));
  }));

  // The claims parameter, essential acr, request objects and request_uri.
  const objects = lazy('objects', () => browserSession<ObjectKey, ObjectExtra>(ctx, queue, 'request-params claims and request objects', async (session, made) => {
    const client = ctx.target.client('basic');
    await first(ctx, session, { responseType: 'code' }, 'first request');
    const withClaims = (key: ObjectKey, claims: unknown, label: string, options: AttemptOptions = {}) =>
      made.make(key, async () => {
        // Without support, only requests that must not fail are sent (OIDC Core 5.5: a sensible answer).
        if (!claimsSupported(ctx) && key !== 'claimsEssential' && key !== 'claimsUnknown') throw new CheckSkip('discovery does not say claims_parameter_supported: true');
        return attempt(ctx, session, { responseType: 'code', params: { claims: JSON.stringify(claims) } }, label, options);
      });
    await withClaims('claimsEssential', { userinfo: { name: { essential: true } } }, 'claims userinfo name essential', { userinfo: true });
    await withClaims('claimsIdToken', { id_token: { email: null, auth_time: { essential: true } } }, 'claims id_token email, auth_time essential', { authTimeRequired: 'auth_time was requested as an essential claim' });
    await withClaims('claimsUnknown', { userinfo: { name: { essential: true, x_unknown_property: 1 }, 'https://claims.example.com/unavailable': { essential: true } }, x_unknown_member: { name: null } }, 'claims with unknown members');
    const known = metadataList(ctx, 'acr_values_supported')[0];
    const acr = { ...(known !== undefined ? { known } : {}), unknown: 'urn:oidc-conformance:acr:unsatisfiable' };
    if (known !== undefined) await withClaims('acrKnown', { id_token: { acr: { essential: true, values: [known] } } }, `essential acr ${known}`);
    await withClaims('acrUnknown', { id_token: { acr: { essential: true, values: [acr.unknown] } } }, 'essential acr with an unknown value');

    const inside = { state: `object-${random()}`, nonce: `object-${random()}` };
    const redirectUri = client.redirect_uri!;
    await made.make('requestObject', () => requestObjectAttempt(ctx, session, 'code', inside, 'unsigned request object'));
    await made.make('objectRedirectUri', () => objectRedirectUriAttempt(ctx, session, 'code', 'request object naming the redirect_uri, an unregistered one in the query'));
    const uriInside = { state: `uri-${random()}` };
    const uriLog = await servingRequestObject(
      unsignedRequestObject(ctx, { client_id: client.client_id, response_type: 'code', scope: 'openid', redirect_uri: redirectUri, state: uriInside.state, nonce: random() }),
      async (url, log) => {
        await made.make('requestUri', () => attempt(ctx, session, { responseType: 'code', state: false, nonce: false, params: { request_uri: url } }, 'request_uri'));
        return log;
      },
    );
    return { inside, uriInside, uriLog, acr, objectRedirectUri: redirectUri };
  }));


  // The scopes session: every claim scope at first (one consent), then each on its own, "email
  // openid", and all of them for every other offered response type.
  const scopes = lazy('scopes', () => browserSession<string>(ctx, queue, 'request-params scopes', async (session, made) => {
    const all = ['openid', ...scopesOffered(ctx)].join(' ');
    const loginAttempt = await made.login('all', () => first(ctx, session, { responseType: 'code', scope: all }, `scope "${all}" (code)`, { userinfo: true }));
    if (!loginAttempt) return;
    if (scopesOffered(ctx).includes('email')) await made.make('order', () => attempt(ctx, session, { responseType: 'code', scope: 'email openid' }, 'scope "email openid"', { userinfo: true }));
    for (const scope of scopesOffered(ctx)) await made.make(scope, () => attempt(ctx, session, { responseType: 'code', scope: `openid ${scope}` }, `scope "openid ${scope}"`, { userinfo: true }));
    for (const responseType of offeredResponseTypes(ctx).filter((t) => t !== 'code')) {
      await made.make(`all:${responseType}`, () => attempt(ctx, session, { responseType, scope: all }, `scope "${all}" (${responseType})`, { userinfo: true }));
    }
  }));

  // Fresh sessions: the login page itself with display and ui_locales.
  const fresh = (key: FreshKey, name: string, extra: Record<string, string>, checkId: string) =>
    lazy(key, () => browserSession<FreshKey>(
      ctx,
      queue,
      `request-params ${name}`,
      async (session, made) => {
        await made.make(key, async () => {
          ctx.target.requireGrant('authorization_code');
          requireResponseType(ctx.target, 'code');
          return attempt(ctx, session, { responseType: 'code', params: extra }, name);
        });
      },
      { checkId },
    ));
  const displayPage = fresh('displayPage', 'display=page', { display: 'page' }, check.displayPage.id);
  const displayPopup = fresh('displayPopup', 'display=popup', { display: 'popup' }, check.displayPopup.id);
  const uiLocales = fresh('uiLocales', `ui_locales=${UNSUPPORTED_LOCALES}`, { ui_locales: UNSUPPORTED_LOCALES }, check.uiLocales.id);

  // No session: prompt=none for every offered response type.
  const noSession = lazy('noSession', () => browserSession<string, NoneResult[]>(ctx, queue, 'request-params prompt=none without a session', async (session) => {
    const results: NoneResult[] = [];
    for (const responseType of offeredResponseTypes(ctx)) {
      const state = `none-${random()}`;
      const label = `prompt=none without a session (${responseType})`;
      const run = await authorizeIn(ctx, session, { responseType, state, params: { prompt: 'none' } }, label, silent);
      results.push({ attempt: { label, run }, state, mode: responseType === 'code' ? 'query' : 'fragment' });
    }
    return results;
  }));

  return { login, other, params, objects, scopes, displayPage, displayPopup, uiLocales, noSession, settled };
}

interface NoneResult {
  attempt: Attempt;
  state: string;
  mode: 'query' | 'fragment';
}

/** The sessions of this file (each starts when a check first needs it, and makes the requests the selected checks declare). */
const needs = new RequestNeeds();
const sessions = fileSessions(suite, needs, sessionsOf);
const request = requestOf(suite);


// ---- the checks, in the order their requests are made ------------------------------------------

const browserCheck = browserCheckOf<LoginKey | OtherKey | ParamKey | ObjectKey | FreshKey | string>(suite, needs);

const login = {
  first: request('login session: first request (max_age=15000)', () => sessions().login().made.get('first')),
  promptNone: request('login session: prompt=none', () => sessions().login().made.get('promptNone')),
  hint: request('login session: prompt=none with the id_token_hint of the signed-in user', () => sessions().login().made.get('hint')),
  forgedHint: request('login session: prompt=none with a forged id_token_hint', () => sessions().login().made.get('forgedHint')),
  maxAge10000: request('login session: max_age=10000', () => sessions().login().made.get('maxAge10000')),
  noneLogin: request('login session: prompt="none login"', () => sessions().login().made.get('noneLogin')),
  consent: request('login session: prompt=consent', () => sessions().login().made.get('consent')),
  promptLogin: request('login session: prompt=login', () => sessions().login().made.get('promptLogin')),
  maxAge1: request('login session: max_age=1, 2 s after the last login', () => sessions().login().made.get('maxAge1')),
};

browserCheck(check.promptNoneWithSession, ['first', 'promptNone'], async () => judge.judgePromptNoneWithSession(await login.first(), await login.promptNone()));
browserCheck(check.idTokenHint, ['first', 'hint'], async () => judge.judgeIdTokenHint(await login.first(), await login.hint()));
browserCheck(check.idTokenHintForged, ['forgedHint'], async () => judge.judgeRefused(await login.forgedHint(), 'prompt=none with an id_token_hint whose signature does not verify'));
browserCheck(check.maxAge10000, ['first', 'maxAge10000'], async () => judge.judgeMaxAge10000(await login.first(), await login.maxAge10000()));
browserCheck(check.promptNoneCombined, ['noneLogin'], async () => judge.judgeRefused(await login.noneLogin(), 'prompt="none login"'));
browserCheck(check.promptConsent, ['consent'], async () => judge.judgePromptConsent(await login.consent()));
browserCheck(check.promptLogin, ['first', 'promptLogin'], async () => judge.judgePromptLogin(await login.first(), await login.promptLogin()));
browserCheck(check.maxAge1, ['first', 'maxAge1'], async () => {
  const first = await login.first();
  const relogin = await login.promptLogin().catch(() => undefined);
  // auth_time must move past the last login before this request: prompt=login's when it logged in.
  const previous = relogin && judge.isSuccess(relogin) && relogin.flow ? relogin : first;
  return judge.judgeMaxAge1(previous, await login.maxAge1());
}, { waitsMs: 2_100 });

const other = {
  loginHint: request('second user: login_hint', () => sessions().other().made.get('loginHint')),
  hintOtherUser: request('second user: prompt=none with the first user\'s id_token_hint', () => sessions().other().made.get('hintOtherUser')),
  subOtherUser: request('second user: prompt=none with claims naming the first user\'s sub', () => sessions().other().made.get('subOtherUser')),
};

browserCheck(check.loginHint, ['loginHint'], async () => judge.judgeSucceeds(await other.loginHint(), 'login_hint'));
browserCheck(check.idTokenHintOtherUser, ['hintOtherUser'], async () => judge.judgeRefused(await other.hintOtherUser(), 'prompt=none with an id_token_hint for a user other than the signed-in one', { errors: judge.LOGIN_ERRORS }));
browserCheck(check.subClaimOtherUser, ['subOtherUser'], async () => judge.judgeRefused(await other.subOtherUser(), 'prompt=none with a claims sub value for a user other than the signed-in one', { errors: judge.LOGIN_ERRORS }));

const param = (key: ParamKey, name: string) => request(`parameters session: ${name}`, () => sessions().params().made.get(key));

browserCheck(check.unknownParamIgnored, ['unknown'], async () => judge.judgeSucceeds(await param('unknown', 'extra=foobar')(), 'an unrecognised parameter (extra=foobar)'));
browserCheck(check.claimsLocales, ['claimsLocales'], async () => judge.judgeSucceeds(await param('claimsLocales', 'claims_locales')(), `claims_locales=${UNSUPPORTED_LOCALES}`));
browserCheck(check.acrValues, ['acrValues'], async (ctx) => judge.judgeAcrValues(await param('acrValues', 'acr_values')(), acrRequested(ctx)));
browserCheck(check.emptyParamsIgnored, ['empty'], async () => judge.judgeSucceeds(await param('empty', 'empty parameters')(), 'parameters with empty values'));
browserCheck(check.responseTypeOrder, ['typeOrder'], async () => judge.judgeResponseTypeOrder(await param('typeOrder', 'response_type "id_token code"')()));
browserCheck(check.unknownScopeIgnored, ['unknownScope'], async () => judge.judgeUnknownScope(await param('unknownScope', 'an unknown scope value')()));
browserCheck(check.scopeOmitted, ['scopeOmitted'], async () => judge.judgeScopeOmitted(await param('scopeOmitted', 'no scope')()));
browserCheck(check.noOpenidNoIdToken, ['noOpenid'], async () => judge.judgeNoOpenid(await param('noOpenid', 'scope without openid')()));

const object = (key: ObjectKey, name: string) => request(`claims and request objects session: ${name}`, () => sessions().objects().made.get(key));

browserCheck(check.claimsEssential, ['claimsEssential'], async () => judge.judgeClaimsEssential(await object('claimsEssential', 'claims userinfo name essential')()));
browserCheck(check.claimsIdToken, ['claimsIdToken'], async () => judge.judgeClaimsIdToken(await object('claimsIdToken', 'claims id_token email, auth_time essential')()));
browserCheck(check.claimsUnknownMembers, ['claimsUnknown'], async () => judge.judgeSucceeds(await object('claimsUnknown', 'claims with unknown members')(), 'a claims parameter with unknown members'));
browserCheck(check.acrEssential, ['acrKnown', 'acrUnknown'], async () => {
  const unknown = await object('acrUnknown', 'essential acr with an unknown value')();
  const { acr } = await sessions().objects().extra;
  return judge.judgeAcrEssential(acr.known !== undefined ? await object('acrKnown', `essential acr ${acr.known}`)() : undefined, unknown, acr);
});
browserCheck(check.requestObject, ['requestObject'], async (ctx) => {
  const made = await object('requestObject', 'unsigned request object')();
  return judge.judgeRequestObject(made, (await sessions().objects().extra).inside, ctx.target.metadata().request_parameter_supported);
});
browserCheck(check.requestObjectRedirectUri, ['objectRedirectUri'], async () => {
  const made = await object('objectRedirectUri', 'request object naming the redirect_uri')();
  return judge.judgeRequestObjectRedirectUri(made, (await sessions().objects().extra).objectRedirectUri);
});
browserCheck(check.requestUri, ['requestUri'], async (ctx) => {
  const made = await object('requestUri', 'request_uri')();
  const { uriInside, uriLog } = await sessions().objects().extra;
  return judge.judgeRequestUri(made, uriInside, uriLog, ctx.target.metadata().request_uri_parameter_supported);
});

const scoped = (key: string, name: string) => request(`scopes session: ${name}`, () => sessions().scopes().made.get(key));

function scopeCheck(definition: typeof check.scopeProfile, scope: (typeof CLAIM_SCOPES)[number]) {
  browserCheck(definition, [scope], async (ctx) => {
    if (!scopesOffered(ctx).includes(scope)) throw new CheckSkip(`scopes_supported does not list ${scope}`);
    return judge.judgeScopeClaims(await scoped(scope, `scope "openid ${scope}"`)(), [scope]);
  });
}

scopeCheck(check.scopeProfile, 'profile');
scopeCheck(check.scopeEmail, 'email');
scopeCheck(check.scopeAddress, 'address');
scopeCheck(check.scopePhone, 'phone');

browserCheck(check.scopeOrder, ['order'], async (ctx) => {
  if (!scopesOffered(ctx).includes('email')) throw new CheckSkip('scopes_supported does not list email');
  return judge.judgeScopeClaims(await scoped('order', 'scope "email openid"')(), ['email']);
});

browserCheck(check.scopeAll, ['all', ...OIDC_RESPONSE_TYPES.filter((t) => t !== 'code').map((t) => `all:${t}`)], async (ctx) => {
  const scopes = scopesOffered(ctx);
  const judged = [judge.judgeScopeClaims(await scoped('all', 'every claim scope (code)')(), scopes)];
  for (const responseType of offeredResponseTypes(ctx).filter((t) => t !== 'code')) {
    judged.push(judge.judgeScopeClaims(await scoped(`all:${responseType}`, `every claim scope (${responseType})`)(), scopes));
  }
  return {
    message: `${judged.length} response types returned the claims of ${scopes.join(' ')}: ${judged.map((j) => j.message?.split(': ').slice(1).join(': ')).join('; ')}`,
    exchanges: judged.flatMap((j) => j.exchanges ?? []),
  };
});

browserCheck(check.displayPage, ['displayPage'], async () => judge.judgeSucceeds(await request('fresh session: display=page', () => sessions().displayPage().made.get('displayPage'))(), 'display=page'));
browserCheck(check.displayPopup, ['displayPopup'], async () => judge.judgeSucceeds(await request('fresh session: display=popup', () => sessions().displayPopup().made.get('displayPopup'))(), 'display=popup'));
browserCheck(check.uiLocales, ['uiLocales'], async () => judge.judgeSucceeds(await request(`fresh session: ui_locales=${UNSUPPORTED_LOCALES}`, () => sessions().uiLocales().made.get('uiLocales'))(), `ui_locales=${UNSUPPORTED_LOCALES}`));

browserCheck(check.promptNoneNoSession, [], async () => judge.judgePromptNoneNoSession(await sessions().noSession().extra));

// No response_type: plain HTTP, so no login can happen whatever the provider does.
suite.check(check.responseTypeMissing, async (ctx) => {
  const sent = buildAuthorizationRequest(ctx.target, { responseType: 'code', params: { response_type: null } });
  const exchange = await ctx.http.send({ method: 'GET', url: ctx.target.endpoint('authorization'), query: sent.params, label: 'authorization request without response_type' });
  return judge.judgeResponseTypeMissing(exchange, sent.redirectUri, sent.state!);
});

// A repeated parameter: plain HTTP, refused before any login.
suite.check(check.duplicateParamRefused, async (ctx) => {
  const sent = buildAuthorizationRequest(ctx.target, { responseType: 'code' });
  const query = new URLSearchParams(sent.params);
  query.append('scope', 'openid profile');
  const exchange = await ctx.http.send({ method: 'GET', url: `${ctx.target.endpoint('authorization')}?${query.toString()}`, label: 'authorization request with scope twice' });
  return judge.judgeDuplicateRefused(exchange, sent.redirectUri);
});
