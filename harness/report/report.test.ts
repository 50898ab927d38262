import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import schema from './report.schema.json' with { type: 'json' };
import type { CheckDefinition, CheckResult, Level } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import { buildReport, type JudgedCheck } from './build-report.ts';
import { validateReport } from './validate-report.ts';
import { writeReports } from './write-report.ts';
import { escapeXml, renderJUnit } from './render-junit.ts';

const tmp: string[] = [];
afterAll(async () => Promise.all(tmp.map((dir) => rm(dir, { recursive: true, force: true }))));

const exchanges: Exchange[] = [
  {
    id: '#1', label: 'discovery', startedAt: '2030-01-01T00:00:00.000Z', durationMs: 12.5,
    request: { method: 'GET', url: 'http://127.0.0.1:4000/.well-known/openid-configuration', headers: { 'user-agent': 'oidc-conformance' } },
    response: { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': ['a=[redacted:00000000]'] }, body: '{"issuer":"http://127.0.0.1:4000"}', bytes: 34, truncated: false, json: { issuer: 'http://127.0.0.1:4000' } },
  },
  {
    id: '#2', startedAt: '2030-01-01T00:00:01.000Z', durationMs: 2000,
    request: { method: 'POST', url: 'http://127.0.0.1:4000/token', headers: { authorization: 'Basic [redacted:11111111]' }, body: 'grant_type=client_credentials', basicAuthUsername: 'machine' },
    error: { code: 'TIMEOUT', message: 'timed out after 2000 ms waiting for the response headers from 127.0.0.1:4000' },
  },
];

function def(id: string, level: Level = 'MUST'): CheckDefinition {
  return { id, title: `title of ${id}`, area: id.split('/')[0] ?? '', refs: ['OIDCD-4.3'], requirements: ['DSC-07'], level };
}

function judged(id: string, result: Partial<CheckResult> & Pick<CheckResult, 'outcome'>, level: Level = 'MUST'): JudgedCheck {
  return { definition: def(id, level), result: { message: 'ok', exchanges: [], evidence: {}, ...result }, durationMs: 3 };
}

const sampleChecks: JudgedCheck[] = [
  judged('discovery/issuer-matches', { outcome: 'PASS', exchanges: ['#1'] }),
  judged('discovery/https-endpoints', { outcome: 'WARN', message: 'loopback http allowed', expected: 'https', actual: 'http', exchanges: ['#1'] }, 'SHOULD'),
  judged('client-credentials/happy-path', { outcome: 'ERROR', message: 'target unreachable or broken: timed out', exchanges: ['#2'], evidence: { errorCode: 'TIMEOUT' } }),
  judged('jwks/no-private-members', { outcome: 'FAIL', message: 'key 0 has "d"', expected: undefined, actual: ['d'], exchanges: ['#1'] }),
  judged('password/happy-path', { outcome: 'SKIP', message: 'the profile does not offer the password grant' }),
];

function sampleReport(checks = sampleChecks) {
  return buildReport({
    target: { issuer: 'http://127.0.0.1:4000', profile: null },
    startedAt: new Date('2030-01-01T00:00:00Z'),
    durationMs: 2500,
    checks,
    exchanges,
    tool: { name: 'oidc-conformance', version: '0.1.0' },
  });
}

describe('buildReport', () => {
  it('counts outcomes, sorts checks by id and attaches the cited exchanges', () => {
    const report = sampleReport();
    expect(report.summary).toEqual({ total: 5, pass: 1, fail: 1, warn: 1, skip: 1, error: 1 });
    expect(report.checks.map((c) => c.id)).toEqual([
      'client-credentials/happy-path', 'discovery/https-endpoints', 'discovery/issuer-matches', 'jwks/no-private-members', 'password/happy-path',
    ]);
    const warn = report.checks.find((c) => c.id === 'discovery/https-endpoints');
    expect(warn).toMatchObject({ level: 'SHOULD', refs: ['OIDCD-4.3'], requirements: ['DSC-07'], expected: 'https', actual: 'http' });
    expect(warn?.evidence.exchanges.map((e) => e.id)).toEqual(['#1']);
    expect(report.checks[0]?.evidence.notes).toEqual({ errorCode: 'TIMEOUT' });
  });

  it('turns a verdict citing an unrecorded exchange into a harness ERROR', () => {
    const report = sampleReport([judged('discovery/issuer-matches', { outcome: 'PASS', exchanges: ['#1', '#99'] })]);
    expect(report.checks[0]?.outcome).toBe('ERROR');
    expect(report.checks[0]?.message).toMatch(/evidence #99 was not recorded \(verdict was PASS/);
    expect(report.summary.error).toBe(1);
  });

  it('masks secrets in messages and values with the given redact function', () => {
    const report = buildReport({
      target: { issuer: 'https://op', profile: 'fixtures/op.json' }, startedAt: '2030-01-01T00:00:00.000Z', durationMs: 1, exchanges: [],
      checks: [judged('refresh-token/rotation', { outcome: 'FAIL', message: 'token sekret reused', actual: { refresh_token: 'sekret' } })],
      redact: <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('sekret', '[redacted]')) as T,
    });
    expect(JSON.stringify(report)).not.toContain('sekret');
  });
});

describe('report.json', () => {
  it('is written valid against the published report.schema.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oidc-report-'));
    tmp.push(dir);
    const paths = await writeReports(join(dir, 'run'), sampleReport());
    const written = JSON.parse(await readFile(paths.json, 'utf8')) as unknown;
    // Validated with a fresh Ajv straight from the schema file, not through our own helper.
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    expect(validateReport(written)).toEqual({ valid: true, errors: [] });
    expect(await readFile(paths.junit, 'utf8')).toMatch(/^<\?xml/);
  });

  it('rejects reports that break the schema or disagree with their own summary', () => {
    const report = sampleReport();
    const noSummary = { ...report, summary: undefined };
    expect(validateReport(noSummary).errors).toContain('(document): missing required member "summary"');
    const badOutcome = { ...report, checks: [{ ...report.checks[0], outcome: 'BROKEN' }, ...report.checks.slice(1)] };
    expect(validateReport(badOutcome).errors.join('\n')).toMatch(/checks\.0\.outcome: must be equal to one of the allowed values/);
    const extra = { ...report, surprise: true };
    expect(validateReport(extra).valid).toBe(false);
    const miscounted = { ...report, summary: { ...report.summary, fail: 0 } };
    expect(validateReport(miscounted).errors).toEqual(['summary.fail: says 0, the checks count 1']);
    const duplicated = { ...report, checks: [...report.checks, report.checks[0]], summary: { ...report.summary, total: 6, error: 2 } };
    expect(validateReport(duplicated).errors).toEqual(['checks.5.id: duplicate check id "client-credentials/happy-path"']);
  });

  it('refuses to write an invalid report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oidc-report-'));
    tmp.push(dir);
    const report = { ...sampleReport(), durationMs: -1 };
    await expect(writeReports(dir, report)).rejects.toThrow(/durationMs: must be >= 0/);
  });
});

