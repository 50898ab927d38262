// Judges of hybrid-flow results: pure functions of what the browser and the HTTP recorder saw.
// Front-channel rules shared with the implicit flow live in harness/judge/authorization-response.ts;
// this file adds the ID tokens of both endpoints and the code's redemption.
import { CheckSkip, type PassDetails, failCheck } from '../../harness/checks.ts';
import type { IdTokenContext } from '../../harness/flows/front-channel.ts';
import { type Observed, evidenceOf, frontIdTokensWithScope, judgeResponseIdToken, responseOf } from '../../harness/judge/authorization-response.ts';
import { expectTokenError, expectTokenSuccess } from '../../harness/judge/exchange.ts';
import { judgeNoUnaskedScopeClaims } from '../../harness/judge/scope-claims.ts';
import type { Exchange } from '../../harness/http/types.ts';
import { type Claims, type IdTokenExpectations, decodeIdToken, halfHash, validateIdToken } from '../../harness/tokens/id-token.ts';

export {
  judgeDelivery,
  judgeErrorsDelivered,
  judgeExpiresIn,
  judgeIssParameter,
  judgeNoRedirect,
  judgePromptNoneWithoutSession,
  judgeRefused,
  judgeStateEchoed,
  judgeSuccessParameters,
  judgeTokenHash,
  judgeUserinfoSub,
} from '../../harness/judge/authorization-response.ts';

function what(o: Observed): string {
  return `response_type=${o.run.sent.params.response_type}`;
}

function expectations(env: IdTokenContext, exchanges: string[], nonce: string | undefined): IdTokenExpectations {
  const expect: IdTokenExpectations = { issuer: env.issuer, clientId: env.clientId, jwks: env.jwks, exchanges };
  if (nonce !== undefined) expect.nonce = nonce;
  if (env.clientSecret !== undefined) expect.clientSecret = env.clientSecret;
  if (env.sub !== undefined) expect.sub = env.sub;
  return expect;
}

/** OIDC Core 3.3.2.12: the authorization endpoint's ID token validates, with nonce, c_hash and (beside an access token) at_hash. */
export function judgeFrontIdToken(o: Observed, env: IdTokenContext): Promise<Claims> {
  return judgeResponseIdToken(o, env);
}

/** OIDC Core 3.3.3.3 (as 3.1.3.3): HTTP 200 JSON with access_token, token_type Bearer and an id_token. */
export function judgeCodeExchange(exchange: Exchange): Record<string, unknown> {
  const body = expectTokenSuccess(exchange);
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    failCheck('token_type is not Bearer', { expected: 'Bearer', actual: body.token_type ?? null, exchanges: [exchange.id] });
  }
  if (typeof body.id_token !== 'string') failCheck('no id_token in the token response to an openid request', { expected: 'id_token', actual: Object.keys(body), exchanges: [exchange.id] });
  return body;
}

/** The token response body when the redemption worked; SKIP otherwise (hybrid/code-exchange judges the redemption). */
export function grantedBody(exchange: Exchange): Record<string, unknown> {
  const body = exchange.response?.json as Record<string, unknown> | undefined;
  if (exchange.response?.status !== 200 || typeof body !== 'object' || body === null || typeof body.id_token !== 'string') {
    throw new CheckSkip(`the code redemption ${exchange.id} did not return an ID token (HTTP ${exchange.response?.status ?? 'nothing'}; hybrid/code-exchange judges it)`);
  }
  return body;
}

/**
 * OIDC Core 5.4/5.5: no claim of a scope value the request did not ask for, in the authorization
 * endpoint's ID tokens nor in the token endpoint's (a warning).
 */
export function judgeOpenidScopeOnly(front: Observed[], redeemed: Array<{ exchange: Exchange; o: Observed }>): PassDetails {
  const back = redeemed.flatMap(({ exchange, o }) => {
    const idToken = exchange.response?.status === 200 ? (exchange.response.json as Record<string, unknown> | undefined)?.id_token : undefined;
    if (typeof idToken !== 'string') return [];
    const label = `the token endpoint's ID token of response_type=${o.run.sent.params.response_type}`;
    return [{ label, claims: decodeIdToken(idToken, [exchange.id]).claims, scope: o.run.sent.params.scope ?? '' }];
  });
  const tokens = [...frontIdTokensWithScope(front), ...back];
  if (tokens.length === 0) throw new CheckSkip('no response or redemption carried an ID token (the response checks judge that)');
  return judgeNoUnaskedScopeClaims(tokens, [...front.flatMap(evidenceOf), ...redeemed.map(({ exchange }) => exchange.id)]);
}

