// Redemptions the token endpoint must refuse: PKCE (wrong, missing, downgraded, plain-for-S256,
// too short), a code taken to another client, another or no redirect_uri, no client
// authentication, a public client without client_id; plus the PKCE rules of the authorization
// request itself and what the codes reveal. Each refusal gets a code of its own, since a provider
// may spend a code on a failed attempt. The file's requests share one browser session (one login).
import { randomBytes } from 'node:crypto';
import { skipCheck } from '../../harness/checks.ts';
import { type AuthorizationRun, type AuthorizationSpec, redeemCode, s256 } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import type { Form } from '../../harness/oauth/token-request.ts';
import { type SuiteContext, createSuite } from '../../harness/suite.ts';
import * as check from './checks.ts';
import { authorizationSteps, codeRequest } from './flows.ts';
import * as judge from './judges.ts';

const suite = createSuite('code-redemption');

/** A verifier too short for RFC 7636 4.1 (43 characters at least), whose S256 hash is the challenge sent. */
const SHORT_VERIFIER = 'short-verifier-1';
const WRONG_SUFFIX = '-wrong-verifier';

type Flow =
  | 'downgrade'
  | 'plain-default'
  | 'other-client'
  | 'redirect-mismatch'
  | 'redirect-omitted'
  | 'client-auth'
  | 'wrong-verifier'
  | 'missing-verifier'
  | 'challenge-as-verifier'
  | 'short-verifier'
  | 'public-no-client-id'
  | 'public-no-pkce';

const REQUESTS: Record<Flow, () => AuthorizationSpec> = {
  downgrade: () => codeRequest('basic', { pkce: false }),
  // plain without code_challenge_method: the method defaults to plain (RFC 7636 4.3).
  'plain-default': () => codeRequest('basic', { pkce: 'plain', params: { code_challenge_method: null } }),
  'other-client': () => codeRequest('basic'),
  'redirect-mismatch': () => codeRequest('basic'),
  'redirect-omitted': () => codeRequest('basic'),
  'client-auth': () => codeRequest('basic'),
  'wrong-verifier': () => codeRequest('public'),
  'missing-verifier': () => codeRequest('public'),
  'challenge-as-verifier': () => codeRequest('public'),
  'short-verifier': () => codeRequest('public', { params: { code_challenge: s256(SHORT_VERIFIER), code_challenge_method: 'S256' } }),
  'public-no-client-id': () => codeRequest('public'),
  'public-no-pkce': () => codeRequest('public', { pkce: false }),
};

const run = authorizationSteps(suite, 'codes to refuse', REQUESTS);

/** The flow's code redeemed as its client with the form edited by `change` (SKIP when there is no code). */
async function redeemChanged(ctx: SuiteContext, flow: Flow, label: string, options: { change?: (form: Form) => void; role?: 'second' } = {}): Promise<Exchange> {
  const flowRun = await run(flow);
  judge.requireCode(flowRun, 'try this redemption with');
  return redeemCode(ctx, flowRun, { ...options, label });
}

/** The flow's code sent with this form and no client authentication at all. */
async function redeemUnauthenticated(ctx: SuiteContext, flow: Flow, label: string, form: (flowRun: AuthorizationRun, code: string) => Form): Promise<Exchange> {
  const flowRun = await run(flow);
  const code = judge.requireCode(flowRun, 'try this redemption with');
  return ctx.http.send({ method: 'POST', url: ctx.target.endpoint('token'), form: form(flowRun, code), label });
}

// ---- PKCE -------------------------------------------------------------------------------------------

suite.check(check.pkceWrongVerifierRefused, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'wrong-verifier', 'code redemption with a wrong code_verifier', { change: (form) => (form.code_verifier = `${String(form.code_verifier)}${WRONG_SUFFIX}`) });
  return judge.judgeRefused(exchange, 'a wrong code_verifier', ['invalid_grant']);
});

suite.check(check.pkceVerifierMissingRefused, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'missing-verifier', 'code redemption without code_verifier', { change: (form) => delete form.code_verifier });
  return judge.judgeRefused(exchange, 'a redemption without code_verifier', ['invalid_grant', 'invalid_request']);
});

suite.check(check.pkceChallengeAsVerifierRefused, async (ctx) => {
  const challenge = (await run('challenge-as-verifier')).sent.params.code_challenge!;
  const exchange = await redeemChanged(ctx, 'challenge-as-verifier', 'code redemption with the S256 challenge as a plain verifier', { change: (form) => (form.code_verifier = challenge) });
  return judge.judgeRefused(exchange, 'the S256 code_challenge sent as the code_verifier', ['invalid_grant']);
});

