// The HTML view of the comparison matrix: one self-contained file (inline style and script, no
// fetch of any kind, so it opens from file:// offline), rendered on the server side so that it
// reads without script too. The script only filters rows (differs between targets, outcome in
// a target, level, area, text) and opens a check's details (each target's message, expected
// and actual values, evidence). A Content-Security-Policy allows exactly the page's own style
// and script (by hash) and nothing else: messages come from the targets, and even if one
// slipped through the escaping it could neither run script nor load anything.
import { createHash } from 'node:crypto';
import { LEVELS } from '../checks.ts';
import type { Exchange } from '../http/types.ts';
import type { ReportCheck } from '../report/types.ts';
import { specUrl } from '../spec-links.ts';
import { CELL_OUTCOMES, CELL_TEXT, type Matrix, type MatrixColumn, type MatrixRow, TOTAL_KEYS } from './matrix.ts';
import { anchorOf } from './render-markdown.ts';
import { shardLabel } from './read-report.ts';

const TOOLTIP_MAX = 600;
const VALUE_MAX = 4000;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function json(value: unknown): string {
  return clip(value === undefined ? '(absent)' : (JSON.stringify(value, null, 2) ?? String(value)), VALUE_MAX);
}

const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #57606a; --error: #8250df; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 1.5rem 3rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 1.2rem 0 .3rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
p.lead { margin: 0 0 1rem; color: #57606a; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
small, .muted { color: #57606a; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
#filters { position: sticky; top: 0; z-index: 2; background: #fff; padding: .6rem 0; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; }
#filters label { white-space: nowrap; }
#f-count { margin-left: auto; font-weight: 600; }
table.matrix { width: 100%; }
table.matrix thead th { position: sticky; top: var(--filters-height, 3.1rem); z-index: 1; }
table.matrix th.target { text-align: center; min-width: 8rem; }
tr.area th { background: #eaeef2; font-size: 1rem; }
tr.check:hover td { background: #f6f8fa; }
tr.check td.name a.toggle { color: inherit; text-decoration: none; }
tr.check td.name a.toggle::before { content: "▸ "; color: #57606a; }
tr.check.open td.name a.toggle::before { content: "▾ "; }
td.cell { text-align: center; font-weight: 600; cursor: help; white-space: nowrap; }
.o-PASS { color: var(--pass); } .o-FAIL { color: #fff; background: var(--fail) !important; } .o-WARN { color: var(--warn); background: #fff8c5 !important; }
.o-SKIP { color: var(--skip); } .o-ERROR { color: #fff; background: var(--error) !important; } .o-NOT_RUN { color: #8c959f; font-weight: 400; }
span.o-FAIL, span.o-ERROR { padding: 0 .3rem; border-radius: 3px; }
tr.detail > td { background: #fbfcfd; padding: .6rem 1rem; }
tr.detail .verdict { margin: .4rem 0 .8rem; padding-left: .6rem; border-left: 3px solid var(--line); }
tr.detail pre { white-space: pre-wrap; word-break: break-word; margin: .2rem 0; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
tr.detail ul { margin: .2rem 0; padding-left: 1.2rem; }
#empty td { text-align: center; color: #57606a; padding: 1rem; }
`;

// Plain ES2017 in one closure: no module, no network, nothing but the DOM rendered above.
const SCRIPT = `
(function () {
  'use strict';
  var byId = function (id) { return document.getElementById(id); };
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.check'));
  var areaRows = Array.prototype.slice.call(document.querySelectorAll('tr.area'));
  function detailOf(row) { return byId('d-' + row.id.slice(2)); }
  function apply() {
    var differs = byId('f-differs').checked;
    var outcome = byId('f-outcome').value;
    var target = byId('f-target').value;
    var level = byId('f-level').value;
    var area = byId('f-area').value;
    var words = byId('f-text').value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    var perArea = {};
    rows.forEach(function (row) {
      var d = row.dataset;
      var outcomes = d.outcomes.split(' ');
      var ok = (!differs || d.differs === '1') &&
        (!level || d.level === level) &&
        (!area || d.area === area) &&
        (!outcome || (target === '' ? outcomes.indexOf(outcome) >= 0 : outcomes[Number(target)] === outcome)) &&
        words.every(function (w) { return d.text.indexOf(w) >= 0; });
      row.hidden = !ok;
      detailOf(row).hidden = !ok || !row.classList.contains('open');
      if (ok) { shown++; perArea[d.area] = (perArea[d.area] || 0) + 1; }
    });
    areaRows.forEach(function (tr) {
      var n = perArea[tr.dataset.area] || 0;
      var total = tr.querySelector('small').dataset.total;
      tr.hidden = n === 0;
      tr.querySelector('small').textContent = '(' + (String(n) === total ? total : n + ' of ' + total) + ')';
    });
    byId('empty').hidden = shown > 0;
    byId('f-count').textContent = shown + ' of ' + rows.length + ' checks shown';
  }
  function setOpen(row, open) {
    row.classList.toggle('open', open);
    row.querySelector('a.toggle').setAttribute('aria-expanded', String(open));
    detailOf(row).hidden = !open || row.hidden;
  }
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id.indexOf('c-') === 0 ? byId(id) : null;
    if (!row || !row.classList.contains('check')) return;
    if (row.hidden) { byId('f-differs').checked = false; ['f-outcome', 'f-target', 'f-level', 'f-area', 'f-text'].forEach(function (f) { byId(f).value = ''; }); apply(); }
    setOpen(row, true);
    row.scrollIntoView({ block: 'center' });
  }
  document.querySelector('table.matrix tbody').addEventListener('click', function (event) {
    var row = event.target.closest('tr.check');
    if (!row || event.target.closest('tr.detail')) return;
    event.preventDefault();
    setOpen(row, !row.classList.contains('open'));
  });
  ['f-differs', 'f-outcome', 'f-target', 'f-level', 'f-area'].forEach(function (id) { byId(id).addEventListener('change', apply); });
  byId('f-text').addEventListener('input', apply);
  byId('filters').addEventListener('submit', function (event) { event.preventDefault(); });
  byId('f-reset').addEventListener('click', function () { setTimeout(apply, 0); });
  // The column titles stick under the filter bar, whose height depends on the window's width.
  function stickHeader() { document.documentElement.style.setProperty('--filters-height', byId('filters').offsetHeight + 'px'); }
  window.addEventListener('resize', stickHeader);
  stickHeader();
  window.addEventListener('hashchange', openFromHash);
  document.documentElement.classList.add('js');
  apply();
  openFromHash();
})();
`;

// Without script the details rows are all shown (the page still has every message).
const NOSCRIPT_STYLE = 'tr.detail[hidden] { display: table-row; } #filters { display: none; }';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function refLinks(refs: string[]): string {
  return refs
    .map((ref) => {
      const url = specUrl(ref);
      return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noreferrer noopener">${escapeHtml(ref)}</a>` : escapeHtml(ref);
    })
    .join(', ');
}

function exchangeLine(exchange: Exchange): string {
  const result = exchange.error ? `${exchange.error.code}: ${exchange.error.message}` : String(exchange.response?.status ?? '?');
  const label = exchange.label ? ` (${exchange.label})` : '';
  return `<li><code>${escapeHtml(`${exchange.id} ${exchange.request.method} ${exchange.request.url} → ${result}`)}</code>${escapeHtml(label)}</li>`;
}

function verdict(column: MatrixColumn, check: ReportCheck | undefined): string {
  if (!check) {
    return `<div class="verdict"><b>${escapeHtml(column.label)}</b>: <span class="o-NOT_RUN">— not run</span> <span class="muted">(this report does not hold the check)</span></div>`;
  }
  const parts = [`<div class="verdict"><b>${escapeHtml(column.label)}</b>: <span class="o-${check.outcome}">${check.outcome}</span>`];
  parts.push(`<pre class="message">${escapeHtml(check.message)}</pre>`);
  if (check.deviation !== undefined) parts.push(`<div>expected deviation declared by the profile: ${escapeHtml(check.deviation)}</div>`);
  if ('expected' in check) parts.push(`<div class="muted">expected</div><pre>${escapeHtml(json(check.expected))}</pre>`);
  if ('actual' in check) parts.push(`<div class="muted">actual</div><pre>${escapeHtml(json(check.actual))}</pre>`);
  if (check.evidence.exchanges.length > 0) parts.push(`<div class="muted">evidence</div><ul>${check.evidence.exchanges.map(exchangeLine).join('')}</ul>`);
  parts.push('</div>');
  return parts.join('');
}

function searchText(row: MatrixRow): string {
  return [row.id, row.title, row.level, ...row.refs, ...row.requirements, ...row.cells.map((c) => c?.message ?? '')].join(' ').toLowerCase();
}

function renderRow(matrix: Matrix, row: MatrixRow): string {
  const anchor = anchorOf(row.id);
  const cells = row.outcomes.map((outcome, i) => {
    const check = row.cells[i];
    const tip = check ? `${outcome}: ${clip(check.message, TOOLTIP_MAX)}` : `not run: ${matrix.columns[i]!.label} does not hold this check`;
    return `<td class="cell o-${outcome}" data-target="${i}" title="${escapeHtml(tip)}">${CELL_TEXT[outcome]}</td>`;
  });
  const attributes = [
    `id="${escapeHtml(anchor)}"`,
    'class="check"',
    `data-area="${escapeHtml(row.area)}"`,
    `data-level="${row.level}"`,
    `data-differs="${row.differs ? 1 : 0}"`,
    `data-outcomes="${row.outcomes.join(' ')}"`,
    `data-text="${escapeHtml(searchText(row))}"`,
  ];
  const check = `<tr ${attributes.join(' ')}><td class="name"><a class="toggle" href="#${escapeHtml(anchor)}" aria-expanded="false"><code>${escapeHtml(row.id)}</code></a><br><small>${escapeHtml(row.title)}</small></td><td>${row.level}</td>${cells.join('')}</tr>`;
  const details = [
    `<div><b>${escapeHtml(row.title)}</b> · ${row.level} · ${refLinks(row.refs)}${row.requirements.length ? ` · covers ${escapeHtml(row.requirements.join(', '))}` : ''}</div>`,
    ...matrix.columns.map((column, i) => verdict(column, row.cells[i])),
  ];
  const detail = `<tr class="detail" id="d-${escapeHtml(row.id)}" hidden><td colspan="${2 + matrix.columns.length}">${details.join('')}</td></tr>`;
  return check + detail;
}

function targetsTable(matrix: Matrix): string {
  const rows = matrix.columns.map((c) => {
    const { report } = c;
    const notes = [
      report.target.faults?.length ? `faults: ${report.target.faults.join(', ')}` : '',
      report.shard ? `shard ${shardLabel(report)}` : '',
      report.mergedFrom ? `merged from ${report.mergedFrom.length} reports` : '',
    ].filter(Boolean);
    return `<tr class="target-row"><th>${escapeHtml(c.label)}</th><td><code>${escapeHtml(report.target.issuer)}</code></td><td>${escapeHtml(report.target.profile ?? 'embedded reference provider')}</td><td>${escapeHtml(report.startedAt)}</td><td class="n">${report.summary.total}</td><td>${escapeHtml(notes.join('; '))}</td><td><code>${escapeHtml(c.path)}</code></td></tr>`;
  });
  return `<table class="targets"><thead><tr><th>target</th><th>issuer</th><th>profile</th><th>started</th><th>checks</th><th>notes</th><th>report</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function totalsTable(matrix: Matrix): string {
  const head = `<tr><th>target</th><th>level</th><th>checks</th>${CELL_OUTCOMES.map((o) => `<th class="o-${o}">${o === 'NOT_RUN' ? '— not run' : o}</th>`).join('')}</tr>`;
  const rows = matrix.columns.flatMap((c, i) =>
    TOTAL_KEYS.flatMap((key) => {
      const t = matrix.totals[i]![key];
      if (key !== 'all' && t.checks === 0) return [];
      const counts = CELL_OUTCOMES.map((o) => `<td class="n" data-outcome="${o}">${t[o]}</td>`).join('');
      return [`<tr class="total" data-target="${i}" data-level="${key}"><th>${escapeHtml(c.label)}</th><td>${key}</td><td class="n" data-outcome="checks">${t.checks}</td>${counts}</tr>`];
    }),
  );
  return `<table class="totals"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function option(value: string, text: string): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(text)}</option>`;
}

function filters(matrix: Matrix): string {
  return [
    '<form id="filters">',
    `<label><input type="checkbox" id="f-differs"> only checks that differ between targets (${matrix.differing})</label>`,
    `<label>outcome <select id="f-outcome">${option('', 'any')}${CELL_OUTCOMES.map((o) => option(o, o === 'NOT_RUN' ? '— not run' : o)).join('')}</select></label>`,
    `<label>in <select id="f-target">${option('', 'any target')}${matrix.columns.map((c, i) => option(String(i), c.label)).join('')}</select></label>`,
    `<label>level <select id="f-level">${option('', 'any')}${LEVELS.map((l) => option(l, l)).join('')}</select></label>`,
    `<label>area <select id="f-area">${option('', 'any')}${matrix.areas.map((a) => option(a, a)).join('')}</select></label>`,
    '<label>search <input type="search" id="f-text" placeholder="id, title, ref, message" size="28"></label>',
    '<button type="reset" id="f-reset">reset</button>',
    `<span id="f-count">${matrix.rows.length} of ${matrix.rows.length} checks shown</span>`,
    '</form>',
  ].join('');
}

export function renderHtml(matrix: Matrix, options: { generatedAt: Date }): string {
  const title = `oidc-conformance: ${matrix.columns.map((c) => c.label).join(' vs ')}`;
  const csp = [
    "default-src 'none'",
    `style-src ${sha256(STYLE)} ${sha256(NOSCRIPT_STYLE)}`,
    `script-src ${sha256(SCRIPT)}`,
    "img-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  const head = `<th>check</th><th>level</th>${matrix.columns.map((c) => `<th class="target" title="${escapeHtml(`${c.report.target.issuer} · ${c.path}`)}">${escapeHtml(c.label)}</th>`).join('')}`;
  const body = matrix.areas.map((area) => {
    const rows = matrix.rows.filter((r) => r.area === area);
    return `<tr class="area" data-area="${escapeHtml(area)}"><th colspan="${2 + matrix.columns.length}">${escapeHtml(area)} <small data-total="${rows.length}">(${rows.length})</small></th></tr>${rows.map((r) => renderRow(matrix, r)).join('')}`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
<noscript><style>${NOSCRIPT_STYLE}</style></noscript>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${matrix.rows.length} checks, ${matrix.differing} differ between targets. Generated ${escapeHtml(options.generatedAt.toISOString())} by <code>oidc-conformance compare</code>. Hover a cell for its message; click a check for every target's message, values and evidence. "—": the report does not hold the check (not run), unlike SKIP (ran, and the target does not offer what it needs).</p>
<h2>Targets</h2>
${targetsTable(matrix)}
<h2>Totals per target and level</h2>
${totalsTable(matrix)}
<h2>Checks</h2>
${filters(matrix)}
<table class="matrix">
<thead><tr>${head}</tr></thead>
<tbody>${body.join('\n')}<tr id="empty" hidden><td colspan="${2 + matrix.columns.length}">No check matches the filters.</td></tr></tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
