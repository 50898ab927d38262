// The provider under test as the checks see it: the profile, plus what discovery said. What a
// provider offers comes from the profile's `features` when given, else from discovery, else from
// the specs' defaults; a check that needs something the target does not offer is SKIPped.
import { readFileSync } from 'node:fs';
import { CheckSkip } from './checks.ts';
import type { ClientRole, ProfileClient, ProfileUser, TargetProfile } from './profile/types.ts';

/** What the runner hands to the suites (written to a private file, named by an env variable). */
export interface TargetDescription {
  profile: TargetProfile;
  /** The profile file, or null for the embedded reference provider. */
  profilePath: string | null;
  /** The discovery document the runner fetched before the run, when it could. */
  metadata?: Record<string, unknown>;
  /** Why the discovery document could not be had: every check then reports ERROR with this. */
  preflightError?: string;
  /** `run --certification`: the waits of the OpenID Foundation's certification plans. */
  certification?: boolean;
}

/** The OpenID Foundation suite redeems a code again after 30 s (oidcc-codereuse-30seconds). */
export const CERTIFICATION_CODE_REUSE_DELAY_MS = 30_000;

export const TARGET_ENV = 'OIDC_CONFORMANCE_TARGET';

export type EndpointName = 'authorization' | 'token' | 'userinfo' | 'jwks' | 'revocation' | 'introspection' | 'end_session';

const ENDPOINT_MEMBERS: Record<EndpointName, string> = {
  authorization: 'authorization_endpoint',
  token: 'token_endpoint',
  userinfo: 'userinfo_endpoint',
  jwks: 'jwks_uri',
  revocation: 'revocation_endpoint',
  introspection: 'introspection_endpoint',
  end_session: 'end_session_endpoint',
};

/** Raised when the run could not reach the target at all: an ERROR, never a provider FAIL. */
export class TargetUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnavailable';
  }
}

export class Target {
  constructor(readonly description: TargetDescription) {}

  get profile(): TargetProfile {
    return this.description.profile;
  }

  get issuer(): string {
    return this.profile.issuer.replace(/\/$/, '');
  }

  /** The URL discovery is read from (OIDC Discovery 4.1: any trailing slash of the issuer removed). */
  get discoveryUrl(): string {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  /** The discovery document; throws TargetUnavailable when the preflight could not fetch it. */
  metadata(): Record<string, unknown> {
    if (!this.description.metadata) {
      throw new TargetUnavailable(this.description.preflightError ?? 'the discovery document was not fetched');
    }
    return this.description.metadata;
  }

  private listed(member: string, fallback: string[]): string[] {
    const value = this.metadata()[member];
    return Array.isArray(value) ? value.map(String) : fallback;
  }

  grantTypes(): string[] {
    // OIDC Discovery 3: grant_types_supported defaults to authorization_code and implicit.
    return this.profile.features?.grant_types ?? this.listed('grant_types_supported', ['authorization_code', 'implicit']);
  }

  responseTypes(): string[] {
    return this.profile.features?.response_types ?? this.listed('response_types_supported', []);
  }

  responseModes(): string[] {
    return this.profile.features?.response_modes ?? this.listed('response_modes_supported', ['query', 'fragment']);
  }

  /** The endpoint's URL; SKIP when the target does not offer it. */
  endpoint(name: EndpointName): string {
    const enabled = this.profile.features?.endpoints?.[name as keyof NonNullable<NonNullable<TargetProfile['features']>['endpoints']>];
    const url = this.metadata()[ENDPOINT_MEMBERS[name]];
    if (enabled === false) throw new CheckSkip(`the profile says the target offers no ${name} endpoint`);
    if (typeof url !== 'string') throw new CheckSkip(`discovery advertises no ${ENDPOINT_MEMBERS[name]}`);
    return url;
  }

  /** SKIP unless the target offers this grant type. */
  requireGrant(grantType: string): void {
    if (!this.grantTypes().includes(grantType)) {
      throw new CheckSkip(`the target does not offer the ${grantType} grant`);
    }
  }

  /** The client playing this role; SKIP when the profile has none. */
  client(role: ClientRole): ProfileClient {
    const client = this.profile.clients[role];
    if (!client) throw new CheckSkip(`the profile has no "${role}" client`);
    return client;
  }

  user(index = 0): ProfileUser {
    const user = this.profile.users[index];
    if (!user) throw new CheckSkip(`the profile has no test user #${index + 1}`);
    return user;
  }

  /** The reason the profile gives for a declared deviation of this check, if any. */
  deviation(checkId: string): string | undefined {
    return this.profile.expected_deviations?.find((d) => d.check === checkId)?.reason;
  }

  refreshPolicy() {
    const policy = this.profile.policies?.refresh_token ?? {};
    return {
      codeFlow: policy.code_flow ?? 'offline_access+prompt_consent',
      password: policy.password ?? 'offline_access',
      rotation: policy.rotation ?? 'always',
      reuseRevokesFamily: policy.reuse_revokes_family ?? true,
    };
  }

  /** Which clients the provider requires PKCE from (profile policy; default public clients). */
  pkceRequired(): 'public' | 'all' | 'none' {
    return this.profile.policies?.pkce_required ?? 'public';
  }

  /** The wait before a code is redeemed a second time: the profile's, at least 30 s under --certification. */
  codeReuseDelayMs(): number {
    const configured = this.profile.timing?.code_reuse_delay_ms ?? 2000;
    return this.description.certification ? Math.max(configured, CERTIFICATION_CODE_REUSE_DELAY_MS) : configured;
  }

  requestTimeoutMs(): number {
    return this.profile.timeouts?.request_ms ?? 10_000;
  }
}

let cached: Target | undefined;

/** The target of this run, read once per worker from the file the runner wrote. */
export function currentTarget(): Target {
  if (cached) return cached;
  const path = process.env[TARGET_ENV];
  if (!path) throw new Error(`${TARGET_ENV} is not set: suites run through \`oidc-conformance run\``);
  cached = new Target(JSON.parse(readFileSync(path, 'utf8')) as TargetDescription);
  return cached;
}

/** Every secret in the profile, so the HTTP recorder masks them wherever they appear. */
export function profileSecrets(profile: TargetProfile): string[] {
  const secrets = Object.values(profile.clients).flatMap((c) => (c?.client_secret ? [c.client_secret] : []));
  return [...secrets, ...profile.users.map((u) => u.password)];
}

export type { ClientRole };
