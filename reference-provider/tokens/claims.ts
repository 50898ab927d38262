// Which user claims a token or userinfo response carries: the scope's claim sets (OIDC Core 5.4)
// plus the claims named in the `claims` request parameter (OIDC Core 5.5).
import type { UserConfig } from '../config/types.ts';
import type { ClaimRequestEntry } from '../models.ts';

export const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

export const SUPPORTED_CLAIMS = ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'sid', 'at_hash', 'c_hash', ...Object.values(SCOPE_CLAIMS).flat()];

/**
 * The user's claims released for these scopes and explicitly requested claim names. A requested
 * claim the user does not have is left out, never an error (OIDC Core 5.5.1); values are never null.
 */
export function selectUserClaims(
  user: UserConfig,
  scopes: string[],
  requested: Record<string, ClaimRequestEntry | null> | undefined,
): Record<string, unknown> {
  const names = new Set(scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []));
  for (const name of Object.keys(requested ?? {})) names.add(name);
  const claims: Record<string, unknown> = {};
  for (const name of names) {
    // Own claims only: a requested name like `constructor` or `toString` must not pick up what every
    // object inherits (a function, which cannot be signed into a JWT).
    const value = user.claims && Object.hasOwn(user.claims, name) ? user.claims[name] : undefined;
    if (value !== undefined && value !== null && value !== '') claims[name] = value;
  }
  return claims;
}
