import { MessageHolderTestRuntime, setGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckDefinition, CheckResult } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import { specUrl } from '../spec-links.ts';
import { attachExchange, attachVerdict, describeCheck, exchangeTitle, labelCheck, labelVerdict, verdictDocument } from './allure.ts';

const definition: CheckDefinition = {
  id: 'discovery/issuer-matches',
  title: 'issuer is identical',
  area: 'discovery',
  refs: ['OIDCD-4.3', 'RFC8414-3.3', 'NOPE-1'],
  requirements: ['DSC-07'],
  level: 'MUST',
};

const exchange: Exchange = {
  id: 'discovery#1',
  label: 'discovery',
  startedAt: '2030-01-01T00:00:00.000Z',
  durationMs: 3,
  request: { method: 'GET', url: 'http://op/.well-known/openid-configuration', headers: {} },
  response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{}', bytes: 2, truncated: false, json: {} },
};

describe('specUrl', () => {
  it.each([
    ['OIDCC-3.1.3.7', 'https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.3.7'],
    ['OIDCD-4.3', 'https://openid.net/specs/openid-connect-discovery-1_0.html#rfc.section.4.3'],
    ['OAuth2-FP-2', 'https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html#rfc.section.2'],
    ['OAuth2-RT-5', 'https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#rfc.section.5'],
    ['OIDCRIL-2', 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html#rfc.section.2'],
    ['RFC6749-5.2', 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2'],
    ['RFC6749-A.5', 'https://www.rfc-editor.org/rfc/rfc6749#appendix-A.5'],
    ['NOPE-1', undefined],
  ])('%s → %s', (ref, url) => {
    expect(specUrl(ref)).toBe(url);
  });
});

describe('the Allure view of a check', () => {
  let runtime: MessageHolderTestRuntime;
  beforeEach(() => {
    runtime = new MessageHolderTestRuntime();
    setGlobalTestRuntime(runtime);
  });
  afterEach(() => setGlobalTestRuntime(new MessageHolderTestRuntime()));

  it('labels the check by id, area, level, refs and requirement rows, and links the refs it can', async () => {
    await labelCheck(definition, { targetName: 'reference-provider' });
    const metadata = runtime.messages().filter((m) => m.type === 'metadata').map((m) => m.data as Record<string, unknown>);
    const labels = metadata.flatMap((d) => (d.labels as Array<{ name: string; value: string }> | undefined) ?? []);
    expect(labels).toEqual(expect.arrayContaining([
      { name: 'ALLURE_ID', value: 'discovery/issuer-matches' },
      { name: 'parentSuite', value: 'reference-provider' },
      { name: 'suite', value: 'discovery' },
      { name: 'feature', value: 'discovery' },
      { name: 'severity', value: 'critical' },
      { name: 'tag', value: 'MUST' },
      { name: 'tag', value: 'DSC-07' },
      { name: 'ref', value: 'NOPE-1' },
      { name: 'requirement', value: 'DSC-07' },
    ]));
    const links = metadata.flatMap((d) => (d.links as Array<{ name: string; url: string }> | undefined) ?? []);
    expect(links.map((l) => l.name)).toEqual(['OIDCD-4.3', 'RFC8414-3.3']);
    expect(metadata.find((d) => d.displayName)?.displayName).toBe('discovery/issuer-matches · issuer is identical');
    expect(metadata.find((d) => d.testCaseId)?.testCaseId).toBe('discovery/issuer-matches');
  });

  it('tags a WARN and a declared deviation, which Allure shows as passed', async () => {
    await labelVerdict({ outcome: 'WARN', message: 'm', exchanges: [], evidence: {}, deviation: 'documented' });
    const labels = runtime.messages().flatMap((m) => ((m.data as { labels?: Array<{ name: string; value: string }> }).labels ?? []));
    expect(labels).toEqual([{ name: 'outcome', value: 'WARN' }, { name: 'tag', value: 'WARN' }, { name: 'tag', value: 'expected-deviation' }]);
  });

  it('attaches exchanges and the verdict as JSON', async () => {
    const result: CheckResult = { outcome: 'FAIL', message: 'differs', expected: 'a', actual: 'b', exchanges: ['discovery#1'], evidence: {} };
    await attachExchange(exchange);
    await attachVerdict(definition, result);
    const attachments = runtime.messages().filter((m) => m.type === 'attachment_content').map((m) => m.data as { name: string; content: string; contentType: string });
    expect(attachments.map((a) => [a.name, a.contentType])).toEqual([
      ['discovery#1 GET http://op/.well-known/openid-configuration → 200 (discovery)', 'application/json'],
      ['verdict: FAIL', 'application/json'],
    ]);
    expect(JSON.parse(Buffer.from(attachments[0]!.content, 'base64').toString('utf8'))).toEqual(exchange);
    expect(JSON.parse(Buffer.from(attachments[1]!.content, 'base64').toString('utf8'))).toEqual(verdictDocument(definition, result));
  });
});

describe('verdict text', () => {
  it('names an exchange by id, method, URL and status or error code', () => {
    expect(exchangeTitle({ ...exchange, label: undefined, response: undefined, error: { code: 'TIMEOUT', message: 'slow' } })).toBe(
      'discovery#1 GET http://op/.well-known/openid-configuration → TIMEOUT',
    );
  });

  it('describes what was required and what happened, keeping "expected: absent" apart from null', () => {
    const text = describeCheck(definition, { outcome: 'FAIL', message: 'has d', expected: undefined, actual: ['d'], exchanges: ['jwks#1'], evidence: {} });
    expect(text).toContain('MUST · [OIDCD-4.3](https://openid.net/specs/openid-connect-discovery-1_0.html#rfc.section.4.3), [RFC8414-3.3](https://www.rfc-editor.org/rfc/rfc8414#section-3.3), NOPE-1 · covers DSC-07');
    expect(text).toContain('**FAIL**: has d');
    expect(text).toContain('Expected:\n\n```json\n(absent)\n```');
    expect(text).toContain('Actual:\n\n```json\n[\n  "d"\n]\n```');
    expect(text).toContain('Evidence: jwks#1');
    expect(verdictDocument(definition, { outcome: 'PASS', message: 'ok', exchanges: [], evidence: {} })).toEqual({
      id: definition.id, outcome: 'PASS', level: 'MUST', message: 'ok', exchanges: [],
    });
  });
});
