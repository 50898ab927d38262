// JUnit XML rendered from report.json, for CI systems that only read JUnit. One testsuite per
// area, one testcase per check. WARN is a pass with the warning in system-out, because JUnit
// has no "warning" and CI gates on FAIL and ERROR only.
import type { Exchange } from '../http/types.ts';
import type { Report, ReportCheck } from './types.ts';

export function renderJUnit(report: Report): string {
  const areas = new Map<string, ReportCheck[]>();
  for (const check of report.checks) {
    const list = areas.get(check.area) ?? [];
    list.push(check);
    areas.set(check.area, list);
  }
  const { summary } = report;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="oidc-conformance" tests="${summary.total}" failures="${summary.fail}" errors="${summary.error}" skipped="${summary.skip}" time="${seconds(report.durationMs)}" timestamp="${escapeXml(report.startedAt)}">`,
  ];
  for (const [area, checks] of areas) {
    const count = (outcome: string): number => checks.filter((c) => c.outcome === outcome).length;
    const time = checks.reduce((total, c) => total + (c.durationMs ?? 0), 0);
    lines.push(`  <testsuite name="${escapeXml(area)}" tests="${checks.length}" failures="${count('FAIL')}" errors="${count('ERROR')}" skipped="${count('SKIP')}" time="${seconds(time)}" timestamp="${escapeXml(report.startedAt)}">`);
    lines.push('    <properties>');
    lines.push(`      <property name="issuer" value="${escapeXml(report.target.issuer)}"/>`);
    lines.push(`      <property name="profile" value="${escapeXml(report.target.profile ?? '(embedded reference provider)')}"/>`);
    lines.push('    </properties>');
    for (const check of checks) lines.push(...renderTestcase(check));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function renderTestcase(check: ReportCheck): string[] {
  const open = `    <testcase classname="${escapeXml(check.area)}" name="${escapeXml(`${check.id}: ${check.title}`)}" time="${seconds(check.durationMs ?? 0)}"`;
  const details = escapeXml(describeCheck(check));
  switch (check.outcome) {
    case 'PASS':
      return [`${open}/>`];
    case 'SKIP':
      return [`${open}>`, `      <skipped message="${escapeXml(check.message)}"/>`, '    </testcase>'];
    case 'WARN':
      return [`${open}>`, `      <system-out>WARN: ${escapeXml(check.message)}&#10;${details}</system-out>`, '    </testcase>'];
    case 'FAIL':
      return [`${open}>`, `      <failure message="${escapeXml(check.message)}" type="${check.level}">${details}</failure>`, '    </testcase>'];
    case 'ERROR':
      return [`${open}>`, `      <error message="${escapeXml(check.message)}" type="ERROR">${details}</error>`, '    </testcase>'];
  }
}

function describeCheck(check: ReportCheck): string {
  const lines = [`${check.level} · ${check.refs.join(', ')}${check.requirements.length ? ` · covers ${check.requirements.join(', ')}` : ''}`];
  if (check.deviation !== undefined) lines.push(`expected deviation: ${check.deviation}`);
  if ('expected' in check) lines.push(`expected: ${formatValue(check.expected)}`);
  if ('actual' in check) lines.push(`actual:   ${formatValue(check.actual)}`);
  for (const exchange of check.evidence.exchanges) lines.push(describeExchange(exchange));
  return lines.join('\n');
}

function describeExchange(exchange: Exchange): string {
  const head = `${exchange.id}${exchange.label ? ` (${exchange.label})` : ''} ${exchange.request.method} ${exchange.request.url}`;
  if (exchange.error) return `${head} -> ${exchange.error.code}: ${exchange.error.message}`;
  return `${head} -> ${exchange.response?.status ?? '?'} in ${exchange.durationMs} ms`;
}

function formatValue(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value) ?? String(value);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF;
// unpaired surrogates). They come from provider responses, so they are replaced, not trusted.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for both element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    // Attribute-value normalisation would turn raw line breaks into spaces.
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}
