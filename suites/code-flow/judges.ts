// Judges of code-flow results: pure functions of what the browser and the HTTP recorder saw, so
// each can be proven on a good and a bad sample without a provider or a browser.
import { failCheck } from '../../harness/checks.ts';
import type { AuthorizationRun } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { expectTokenError, expectTokenSuccess } from '../../harness/judge/exchange.ts';

/** Where a response was seen: the exchange that carried it, else the last one recorded. */
export function evidenceOf(run: AuthorizationRun): string[] {
  const id = run.result.responseExchange ?? run.result.exchanges.at(-1);
  return id ? [id] : [];
}

/** OIDC Core 3.1.2.5: a code in the query of the redirect_uri, and no token in the response. */
export function judgeCodeResponse(run: AuthorizationRun): void {
  const exchanges = evidenceOf(run);
  const { result } = run;
  if (result.outcome !== 'response') {
    failCheck(`the provider did not answer the redirect_uri: it showed a page (${result.page?.url ?? '?'}, HTTP ${result.page?.status ?? '?'})`, { expected: 'a redirect to the redirect_uri with code', actual: result.page?.text.slice(0, 200) ?? null, exchanges });
  }
  if (typeof result.params.error === 'string') failCheck(`the provider answered with error=${result.params.error}`, { expected: 'code', actual: result.params, exchanges });
  if (result.via !== 'query') failCheck(`the code response came in the ${result.via}, not the query (the default response mode of response_type=code)`, { expected: 'query', actual: result.via, exchanges });
  if (!result.params.code) failCheck('the authorization response has no code', { expected: 'code', actual: Object.keys(result.params), exchanges });
  const tokens = ['access_token', 'id_token', 'refresh_token'].filter((name) => name in result.params);
  if (tokens.length > 0) failCheck(`response_type=code returned ${tokens.join(', ')} from the authorization endpoint`, { expected: 'no tokens', actual: tokens, exchanges });
}

/** RFC 6749 4.1.2: state is REQUIRED in the response when the request had one, with the exact value. */
export function judgeStateEchoed(run: AuthorizationRun): void {
  const exchanges = evidenceOf(run);
  if (run.result.outcome !== 'response') failCheck('no authorization response to read state from', { expected: run.sent.state, actual: null, exchanges });
  if (run.result.params.state !== run.sent.state) failCheck('state in the response differs from the request', { expected: run.sent.state, actual: run.result.params.state ?? null, exchanges });
}

/** OIDC Core 3.1.3.3: 200 JSON with access_token, token_type Bearer and an id_token. */
export function judgeTokenExchange(exchange: Exchange): Record<string, unknown> {
  const body = expectTokenSuccess(exchange);
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') failCheck('token_type is not Bearer', { expected: 'Bearer', actual: body.token_type ?? null, exchanges: [exchange.id] });
  if (typeof body.id_token !== 'string') failCheck('no id_token in the token response to an openid request', { expected: 'id_token', actual: Object.keys(body), exchanges: [exchange.id] });
  return body;
}

/** A refused redemption: invalid_grant (RFC 6749 5.2). */
export function judgeInvalidGrant(exchange: Exchange): void {
  expectTokenError(exchange, { status: 400, error: 'invalid_grant' });
}
