// The reference provider's configuration. Every option is documented here, where it is
// declared; config.schema.json validates a file against the same shape, and defaults.ts
// fills in what a file leaves out.

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'none';
export type GrantType = 'authorization_code' | 'implicit' | 'refresh_token' | 'client_credentials' | 'password';
export type IdTokenAlg = 'RS256' | 'ES256' | 'HS256';

export interface ClientConfig {
  /** The client's identifier, as sent in `client_id`. */
  client_id: string;
  /** Shared secret for confidential clients; absent for public clients (`token_endpoint_auth_method: none`). */
  client_secret?: string;
  /** Shown on the consent page. */
  client_name?: string;
  /**
   * The one token endpoint authentication method this client uses; others are refused
   * (OIDC Core 9: a client authenticates with its registered method). Default `client_secret_post`,
   * the documented vendor default; `none` makes the client public and PKCE mandatory for it.
   * `client_secret_jwt` (OIDC Core 9): an HS256 assertion keyed by the client secret, with iss and sub
   * the client_id, aud the token endpoint (or the issuer, or the endpoint called), exp, and a jti used once.
   */
  token_endpoint_auth_method?: ClientAuthMethod;
  /** Registered redirect URIs, compared as exact strings (the port of a loopback IP literal is free, RFC 8252 7.3). */
  redirect_uris?: string[];
  /** Registered post-logout redirect URIs for RP-initiated logout. */
  post_logout_redirect_uris?: string[];
  /** Grant types this client may use. Default `["authorization_code", "refresh_token"]`. */
  grant_types?: GrantType[];
  /** Response types this client may request, space-separated values in any order. Default `["code"]`. */
  response_types?: string[];
  /**
   * Scopes the client may hold. For `client_credentials` these are the permissions of a machine client
   * and also the default when a request names none. For user flows the OpenID scopes are always allowed.
   */
  scopes?: string[];
  /** ID token signing algorithm. `HS256` signs with the UTF-8 bytes of the client secret (OIDC Core 10.1). Default RS256. */
  id_token_signed_response_alg?: IdTokenAlg;
  /**
   * Sign userinfo responses with this algorithm (OIDC Core 5.3.2): the answer is then a JWT
   * (`application/jwt`) carrying `iss` and `aud`. Default: unsigned JSON.
   */
  userinfo_signed_response_alg?: IdTokenAlg;
  /** Skip the consent page for this client (first-party). Default false. `prompt=consent` still shows it. */
  consent_preapproved?: boolean;
}

export interface UserConfig {
  /** Login name typed on the login page and sent as `username` in the password grant. */
  username: string;
  password: string;
  /** Stable subject identifier; at most 255 ASCII characters. */
  sub: string;
  /** Standard claims (OIDC Core 5.1) released by scope: profile, email, phone, address. */
  claims?: Record<string, unknown>;
}

export interface ProviderConfig {
  /**
   * Issuer identifier. Default `http://<host>:<port>/oidc`. It may differ from the listen address
   * (a public URL behind a proxy); its path is where every endpoint is mounted.
   */
  issuer?: string;
  /** Listen address. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Listen port. Default 0 (any free port). */
  port?: number;
  lifetimes?: {
    /** Authorization code lifetime in seconds. Default 60 (RFC 6749 4.1.2: short, at most 10 minutes). */
    authorizationCode?: number;
    /** Access token lifetime (`expires_in`). Default 3600, as documented. */
    accessToken?: number;
    /** ID token lifetime. Default 3600. */
    idToken?: number;
    /** Refresh token lifetime. Default 14 days. */
    refreshToken?: number;
    /** Login session lifetime. Default 1 day. */
    session?: number;
    /** How long a pending login/consent interaction lives. Default 10 minutes. */
    interaction?: number;
  };
  policies?: {
    refreshToken?: {
      /** `always`: every refresh returns a new refresh token and retires the old one; `never`: the same token stays. Default `always`. */
      rotation?: 'always' | 'never';
      /** Presenting a retired (rotated) refresh token revokes every token of its grant (RFC 9700 4.14.2). Default true. */
      reuseRevokesFamily?: boolean;
      /** Code flow: a refresh token needs `offline_access` in scope AND `prompt=consent` (the documented rule). Default true. */
      codeFlowRequiresPromptConsent?: boolean;
    };
    pkce?: {
      /** Who must send a code_challenge: `public` clients only (default), `all` clients, or `none`. */
      required?: 'public' | 'all' | 'none';
      /** Accept `code_challenge_method=plain` (RFC 7636 4.2). Default true. */
      plainAllowed?: boolean;
    };
    /**
     * Compatibility switch for the documented examples, which send `client_secret`, `code` and the password
     * in the token endpoint's URL query. RFC 6749 2.3.1 forbids credentials in the URI, so the default is false:
     * such requests get `invalid_request`.
     */
    allowCredentialsInQuery?: boolean;
    /** Send the RFC 9207 `iss` parameter in every authorization response. Default true. */
    authorizationResponseIss?: boolean;
  };
  /** Private signing keys as JWKs (RSA for RS256, P-256 for ES256). Generated at start when absent. */
  keys?: Array<Record<string, unknown>>;
  clients: ClientConfig[];
  users: UserConfig[];
  /** Deliberate defects to switch on (names from `serve --list-faults`); empty in normal use. */
  faults?: string[];
}

/** The configuration with every default applied; what the provider's code reads. */
export interface ResolvedConfig {
  issuer: string;
  host: string;
  port: number;
  lifetimes: Required<NonNullable<ProviderConfig['lifetimes']>>;
  policies: {
    refreshToken: Required<NonNullable<NonNullable<ProviderConfig['policies']>['refreshToken']>>;
    pkce: Required<NonNullable<NonNullable<ProviderConfig['policies']>['pkce']>>;
    allowCredentialsInQuery: boolean;
    authorizationResponseIss: boolean;
  };
  keys: Array<Record<string, unknown>>;
  clients: ResolvedClient[];
  users: UserConfig[];
  faults: Set<string>;
}

export interface ResolvedClient {
  client_id: string;
  client_secret?: string;
  client_name: string;
  token_endpoint_auth_method: ClientAuthMethod;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: GrantType[];
  /** Normalised: values sorted, so `id_token code` and `code id_token` compare equal. */
  response_types: string[];
  scopes: string[];
  id_token_signed_response_alg: IdTokenAlg;
  userinfo_signed_response_alg?: IdTokenAlg;
  consent_preapproved: boolean;
}
