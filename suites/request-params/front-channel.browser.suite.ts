// The request-parameter checks of the implicit and hybrid plans: the OpenID Foundation runs them
// with the plan's own response type, the response read from the fragment. One browser session per
// representative response type, "code id_token" (hybrid) and "id_token token" (implicit), each
// skipped when the target does not offer it; each check judges both and names the type that
// failed. A session, one request after another in one login:
//   display=page with max_age=15000     fresh session: the login page shows (every claim scope
//                                       asked, so one consent covers the scope requests);
//   signed in, no page may show         prompt=none, id_token_hint (the session's own ID token),
//                                       max_age=10000 (these three compare auth_time with the
//                                       first request's), extra=foobar, claims_locales, acr_values;
//   the login form again                prompt=login with login_hint (the signed-in user), then
//                                       prompt=login with display=popup, then with ui_locales;
//   signed in again                     an unsigned request object, a request object naming the
//                                       redirect_uri, claims userinfo name essential (consent
//                                       allowed), the scopes profile, email, address, phone (each
//                                       alone, userinfo asked), "email openid";
//   2.1 s after the last login          max_age=1;
//   hybrid only, last                   a plain request whose code is redeemed again after
//                                       timing.code_reuse_delay_ms (the session is over by then:
//                                       a provider revoking the grant on reuse breaks no request).
import { CheckSkip, type PassDetails } from '../../harness/checks.ts';
import { redeemCode, requireResponseType } from '../../harness/flows/authorization.ts';
import { userinfoRequest } from '../../harness/flows/steps.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import { sinceAnswer } from '../support/timing.ts';
import { describeResult } from '../id-token/collect.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';
import type { Attempt } from './judges.ts';
import {
  CLAIM_SCOPES,
  SILENT,
  UNSUPPORTED_LOCALES,
  acrRequested,
  attempt,
  RequestNeeds,
  browserCheckOf,
  browserSession,
  delay,
  fileSessions,
  first,
  lazySessions,
  objectRedirectUriAttempt,
  random,
  requestObjectAttempt,
  requestOf,
  scopesOffered,
} from './sessions.ts';

const suite = createSuite('request-params-front-channel');

/** The hybrid plan's representative first: its code reuse waits while the implicit session runs. */
const RESPONSE_TYPES = ['code id_token', 'id_token token'] as const;
type ResponseType = (typeof RESPONSE_TYPES)[number];

type Key =
  | 'first'
  | 'promptNone'
  | 'hint'
  | 'maxAge10000'
  | 'unknown'
  | 'claimsLocales'
  | 'acrValues'
  | 'requestObject'
  | 'objectRedirectUri'
  | 'claimsEssential'
  | `scope:${(typeof CLAIM_SCOPES)[number]}`
  | 'scopeOrder'
  | 'promptLogin'
  | 'popup'
  | 'uiLocales'
  | 'maxAge1'
  | 'codeReuse';

interface SessionExtra {
  /** The state and nonce inside the unsigned request object. */
  inside: { state: string; nonce: string };
}

