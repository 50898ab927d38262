// Completing a browser authorization the way a relying party would (OIDC Core 3.1.3, 3.2.2.5,
// 3.3.2.5): read the front-channel response, redeem its code at the token endpoint, and keep every
// ID token seen with what is needed to judge it (the nonce sent, the access token and code issued
// in the same response, whether auth_time was required, when it was received). Shared by the
// id-token and request-params suites; the judging lives in their judges.ts.
import { CheckSkip } from '../../harness/checks.ts';
import { type AuthorizationRun, redeemCode } from '../../harness/flows/authorization.ts';
import { userinfoRequest } from '../../harness/flows/steps.ts';
import type { Exchange } from '../../harness/http/types.ts';
import type { ClientRole, ProfileClient } from '../../harness/profile/types.ts';
import type { SuiteContext } from '../../harness/suite.ts';

/** One ID token as the harness received it, with what its judges need. */
export interface IdTokenSample {
  /** Where it came from, for messages: "code flow (basic), token endpoint". */
  label: string;
  token: string;
  source: 'authorization endpoint' | 'token endpoint';
  responseType: string;
  role: ClientRole;
  clientId: string;
  clientSecret?: string;
  /** The algorithm the client is registered for (the profile's, else the role's default). */
  expectedAlg: string;
  /** The nonce sent in the request, when one was. */
  nonce?: string;
  /** The access token issued in the same response (for at_hash). */
  accessToken?: string;
  /** The code issued in the same front-channel response, or redeemed for this token (for c_hash). */
  code?: string;
  /** at_hash is REQUIRED: an authorization-endpoint ID token issued with an access token (OIDC Core 3.2.2.10, 3.3.2.11). */
  atHashRequired: boolean;
  /** c_hash is REQUIRED: an authorization-endpoint ID token issued with a code (OIDC Core 3.3.2.11). */
  cHashRequired: boolean;
  /** Why auth_time is REQUIRED in this token (max_age sent, essential claim), when it is (OIDC Core 2). */
  authTimeRequired?: string;
  /** Seconds since the epoch at which the response carrying it arrived. */
  receivedAt: number;
  /** The exchange that carried it. */
  exchanges: string[];
}

/** What a completed flow produced. */
export interface CompletedFlow {
  run: AuthorizationRun;
  label: string;
  /** The token response, when a code was redeemed. */
  tokenExchange?: Exchange;
  idTokens: IdTokenSample[];
  /** The access token to call userinfo with (front channel, else token endpoint). */
  accessToken?: string;
  /** Every exchange of the flow, the browser hops first. */
  exchanges: string[];
}

/** The ID token algorithm a profile client is registered for (OIDC Core 3.1.3.7 step 7: RS256 by default). */
export function expectedAlgOf(role: ClientRole, client: ProfileClient): string {
  if (client.id_token_signed_response_alg) return client.id_token_signed_response_alg;
  if (role === 'hs256') return 'HS256';
  if (role === 'es256') return 'ES256';
  return 'RS256';
}

/** Seconds since the epoch at which the exchange's response arrived. */
export function receivedAt(ctx: SuiteContext, exchangeId: string | undefined): number {
  const exchange = exchangeId ? ctx.http.exchange(exchangeId) : undefined;
  const at = exchange ? Date.parse(exchange.startedAt) + exchange.durationMs : Date.now();
  return Math.floor(at / 1000);
}

/** A short account of an authorization result that is not a success, for messages. */
export function describeResult(run: AuthorizationRun): string {
  const { result } = run;
  if (result.outcome === 'page') {
    const line = result.page?.text.split('\n').find((l) => l.trim()) ?? result.page?.title ?? '';
    return `the provider kept the browser on ${result.page?.url ?? 'a page'} (HTTP ${result.page?.status ?? '?'}${line ? `: ${line.slice(0, 120)}` : ''})`;
  }
  if (result.params.error !== undefined) {
    return `the provider answered error=${result.params.error}${result.params.error_description ? ` (${result.params.error_description})` : ''}`;
  }
  return 'the provider answered the redirect_uri';
}

export interface CompleteOptions {
  role: ClientRole;
  label: string;
  /** Why auth_time is required in the ID tokens of this flow, if it is. */
  authTimeRequired?: string;
}

