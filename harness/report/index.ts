export { buildReport, summarise } from './build-report.ts';
export type { JudgedCheck, ReportInput } from './build-report.ts';
export { renderJUnit, escapeXml } from './render-junit.ts';
export { validateReport } from './validate-report.ts';
export { writeJUnitXml, writeReportJson, writeReports } from './write-report.ts';
export { REPORT_SCHEMA_VERSION } from './types.ts';
export type { Report, ReportCheck, ReportSummary } from './types.ts';
