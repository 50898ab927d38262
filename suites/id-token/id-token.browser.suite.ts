// ID token rules, judged on the ID tokens of real browser flows: one login session of the first
// test user runs the code flow (basic client), then, where the target offers them, the hybrid
// and implicit response types (front-channel ID tokens with c_hash / at_hash, one with max_age,
// one with auth_time requested as essential) and the code flow of the profile's HS256 and ES256
// clients. Every check judges every ID token collected.
import { randomBytes } from 'node:crypto';
import { CheckSkip, type PassDetails } from '../../harness/checks.ts';
import { authorizeIn, requireResponseType, withBrowser, type AuthorizationSpec, type BrowserSession } from '../../harness/flows/authorization.ts';
import { fetchJwks } from '../../harness/flows/steps.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import { createSuite, type SuiteContext } from '../../harness/suite.ts';
import * as check from './checks.ts';
import { type CompletedFlow, type IdTokenSample, completeFlow } from './collect.ts';
import * as judge from './judges.ts';

const suite = createSuite('id-token');

/**
 * A nonce that must come back byte-exact (OIDC Core 2, 14): URL-reserved characters, non-ASCII
 * letters and an accent in decomposed form (NFD), which a normalising provider would change.
 */
function oddNonce(tag: string): string {
  return `n-${randomBytes(9).toString('base64url')}-${tag} +%&=/?;ä€e\u0301`;
}

/** The scopes asked for: openid and the four claim scopes, those of them the target lists. */
function claimScopes(ctx: SuiteContext): string {
  const listed = ctx.target.metadata().scopes_supported;
  const wanted = ['openid', 'profile', 'email', 'address', 'phone'];
  return (Array.isArray(listed) ? wanted.filter((s) => s === 'openid' || listed.includes(s)) : wanted).join(' ');
}

interface Collected {
  flows: CompletedFlow[];
  samples: IdTokenSample[];
  /** Flows that were tried but gave no ID token, with the reason (SKIPs mention them). */
  problems: string[];
}

interface Variant {
  label: string;
  role: ClientRole;
  responseType: string;
  params?: Record<string, string>;
  authTimeRequired?: string;
}

async function runVariant(ctx: SuiteContext, session: BrowserSession, variant: Variant, scope: string): Promise<CompletedFlow> {
  ctx.target.client(variant.role);
  requireResponseType(ctx.target, variant.responseType);
  const spec: AuthorizationSpec = { role: variant.role, responseType: variant.responseType, scope, nonce: oddNonce(variant.responseType.replace(/ /g, '+')) };
  if (variant.params) spec.params = variant.params;
  const run = await authorizeIn(ctx, session, spec, variant.label);
  return completeFlow(ctx, run, { role: variant.role, label: variant.label, ...(variant.authTimeRequired ? { authTimeRequired: variant.authTimeRequired } : {}) });
}

function variants(ctx: SuiteContext): Variant[] {
  const metadata = ctx.target.metadata();
  const claimsSupported = metadata.claims_parameter_supported === true;
  const acr = Array.isArray(metadata.acr_values_supported) ? metadata.acr_values_supported.filter((v): v is string => typeof v === 'string') : [];
  const list: Variant[] = [
    { label: 'hybrid flow code id_token, max_age=3600', role: 'basic', responseType: 'code id_token', params: { max_age: '3600' }, authTimeRequired: 'max_age was sent' },
    claimsSupported
      ? { label: 'implicit flow id_token token, auth_time essential', role: 'basic', responseType: 'id_token token', params: { claims: JSON.stringify({ id_token: { auth_time: { essential: true } } }) }, authTimeRequired: 'auth_time was requested as an essential claim' }
      : { label: 'implicit flow id_token token', role: 'basic', responseType: 'id_token token' },
    { label: `hybrid flow code id_token token${acr.length ? `, acr_values=${acr.join(' ')}` : ''}`, role: 'basic', responseType: 'code id_token token', ...(acr.length ? { params: { acr_values: acr.join(' ') } } : {}) },
    { label: 'implicit flow id_token (claims in the ID token)', role: 'basic', responseType: 'id_token' },
    { label: 'code flow (HS256 client)', role: 'hs256', responseType: 'code' },
    { label: 'code flow (ES256 client)', role: 'es256', responseType: 'code' },
  ];
  return list;
}