suite.check(check.pkceShortVerifierRefused, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'short-verifier', `code redemption with a ${SHORT_VERIFIER.length}-character code_verifier`, { change: (form) => (form.code_verifier = SHORT_VERIFIER) });
  return judge.judgeRefused(exchange, `a ${SHORT_VERIFIER.length}-character code_verifier`, ['invalid_grant', 'invalid_request']);
});

suite.check(check.pkceDowngradeRefused, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'downgrade', 'code redemption with a code_verifier for a code issued without code_challenge', {
    change: (form) => (form.code_verifier = randomBytes(32).toString('base64url')),
  });
  return judge.judgeRefused(exchange, 'a code_verifier for a code issued without code_challenge', ['invalid_grant', 'invalid_request']);
});

suite.check(check.pkcePlainDefault, async (ctx) => {
  const flowRun = await run('plain-default');
  const methods = ctx.target.metadata().code_challenge_methods_supported;
  const plainAdvertised = Array.isArray(methods) && methods.includes('plain');
  const redemption = flowRun.result.params.code === undefined ? undefined : await redeemCode(ctx, flowRun, { label: 'code redemption: plain verifier (= challenge)' });
  return judge.judgePlainDefault(flowRun, redemption, plainAdvertised);
});

suite.check(check.pkceRequiredPublic, async (ctx) => judge.judgePkceRequired(await run('public-no-pkce'), ctx.target.pkceRequired()));

// ---- the code's bindings ------------------------------------------------------------------------------

suite.check(check.codeBoundToClient, async (ctx) => {
  const second = ctx.target.client('second');
  if (second.client_id === ctx.target.client('basic').client_id) skipCheck('the "second" client of the profile is the basic client itself');
  const exchange = await redeemChanged(ctx, 'other-client', 'code redemption by the second client', { role: 'second' });
  return judge.judgeRefused(exchange, "another client's redemption of the code", ['invalid_grant']);
});

suite.check(check.redirectUriMismatchRefused, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'redirect-mismatch', 'code redemption with another redirect_uri', { change: (form) => (form.redirect_uri = `${String(form.redirect_uri)}-other`) });
  return judge.judgeRefused(exchange, 'a redemption with another redirect_uri', ['invalid_grant']);
});

suite.check(check.redirectUriOmitted, async (ctx) => {
  const exchange = await redeemChanged(ctx, 'redirect-omitted', 'code redemption without redirect_uri', { change: (form) => delete form.redirect_uri });
  return judge.judgeRedirectUriOmitted(exchange);
});

suite.check(check.clientAuthRequired, async (ctx) => {
  const client = ctx.target.client('basic');
  if (client.auth_method === 'none') skipCheck('the basic client of the profile is public: it has no credentials to leave out');
  const exchange = await redeemUnauthenticated(ctx, 'client-auth', 'code redemption with client_id and no secret', (flowRun, code) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: flowRun.sent.redirectUri,
    client_id: client.client_id,
  }));
  return judge.judgeRefused(exchange, 'a confidential client redeeming without its secret', ['invalid_client']);
});

suite.check(check.publicClientIdRequired, async (ctx) => {
  const exchange = await redeemUnauthenticated(ctx, 'public-no-client-id', 'public client code redemption without client_id', (flowRun, code) => {
    const form: Form = { grant_type: 'authorization_code', code, redirect_uri: flowRun.sent.redirectUri };
    if (flowRun.sent.codeVerifier !== undefined) form.code_verifier = flowRun.sent.codeVerifier;
    return form;
  });
  return judge.judgeRefused(exchange, 'a public client redeeming without client_id', ['invalid_request', 'invalid_client', 'invalid_grant']);
});

// ---- what the codes reveal: last, judged over every code the file was issued ------------------------

/** Every code the file's requests were issued, with the challenge each was issued for. */
async function issuedCodes(): Promise<judge.IssuedCode[]> {
  const codes: judge.IssuedCode[] = [];
  for (const flow of Object.keys(REQUESTS) as Flow[]) {
    const { result, sent } = await run(flow).catch(() => ({ result: undefined, sent: undefined }));
    if (result?.params.code === undefined) continue;
    const issued: judge.IssuedCode = { code: result.params.code, exchange: result.responseExchange ?? result.exchanges.at(-1)! };
    if (sent?.params.code_challenge !== undefined) issued.challenge = sent.params.code_challenge;
    codes.push(issued);
  }
  return codes;
}

suite.check(check.codeChallengeNotExposed, async () => judge.judgeChallengeNotExposed(await issuedCodes()));
suite.check(check.codeUnguessable, async () => judge.judgeCodesUnguessable(await issuedCodes()));
