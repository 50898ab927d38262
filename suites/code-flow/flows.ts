// What the three code-flow suite files share: the request specs they send and small helpers
// around them. I/O stays in the suite files' steps; nothing here keeps state between files.
import { randomBytes } from 'node:crypto';
import { type AuthorizationRun, type AuthorizationSpec, redeemCode, requireResponseType, sharedSession } from '../../harness/flows/authorization.ts';
import type { Exchange } from '../../harness/http/types.ts';
import type { ClientRole } from '../../harness/profile/types.ts';
import type { Suite } from '../../harness/suite.ts';
import type { Target } from '../../harness/target.ts';
import { requireCode } from './judges.ts';

/** SKIP unless the target offers the code flow. */
export function requireCodeFlow(target: Target): void {
  target.requireGrant('authorization_code');
  requireResponseType(target, 'code');
}

/**
 * A step per request of the file, sent in the file's shared browser session (one login) when a
 * selected check first needs it. Returns the run of a request by name.
 */
export function authorizationSteps<F extends string>(
  suite: Suite,
  label: string,
  requests: Record<F, () => AuthorizationSpec>,
  require: (target: Target, flow: F) => void = requireCodeFlow,
): (flow: F) => Promise<AuthorizationRun> {
  const browser = sharedSession(suite, label);
  const steps = new Map<F, () => Promise<AuthorizationRun>>();
  for (const flow of Object.keys(requests) as F[]) {
    steps.set(
      flow,
      suite.step(`authorization request (${flow})`, (ctx) => {
        require(ctx.target, flow);
        return browser(ctx, requests[flow](), flow);
      }),
    );
  }
  return (flow) => steps.get(flow)!();
}

/** A step per flow that redeems its code as its client, once per file; SKIP when there is no code. */
export function redemptionSteps<F extends string>(suite: Suite, run: (flow: F) => Promise<AuthorizationRun>, flows: readonly F[]): Record<F, () => Promise<Exchange>> {
  const steps = {} as Record<F, () => Promise<Exchange>>;
  for (const flow of flows) {
    steps[flow] = suite.step(`code redemption (${flow})`, async (ctx) => {
      const flowRun = await run(flow);
      requireCode(flowRun, 'redeem');
      return redeemCode(ctx, flowRun, { label: `code redemption: ${flow}` });
    });
  }
  return steps;
}

/** A code flow request: openid, random state and nonce, PKCE S256 for the public client. */
export function codeRequest(role: ClientRole, extra: Partial<AuthorizationSpec> = {}): AuthorizationSpec {
  return { role, responseType: 'code', ...extra };
}

/**
 * A state that a provider must echo byte for byte (RFC 6749 4.1.2, OIDC Core 14): reserved
 * characters of the query syntax, a space, and a non-ASCII character in decomposed form (NFD), so
 * that percent-decoding twice or Unicode normalisation shows.
 */
export function awkwardState(): string {
  return `${randomBytes(12).toString('base64url')} %+&=/?#é`.normalize('NFD');
}

/**
 * The request of the code-flow refresh matrix: offline_access and prompt=consent on or off. The
 * cell with both is the one every rule but "never" answers with a refresh token.
 */
export function refreshMatrixRequest(role: ClientRole, offlineAccess: boolean, promptConsent: boolean): AuthorizationSpec {
  const params: Record<string, string> = {};
  if (promptConsent) params.prompt = 'consent';
  return { role, responseType: 'code', scope: offlineAccess ? 'openid offline_access' : 'openid', params };
}