function sessionsOf(ctx: SuiteContext, wants: (key: string) => boolean) {
  const { queue, lazy, settled } = lazySessions(wants);
  const byType = Object.fromEntries(
    RESPONSE_TYPES.map((responseType) => [
      responseType,
      lazy(responseType, () => browserSession<Key, SessionExtra>(ctx, queue, `request-params ${responseType}`, async (session, made) => {
        const inside = { state: `object-${random()}`, nonce: `object-${random()}` };
        const extra: SessionExtra = { inside };
        const silent = (key: Key, params: Record<string, string>, label: string, options: { userinfo?: boolean; authTimeRequired?: string; scope?: string } = {}) =>
          made.make(key, () => attempt(ctx, session, { responseType, ...(options.scope ? { scope: options.scope } : {}), params }, `${label} (${responseType})`, { ...SILENT, ...options }));

        // OFCS oidcc-max-age-10000 starts with max_age=15000: auth_time is REQUIRED in this token too.
        // Every claim scope at once, so that one consent covers the scope requests below.
        const scope = ['openid', ...scopesOffered(ctx)].join(' ');
        const login = await made.login('first', () => first(ctx, session, { responseType, scope, params: { display: 'page', max_age: '15000' } }, `display=page, max_age=15000, scope "${scope}" (${responseType})`, { authTimeRequired: 'max_age was sent' }));
        if (!login) return extra;
        const firstLoginAt = Date.now();
        let loggedInAt = firstLoginAt;
        const hint = login.flow!.idTokens[0]?.token;
        await silent('promptNone', { prompt: 'none' }, 'prompt=none');
        await made.make('hint', async () => {
          if (!hint) throw new CheckSkip('the first request gave no ID token to send as id_token_hint');
          return attempt(ctx, session, { responseType, params: { prompt: 'none', id_token_hint: hint } }, `prompt=none with the id_token_hint of the signed-in user (${responseType})`, SILENT);
        });
        await silent('maxAge10000', { max_age: '10000' }, 'max_age=10000', { authTimeRequired: 'max_age was sent' });
        await silent('unknown', { extra: 'foobar', x_oidc_conformance_unknown: random() }, 'extra=foobar');
        await silent('claimsLocales', { claims_locales: UNSUPPORTED_LOCALES }, `claims_locales=${UNSUPPORTED_LOCALES}`);
        await silent('acrValues', { acr_values: acrRequested(ctx).join(' ') }, 'acr_values');

        // The new logins. auth_time has a resolution of one second: a new login must fall in a
        // later second than the first. (prompt=none, id_token_hint and max_age=10000 compare their
        // auth_time with the first request's, so they came before.) display=popup and ui_locales
        // each in a login of its own: a provider refusing one of them must not fail the other's check.
        const relogin = async (key: Key, params: Record<string, string>, label: string, checkId: string) => {
          const done = await made.make(key, async () => {
            await delay(Math.max(0, 1100 - (Date.now() - firstLoginAt)));
            return attempt(ctx, session, { responseType, params: { prompt: 'login', ...params } }, `prompt=login, ${label} (${responseType})`, { checkId });
          });
          if (done?.run.result.interactions.includes('login')) loggedInAt = Date.now();
        };
        await relogin('promptLogin', { login_hint: ctx.target.user(0).username }, 'login_hint', check.fcPromptLogin.id);
        await relogin('popup', { display: 'popup' }, 'display=popup', check.fcDisplayPopup.id);
        await relogin('uiLocales', { ui_locales: UNSUPPORTED_LOCALES }, `ui_locales=${UNSUPPORTED_LOCALES}`, check.fcUiLocales.id);

        // Requests that do not look at auth_time, while the time max_age=1 needs passes.
        await made.make('requestObject', () => requestObjectAttempt(ctx, session, responseType, inside, `unsigned request object (${responseType})`));
        await made.make('objectRedirectUri', () => objectRedirectUriAttempt(ctx, session, responseType, `request object naming the redirect_uri, an unregistered one in the query (${responseType})`));
        // A provider may ask the user to consent to the claims requested (node-oidc-provider does).
        await made.make('claimsEssential', () => attempt(ctx, session, { responseType, params: { claims: JSON.stringify({ userinfo: { name: { essential: true } } }) } }, `claims userinfo name essential (${responseType})`, { userinfo: true }));
        for (const scope of scopesOffered(ctx)) await silent(`scope:${scope as (typeof CLAIM_SCOPES)[number]}`, {}, `scope "openid ${scope}"`, { scope: `openid ${scope}`, userinfo: true });
        if (scopesOffered(ctx).includes('email')) await silent('scopeOrder', {}, 'scope "email openid"', { scope: 'email openid', userinfo: true });

        // OFCS oidcc-max-age-1: wait 2 s after the last login, then max_age=1 must force a new one.
        await made.make('maxAge1', async () => {
          await delay(Math.max(0, 2100 - (Date.now() - loggedInAt)));
          return attempt(ctx, session, { responseType, params: { max_age: '1' } }, `max_age=1 after 2 s (${responseType})`, { checkId: check.fcMaxAge1.id, authTimeRequired: 'max_age was sent' });
        });
        if (responseType.split(' ').includes('code')) await silent('codeReuse', {}, 'a code to redeem again later');
        return extra;
      })),
    ]),
  ) as Record<ResponseType, () => ReturnType<typeof browserSession<Key, SessionExtra>>>;
  return { byType, settled };
}

/** The sessions of this file (each starts when a check first needs it, and makes the requests the selected checks declare). */
const needs = new RequestNeeds();
const sessions = fileSessions(suite, needs, sessionsOf);
const request = requestOf(suite);
const browserCheck = browserCheckOf<Key>(suite, needs);

