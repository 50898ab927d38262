// The target accessors that turn the profile (and the run's flags) into what checks wait for.
import { describe, expect, it } from 'vitest';
import { CERTIFICATION_CODE_REUSE_DELAY_MS, Target } from './target.ts';
import type { TargetProfile } from './profile/types.ts';

const profile = (extra: Partial<TargetProfile> = {}): TargetProfile => ({ name: 't', issuer: 'https://op.example.com', clients: {}, users: [], ...extra });

describe('Target.codeReuseDelayMs', () => {
  it('is 2 s by default, the profile value when set, and at least 30 s under --certification', () => {
    expect(new Target({ profile: profile(), profilePath: null }).codeReuseDelayMs()).toBe(2000);
    expect(new Target({ profile: profile({ timing: { code_reuse_delay_ms: 500 } }), profilePath: null }).codeReuseDelayMs()).toBe(500);
    expect(new Target({ profile: profile({ timing: { code_reuse_delay_ms: 500 } }), profilePath: null, certification: true }).codeReuseDelayMs()).toBe(CERTIFICATION_CODE_REUSE_DELAY_MS);
    expect(new Target({ profile: profile({ timing: { code_reuse_delay_ms: 60_000 } }), profilePath: null, certification: true }).codeReuseDelayMs()).toBe(60_000);
  });
});

describe('Target.pkceRequired', () => {
  it('defaults to public clients and follows the profile policy', () => {
    expect(new Target({ profile: profile(), profilePath: null }).pkceRequired()).toBe('public');
    expect(new Target({ profile: profile({ policies: { pkce_required: 'none' } }), profilePath: null }).pkceRequired()).toBe('none');
  });
});
