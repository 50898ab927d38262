// One error class per OAuth/OIDC error code, each with its HTTP status. `expose` says whether the
// description may reach the client: an unexposed error (a bug) becomes `server_error` at the edge,
// without internals (RFC 6749 5.2, OIDC Core 3.1.2.6, RFC 6750 3.1).

export abstract class OAuthError extends Error {
  abstract readonly error: string;
  readonly status: number = 400;
  readonly expose: boolean = true;
  /** Extra response headers (WWW-Authenticate for 401s). */
  headers: Record<string, string> = {};

  constructor(readonly description: string) {
    super(description);
  }

  /** The RFC 6749 5.2 JSON body. error_description is limited to the allowed character set. */
  toJSON(): { error: string; error_description?: string } {
    return { error: this.error, error_description: sanitiseDescription(this.description) };
  }
}

/** RFC 6749 4.1.2.1: error_description uses %x20-21 / %x23-5B / %x5D-7E only. */
export function sanitiseDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

export class InvalidRequest extends OAuthError { readonly error = 'invalid_request'; }
export class InvalidClient extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status: number = 401;
}
export class InvalidGrant extends OAuthError { readonly error = 'invalid_grant'; }
export class UnauthorizedClient extends OAuthError { readonly error = 'unauthorized_client'; }
export class UnsupportedGrantType extends OAuthError { readonly error = 'unsupported_grant_type'; }
export class InvalidScope extends OAuthError { readonly error = 'invalid_scope'; }
export class AccessDenied extends OAuthError { readonly error = 'access_denied'; }
export class UnsupportedResponseType extends OAuthError { readonly error = 'unsupported_response_type'; }
export class LoginRequired extends OAuthError { readonly error = 'login_required'; }
export class ConsentRequired extends OAuthError { readonly error = 'consent_required'; }
export class InteractionRequired extends OAuthError { readonly error = 'interaction_required'; }
export class InvalidRequestObject extends OAuthError { readonly error = 'invalid_request_object'; }
export class RequestUriNotSupported extends OAuthError { readonly error = 'request_uri_not_supported'; }
export class RegistrationNotSupported extends OAuthError { readonly error = 'registration_not_supported'; }
export class UnsupportedTokenType extends OAuthError { readonly error = 'unsupported_token_type'; }
export class InvalidToken extends OAuthError {
  readonly error = 'invalid_token';
  override readonly status: number = 401;
}
export class InsufficientScope extends OAuthError {
  readonly error = 'insufficient_scope';
  override readonly status: number = 403;
}
export class MethodNotAllowed extends OAuthError {
  readonly error = 'invalid_request';
  override readonly status: number = 405;
}
export class NotFound extends OAuthError {
  readonly error = 'invalid_request';
  override readonly status: number = 404;
}
export class PayloadTooLarge extends OAuthError {
  readonly error = 'invalid_request';
  override readonly status: number = 413;
}
export class ServerError extends OAuthError {
  readonly error = 'server_error';
  override readonly status: number = 500;
  override readonly expose = false;
}

/**
 * Errors that must never be sent to the redirect URI because the client or redirect URI
 * cannot be trusted (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6): the user sees an error page instead.
 */
export class UntrustedRedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

/** Turns anything thrown into an OAuthError, hiding internals of unexpected failures. */
export function toOAuthError(thrown: unknown): OAuthError {
  if (thrown instanceof OAuthError) return thrown;
  return new ServerError('the server met an unexpected condition');
}
