// Response mode checks (OAuth 2.0 Multiple Response Type Encoding Practices 2-5, OAuth 2.0 Form
// Post Response Mode 2, OIDC Core 3.1.2.1/3.1.2.6), driven in a real browser: where each response
// type's parameters land by default and when a mode is requested, for every type and mode the
// target offers.
import { defineCheck } from '../../harness/checks.ts';

const area = 'response-modes';

export const defaultModes = defineCheck({
  id: 'response-modes/default-modes',
  title: 'Without response_mode, code answers in the query and every type that returns a token or ID token in the fragment',
  area,
  refs: ['OAuth2-RT-2.1', 'OAuth2-RT-3', 'OAuth2-RT-5', 'OIDCC-3.1.2.5'],
  requirements: ['RM-01', 'RM-05'],
  level: 'MUST',
});

export const explicitDefaultAccepted = defineCheck({
  id: 'response-modes/explicit-default-accepted',
  title: 'Naming the default mode (code with response_mode=query, id_token with response_mode=fragment) is accepted and answered in that mode',
  area,
  refs: ['OAuth2-RT-2.1', 'OIDCC-3.1.2.1'],
  requirements: ['RM-02'],
  level: 'SHOULD',
});

export const requestedModeHonoured = defineCheck({
  id: 'response-modes/requested-mode-honoured',
  title: 'response_type=code with response_mode=fragment answers in the fragment, success and error (prompt=none without a session) alike',
  area,
  refs: ['OAuth2-RT-2.1', 'OAuth2-RT-3', 'OAuth2-RT-5'],
  requirements: ['RM-04'],
  level: 'SHOULD',
});

export const queryRefusedForTokens = defineCheck({
  id: 'response-modes/query-refused-for-tokens',
  title: 'response_mode=query with a type that returns a token or ID token never puts them in the query (an error, or the fragment)',
  area,
  refs: ['OAuth2-RT-3', 'OAuth2-RT-5', 'OAuth2-RT-7'],
  requirements: ['RM-05', 'IMP-18', 'HYB-03'],
  level: 'MUST',
});

export const singleMode = defineCheck({
  id: 'response-modes/single-mode',
  title: 'Every response uses one mode: no parameter spills from the fragment into the query or the other way',
  area,
  refs: ['OAuth2-RT-2.2'],
  requirements: ['RM-03'],
  level: 'SHOULD',
});

export const unknownModeNotHonoured = defineCheck({
  id: 'response-modes/unknown-mode-not-honoured',
  title: 'An unknown response_mode, even with a session, gets an error (HTTP 400 page, or an error response), never a code or token',
  area,
  refs: ['OIDCC-3.1.2.6', 'OAuth2-RT-2.1'],
  requirements: ['RM-08', 'AZ-46'],
  level: 'SHOULD',
});

export const formPostDelivery = defineCheck({
  id: 'response-modes/form-post-delivery',
  title: 'response_mode=form_post answers every offered response type with an auto-submitted form: HTTP POST of application/x-www-form-urlencoded to the redirect_uri, nothing in the URL',
  area,
  refs: ['OAuth2-FP-2', 'OAuth2-FP-4'],
  requirements: ['RM-09', 'RM-11', 'RM-12', 'RM-16'],
  level: 'MUST',
});

export const formPostResponses = defineCheck({
  id: 'response-modes/form-post-responses',
  title: 'Each form_post response carries what its response type returns (code, id_token, access_token, token_type), and its ID tokens validate (nonce, c_hash, at_hash)',
  area,
  refs: ['OAuth2-FP-2', 'OAuth2-RT-5', 'OIDCC-3.2.2.5', 'OIDCC-3.3.2.5', 'OIDCC-3.3.2.12'],
  requirements: ['RM-12', 'RM-16'],
  level: 'MUST',
});

export const formPostNoStore = defineCheck({
  id: 'response-modes/form-post-no-store',
  title: 'The form_post page tells the browser and intermediaries not to store it (Cache-Control: no-store)',
  area,
  refs: ['OAuth2-FP-2'],
  requirements: ['RM-10'],
  level: 'MUST',
});

export const formPostState = defineCheck({
  id: 'response-modes/form-post-state',
  title: 'Every form_post response, success or error, posts the request\'s state unchanged',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-4.1.2.1', 'OAuth2-RT-5'],
  requirements: ['RM-12', 'AZ-15'],
  level: 'MUST',
});

export const formPostError = defineCheck({
  id: 'response-modes/form-post-error',
  title: 'An error (prompt=none without a session) with response_mode=form_post is posted to the redirect_uri too',
  area,
  refs: ['OAuth2-FP-2', 'OAuth2-RT-5'],
  requirements: ['RM-12', 'RM-04'],
  level: 'SHOULD',
});

export const formPostEscapesValues = defineCheck({
  id: 'response-modes/form-post-escapes-values',
  title: 'A state with quotes, angle brackets and ampersands comes back byte-exact through form_post, and injects no field into the form',
  area,
  refs: ['RFC6749-10.14', 'OAuth2-FP-2'],
  requirements: ['RM-13', 'AZ-47'],
  level: 'MUST',
});

export const formPostIss = defineCheck({
  id: 'response-modes/form-post-iss',
  title: 'With authorization_response_iss_parameter_supported, every form_post response posts iss equal to the issuer',
  area,
  refs: ['RFC9207-2'],
  requirements: ['RM-15', 'AZ-48'],
  level: 'MUST',
});

export const formPostAdvertised = defineCheck({
  id: 'response-modes/form-post-advertised',
  title: 'form_post is in response_modes_supported exactly when it works',
  area,
  refs: ['OIDCD-3'],
  requirements: ['RM-14'],
  level: 'SHOULD',
});
