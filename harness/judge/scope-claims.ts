// The claims each scope value asks for (OIDC Core 5.4), and the rule several suites judge with it:
// an ID token carries no claim of a scope value its request did not ask for (the Foundation's
// oidcc-server warns on name for scope=openid: EnsureIdTokenDoesNotContainName).
import { type PassDetails, failCheck } from '../checks.ts';
import type { Claims } from '../tokens/id-token.ts';

/** OIDC Core 5.4: the claims each scope value asks for. */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** The claims in `claims` that belong to a scope value `scope` does not hold, as "name (profile)". */
export function unaskedScopeClaims(claims: Claims, scope: string): string[] {
  const asked = new Set(scope.split(' ').filter(Boolean));
  return Object.entries(SCOPE_CLAIMS)
    .filter(([value]) => !asked.has(value))
    .flatMap(([value, names]) => names.filter((name) => claims[name] !== undefined).map((name) => `${name} (${value})`));
}

export interface ScopedIdToken {
  /** Which ID token: "the token endpoint's ID token of code id_token". */
  label: string;
  claims: Claims;
  /** The scope of the request that produced it. */
  scope: string;
}

/** OIDC Core 5.4/5.5: each ID token carries no claim of a scope value its request did not ask for. */
export function judgeNoUnaskedScopeClaims(tokens: ScopedIdToken[], exchanges: string[]): PassDetails {
  const found = tokens.map((token) => ({ token, carried: unaskedScopeClaims(token.claims, token.scope) })).filter((t) => t.carried.length > 0);
  if (found.length > 0) {
    failCheck(found.map(({ token, carried }) => `with scope=${token.scope}, ${token.label} carries ${carried.join(', ')}`).join('; '), {
      expected: 'no claim of a scope value that was not asked for',
      actual: Object.fromEntries(found.map(({ token, carried }) => [token.label, Object.fromEntries(carried.map((entry) => entry.split(' ')[0]!).map((name) => [name, token.claims[name]]))])),
      exchanges,
    });
  }
  return { exchanges, message: tokens.map((t) => `scope=${t.scope}: ${t.label} carries ${Object.keys(t.claims).sort().join(', ')}`).join('; ') };
}