/**
 * Redeems the code (if any) and collects the ID tokens of a successful authorization response.
 * Throws CheckSkip-free plain errors when the response is not a success: callers that judge the
 * success themselves look at run.result first.
 */
export async function completeFlow(ctx: SuiteContext, run: AuthorizationRun, options: CompleteOptions): Promise<CompletedFlow> {
  const { result, sent } = run;
  if (result.outcome !== 'response' || result.params.error !== undefined) throw new Error(`${options.label}: ${describeResult(run)}`);
  const client = sent.client;
  const responseType = sent.params.response_type ?? '';
  const base = {
    responseType,
    role: options.role,
    clientId: client.client_id,
    expectedAlg: expectedAlgOf(options.role, client),
    ...(client.client_secret !== undefined ? { clientSecret: client.client_secret } : {}),
    ...(sent.nonce !== undefined ? { nonce: sent.nonce } : {}),
    ...(options.authTimeRequired !== undefined ? { authTimeRequired: options.authTimeRequired } : {}),
  };
  const front = result.params;
  const flow: CompletedFlow = { run, label: options.label, idTokens: [], exchanges: [...result.exchanges] };
  const frontExchange = result.responseExchange ?? result.exchanges.at(-1);
  if (front.access_token !== undefined) flow.accessToken = front.access_token;
  if (front.id_token !== undefined) {
    flow.idTokens.push({
      ...base,
      label: `${options.label}, authorization endpoint`,
      token: front.id_token,
      source: 'authorization endpoint',
      ...(front.access_token !== undefined ? { accessToken: front.access_token } : {}),
      ...(front.code !== undefined ? { code: front.code } : {}),
      atHashRequired: front.access_token !== undefined,
      cHashRequired: front.code !== undefined,
      receivedAt: receivedAt(ctx, frontExchange),
      exchanges: frontExchange ? [frontExchange] : [],
    });
  }
  if (front.code !== undefined) {
    const exchange = await redeemCode(ctx, run, { label: `${options.label}: code redemption` });
    flow.tokenExchange = exchange;
    flow.exchanges.push(exchange.id);
    const body = exchange.response?.json as Record<string, unknown> | undefined;
    if (exchange.response?.status !== 200 || typeof body !== 'object' || body === null) {
      const error = typeof body?.error === 'string' ? ` ${body.error}` : '';
      throw new Error(`${options.label}: the code redemption answered HTTP ${exchange.response?.status ?? 'nothing'}${error} (${exchange.id})`);
    }
    if (typeof body.access_token === 'string') {
      ctx.http.addSecret(body.access_token);
      flow.accessToken ??= body.access_token;
    }
    if (typeof body.id_token === 'string') {
      flow.idTokens.push({
        ...base,
        label: `${options.label}, token endpoint`,
        token: body.id_token,
        source: 'token endpoint',
        ...(typeof body.access_token === 'string' ? { accessToken: body.access_token } : {}),
        code: front.code,
        atHashRequired: false,
        cHashRequired: false,
        receivedAt: receivedAt(ctx, exchange.id),
        exchanges: [exchange.id],
      });
    }
  }
  return flow;
}

/** The flow's userinfo response (GET with the Bearer header), or SKIP when no access token was issued. */
export async function userinfoOf(ctx: SuiteContext, flow: CompletedFlow): Promise<Exchange> {
  if (flow.accessToken === undefined) throw new CheckSkip(`${flow.label} issued no access token, so userinfo cannot be asked`);
  ctx.target.endpoint('userinfo');
  const exchange = await userinfoRequest(ctx, { token: flow.accessToken, label: `${flow.label}: userinfo` });
  flow.exchanges.push(exchange.id);
  return exchange;
}

/** The sub of the flow's ID tokens (the first one), when there is one. */
export function subOf(flow: CompletedFlow): string | undefined {
  for (const sample of flow.idTokens) {
    try {
      const payload = JSON.parse(Buffer.from(sample.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      if (typeof payload.sub === 'string') return payload.sub;
    } catch {
      // not a JWT: the id-token checks say so
    }
  }
  return undefined;
}
