// Writes report.json (and the views rendered from it). The report is validated before it is
// written: a report that breaks its own published schema is a harness bug, caught here rather
// than by whoever parses it later.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderJUnit } from './render-junit.ts';
import { validateReport } from './validate-report.ts';
import type { Report } from './types.ts';

export async function writeReportJson(path: string, report: Report): Promise<void> {
  const result = validateReport(report);
  if (!result.valid) throw new Error(`report does not match report.schema.json:\n${result.errors.map((e) => `  - ${e}`).join('\n')}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
}

export async function writeJUnitXml(path: string, report: Report): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderJUnit(report), 'utf8');
}

/** Writes report.json and junit.xml into one directory; returns their paths. */
export async function writeReports(dir: string, report: Report): Promise<{ json: string; junit: string }> {
  const paths = { json: join(dir, 'report.json'), junit: join(dir, 'junit.xml') };
  await writeReportJson(paths.json, report);
  await writeJUnitXml(paths.junit, report);
  return paths;
}
