// Building token, revocation and introspection requests for a profile client: its registered
// authentication method decides where the credentials go (RFC 6749 2.3.1).
import type { HttpRequest } from '../http/types.ts';
import type { ProfileClient } from '../profile/types.ts';
import { JWT_BEARER_ASSERTION, buildClientAssertion } from './client-assertion.ts';

export type Form = Record<string, string | string[]>;

/** The request with the client's credentials added the way it authenticates. */
export function withClientAuth(client: ProfileClient, request: HttpRequest & { form: Form }): HttpRequest {
  switch (client.auth_method) {
    case 'client_secret_basic':
      return { ...request, basicAuth: { username: client.client_id, password: client.client_secret ?? '' } };
    case 'client_secret_post':
      return { ...request, form: { ...request.form, client_id: client.client_id, client_secret: client.client_secret ?? '' } };
    case 'client_secret_jwt': {
      // OIDC Core 9: aud SHOULD be the token endpoint; for another endpoint, the endpoint called.
      const assertion = buildClientAssertion(client.client_id, client.client_secret ?? '', { audience: request.url });
      return { ...request, form: { ...request.form, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion } };
    }
    case 'none':
      return { ...request, form: { ...request.form, client_id: client.client_id } };
  }
}

/** A form POST to a back-channel endpoint, authenticated as the client. */
export function clientPost(url: string, client: ProfileClient, form: Form, label: string): HttpRequest {
  return withClientAuth(client, { method: 'POST', url, form, label });
}
