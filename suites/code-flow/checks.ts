// Authorization code flow checks (OIDC Core 3.1, RFC 6749 4.1, RFC 7636, RFC 9207), driven in a
// real browser: the test user logs in and consents in the provider's own pages.
import { defineCheck } from '../../harness/checks.ts';

const area = 'code-flow';

export const codeResponse = defineCheck({
  id: 'code-flow/code-response',
  title: 'response_type=code answers the redirect_uri in the query with a code and no tokens',
  area,
  refs: ['OIDCC-3.1.2.5', 'RFC6749-4.1.2'],
  requirements: ['AZ-14'],
  level: 'MUST',
});

export const stateEchoed = defineCheck({
  id: 'code-flow/state-echoed',
  title: 'The authorization response carries the request\'s state unchanged',
  area,
  refs: ['OIDCC-3.1.2.5', 'RFC6749-4.1.2'],
  requirements: ['AZ-14'],
  level: 'MUST',
});

export const tokenExchangeBasic = defineCheck({
  id: 'code-flow/token-exchange-basic',
  title: 'The code redeemed with client_secret_basic gets a token response with access_token, token_type Bearer and id_token',
  area,
  refs: ['OIDCC-3.1.3.3', 'RFC6749-4.1.4'],
  requirements: ['CODE-09', 'CODE-10'],
  level: 'MUST',
});

export const pkceWrongVerifierRefused = defineCheck({
  id: 'code-flow/pkce-wrong-verifier-refused',
  title: 'A code issued with an S256 code_challenge is refused (invalid_grant) with a wrong code_verifier',
  area,
  refs: ['RFC7636-4.6'],
  requirements: ['CODE-20', 'CODE-21', 'CODE-22'],
  level: 'MUST',
});

export const codeReuseRefused = defineCheck({
  id: 'code-flow/code-reuse-refused',
  title: 'A code redeemed once is refused (invalid_grant) the second time',
  area,
  refs: ['RFC6749-4.1.2', 'RFC6749-10.5'],
  requirements: ['CODE-04'],
  level: 'MUST',
});
