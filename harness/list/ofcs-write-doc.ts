// `npm run docs:ofcs`: regenerates docs/ofcs-coverage.md from suites/ofcs-plans.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogue } from '../catalogue.ts';
import { PACKAGE_ROOT } from './list-command.ts';
import { computeOfcsCoverage, loadOfcsData, renderOfcsMarkdown, totalsLine } from './ofcs.ts';

const OFCS_DOC = join(PACKAGE_ROOT, 'docs', 'ofcs-coverage.md');

const checks = await loadCatalogue(PACKAGE_ROOT);
const data = loadOfcsData(PACKAGE_ROOT);
const coverage = computeOfcsCoverage(data, new Set(checks.map((c) => c.id)));
writeFileSync(OFCS_DOC, renderOfcsMarkdown(data, coverage));
console.log(`wrote ${OFCS_DOC} (${totalsLine(coverage.totals)})`);
for (const error of coverage.errors) console.error(`ERROR ${error}`);
process.exitCode = coverage.errors.length ? 1 : 0;
