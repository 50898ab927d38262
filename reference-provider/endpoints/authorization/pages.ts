// The login and consent pages. Fields have stable ids for automation (#username, #password,
// #login, #approve, #deny); every form carries the interaction's anti-CSRF token.
import type { ResolvedClient } from '../../config/types.ts';
import { escapeHtml, renderPage } from '../../http/html.ts';
import type { Interaction } from '../../models.ts';

export function renderLoginPage(action: string, interaction: Interaction, client: ResolvedClient, error?: string): string {
  const hint = interaction.request.loginHint ?? '';
  const body = `<p>Sign in to continue to <strong id="client-name">${escapeHtml(client.client_name)}</strong>.</p>
${error ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" id="login-form">
<input type="hidden" name="csrf" value="${escapeHtml(interaction.csrf)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(hint)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login">Sign in</button>
</form>`;
  return renderPage('Sign in', body);
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'Read your profile (name, picture, locale)',
  email: 'Read your email address',
  address: 'Read your postal address',
  phone: 'Read your phone number',
  offline_access: 'Keep access while you are away (offline access: a refresh token)',
};

/** `generic` (the consent-page-generic fault): the page names neither the client nor the scopes. */
export function renderConsentPage(action: string, interaction: Interaction, client: ResolvedClient, generic = false): string {
  if (generic) {
    return renderPage('Allow access?', `<p>An application asks for access to your account.</p>
<form method="post" action="${escapeHtml(action)}" id="consent-form">
<input type="hidden" name="csrf" value="${escapeHtml(interaction.csrf)}">
<button type="submit" name="decision" value="approve" id="approve">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>`);
  }
  const items = interaction.request.scopes
    .map((scope) => `<li data-scope="${escapeHtml(scope)}">${escapeHtml(SCOPE_TEXT[scope] ?? scope)}</li>`)
    .join('\n');
  const body = `<p><strong id="client-name">${escapeHtml(client.client_name)}</strong> asks to:</p>
<ul id="scopes">
${items}
</ul>
<form method="post" action="${escapeHtml(action)}" id="consent-form">
<input type="hidden" name="csrf" value="${escapeHtml(interaction.csrf)}">
<button type="submit" name="decision" value="approve" id="approve">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>`;
  return renderPage('Allow access?', body);
}
