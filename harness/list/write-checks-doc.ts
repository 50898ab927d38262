// `npm run docs:checks`: regenerates docs/checks.md from the check definitions.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogue } from '../catalogue.ts';
import { renderCatalogueMarkdown } from './format-catalogue.ts';
import { PACKAGE_ROOT } from './list-command.ts';

const CHECKS_DOC = join(PACKAGE_ROOT, 'docs', 'checks.md');

const checks = await loadCatalogue(PACKAGE_ROOT);
writeFileSync(CHECKS_DOC, renderCatalogueMarkdown(checks));
console.log(`wrote ${CHECKS_DOC} (${checks.length} checks)`);