const jwks = suite.step('JWK Set', (ctx) => fetchJwks(ctx));

const collected = suite.step('browser session: code flow, then the hybrid, implicit, HS256 and ES256 flows the target offers', async (ctx): Promise<Collected> => {
  ctx.target.requireGrant('authorization_code');
  requireResponseType(ctx.target, 'code');
  const scope = claimScopes(ctx);
  return withBrowser(ctx, 'id-token flows', async (session) => {
    const flows: CompletedFlow[] = [];
    const problems: string[] = [];
    // The first flow logs in; a failure here leaves nothing to judge (ERROR for every check).
    flows.push(await runVariant(ctx, session, { label: 'code flow (basic client)', role: 'basic', responseType: 'code' }, scope));
    for (const variant of variants(ctx)) {
      try {
        flows.push(await runVariant(ctx, session, variant, scope));
      } catch (error) {
        problems.push(error instanceof CheckSkip ? `${variant.label}: not run, ${error.reason}` : (error as Error).message);
      }
    }
    return { flows, samples: flows.flatMap((f) => f.idTokens), problems };
  });
});

/**
 * What the first check waits for besides judging: the browser start and the whole session of
 * flows (about seven authorizations), added to its deadline (which guards against a hang).
 */
const SESSION_WAIT_MS = 60_000;

/** Runs a judge over the collected samples; a SKIP names the flows that could not run. */
function judgeSamples(definition: Parameters<typeof suite.check>[0], run: (samples: IdTokenSample[], ctx: SuiteContext) => PassDetails | Promise<PassDetails>) {
  suite.check(definition, async (ctx) => {
    const { samples, problems } = await collected();
    try {
      const result = await run(samples, ctx);
      return { ...result, evidence: { ...result.evidence, tokens: samples.length, ...(problems.length ? { flowsNotJudged: problems } : {}) } };
    } catch (error) {
      if (error instanceof CheckSkip && problems.length > 0) throw new CheckSkip(`${error.reason} (${problems.join('; ')})`);
      throw error;
    }
  }, { waitsMs: SESSION_WAIT_MS });
}

judgeSamples(check.signature, async (samples) => judge.judgeSignatures(samples, (await jwks()).jwks));
judgeSamples(check.algNotNone, (samples) => judge.judgeAlgNotNone(samples));
judgeSamples(check.expectedAlg, (samples) => judge.judgeExpectedAlg(samples));
judgeSamples(check.hs256Mac, (samples) => judge.judgeHs256(judge.samplesOf(samples, 'hs256')));
judgeSamples(check.es256Signature, async (samples) => judge.judgeEs256(judge.samplesOf(samples, 'es256'), (await jwks()).jwks));
judgeSamples(check.noKeyHeaders, (samples) => judge.judgeNoKeyHeaders(samples));
judgeSamples(check.iss, (samples, ctx) => {
  const issuer = ctx.target.metadata().issuer;
  return judge.judgeIss(samples, typeof issuer === 'string' ? issuer : ctx.target.issuer);
});
judgeSamples(check.aud, (samples) => judge.judgeAud(samples));
judgeSamples(check.azp, (samples) => judge.judgeAzp(samples));
judgeSamples(check.exp, (samples) => judge.judgeExp(samples));
judgeSamples(check.iat, (samples) => judge.judgeIat(samples));
judgeSamples(check.nonce, (samples) => judge.judgeNonce(samples));
judgeSamples(check.authTime, (samples) => judge.judgeAuthTime(samples));
judgeSamples(check.subFormat, (samples) => judge.judgeSubFormat(samples));
judgeSamples(check.subStable, (samples, ctx) => judge.judgeSubStable(samples, ctx.target.user(0).sub));
judgeSamples(check.claimsTyped, (samples) => judge.judgeClaimsTyped(samples));
judgeSamples(check.noNullClaims, (samples) => judge.judgeNoNullClaims(samples));
judgeSamples(check.amr, (samples) => judge.judgeAmr(samples));
judgeSamples(check.acrFormat, (samples) => judge.judgeAcr(samples));
judgeSamples(check.atHash, (samples) => judge.judgeAtHash(samples));
judgeSamples(check.cHash, (samples) => judge.judgeCHash(samples));
judgeSamples(check.uniqueClaimNames, (samples) => judge.judgeUniqueClaimNames(samples));
