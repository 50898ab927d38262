import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../checks.ts';
import { computeCoverage } from './compute-coverage.ts';
import { formatCoverage } from './format-coverage.ts';
import { parseRequirements, readRequirements } from './read-requirements.ts';

const SAMPLE = `# Catalogue

| Prefix used in the id column | Document |
|---|---|
| \`OIDCC-\` | OpenID Connect Core 1.0 |

## 1. Discovery

| # | Req. id | Level | Requirement (paraphrased) | Black-box? How |
|---|---|---|---|---|
| DSC-01 | OIDCD-4 | MUST | Serves the document. | Yes: GET it. |
| DSC-02 | OIDCD-4.1 | MUST | A pipe \\| inside a cell. | Partly: heuristics. |
| DSC-03 | OIDCD-4.1 | MUST | Internal. | No (design). |
| DSC-04 | OIDCC-15.2 | MUST | Dynamic OPs. | \`[cfg]\`: dynamic only. |

## 2. JWKS

| # | Req. id | Level | Requirement (paraphrased) | Black-box? How |
|---|---|---|---|---|
| JWK-01 | RFC7517-5 | MUST | Keys parse. | Yes |
| JWK-02 | RFC7517-4.5 | SHOULD | Kids unique. | Yes \`[pol]\`: policy. |
`;

function check(id: string, requirements: string[]): CheckDefinition {
  return { id, title: id, area: id.split('/')[0] ?? '', refs: ['OIDCD-4'], requirements, level: 'MUST' };
}

const REQUIREMENTS_PATH = fileURLToPath(new URL('../../../shared/REQUIREMENTS.md', import.meta.url));

describe('parseRequirements', () => {
  it('reads rows with their section and observability, honouring escaped pipes', () => {
    const rows = parseRequirements(SAMPLE);
    expect(rows.map((r) => [r.key, r.area, r.observability])).toEqual([
      ['DSC-01', 'DSC', 'Yes'], ['DSC-02', 'DSC', 'Partly'], ['DSC-03', 'DSC', 'No'], ['DSC-04', 'DSC', 'Unstated'],
      ['JWK-01', 'JWK', 'Yes'], ['JWK-02', 'JWK', 'Yes'],
    ]);
    expect(rows[1]).toMatchObject({ section: '1. Discovery', specRefs: 'OIDCD-4.1', level: 'MUST', requirement: 'A pipe | inside a cell.' });
    expect(rows[4]?.section).toBe('2. JWKS');
  });

  it('refuses a row with missing columns instead of guessing', () => {
    expect(() => parseRequirements('| DSC-09 | OIDCD-3 | MUST |')).toThrow(/DSC-09 has 3 columns, expected 5/);
  });

  it.runIf(existsSync(REQUIREMENTS_PATH))('reads every row of the shared catalogue', () => {
    const text = readFileSync(REQUIREMENTS_PATH, 'utf8');
    const rows = readRequirements(REQUIREMENTS_PATH);
    // An independent count: every table line that starts with a row key.
    expect(rows).toHaveLength(text.split('\n').filter((line) => /^\| [A-Z]+-\d+ \|/.test(line)).length);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(rows.filter((r) => r.observability === 'Yes').length).toBeGreaterThan(300);
    expect(rows.find((r) => r.key === 'DSC-07')).toMatchObject({ area: 'DSC', section: '1. Discovery', level: 'MUST', observability: 'Yes' });
  });
});

describe('computeCoverage', () => {
  const rows = parseRequirements(SAMPLE);

  it('counts observable (Yes) rows per area, the partly observable ones apart, and lists the uncovered ones', () => {
    const report = computeCoverage(rows, [check('discovery/document', ['DSC-01', 'DSC-03']), check('jwks/keys-parse', ['JWK-01'])]);
    expect(report.areas).toEqual([
      { area: 'DSC', section: '1. Discovery', rows: 4, observable: 1, covered: 1, uncovered: [], percent: 100, partly: 1, partlyCovered: 0, partlyUncovered: ['DSC-02'] },
      { area: 'JWK', section: '2. JWKS', rows: 2, observable: 2, covered: 1, uncovered: ['JWK-02'], percent: 50, partly: 0, partlyCovered: 0, partlyUncovered: [] },
    ]);
    expect(report.total).toEqual({ rows: 6, observable: 3, covered: 2, percent: 66.7 });
    expect(report.checksByRow['DSC-01']).toEqual(['discovery/document']);
    expect(report.unknownRequirements).toEqual([]);
  });

  it('flags rows a check names that the catalogue does not have', () => {
    const report = computeCoverage(rows, [check('discovery/typo', ['DSC-99'])]);
    expect(report.unknownRequirements).toEqual([{ checkId: 'discovery/typo', key: 'DSC-99' }]);
    expect(report.total.covered).toBe(0);
  });

  it('formats a per-area table with the gaps and warnings', () => {
    const text = formatCoverage(computeCoverage(rows, [check('discovery/document', ['DSC-01', 'DSC-99'])]), { areas: ['DSC'] });
    expect(text).toContain('DSC                   1/1  100.0  1. Discovery');
    expect(text).toContain('partly observable: 0/1 covered (not: DSC-02)');
    expect(text).not.toContain('JWK');
    expect(text).toMatch(/total\s+1\/1\s+100\.0/);
    expect(text).toContain('check discovery/document names DSC-99');
  });
});