/**
 * OIDC Core 3.3.3.7 (as 3.1.3.7) and 3.3.3.6: the token endpoint's ID token validates and carries
 * the request's nonce; at_hash and c_hash MAY be left out, but when present they must match the
 * token response's access token and the code redeemed.
 */
export async function judgeBackIdToken(exchange: Exchange, o: Observed, env: IdTokenContext): Promise<Claims> {
  const body = grantedBody(exchange);
  const exchanges = [exchange.id, ...evidenceOf(o), ...(env.jwksExchange ? [env.jwksExchange] : [])];
  const token = body.id_token as string;
  const { header, claims } = decodeIdToken(token, exchanges);
  const expect = expectations(env, exchanges, o.run.sent.nonce);
  if (claims.at_hash !== undefined && typeof body.access_token === 'string') expect.accessToken = body.access_token;
  const validated = await validateIdToken(token, expect);
  const code = o.run.result.params.code;
  if (claims.c_hash !== undefined && code !== undefined) {
    const expected = halfHash(code, String(header.alg));
    if (claims.c_hash !== expected) failCheck('the token endpoint\'s ID token carries a c_hash that does not match the code', { expected, actual: claims.c_hash, exchanges });
  }
  return validated;
}

/** The decoded claims of the front-channel ID token (validity is judged elsewhere). */
export function frontClaims(o: Observed): Claims {
  const params = responseOf(o, what(o));
  if (params.id_token === undefined) throw new CheckSkip(`${what(o)} returned no ID token (the response check judges that)`);
  return decodeIdToken(params.id_token, evidenceOf(o)).claims;
}

/** The decoded claims of the token endpoint's ID token (validity is judged elsewhere). */
export function backClaims(exchange: Exchange): Claims {
  return decodeIdToken(grantedBody(exchange).id_token, [exchange.id]).claims;
}

/** OIDC Core 3.3.3.6: iss and sub MUST be identical in the ID tokens of both endpoints. */
export function judgeSameIssSub(front: Claims, back: Claims, exchanges: string[], label: string): void {
  for (const claim of ['iss', 'sub'] as const) {
    if (front[claim] !== back[claim]) {
      failCheck(`${label}: ${claim} differs between the authorization endpoint's and the token endpoint's ID tokens`, { expected: front[claim] ?? null, actual: back[claim] ?? null, exchanges });
    }
  }
}

const AUTH_EVENT_CLAIMS = ['auth_time', 'acr', 'amr'];
const END_USER_CLAIMS = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email', 'email_verified',
  'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at',
];

/**
 * OIDC Core 3.3.3.6 (SHOULD): claims about the authentication event present in either ID token are
 * present in both; end-user claims present in both have the same values.
 */
export function judgeAuthClaims(front: Claims, back: Claims, exchanges: string[], label: string): void {
  const oneSided = AUTH_EVENT_CLAIMS.filter((c) => (front[c] === undefined) !== (back[c] === undefined));
  if (oneSided.length > 0) {
    failCheck(`${label}: ${oneSided.join(', ')} in only one of the two ID tokens`, {
      expected: 'the same authentication claims in both',
      actual: { authorization_endpoint: Object.fromEntries(oneSided.map((c) => [c, front[c] ?? null])), token_endpoint: Object.fromEntries(oneSided.map((c) => [c, back[c] ?? null])) },
      exchanges,
    });
  }
  const differing = END_USER_CLAIMS.filter((c) => front[c] !== undefined && back[c] !== undefined && JSON.stringify(front[c]) !== JSON.stringify(back[c]));
  if (differing.length > 0) {
    failCheck(`${label}: ${differing.join(', ')} differ between the two ID tokens`, {
      expected: Object.fromEntries(differing.map((c) => [c, front[c]])),
      actual: Object.fromEntries(differing.map((c) => [c, back[c]])),
      exchanges,
    });
  }
}

/** A refused redemption (RFC 6749 5.2): 400 invalid_grant. */
export function judgeInvalidGrant(exchange: Exchange): void {
  expectTokenError(exchange, { status: 400, error: 'invalid_grant' });
}

export { halfHash };
