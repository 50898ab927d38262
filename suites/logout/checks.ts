// OpenID Connect RP-Initiated Logout 1.0, driven in a real browser: the test user logs in, the
// relying party sends the browser to the end_session_endpoint with its ID token as
// id_token_hint, and the harness watches where the browser goes and whether the session ends.
import { defineCheck } from '../../harness/checks.ts';

const area = 'logout';

export const redirectWithState = defineCheck({
  id: 'logout/redirect-with-state',
  title: 'A valid logout request (id_token_hint, registered post_logout_redirect_uri, state) ends at the post_logout_redirect_uri with the state unchanged',
  area,
  refs: ['OIDCRIL-2', 'OIDCRIL-3'],
  requirements: ['LO-08'],
  level: 'MUST',
});

export const endsSession = defineCheck({
  id: 'logout/ends-session',
  title: 'After the logout, prompt=none in the same browser gets a login error instead of a code (before it, it got a code)',
  area,
  refs: ['OIDCRIL-2', 'OIDCC-3.1.2.1'],
  requirements: ['LO-10'],
  level: 'MUST',
});

export const confirmationWithoutHint = defineCheck({
  id: 'logout/confirmation-without-hint',
  title: 'A logout request without id_token_hint does not end the session before the user confirms: prompt=none still gets a code',
  area,
  refs: ['OIDCRIL-2', 'OIDCRIL-6'],
  requirements: ['LO-09', 'LO-18'],
  level: 'MUST',
});

export const postSupported = defineCheck({
  id: 'logout/post-supported',
  title: 'The logout endpoint accepts the request as a form POST too: it ends at the post_logout_redirect_uri',
  area,
  refs: ['OIDCRIL-2'],
  requirements: ['LO-02'],
  level: 'MUST',
});

export const idempotent = defineCheck({
  id: 'logout/idempotent',
  title: 'Repeating the logout when the user is already logged out is no error: it ends at the post_logout_redirect_uri again',
  area,
  refs: ['OIDCRIL-4'],
  requirements: ['LO-11', 'LO-02'],
  level: 'SHOULD',
});

export const optionalParametersAccepted = defineCheck({
  id: 'logout/optional-parameters-accepted',
  title: 'ui_locales with an unsupported locale and logout_hint do not break a valid logout request',
  area,
  refs: ['OIDCRIL-2'],
  requirements: ['LO-15', 'LO-16'],
  level: 'SHOULD',
});

export const unregisteredUriNoRedirect = defineCheck({
  id: 'logout/unregistered-uri-no-redirect',
  title: 'A post_logout_redirect_uri that is not exactly a registered one (other path, added query, suffix, foreign host) gets no redirect, even with a valid id_token_hint (screenshots)',
  area,
  refs: ['OIDCRIL-3', 'OIDCRIL-4', 'RFC9700-2.1'],
  requirements: ['LO-06', 'LO-12', 'BCP-02'],
  level: 'MUST',
});

export const foreignHintNoRedirect = defineCheck({
  id: 'logout/foreign-hint-no-redirect',
  title: 'An id_token_hint signed with a key that is not the provider\'s gets no post-logout redirect (screenshot)',
  area,
  refs: ['OIDCRIL-2', 'OIDCRIL-4'],
  requirements: ['LO-03', 'LO-12'],
  level: 'MUST',
});

export const clientIdMismatchNoRedirect = defineCheck({
  id: 'logout/client-id-mismatch-no-redirect',
  title: 'A client_id that is not the id_token_hint\'s audience gets no post-logout redirect (screenshot)',
  area,
  refs: ['OIDCRIL-2', 'OIDCRIL-4'],
  requirements: ['LO-05', 'LO-12'],
  level: 'MUST',
});

export const noHintNoRedirect = defineCheck({
  id: 'logout/no-hint-no-redirect',
  title: 'A post_logout_redirect_uri without id_token_hint (nor client_id) gets no redirect (screenshot)',
  area,
  refs: ['OIDCRIL-3'],
  requirements: ['LO-07'],
  level: 'MUST',
});
