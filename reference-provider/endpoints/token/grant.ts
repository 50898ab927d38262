// The shape every grant handler has: an authenticated client and the request parameters in, a
// token response out (or a thrown OAuthError).
import type { ResolvedClient } from '../../config/types.ts';
import type { ProviderContext } from '../../context.ts';
import type { Params } from '../../http/params.ts';

export type GrantHandler = (ctx: ProviderContext, client: ResolvedClient, params: Params) => Promise<object>;
