// A target profile: everything the harness needs to know about one provider that discovery
// cannot tell. profile.schema.json is its published contract (also usable for editor completion).

export type ClientRole = 'basic' | 'post' | 'public' | 'machine' | 'second';
export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ProfileClient {
  client_id: string;
  /** Absent for public clients. */
  client_secret?: string;
  auth_method: AuthMethod;
  /** A redirect URI registered for the client (browser flows capture the response there). */
  redirect_uri?: string;
  /** Scopes a machine client holds (client credentials). */
  scopes?: string[];
  /** A scope it does NOT hold, to test refusal. Default `oidc-conformance:not-granted`. */
  unheld_scope?: string;
}

export interface ProfileUser {
  username: string;
  password: string;
  /** Expected subject, when known; checks compare it when set. */
  sub?: string;
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
    endpoints?: { userinfo?: boolean; revocation?: boolean; introspection?: boolean; end_session?: boolean };
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
  };
  /** Behaviour the vendor documents as deviating: reported as such, not as failures. */
  expected_deviations?: Array<{ check: string; reason: string }>;
  timeouts?: {
    /** Per HTTP request. Default 10000. */
    request_ms?: number;
    /** Per check, steps included. Default 30000. */
    check_ms?: number;
  };
}
