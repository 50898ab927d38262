// The compare page as a reader gets it: compare.html for two reports opened from file:// in
// headless Chromium (Debian's, through playwright-core). The matrix has a row per check and a
// column per target, the totals are right, the filters really hide rows (differs between targets,
// outcome in one target, level, area, text), a check opens to every target's message, nothing
// in a message runs, and the page loads nothing but itself (its CSP admits its own style and
// script only, so a wrong hash would show here as a page without filters or colours).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/launch.ts';
import { writeComparison } from './compare-command.ts';
import { verifyComparePage } from './verify-page.ts';
import { NODE_OIDC_PROVIDER, REFERENCE, fixtureReport, tempDir, writeFixture } from './fixture-reports.ts';

const ALL = ['discovery/https', 'discovery/issuer', 'jwks/kid', 'jwks/x5c', 'token/auth', 'token/only-a', 'userinfo/only-b'];
const DIFFERING = ['jwks/kid', 'token/auth', 'token/only-a', 'userinfo/only-b'];

describe('compare.html in headless Chromium', { timeout: 60_000 }, () => {
  const root = tempDir('oc-compare-page-');
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  let url: string;

  beforeAll(async () => {
    const ref = writeFixture(root, 'ref', fixtureReport(REFERENCE));
    const nop = writeFixture(root, 'nop', fixtureReport(NODE_OIDC_PROVIDER));
    const { html } = writeComparison([ref, nop], join(root, 'out'));
    url = pathToFileURL(html).href;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const visibleIds = () => page.$$eval('tr.check', (rows) => rows.filter((r) => !(r as HTMLElement).hidden && (r as HTMLElement).offsetParent !== null).map((r) => r.id.slice(2)));
  const count = () => page.textContent('#f-count');
  const reset = async () => {
    await page.click('#f-reset');
    await expect.poll(count).toBe('7 of 7 checks shown');
  };

  it('shows a row per check grouped by area, a column per target, "—" where a report lacks the check', async () => {
    expect(await page.$$eval('table.matrix thead th.target', (ths) => ths.map((th) => th.textContent))).toEqual(['reference-provider', 'node-oidc-provider']);
    expect(await page.$$eval('tr.check', (rows) => rows.map((r) => r.id.slice(2)))).toEqual(ALL);
    expect(await page.$$eval('tr.area', (rows) => rows.map((r) => r.textContent))).toEqual(['discovery (2)', 'jwks (2)', 'token (2)', 'userinfo (1)']);
    const cells = await page.$$eval('tr.check', (rows) => Object.fromEntries(rows.map((r) => [r.id.slice(2), [...r.querySelectorAll('td.cell')].map((td) => td.textContent)])));
    expect(cells).toEqual({
      'discovery/https': ['WARN', 'WARN'],
      'discovery/issuer': ['PASS', 'PASS'],
      'jwks/kid': ['PASS', 'FAIL'],
      'jwks/x5c': ['SKIP', 'SKIP'],
      'token/auth': ['FAIL', 'PASS'],
      'token/only-a': ['PASS', '—'],
      'userinfo/only-b': ['—', 'ERROR'],
    });
    expect(await visibleIds()).toEqual(ALL);
    expect(await count()).toBe('7 of 7 checks shown');
    // The tooltip is the message; the style (admitted by its hash) colours a FAIL cell.
    const fail = page.locator('tr[id="c-jwks/kid"] td.cell').nth(1);
    expect(await fail.getAttribute('title')).toBe('FAIL: two keys share kid "k1"');
    expect(await fail.evaluate((td) => getComputedStyle(td).backgroundColor)).toBe('rgb(207, 34, 46)');
  });

  it('shows the totals per target and level', async () => {
    const totals = await page.$$eval('table.totals tr.total', (rows) =>
      rows.map((r) => [(r as HTMLElement).dataset.target, (r as HTMLElement).dataset.level, ...[...r.querySelectorAll('td.n')].map((td) => Number(td.textContent))]));
    // checks, PASS, FAIL, WARN, SKIP, ERROR, not run
    expect(totals).toEqual([
      ['0', 'all', 7, 3, 1, 1, 1, 0, 1],
      ['0', 'MUST', 6, 3, 1, 0, 1, 0, 1],
      ['0', 'SHOULD', 1, 0, 0, 1, 0, 0, 0],
      ['1', 'all', 7, 2, 1, 1, 1, 1, 1],
      ['1', 'MUST', 6, 2, 1, 0, 1, 1, 1],
      ['1', 'SHOULD', 1, 0, 0, 1, 0, 0, 0],
    ]);
  });

  it('"only checks that differ" hides every row whose targets agree, and the areas left empty', async () => {
    await page.check('#f-differs');
    expect(await visibleIds()).toEqual(DIFFERING);
    expect(await count()).toBe('4 of 7 checks shown');
    expect(await page.isHidden('tr[id="c-discovery/issuer"]')).toBe(true);
    expect(await page.isHidden('tr[id="c-jwks/x5c"]')).toBe(true);
    expect(await page.isHidden('tr.area[data-area="discovery"]')).toBe(true);
    expect(await page.isVisible('tr.area[data-area="jwks"]')).toBe(true);
    expect(await page.textContent('tr.area[data-area="jwks"]')).toBe('jwks (1 of 2)');
    expect(await page.textContent('tr.area[data-area="userinfo"]')).toBe('userinfo (1)');
    await page.uncheck('#f-differs');
    expect(await visibleIds()).toEqual(ALL);
  });

  it('filters by outcome (in any target or in one), level, area and text', async () => {
    await page.selectOption('#f-outcome', 'FAIL');
    expect(await visibleIds()).toEqual(['jwks/kid', 'token/auth']);
    await page.selectOption('#f-target', '1'); // node-oidc-provider
    expect(await visibleIds()).toEqual(['jwks/kid']);
    await page.selectOption('#f-outcome', 'NOT_RUN');
    expect(await visibleIds()).toEqual(['token/only-a']);
    await reset();
    await page.selectOption('#f-level', 'SHOULD');
    expect(await visibleIds()).toEqual(['discovery/https']);
    await reset();
    await page.selectOption('#f-area', 'token');
    expect(await visibleIds()).toEqual(['token/auth', 'token/only-a']);
    await reset();
    await page.fill('#f-text', 'timed OUT');
    expect(await visibleIds()).toEqual(['userinfo/only-b']);
    await page.fill('#f-text', 'no check has this');
    expect(await visibleIds()).toEqual([]);
    expect(await page.isVisible('#empty')).toBe(true);
    await reset();
  });

  it('opens a check to each target\'s message and values, as text: nothing in a message runs', async () => {
    const detail = page.locator('tr[id="d-token/auth"]');
    expect(await detail.isHidden()).toBe(true);
    await page.click('tr[id="c-token/auth"] td.name');
    expect(await detail.isVisible()).toBe(true);
    const text = (await detail.textContent())!;
    expect(text).toContain('reference-provider: FAIL');
    expect(text).toContain('got 200 | expected <b>401</b> & <img src=x onerror="window.pwned=1"> `code` [x](javascript:alert(1))\nsecond line');
    expect(text).toContain('"body": "<script>window.pwned=2</script>"');
    expect(text).toContain('node-oidc-provider: PASS');
    expect(await detail.locator('a[href^="https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.3.7"]').count()).toBe(1);
    expect(await page.locator('tr.detail img, tr.detail script').count()).toBe(0);
    expect(await page.locator('tr.detail b', { hasText: '401' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await page.click('tr[id="c-token/auth"] td.name');
    expect(await detail.isHidden()).toBe(true);
  });

  it('opens the check a link names (compare.md links to compare.html#c-<id>)', async () => {
    await page.check('#f-differs');
    await page.goto(`${url}#c-discovery/https`);
    expect(await page.isVisible('tr[id="d-discovery/https"]')).toBe(true);
    expect(await page.textContent('tr[id="d-discovery/https"]')).toContain('node-oidc-provider: WARN');
  });

  it('loaded nothing but the file itself, and logged no error (no CSP refusal either)', () => {
    expect(requests.filter((r) => r !== url && !r.startsWith(`${url}#`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});

// CI runs verify-page.ts on the page it builds from the two real reports; here it is proven both
// ways on the fixtures: a right page passes, a page whose cell or row disagrees with the reports fails.
describe('verify-page.ts: the rendered matrix against the reports', { timeout: 60_000 }, () => {
  const root = tempDir('oc-verify-page-');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes on the page compare wrote, and names the cell and the row a tampered page gets wrong', async () => {
    const ref = writeFixture(root, 'ref', fixtureReport(REFERENCE));
    const nop = writeFixture(root, 'nop', fixtureReport(NODE_OIDC_PROVIDER));
    const { html } = writeComparison([ref, nop], join(root, 'out'));
    const right = await verifyComparePage(html, [ref, nop]);
    expect(right.problems).toEqual([]);
    expect(right.rows).toBe(7);
    expect(right.columns).toEqual(['reference-provider', 'node-oidc-provider']);

    const page = readFileSync(html, 'utf8');
    const cell = /(<tr id="c-jwks\/kid"[\s\S]*?<td class="cell[^"]*"[^>]*>)PASS</.exec(page);
    expect(cell, 'the fixture page has a PASS cell for jwks/kid').not.toBeNull();
    const tampered = join(root, 'tampered.html');
    writeFileSync(tampered, page.replace(cell![0], `${cell![1]}FAIL<`).replace('<tr id="c-userinfo/only-b"', '<tr id="c-userinfo/renamed"'));
    const wrong = await verifyComparePage(tampered, [ref, nop]);
    expect(wrong.problems.join('\n')).toMatch(/row jwks\/kid: shows FAIL \| FAIL, the reports say PASS \| FAIL/);
    expect(wrong.problems.join('\n')).toMatch(/row userinfo\/only-b: missing from the page/);
  });
});