/** One request of a response type's session, as a suite step; SKIP when the target does not offer the type. */
const steps = new Map<string, () => Promise<Attempt>>();
function made(ctx: SuiteContext, responseType: ResponseType, key: Key, name: string): Promise<Attempt> {
  requireResponseType(ctx.target, responseType);
  const stepName = `${responseType} session: ${name}`;
  if (!steps.has(stepName)) steps.set(stepName, request(stepName, () => sessions().byType[responseType]().made.get(key)));
  return steps.get(stepName)!();
}

/** The attempt, after making sure its response came in the fragment. */
async function fragment(pending: Promise<Attempt>): Promise<Attempt> {
  const done = await pending;
  judge.requireFragment(done);
  return done;
}

/** Registers a check judging each representative response type's `requests` with `judgeOne`. */
function eachType(definition: typeof check.fcDisplayPage, requests: readonly Key[], judgeOne: (ctx: SuiteContext, responseType: ResponseType) => Promise<PassDetails>, options: { waitsMs?: number } = {}): void {
  browserCheck(definition, requests, (ctx) => judge.judgeEachResponseType([...RESPONSE_TYPES], (responseType) => judgeOne(ctx, responseType as ResponseType)), options);
}

const firstOf = (ctx: SuiteContext, t: ResponseType) => fragment(made(ctx, t, 'first', 'display=page, max_age=15000'));

eachType(check.fcDisplayPage, ['first'], async (ctx, t) => judge.judgeSucceeds(await firstOf(ctx, t), 'display=page'));
eachType(check.fcPromptNoneWithSession, ['first', 'promptNone'], async (ctx, t) => judge.judgePromptNoneWithSession(await firstOf(ctx, t), await fragment(made(ctx, t, 'promptNone', 'prompt=none'))));
eachType(check.fcIdTokenHint, ['first', 'hint'], async (ctx, t) => judge.judgeIdTokenHint(await firstOf(ctx, t), await fragment(made(ctx, t, 'hint', 'prompt=none with the id_token_hint of the signed-in user'))));
eachType(check.fcMaxAge10000, ['first', 'maxAge10000'], async (ctx, t) => judge.judgeMaxAge10000(await firstOf(ctx, t), await fragment(made(ctx, t, 'maxAge10000', 'max_age=10000'))));
eachType(check.fcUnknownParamIgnored, ['unknown'], async (ctx, t) => judge.judgeSucceeds(await fragment(made(ctx, t, 'unknown', 'extra=foobar')), 'an unrecognised parameter (extra=foobar)'));
eachType(check.fcClaimsLocales, ['claimsLocales'], async (ctx, t) => judge.judgeSucceeds(await fragment(made(ctx, t, 'claimsLocales', 'claims_locales')), `claims_locales=${UNSUPPORTED_LOCALES}`));
eachType(check.fcAcrValues, ['acrValues'], async (ctx, t) => judge.judgeAcrValues(await fragment(made(ctx, t, 'acrValues', 'acr_values')), acrRequested(ctx)));
eachType(check.fcRequestObject, ['requestObject'], async (ctx, t) => {
  const done = await fragment(made(ctx, t, 'requestObject', 'unsigned request object'));
  return judge.judgeRequestObject(done, (await sessions().byType[t]().extra).inside, ctx.target.metadata().request_parameter_supported);
});
eachType(check.fcRequestObjectRedirectUri, ['objectRedirectUri'], async (ctx, t) => judge.judgeRequestObjectRedirectUri(await fragment(made(ctx, t, 'objectRedirectUri', 'request object naming the redirect_uri')), ctx.target.client('basic').redirect_uri!));
eachType(check.fcClaimsEssential, ['claimsEssential'], async (ctx, t) => judge.judgeClaimsEssential(await fragment(made(ctx, t, 'claimsEssential', 'claims userinfo name essential'))));

