// The records the provider keeps in its store, and the validated authorization request.

/** An authorization request after validation: every value checked, response type normalised. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** Normalised (sorted) response type, e.g. `code id_token`. */
  responseType: string;
  responseMode: 'query' | 'fragment' | 'form_post';
  /** Granted scopes, in request order, unknown values dropped. */
  scopes: string[];
  state?: string;
  nonce?: string;
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
  idTokenHintSub?: string;
  acrValues?: string[];
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  /** The `claims` request parameter (OIDC Core 5.5), parsed. */
  claims?: ClaimsRequest;
  uiLocales?: string;
}

export interface ClaimsRequest {
  userinfo?: Record<string, ClaimRequestEntry | null>;
  id_token?: Record<string, ClaimRequestEntry | null>;
}

export interface ClaimRequestEntry {
  essential?: boolean;
  value?: unknown;
  values?: unknown[];
}

export interface Session {
  id: string;
  sub: string;
  authTime: number;
  /** Scopes each client has been granted consent for. */
  consents: Record<string, string[]>;
}

export interface Interaction {
  id: string;
  request: AuthorizationRequest;
  csrf: string;
  /** Set once the user has logged in during this interaction. */
  loggedIn?: boolean;
  /** Set once the user has approved on the consent page. */
  consented?: boolean;
  /** Whether a fresh login is demanded (prompt=login, max_age exceeded, hint mismatch). */
  mustLogin: boolean;
  loginError?: string;
}

export interface Grant {
  id: string;
  clientId: string;
  /** Absent for client credentials. */
  sub?: string;
  revoked: boolean;
}

export interface CodeRecord {
  code: string;
  grantId: string;
  clientId: string;
  redirectUri: string;
  sub: string;
  scopes: string[];
  nonce?: string;
  authTime: number;
  sessionId: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  claims?: ClaimsRequest;
  acr?: string;
  /** Whether a refresh token is due when this code is redeemed (the documented rule, decided at authorization). */
  offlineAccess: boolean;
  consumed?: boolean;
}

export interface AccessTokenRecord {
  jti: string;
  grantId: string;
  clientId: string;
  sub: string;
  scopes: string[];
  claims?: ClaimsRequest;
  expiresAt: number;
  issuedAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  grantId: string;
  clientId: string;
  sub: string;
  scopes: string[];
  authTime: number;
  sessionId?: string;
  claims?: ClaimsRequest;
  acr?: string;
  issuedAt: number;
  expiresAt: number;
  /** Retired by rotation; presenting it again is reuse. */
  consumed?: boolean;
  revoked: boolean;
}
