// A target profile: everything the harness needs to know about one provider that discovery
// cannot tell. profile.schema.json is its published contract (also usable for editor completion).

export type ClientRole = 'basic' | 'post' | 'public' | 'machine' | 'second' | 'hs256' | 'es256' | 'jwt';
export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'none';

export interface ProfileClient {
  client_id: string;
  /** Absent for public clients. */
  client_secret?: string;
  auth_method: AuthMethod;
  /** A redirect URI registered for the client (browser flows capture the response there). */
  redirect_uri?: string;
  /** A post-logout redirect URI registered for the client (RP-initiated logout checks; they SKIP without it). */
  post_logout_redirect_uri?: string;
  /** Scopes a machine client holds (client credentials). */
  scopes?: string[];
  /** A scope it does NOT hold, to test refusal. Default `oidc-conformance:not-granted`. */
  unheld_scope?: string;
  /**
   * The ID token signing algorithm registered for the client (its `id_token_signed_response_alg`).
   * Default: RS256 (OIDC Core 3.1.3.7), HS256 for the `hs256` role and ES256 for the `es256` role.
   */
  id_token_signed_response_alg?: string;
  /**
   * The algorithm registered as the client's `userinfo_signed_response_alg`: userinfo then answers
   * it with a signed JWT (OIDC Core 5.3.2). Checks of signed userinfo responses use such a client.
   */
  userinfo_signed_response_alg?: string;
  /**
   * A resource indicator (RFC 8707) the client may ask for with `resource`; a JWT access token
   * issued for it should then carry it as `aud` (RFC 9068 3).
   */
  resource?: string;
}

export interface ProfileUser {
  username: string;
  password: string;
  /** Expected subject, when known; checks compare it when set. */
  sub?: string;
  /**
   * Names of the claims the provider holds for this user (`email`, `phone_number`, ...): when their
   * scope is granted with an access token, userinfo is expected to return them (OIDC Core 5.4).
   */
  claims?: string[];
}

export interface BrowserStep {
  action: 'goto' | 'fill' | 'click' | 'wait' | 'check';
  selector?: string;
  /** For fill: may use {{username}} and {{password}}. */
  value?: string;
  /** For wait: milliseconds, or with a selector the time to wait for it. */
  timeoutMs?: number;
}

export interface TargetProfile {
  $schema?: string;
  /** A short name for reports and the comparison matrix. */
  name: string;
  /** The issuer; discovery is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clients: Partial<Record<ClientRole, ProfileClient>>;
  users: ProfileUser[];
  /** How to log in and consent in the provider's pages (used by the browser suites). */
  login?: {
    steps: BrowserStep[];
    consent?: BrowserStep[];
    /** Refuses the consent screen (the "deny" button): checks of access_denied need it; they SKIP without it. */
    deny?: BrowserStep[];
    /** Confirms RP-initiated logout on the provider's confirmation page, when it shows one. */
    logout?: BrowserStep[];
    /** Per-check replacements of the steps, by check id. */
    overrides?: Record<string, { steps?: BrowserStep[]; consent?: BrowserStep[] }>;
  };
  /**
   * What the provider offers. Anything left out is read from discovery; a mode it does not offer
   * makes its checks SKIP with that reason, never FAIL.
   */
  features?: {
    grant_types?: string[];
    response_types?: string[];
    response_modes?: string[];
    /** Optional endpoints the checks may use (default: those discovery advertises). */
    endpoints?: { userinfo?: boolean; revocation?: boolean; introspection?: boolean; end_session?: boolean; registration?: boolean };
  };
  /** Documented policy choices the specs leave open (REQUIREMENTS.md, "policy choices"). */
  policies?: {
    refresh_token?: {
      /** When the code flow returns a refresh token. Default `offline_access+prompt_consent`. */
      code_flow?: 'offline_access+prompt_consent' | 'offline_access' | 'always' | 'never';
      /** When the password grant returns one. Default `offline_access`. */
      password?: 'offline_access' | 'always' | 'never';
      /** Default `always`. */
      rotation?: 'always' | 'never';
      /** Presenting a retired refresh token revokes its successor too. Default true. */
      reuse_revokes_family?: boolean;
    };
    /** Whether userinfo accepts the token in a POST form body (RFC 6750 2.2). Default true. */
    userinfo_body_token?: boolean;
    /**
     * Which clients must send a PKCE code_challenge (RFC 7636 4.4.1: the provider then refuses a
     * request without one). Default `public` (RFC 9700 2.1.1 obliges public clients to use PKCE).
     */
    pkce_required?: 'public' | 'all' | 'none';
    /** Whether the token endpoint accepts client credentials in the form body (RFC 6749 2.3.1: MAY, NOT RECOMMENDED). Default true. */
    client_secret_post?: boolean;
    /** Whether revoking an access token also revokes the refresh token of its grant (RFC 7009 2.1: MAY). Recorded when left out. */
    access_token_revocation_revokes_refresh?: boolean;
    /** Whether introspection refuses HTTP GET (RFC 7662 4: MAY) or answers it. Recorded when left out. */
    introspection_get?: 'refused' | 'answered';
  };
  /** Behaviour the vendor documents as deviating: reported as such, not as failures. */
  expected_deviations?: Array<{ check: string; reason: string }>;
  timeouts?: {
    /** Per HTTP request. Default 10000. */
    request_ms?: number;
    /** Per check, steps included. Default 30000. */
    check_ms?: number;
  };
  /** Waits some checks make on purpose. */
  timing?: {
    /**
     * How long after redeeming a code the harness redeems it again (code-flow/code-reuse-after-delay).
     * Default 2000; `run --certification` uses the OpenID Foundation suite's 30000.
     */
    code_reuse_delay_ms?: number;
  };
}