function scopeCheck(definition: typeof check.fcScopeProfile, scope: (typeof CLAIM_SCOPES)[number]) {
  eachType(definition, [`scope:${scope}`], async (ctx, t) => {
    if (!scopesOffered(ctx).includes(scope)) throw new CheckSkip(`scopes_supported does not list ${scope}`);
    return judge.judgeScopeClaims(await fragment(made(ctx, t, `scope:${scope}`, `scope "openid ${scope}"`)), [scope]);
  });
}
scopeCheck(check.fcScopeProfile, 'profile');
scopeCheck(check.fcScopeEmail, 'email');
scopeCheck(check.fcScopeAddress, 'address');
scopeCheck(check.fcScopePhone, 'phone');
eachType(check.fcScopeOrder, ['scopeOrder'], async (ctx, t) => {
  if (!scopesOffered(ctx).includes('email')) throw new CheckSkip('scopes_supported does not list email');
  return judge.judgeScopeClaims(await fragment(made(ctx, t, 'scopeOrder', 'scope "email openid"')), ['email']);
});

const promptLoginOf = (ctx: SuiteContext, t: ResponseType) => fragment(made(ctx, t, 'promptLogin', 'prompt=login, login_hint'));
const popupOf = (ctx: SuiteContext, t: ResponseType) => fragment(made(ctx, t, 'popup', 'prompt=login, display=popup'));
const uiLocalesOf = (ctx: SuiteContext, t: ResponseType) => fragment(made(ctx, t, 'uiLocales', `prompt=login, ui_locales=${UNSUPPORTED_LOCALES}`));
eachType(check.fcPromptLogin, ['first', 'promptLogin'], async (ctx, t) => judge.judgePromptLogin(await firstOf(ctx, t), await promptLoginOf(ctx, t)));
eachType(check.fcLoginHint, ['promptLogin'], async (ctx, t) => judge.judgeSucceeds(await promptLoginOf(ctx, t), `login_hint=${ctx.target.user(0).username} (with prompt=login)`));
eachType(check.fcDisplayPopup, ['popup'], async (ctx, t) => judge.judgeSucceeds(await popupOf(ctx, t), 'display=popup (with prompt=login)'));
eachType(check.fcUiLocales, ['uiLocales'], async (ctx, t) => judge.judgeSucceeds(await uiLocalesOf(ctx, t), `ui_locales=${UNSUPPORTED_LOCALES} (with prompt=login)`));
eachType(
  check.fcMaxAge1,
  // The logins before it are judged only when this run makes them (max_age=1 waits 2 s after the last one made).
  ['first', 'maxAge1'],
  async (ctx, t) => {
    // auth_time must move past the last login before this request.
    let previous = await firstOf(ctx, t);
    for (const relogin of await Promise.all([promptLoginOf, popupOf, uiLocalesOf].map((of) => of(ctx, t).catch(() => undefined)))) {
      if (relogin && judge.isSuccess(relogin) && relogin.flow && relogin.run.result.interactions.includes('login')) previous = relogin;
    }
    return judge.judgeMaxAge1(previous, await fragment(made(ctx, t, 'maxAge1', 'max_age=1, 2 s after the last login')));
  },
  { waitsMs: 2_100 },
);

// OFCS hybrid/oidcc-codereuse-30seconds: the code of a "code id_token" response, redeemed again
// after the delay code-flow/code-reuse-after-delay waits (timing.code_reuse_delay_ms, 30 s with
// --certification); then the first redemption's access token at userinfo.
const delayMs = suite.target.codeReuseDelayMs();
browserCheck(
  check.fcCodeReuseAfterDelay,
  ['codeReuse'],
  async (ctx) => {
    const done = await fragment(made(ctx, 'code id_token', 'codeReuse', 'a code to redeem again later'));
    const firstRedemption = done.flow?.tokenExchange;
    if (!judge.isSuccess(done) || !firstRedemption) throw new CheckSkip(`no code redeemed to redeem again: ${done.completionError ?? (judge.isSuccess(done) ? 'the response carried no code' : describeResult(done.run))}`);
    await sinceAnswer(firstRedemption, delayMs);
    const second = await redeemCode(ctx, done.run, { label: `code redemption: the same code ${delayMs} ms after the first` });
    const accessToken = (firstRedemption.response?.json as Record<string, unknown> | undefined)?.access_token;
    let userinfo;
    if (typeof accessToken === 'string') {
      try {
        ctx.target.endpoint('userinfo');
        userinfo = await userinfoRequest(ctx, { token: accessToken, label: 'userinfo: the access token of the first redemption' });
      } catch (error) {
        if (!(error instanceof CheckSkip)) throw error;
      }
    }
    return judge.judgeCodeReuseAfterDelay(firstRedemption, second, userinfo, delayMs);
  },
  { waitsMs: delayMs },
);
