// Parameters of the back-channel endpoints (token, revocation, introspection): a form-encoded POST
// body only. Credentials in the URL query are refused (RFC 6749 2.3.1) unless the documented
// compatibility switch is on.
import type { FastifyRequest } from 'fastify';
import type { ProviderContext } from '../context.ts';
import { InvalidRequest } from '../errors.ts';
import { Params, queryOf } from './params.ts';

const CREDENTIAL_PARAMS = ['client_secret', 'password', 'client_assertion', 'code_verifier', 'refresh_token', 'code'];

/**
 * The request's parameters from a form-encoded body. A back-channel endpoint reads nothing from the
 * URL query, refuses credentials found there, and refuses repeated parameters (RFC 6749 3.2).
 */
export function readBackChannelParams(ctx: ProviderContext, req: FastifyRequest): Params {
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = contentType === 'application/x-www-form-urlencoded' && typeof req.body === 'string' ? req.body : undefined;
  const query = Params.parse(queryOf(req.raw.url));
  const compat = ctx.config.policies.allowCredentialsInQuery || ctx.fault('client-secret-in-query-accepted');
  if (compat && query.names().length > 0) return refuseRepeated(Params.parse(body).mergedWith(query));
  const inQuery = CREDENTIAL_PARAMS.filter((name) => query.has(name));
  if (inQuery.length > 0) throw new InvalidRequest(`credentials must not be sent in the URL query: ${inQuery.join(', ')}`);
  if (body === undefined) throw new InvalidRequest('the request must be a POST with an application/x-www-form-urlencoded body');
  return refuseRepeated(Params.parse(body));
}

function refuseRepeated(params: Params): Params {
  const duplicated = params.duplicated();
  if (duplicated.length > 0) throw new InvalidRequest(`parameter sent more than once: ${duplicated.join(', ')}`);
  return params;
}

