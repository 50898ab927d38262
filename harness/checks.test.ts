import { describe, expect, it } from 'vitest';
import {
  assertCheck, assertEqualValue, CheckFailure, createCheckRegistry, describeThrown, failCheck, judgeCheck,
  outcomeForBrokenLevel, skipCheck, type CheckDefinition, type Level,
} from './checks.ts';
import { HttpError } from './http/http-error.ts';
import type { Exchange } from './http/types.ts';

function definition(level: Level = 'MUST', id = 'discovery/issuer-matches'): CheckDefinition {
  return { id, title: 'issuer equals the URL it was fetched from', area: 'discovery', refs: ['OIDCD-4.3'], requirements: ['DSC-07'], level };
}

describe('judgeCheck', () => {
  it('passes when the judge returns, keeping the evidence it names', async () => {
    const result = await judgeCheck(definition(), () => ({ exchanges: ['#1'], evidence: { issuer: 'https://op' } }));
    expect(result).toEqual({ outcome: 'PASS', message: 'issuer equals the URL it was fetched from', exchanges: ['#1'], evidence: { issuer: 'https://op' } });
  });

  it.each([['MUST', 'FAIL'], ['SHOULD', 'WARN'], ['MAY', 'WARN']] as const)('maps a broken %s to %s with expected, actual and exchanges', async (level, outcome) => {
    const result = await judgeCheck(definition(level), () => {
      assertEqualValue('https://other', 'https://op', 'issuer differs from the discovery URL prefix', ['#1']);
    });
    expect(result).toMatchObject({ outcome, message: 'issuer differs from the discovery URL prefix', expected: 'https://op', actual: 'https://other', exchanges: ['#1'] });
    expect(outcomeForBrokenLevel(level)).toBe(outcome);
  });

  it('keeps an explicit "expected: undefined" (e.g. no refresh_token expected)', async () => {
    const result = await judgeCheck(definition(), () => failCheck('a refresh token was issued', { expected: undefined, actual: 'present', exchanges: ['#4'] }));
    expect(Object.hasOwn(result, 'expected')).toBe(true);
    expect(result.actual).toBe('present');
  });

  it('skips with the reason', async () => {
    const result = await judgeCheck(definition(), () => skipCheck('the profile says the password grant is not offered'));
    expect(result).toEqual({ outcome: 'SKIP', message: 'the profile says the password grant is not offered', exchanges: [], evidence: {} });
  });

  it('reports an HttpError as ERROR citing the exchange, never as FAIL', async () => {
    const exchange: Exchange = { id: '#2', request: { method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, startedAt: '', durationMs: 1, error: { code: 'CONNECTION_REFUSED', message: 'refused' } };
    const result = await judgeCheck(definition(), async () => {
      throw new HttpError('CONNECTION_REFUSED', '#2 GET http://127.0.0.1:1/: connection refused', exchange);
    });
    expect(result.outcome).toBe('ERROR');
    expect(result.exchanges).toEqual(['#2']);
    expect(result.message).toMatch(/^target unreachable or broken: .*connection refused/);
  });

  it('reports a bug in the judge as a harness ERROR', async () => {
    const result = await judgeCheck(definition(), () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    expect(result.outcome).toBe('ERROR');
    expect(result.message).toMatch(/^harness error: TypeError/);
    expect(describeThrown(definition(), 'odd').message).toBe('harness error: odd');
  });

  it('reports a declared deviation as WARN with its reason, and notes a stale one', async () => {
    const failing = await judgeCheck(definition(), () => failCheck('no WWW-Authenticate'), { deviation: 'vendor ticket 123' });
    expect(failing).toMatchObject({ outcome: 'WARN', deviation: 'vendor ticket 123', message: 'expected deviation (vendor ticket 123): no WWW-Authenticate' });
    const passing = await judgeCheck(definition(), () => undefined, { deviation: 'vendor ticket 123' });
    expect(passing.outcome).toBe('PASS');
    expect(passing.message).toMatch(/not observed/);
  });
});

describe('assertCheck and assertEqualValue', () => {
  it('throws CheckFailure only when the condition fails', () => {
    expect(() => assertCheck(true, 'x')).not.toThrow();
    expect(() => assertCheck(0, 'zero', { actual: 0 })).toThrow(CheckFailure);
    expect(() => assertEqualValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, 'same')).not.toThrow();
    expect(() => assertEqualValue({ a: 1 }, { a: 1, b: undefined }, 'extra member')).toThrow(CheckFailure);
    expect(() => assertEqualValue([1, 2], [2, 1], 'order matters')).toThrow(CheckFailure);
    expect(() => assertEqualValue('Bearer', 'bearer', 'case matters')).toThrow(CheckFailure);
  });
});

describe('createCheckRegistry', () => {
  it('lists definitions sorted by id and finds them by id', () => {
    const registry = createCheckRegistry();
    registry.define(definition('MUST', 'jwks/kids-unique'));
    registry.define(definition('MUST', 'discovery/issuer-matches'));
    expect(registry.list().map((d) => d.id)).toEqual(['discovery/issuer-matches', 'jwks/kids-unique']);
    expect(registry.get('jwks/kids-unique')?.level).toBe('MUST');
  });

  it('refuses a reused id with different content, but tolerates the same definition twice', () => {
    const registry = createCheckRegistry();
    registry.define(definition());
    expect(() => registry.define(definition())).not.toThrow();
    expect(() => registry.define(definition('SHOULD'))).toThrow(/duplicate check id "discovery\/issuer-matches"/);
  });

  it.each([
    [{ id: 'Discovery/Issuer' }, /id must look like/],
    [{ id: 'no-slash' }, /id must look like/],
    [{ refs: [] }, /at least one spec reference/],
    [{ refs: ['OIDC Discovery 4.3'] }, /ref "OIDC Discovery 4.3"/],
    [{ requirements: ['DSC7'] }, /requirement "DSC7"/],
    [{ requirements: ['DSC-07', 'DSC-07'] }, /repeat/],
    [{ level: 'MUST NOT' as Level }, /level "MUST NOT"/],
    [{ title: ' ' }, /title is empty/],
  ])('refuses a malformed definition %o', (patch, message) => {
    expect(() => createCheckRegistry().define({ ...definition(), ...patch })).toThrow(message);
  });

  it('accepts every reference form the catalogue uses', () => {
    const registry = createCheckRegistry();
    expect(() => registry.define({ ...definition(), refs: ['OIDCC-3.1.3.7', 'RFC6749-5.2', 'OAuth2-FP-5', 'RFC6749-A.5', 'OIDCD-4'] })).not.toThrow();
  });
});
