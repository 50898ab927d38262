// The main job, end to end: `oidc-conformance run` against the embedded reference provider runs
// every check of the catalogue, with no FAIL and no ERROR, and writes a report.json valid against
// its published schema, JUnit, the Allure results (each check with its steps and its HTTP
// evidence) and the single-file Allure HTML report, with no secret in any of them.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../harness/catalogue.ts';
import type { Outcome } from '../harness/checks.ts';
import reportSchema from '../harness/report/report.schema.json' with { type: 'json' };
import type { Report } from '../harness/report/types.ts';
import { validateReport } from '../harness/report/validate-report.ts';
import { loadProviderConfigFile } from '../reference-provider/index.ts';
import { type CliResult, ROOT, readReport, runCli, tempReportDir } from './support.ts';

interface AllureStep {
  name: string;
  status?: string | null;
  steps?: AllureStep[];
  attachments?: Array<{ name: string; source: string; type: string }>;
}
interface AllureResult extends AllureStep {
  labels: Array<{ name: string; value: string }>;
  links: Array<{ name: string; url: string }>;
  testCaseId?: string;
  description?: string;
}

const ALLURE_STATUS: Record<Outcome, string> = { PASS: 'passed', WARN: 'passed', SKIP: 'skipped', FAIL: 'failed', ERROR: 'broken' };

function walk(step: AllureStep): AllureStep[] {
  return [step, ...(step.steps ?? []).flatMap(walk)];
}

/**
 * CI keeps this run's reports as the main job's artifacts (.ci/run sets the variable to
 * reports/reference-provider): the main job then runs once, here, and the later CI steps (compare,
 * the mutation baseline) read its report. Otherwise the reports go to a temporary directory.
 */
const MAIN_JOB_DIR_ENV = 'OIDC_CONFORMANCE_MAIN_JOB_DIR';

function reportDir(): string {
  const kept = process.env[MAIN_JOB_DIR_ENV];
  if (!kept) return tempReportDir();
  const dir = resolve(ROOT, kept);
  rmSync(dir, { recursive: true, force: true }); // no result of an earlier run may mix in
  return dir;
}

describe('oidc-conformance run (embedded reference provider)', () => {
  const dir = reportDir();
  let result: CliResult;
  let report: Report;

  beforeAll(async () => {
    result = await runCli(['run', '--report-dir', dir]);
    report = readReport(dir);
  }, 180_000);

  it('passes every check of the catalogue', async () => {
    const bad = report.checks.filter((c) => c.outcome === 'FAIL' || c.outcome === 'ERROR').map((c) => `${c.id}: ${c.message}`);
    expect(bad).toEqual([]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const catalogue = await loadCatalogue(ROOT);
    expect(report.checks.map((c) => c.id).sort()).toEqual(catalogue.map((c) => c.id).sort());
    expect(result.stdout).toMatch(/checks: \d+ {2}pass \d+ {2}fail 0 {2}warn \d+ {2}skip \d+ {2}error 0/);
  });

  it('writes report.json valid against the published report.schema.json, and JUnit', () => {
    // A fresh Ajv straight from the schema file, then our validator (which adds the summary rules).
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validateReport(report).errors).toEqual([]);
    expect(report.target).toEqual({ issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/oidc$/), profile: null, name: 'reference-provider' });
    expect(report).not.toHaveProperty('shard');
    expect(existsSync(join(dir, 'junit.xml'))).toBe(true);
  });

  it('writes an Allure result per check: labels, a judge step with the suite steps, the cited exchanges attached', () => {
    const resultsDir = join(dir, 'allure-results');
    const results = readdirSync(resultsDir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as AllureResult);
    const byId = new Map(results.map((r) => [r.labels.find((l) => l.name === 'ALLURE_ID')?.value, r]));
    expect([...byId.keys()].sort()).toEqual(report.checks.map((c) => c.id).sort());
    for (const check of report.checks) {
      const allure = byId.get(check.id)!;
      expect(allure.testCaseId).toBe(check.id);
      expect(allure.status, check.id).toBe(ALLURE_STATUS[check.outcome]);
      expect(allure.labels).toEqual(expect.arrayContaining([
        { name: 'suite', value: check.area },
        { name: 'level', value: check.level },
        { name: 'outcome', value: check.outcome },
        ...check.refs.map((value) => ({ name: 'ref', value })),
        ...check.requirements.map((value) => ({ name: 'tag', value })),
      ]));
      expect(allure.description).toContain(check.message.split('\n')[0]);
      const [judge, ...others] = allure.steps ?? [];
      expect(others, check.id).toEqual([]);
      expect(judge?.name, check.id).toMatch(new RegExp(`^judge → ${check.outcome}`));
      const steps = walk(judge!);
      const attachments = steps.flatMap((s) => s.attachments ?? []);
      expect(attachments.map((a) => a.name), check.id).toContain(`verdict: ${check.outcome}`);
      for (const exchange of check.evidence.exchanges) {
        const attached = attachments.find((a) => a.name.startsWith(`${exchange.id} ${exchange.request.method} `));
        expect(attached, `${check.id} cites ${exchange.id}`).toBeDefined();
        expect(attached!.type).toBe('application/json');
        // The very copy report.json holds: redacted, with the same request and response.
        const body = JSON.parse(readFileSync(join(resultsDir, attached!.source), 'utf8')) as typeof exchange;
        expect({ ...body, durationMs: 0 }).toEqual({ ...exchange, durationMs: 0 });
      }
    }
  });

  it('keeps every secret of the profile out of report.json and the Allure results', () => {
    const config = loadProviderConfigFile(join(ROOT, 'fixtures', 'reference-provider', 'config.json'));
    const secrets = [...config.clients.flatMap((c) => (c.client_secret ? [c.client_secret] : [])), ...config.users.map((u) => u.password)];
    const resultsDir = join(dir, 'allure-results');
    const files = [join(dir, 'report.json'), join(dir, 'junit.xml'), ...readdirSync(resultsDir).map((f) => join(resultsDir, f))];
    const leaks = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return secrets.filter((s) => text.includes(s) || text.includes(encodeURIComponent(s))).map((s) => `${file}: ${s.slice(0, 6)}…`);
    });
    expect(leaks).toEqual([]);
  });

  it('generates the single-file Allure HTML report, self-contained, and prints its path', () => {
    const html = join(dir, 'allure-report', 'index.html');
    expect(existsSync(html)).toBe(true);
    // Printed relative to the working directory (the package root) when it lies below it, as CI's kept directory does.
    const shown = relative(ROOT, html).startsWith('..') ? html : relative(ROOT, html);
    expect(result.stdout).toContain(`allure: ${shown}`);
    const text = readFileSync(html, 'utf8');
    // Everything inline (scripts and styles as data: URLs): it opens from file:// and offline.
    expect(text.match(/<(?:script|link|img)\b[^>]*\b(?:src|href)="(?!data:)[^"]*"/g) ?? []).toEqual([]);
    expect(text).not.toContain('googletagmanager');
    expect(text).toContain('oidc-conformance: reference-provider');
    expect(readdirSync(join(dir, 'allure-report')).filter((f) => /\.(js|css)$/.test(f))).toEqual([]);
  });
});
