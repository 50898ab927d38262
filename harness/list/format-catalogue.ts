// The check catalogue as text (`oidc-conformance list`) and as the Markdown page docs/checks.md
// (`npm run docs:checks`). Both are generated from the definitions in suites/*/checks.ts.
import type { CheckDefinition } from '../checks.ts';
import { specUrl } from '../spec-links.ts';

function byArea(checks: CheckDefinition[]): Map<string, CheckDefinition[]> {
  const areas = new Map<string, CheckDefinition[]>();
  for (const check of [...checks].sort((a, b) => a.id.localeCompare(b.id))) {
    const list = areas.get(check.area) ?? [];
    list.push(check);
    areas.set(check.area, list);
  }
  return new Map([...areas].sort(([a], [b]) => a.localeCompare(b)));
}

/** One block per area; per check its id, level and title, then its refs and requirement rows. */
export function formatCatalogueText(checks: CheckDefinition[]): string {
  const width = Math.max(0, ...checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const [area, list] of byArea(checks)) {
    lines.push(`${area} (${list.length} check${list.length === 1 ? '' : 's'})`);
    for (const check of list) {
      lines.push(`  ${check.id.padEnd(width)}  ${check.level.padEnd(6)}  ${check.title}`);
      const rows = check.requirements.length ? check.requirements.join(', ') : '-';
      lines.push(`  ${''.padEnd(width)}  ${''.padEnd(6)}  refs ${check.refs.join(', ')} · rows ${rows}`);
    }
    lines.push('');
  }
  const areas = new Set(checks.map((c) => c.area)).size;
  lines.push(`${checks.length} checks in ${areas} areas`);
  return lines.join('\n');
}

/** The catalogue as JSON (`list --json`): the definitions, sorted by id. */
export function catalogueJson(checks: CheckDefinition[]): CheckDefinition[] {
  return [...checks]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(({ id, title, area, level, refs, requirements }) => ({ id, title, area, level, refs: [...refs], requirements: [...requirements] }));
}

function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function refLink(ref: string): string {
  const url = specUrl(ref);
  return url ? `[${ref}](${url})` : ref;
}

export const CHECKS_DOC_COMMAND = 'npm run docs:checks';

/** docs/checks.md: a generated page, one Markdown table of every check. */
export function renderCatalogueMarkdown(checks: CheckDefinition[]): string {
  const areas = byArea(checks);
  const lines = [
    '# Check catalogue',
    '',
    `<!-- Generated from suites/*/checks.ts by \`${CHECKS_DOC_COMMAND}\`; do not edit by hand (a test fails when it is stale). -->`,
    '',
    `${checks.length} checks in ${areas.size} areas. The same list comes from \`npx oidc-conformance list\` (\`--json\` for tools);`,
    '`list --coverage` shows which rows of REQUIREMENTS.md they cover. Level is the spec keyword: a broken MUST',
    'is a FAIL, a broken SHOULD or MAY a WARN. Ids are stable: `--only <id>` runs one check, `--only <area>` an area.',
    '',
    `| Area | Checks |`,
    '|---|---|',
    ...[...areas].map(([area, list]) => `| ${cell(area)} | ${list.length} |`),
    '',
    '| Id | Area | Level | Title | Spec refs | Requirements |',
    '|---|---|---|---|---|---|',
  ];
  for (const list of areas.values()) {
    for (const check of list) {
      lines.push(
        `| \`${cell(check.id)}\` | ${cell(check.area)} | ${check.level} | ${cell(check.title)} | ${check.refs.map((r) => cell(refLink(r))).join(', ')} | ${cell(check.requirements.join(', '))} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
