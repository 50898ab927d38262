// The shape every grant handler has: an authenticated client and the request parameters in, a
// token response out (or a thrown OAuthError).
import type { ResolvedClient } from '../../config/types.ts';
import type { ProviderContext } from '../../context.ts';
import type { Params } from '../../http/params.ts';

export type GrantHandler = (ctx: ProviderContext, client: ResolvedClient, params: Params) => Promise<object>;

/**
 * The race faults (code-redemption-race, refresh-rotation-race): how long a grant leaves between
 * reading a one-time record and marking it used, as a store without an atomic update would.
 */
export const RACE_WINDOW_MS = 200;

export function raceWindow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, RACE_WINDOW_MS));
}
