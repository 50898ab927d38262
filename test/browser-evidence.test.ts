// Issue 4, acceptance 4: a failing browser check in the Allure HTML report shows the screenshot
// and the Playwright trace as attachments. The reference provider runs with the state-dropped
// fault, so code-flow/state-echoed FAILs; the single-file report is then unpacked (it embeds
// every file as d("path","base64")) and the check's result must link both attachments, whose
// bytes must be in the file: a real PNG and a real trace zip. A passing check carries neither.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempReportDir } from './support.ts';

interface AllureStep {
  type?: string;
  link?: { name: string; contentType: string; ext: string; id: string };
  steps?: AllureStep[];
}

function unpackSingleFile(html: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const [, path, data] of html.matchAll(/d\("([^"]+)","([^"]*)"\)/g)) files.set(path!, Buffer.from(data!, 'base64'));
  return files;
}

function attachmentsOf(step: AllureStep): NonNullable<AllureStep['link']>[] {
  const own = step.type === 'attachment' && step.link ? [step.link] : [];
  return [...own, ...(step.steps ?? []).flatMap(attachmentsOf)];
}

describe('browser evidence in the Allure report', () => {
  it('a failing browser check shows its screenshot and trace; a passing one does not', async () => {
    const dir = tempReportDir();
    const run = await runCli(['run', '--quiet', '--only', 'code-flow/state-echoed', '--only', 'code-flow/code-response', '--provider-fault', 'state-dropped', '--report-dir', dir], { timeoutMs: 150_000 });
    expect(run.code, run.stderr).toBe(1);
    const outcomes = Object.fromEntries(readReport(dir).checks.map((c) => [c.id, c.outcome]));
    expect(outcomes).toEqual({ 'code-flow/state-echoed': 'FAIL', 'code-flow/code-response': 'PASS' });

    const files = unpackSingleFile(readFileSync(join(dir, 'allure-report/index.html'), 'utf8'));
    const results = [...files].filter(([path]) => path.startsWith('data/test-results/')).map(([, bytes]) => JSON.parse(bytes.toString('utf8')) as AllureStep & { name: string; status: string });
    const failing = results.find((r) => r.name.startsWith('code-flow/state-echoed'));
    const passing = results.find((r) => r.name.startsWith('code-flow/code-response'));
    expect(failing?.status).toBe('failed');
    expect(passing?.status).toBe('passed');

    const attachments = attachmentsOf(failing!);
    const screenshot = attachments.find((a) => a.contentType === 'image/png');
    const trace = attachments.find((a) => a.contentType === 'application/vnd.allure.playwright-trace');
    expect(screenshot?.name).toMatch(/^screenshot: /);
    expect(trace?.name).toMatch(/^Playwright trace: /);
    const png = files.get(`data/attachments/${screenshot!.id}${screenshot!.ext}`);
    const zip = files.get(`data/attachments/${trace!.id}${trace!.ext}`);
    expect(png?.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(zip?.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(zip!.toString('latin1')).toContain('trace.trace'); // the Playwright trace's own entry

    expect(attachmentsOf(passing!).filter((a) => a.contentType !== 'application/json')).toEqual([]);
  }, 180_000);
});
