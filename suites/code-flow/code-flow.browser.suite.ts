// Authorization code flow in the browser: the test user logs in and consents in the provider's
// pages; the harness captures the response at the redirect_uri and redeems the code. Each flow
// is a step, run once and judged by every check that needs it.
import { authorize, redeemCode, requireResponseType } from '../../harness/flows/authorization.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import * as judge from './judges.ts';

const suite = createSuite('code-flow');

function codeFlow(ctx: SuiteContext, role: 'basic' | 'post' | 'public', label: string) {
  ctx.target.requireGrant('authorization_code');
  requireResponseType(ctx.target, 'code');
  return authorize(ctx, { role, responseType: 'code' }, label);
}

const basicFlow = suite.step('code flow (client_secret_basic client)', (ctx) => codeFlow(ctx, 'basic', 'code flow (basic)'));
const basicRedemption = suite.step('code redemption (client_secret_basic)', async (ctx) => redeemCode(ctx, await basicFlow(), { label: 'code redemption' }));
const publicFlow = suite.step('code flow (public client, PKCE S256)', (ctx) => codeFlow(ctx, 'public', 'code flow (public, PKCE)'));

suite.check(check.codeResponse, async () => {
  const run = await basicFlow();
  judge.judgeCodeResponse(run);
  return { exchanges: judge.evidenceOf(run) };
});

suite.check(check.stateEchoed, async () => {
  const run = await basicFlow();
  judge.judgeStateEchoed(run);
  return { exchanges: judge.evidenceOf(run) };
});

suite.judgeExchange(check.tokenExchangeBasic, basicRedemption, (exchange) => judge.judgeTokenExchange(exchange));

suite.check(check.pkceWrongVerifierRefused, async (ctx) => {
  const run = await publicFlow();
  const exchange = await redeemCode(ctx, run, { change: (form) => (form.code_verifier = `${String(form.code_verifier)}-wrong-verifier`), label: 'code redemption with a wrong code_verifier' });
  judge.judgeInvalidGrant(exchange);
  return { exchanges: [exchange.id] };
});

suite.check(check.codeReuseRefused, async (ctx) => {
  const first = await basicRedemption();
  const second = await redeemCode(ctx, await basicFlow(), { label: 'the same code redeemed again' });
  judge.judgeInvalidGrant(second);
  return { exchanges: [first.id, second.id] };
});
