// What the user must do before an authorization can complete: log in, consent, both or neither
// (OIDC Core 3.1.2.3, 3.1.2.4; prompt, max_age, id_token_hint).
import type { ResolvedClient } from '../../config/types.ts';
import type { ProviderContext } from '../../context.ts';
import type { AuthorizationRequest, Session } from '../../models.ts';

/** The subject the request insists on, through id_token_hint or claims sub value (OIDC Core 3.1.2.2, 5.5.1). */
export function requiredSubject(request: AuthorizationRequest): string | undefined {
  const claimed = request.claims?.id_token?.sub?.value;
  return request.idTokenHintSub ?? (typeof claimed === 'string' ? claimed : undefined);
}

export function mustLogIn(ctx: ProviderContext, request: AuthorizationRequest, session: Session | undefined): boolean {
  if (!session) return true;
  if ((request.prompt.includes('login') && !ctx.fault('prompt-login-ignored')) || request.prompt.includes('select_account')) return true;
  // max_age=0 works like prompt=login (OIDC Core 3.1.2.1).
  if (request.maxAge !== undefined && !ctx.fault('max-age-ignored') && (request.maxAge === 0 || ctx.now() - session.authTime > request.maxAge)) return true;
  const subject = requiredSubject(request);
  return subject !== undefined && subject !== session.sub;
}

export function needsConsent(client: ResolvedClient, request: AuthorizationRequest, session: Session | undefined): boolean {
  if (request.prompt.includes('consent')) return true;
  if (client.consent_preapproved) return false;
  const granted = session?.consents[client.client_id] ?? [];
  return !request.scopes.every((scope) => granted.includes(scope));
}