// ---- a strict, minimal XML 1.0 well-formedness parser (no XML library is installed) ----

interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

function decodeEntities(text: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`bare & in ${JSON.stringify(text)}`);
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1)))
        : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? '');
}

function parseXml(xml: string): XmlElement {
  if (!XML_CHAR.test(xml)) throw new Error('character not allowed in XML 1.0');
  let pos = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (decl) pos = decl[0].length;
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  while (pos < xml.length) {
    const top = stack.at(-1) ?? root;
    if (xml.startsWith('</', pos)) {
      const close = /^<\/([A-Za-z_][\w.-]*)>/.exec(xml.slice(pos));
      if (!close || close[1] !== top.name) throw new Error(`bad closing tag at ${pos}`);
      stack.pop();
      pos += close[0].length;
    } else if (xml[pos] === '<') {
      const open = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(pos));
      if (!open) throw new Error(`bad tag at ${pos}: ${xml.slice(pos, pos + 40)}`);
      const attrs: Record<string, string> = {};
      for (const [, name = '', value = ''] of (open[2] ?? '').matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (name in attrs) throw new Error(`duplicate attribute ${name}`);
        attrs[name] = decodeEntities(value);
      }
      const element: XmlElement = { name: open[1] ?? '', attrs, children: [], text: '' };
      top.children.push(element);
      if (open[3] !== '/') stack.push(element);
      pos += open[0].length;
    } else {
      const end = xml.indexOf('<', pos);
      const raw = xml.slice(pos, end === -1 ? undefined : end);
      if (raw.includes('>')) throw new Error('raw > in text');
      if (stack.length === 1 && raw.trim() !== '') throw new Error('text outside the root element');
      top.text += decodeEntities(raw);
      pos = end === -1 ? xml.length : end;
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unclosed elements or several roots');
  return root.children[0] as XmlElement;
}

function findAll(element: XmlElement, name: string): XmlElement[] {
  return [...(element.name === name ? [element] : []), ...element.children.flatMap((c) => findAll(c, name))];
}

describe('the test XML parser', () => {
  it.each(['<a>x & y</a>', '<a b="<"/>', '<a><b></a></b>', '<a>\u0001</a>', '<a/><b/>', '<a b="1" b="2"/>'])('rejects malformed %j', (xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

describe('renderJUnit', () => {
  const nasty = 'expected <iss> & "aud" \'x\' ]]> \u0001bell\ttab\nline2 \uD800lone é 😀';

  it('renders one testcase per check with failure, error, skipped and system-out by outcome', () => {
    const xml = renderJUnit(sampleReport());
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1', time: '2.500' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests])).toEqual([['client-credentials', '1'], ['discovery', '2'], ['jwks', '1'], ['password', '1']]);
    const cases = findAll(root, 'testcase');
    expect(cases).toHaveLength(5);
    const byId = (id: string): XmlElement | undefined => cases.find((c) => c.attrs.name?.startsWith(`${id}: `));
    expect(byId('discovery/issuer-matches')?.children).toEqual([]);
    const failure = byId('jwks/no-private-members')?.children[0];
    expect(failure).toMatchObject({ name: 'failure', attrs: { message: 'key 0 has "d"', type: 'MUST' } });
    expect(failure?.text).toContain('expected: (absent)');
    expect(failure?.text).toContain('actual:   ["d"]');
    expect(failure?.text).toContain('#1 (discovery) GET http://127.0.0.1:4000/.well-known/openid-configuration -> 200');
    const error = byId('client-credentials/happy-path')?.children[0];
    expect(error).toMatchObject({ name: 'error', attrs: { type: 'ERROR' } });
    expect(error?.text).toContain('#2 POST http://127.0.0.1:4000/token -> TIMEOUT: timed out after 2000 ms');
    expect(byId('password/happy-path')?.children[0]).toMatchObject({ name: 'skipped', attrs: { message: 'the profile does not offer the password grant' } });
    const warn = byId('discovery/https-endpoints')?.children[0];
    expect(warn?.name).toBe('system-out');
    expect(warn?.text).toMatch(/^WARN: loopback http allowed\nSHOULD · OIDCD-4\.3 · covers DSC-07/);
  });

  it('escapes special characters so any message survives as well-formed XML', () => {
    const report = sampleReport([
      judged('discovery/issuer-matches', { outcome: 'FAIL', message: nasty, expected: nasty, exchanges: ['#1'] }),
      judged('discovery/skip-me', { outcome: 'SKIP', message: nasty }),
      judged('discovery/warn-me', { outcome: 'WARN', message: nasty }, 'SHOULD'),
    ]);
    const root = parseXml(renderJUnit(report));
    const sanitised = nasty.replace('\u0001', '\uFFFD').replace('\uD800', '\uFFFD');
    const [failure, skipped, out] = findAll(root, 'testcase').map((c) => c.children[0]);
    // Attribute values keep tabs and line breaks because they are written as character references.
    expect(failure?.attrs.message).toBe(sanitised);
    // JSON already escapes control characters and lone surrogates, so values arrive intact.
    expect(failure?.text).toContain(`expected: ${JSON.stringify(nasty)}`);
    expect(skipped?.attrs.message).toBe(sanitised);
    expect(out?.text.startsWith(`WARN: ${sanitised}`)).toBe(true);
  });

  it('escapeXml handles each special character', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\uFFFEc')).toBe('a\uFFFDb\uFFFDc');
    expect(escapeXml('😀')).toBe('😀');
  });
});
