import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import {
  buildDashboardIfStale,
  launchBrowser,
  newPage,
  seriousViolations,
  serveDashboardElsewhere,
  viewReady,
  watchCspViolations,
} from './browser.js';

interface Figure {
  value: number | null;
  target: number | null;
  meetsTarget: boolean | null;
  suppressed: boolean;
}
interface CatalogueTask {
  number: number;
  measured: boolean;
  indicators: Array<{ id: string }>;
}

/**
 * The dashboard in Chromium against the real gateway, subgraphs and shared
 * dataset. The dataset's 3,000 citizens spread over 3,321 communes, so at the
 * disclosure minimum of 10 the communes' counts are hidden while provinces and
 * the nation show theirs.
 */
// Generous: a page, its figures and a browser on two cores shared with other test files.
describe('the dashboard at /dashboard', { timeout: 300_000 }, () => {
  let test: TestSystem;
  let browser: Browser;
  let origin: string;
  let allowed: Awaited<ReturnType<typeof serveDashboardElsewhere>>;
  let refused: Awaited<ReturnType<typeof serveDashboardElsewhere>>;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await buildDashboardIfStale();
    allowed = await serveDashboardElsewhere();
    refused = await serveDashboardElsewhere();
    test = await startTestSystem({ disclosureMinimum: 10, securityEnvironment: { CORS_ORIGINS: allowed.origin } });
    await allowed.pointAt(test.system.gateway.url);
    await refused.pointAt(test.system.gateway.url);
    origin = new URL(test.system.gateway.url).origin;
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await test?.stop();
    await allowed?.close();
    await refused?.close();
  });

  /** A fresh page whose CSP violations are collected for the last test. */
  async function open(path: string): Promise<Page> {
    const page = await newPage(browser, { acceptDownloads: true });
    const violations = await watchCspViolations(page);
    await page.goto(`${origin}${path}`);
    await viewReady(page);
    (page as Page & { violations?: () => Promise<string[]> }).violations = violations;
    return page;
  }
  async function close(page: Page): Promise<void> {
    cspViolations.push(...(await (page as Page & { violations: () => Promise<string[]> }).violations()));
    await page.close();
  }

  const anonymous = <Data>(query: string, variables?: Record<string, unknown>) => test.queryAs<Data>({}, query, variables);
  async function catalogue(): Promise<CatalogueTask[]> {
    const answer = await anonymous<{ tasks: CatalogueTask[] }>('{ tasks { number measured indicators { id } } }');
    expect(answer.errors).toBeUndefined();
    return answer.data!.tasks;
  }
  async function national(period: string, ids: string[]): Promise<Record<string, Figure>> {
    const answer = await anonymous<{ areaStats: Array<Record<string, Figure>> }>(
      `query ($period: String!) { areaStats(level: NATION, period: $period) { ${ids.map((id) => `${id} { value target meetsTarget suppressed }`).join(' ')} } }`,
      { period },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.areaStats[0]!;
  }
  /** What the scorecard shows for each indicator: the raw value it was drawn from, or hidden. */
  const scorecardFigures = (page: Page) =>
    page.$$eval('table.scorecard tr[data-indicator]', (rows) =>
      Object.fromEntries(
        rows.map((row) => {
          const cell = row.querySelector<HTMLElement>('td.figure')!;
          return [row.getAttribute('data-indicator')!, { state: cell.dataset.state!, value: cell.dataset.value, text: cell.textContent! }];
        }),
      ),
    );

  it('is served by the gateway with content types, caching for hashed assets and a strict Content-Security-Policy', async () => {
    const page = await fetch(`${origin}/dashboard`, { headers: { 'accept-encoding': 'identity' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
    const script = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const style = /href="(\/dashboard\/assets\/[^"]+\.css)"/.exec(html)![1]!;

    // fetch decodes what it is told is compressed: the page reads the build's bytes.
    const built = (name: string) => readFile(new URL(`../../../clients/dashboard/dist${name.slice('/dashboard'.length)}`, import.meta.url));
    const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(Number(asset.headers.get('content-length'))).toBeLessThan((await built(script)).length / 2);
    expect(Buffer.from(await asset.arrayBuffer())).toEqual(await built(script));
    const gzipped = await fetch(`${origin}${style}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gzipped.arrayBuffer())).toEqual(await built(style));

    const again = await fetch(`${origin}/dashboard`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${origin}/dashboard`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${origin}/dashboard/assets/none.js`)).status).toBe(404);
  });

  it('shows on the scorecard the national figures the API returns, every task, and unmeasured ones as not connected', async () => {
    const tasks = await catalogue();
    const ids = tasks.flatMap((task) => task.indicators.map((indicator) => indicator.id));
    const expected = await national('2025', ids);
    const page = await open('/dashboard?period=2025');
    const shown = await scorecardFigures(page);
    expect(Object.keys(shown).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const figure = expected[id]!;
      // The threshold comes from the API (disclosureMinimumCount), as the system was started with 10.
      if (figure.suppressed) expect(shown[id], id).toMatchObject({ state: 'hidden', text: 'ẩn (ít hơn 10)' });
      else expect(shown[id], id).toMatchObject({ state: 'value', value: String(figure.value) });
      const status = await page.locator(`tr[data-indicator="${id}"] td.status`).getAttribute('data-state');
      expect(status, id).toBe(
        figure.target === null
          ? 'none'
          : figure.suppressed
            ? 'hidden'
            : figure.meetsTarget
              ? 'met'
              : figure.meetsTarget === false
                ? 'not-met'
                : 'none',
      );
    }
    // Some value is shown with its unit, Vietnamese style: 58,3 %.
    expect(Object.values(shown).some((figure) => /^\d+,\d %$/.test(figure.text))).toBe(true);
    // The 18 tasks, in order; those without a connected database say so and show no figure (never 0).
    expect(
      await page.locator('table.scorecard tbody').evaluateAll((bodies) => bodies.map((body) => Number(body.getAttribute('data-task')))),
    ).toEqual(tasks.map((task) => task.number));
    const unmeasured = tasks.filter((task) => !task.measured).map((task) => task.number);
    expect(unmeasured.length).toBeGreaterThan(0);
    for (const number of unmeasured) {
      const body = page.locator(`tbody[data-task="${number}"]`);
      expect(await body.locator('[data-state="not-measured"]').textContent()).toContain('Chưa có cơ sở dữ liệu kết nối');
      expect(await body.locator('td.figure').count()).toBe(0);
    }
    // A sparkline of the last 12 months per indicator, labelled for screen readers with its figures.
    const sparklines = page.locator('.chart.sparkline[role="img"]');
    expect(await sparklines.count()).toBe(ids.length);
    expect(await sparklines.first().getAttribute('aria-label')).toMatch(/12 tháng từ 01\/2025 đến 12\/2025/);
    // Each indicator's name links to its definition: numerator, denominator, task.
    const link = page.locator(`tr[data-indicator="${ids[0]}"] a.definition-link`);
    expect(await link.getAttribute('href')).toBe(`#def-${ids[0]}`);
    await link.click();
    const definition = page.locator(`#def-${ids[0]}`);
    expect(await definition.textContent()).toMatch(/Tử số.*Mẫu số/s);
    // Each national value leads to its trend.
    await page.click(`tr[data-indicator="${ids[0]}"] td.figure a`);
    await page.waitForURL(/view=trend/);
    await page.locator('#view .view-trend[data-ready="true"]').waitFor({ state: 'attached' });
    expect(new URL(page.url()).searchParams.get('indicator')).toBe(ids[0]);
    expect(new URL(page.url()).searchParams.get('area')).toBeNull();
    await close(page);
  });

  it('asks the API by persisted-query hash, sending a query in full only the first time the gateway does not know it', async () => {
    const page = await newPage(browser);
    const requests: Array<{ method: string; url: URL; body: Record<string, unknown> | null }> = [];
    page.on('request', (request) => {
      if (request.url().includes('/graphql'))
        requests.push({
          method: request.method(),
          url: new URL(request.url()),
          body: request.postDataJSON() as Record<string, unknown> | null,
        });
    });
    await page.goto(`${origin}/dashboard?period=2024-Q2`);
    await viewReady(page);
    await page.reload();
    await viewReady(page);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      const extensions = JSON.parse(
        request.method === 'GET' ? request.url.searchParams.get('extensions')! : JSON.stringify(request.body!.extensions),
      ) as { persistedQuery: { version: number; sha256Hash: string } };
      expect(extensions.persistedQuery).toMatchObject({ version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      if (request.method === 'GET') expect(request.url.searchParams.has('query')).toBe(false);
    }
    // After the reload every operation is known: hashes only, with GET.
    const reloaded = requests.slice(requests.findLastIndex((request) => request.method === 'POST') + 1);
    expect(reloaded.length).toBeGreaterThanOrEqual(2);
    expect(reloaded.every((request) => request.method === 'GET')).toBe(true);
    await page.close();
  });

  it('changes the figures with the period picker, and keeps the period in the address', async () => {
    const tasks = await catalogue();
    const ids = tasks.flatMap((task) => task.indicators.map((indicator) => indicator.id));
    const page = await open('/dashboard?period=2025');
    const before = await scorecardFigures(page);

    await page.selectOption('#period-kind', 'MONTH');
    await page.waitForURL(/period=2025-12/);
    await viewReady(page);
    await page.selectOption('#period-year', '2022');
    await page.waitForURL(/period=2022-12/);
    await page.locator('#view .view[data-ready="true"][data-period="2022-12"]').waitFor();
    await page.selectOption('#period-part', '3');
    await page.waitForURL(/period=2022-03/);
    await page.locator('#view .view[data-ready="true"][data-period="2022-03"]').waitFor();
    const after = await scorecardFigures(page);
    const expected = await national('2022-03', ids);
    for (const id of ids) {
      if (expected[id]!.suppressed) expect(after[id]!.state).toBe('hidden');
      else expect(after[id]!.value, id).toBe(String(expected[id]!.value));
    }
    expect(after.eIdAdoption!.value).not.toBe(before.eIdAdoption!.value);
    expect(await page.locator('table.scorecard caption').textContent()).toContain('03/2022');
    // The address opens the same view elsewhere; Back returns to the period before.
    const copied = await newPage(browser);
    await copied.goto(page.url());
    await copied.locator('#view .view[data-ready="true"][data-period="2022-03"]').waitFor({ timeout: 90_000 });
    expect(await copied.inputValue('#period-kind')).toBe('MONTH');
    expect(await copied.inputValue('#period-year')).toBe('2022');
    expect(await copied.inputValue('#period-part')).toBe('3');
    await copied.close();
    await page.goBack();
    await page.locator('#view .view[data-ready="true"][data-period="2022-12"]').waitFor({ timeout: 90_000 });
    await close(page);
  });

  it('goes from a province, chosen with the keyboard on the tile map, to its communes, where hidden figures read hidden', async () => {
    const page = await open('/dashboard?view=provinces&period=2025&indicator=ehrCoverage');
    expect(await page.locator('.tile-map .tile').count()).toBe(34);
    expect(await page.locator('table.provinces tbody tr').count()).toBe(34);
    const chart = page.locator('.chart.bars[role="img"]');
    expect(await chart.getAttribute('aria-label')).toMatch(/Biểu đồ cột/);
    const tile = page.locator('.tile[data-unit="01"]');
    await tile.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=communes/);
    await viewReady(page);
    expect(new URL(page.url()).searchParams.get('area')).toBe('01');
    const communes = await anonymous<{ areaStats: Array<{ unitCode: string; ehrCoverage: Figure }> }>(
      '{ areaStats(level: COMMUNE, period: "2025", parentCode: "01") { unitCode ehrCoverage { value suppressed } } }',
    );
    const rows = page.locator('table.communes tbody tr');
    expect(await rows.count()).toBe(communes.data!.areaStats.length);
    const hidden = communes.data!.areaStats.filter((area) => area.ehrCoverage.suppressed);
    expect(hidden.length).toBeGreaterThan(0);
    for (const area of hidden.slice(0, 20)) {
      const cell = page.locator(`table.communes tr[data-unit="${area.unitCode}"] td.figure`);
      expect(await cell.textContent()).toBe('ẩn (ít hơn 10)');
    }
    // Never 0 or blank in place of a hidden figure.
    const texts = await page.locator('table.communes td.figure').allTextContents();
    expect(texts.filter((text) => text.trim() === '' || /^0([,.]0)? ?%?$/.test(text.trim()))).toEqual([]);
    // The focus moved to the new view's heading, and the English toggle says hidden.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('communes-title');
    await page.click('#language');
    await page.waitForURL(/lang=en/);
    await viewReady(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator(`table.communes tr[data-unit="${hidden[0]!.unitCode}"] td.figure`).textContent()).toBe(
      'hidden (fewer than 10)',
    );
    // A commune leads on to its own trend, under its province.
    await page.click(`table.communes tr[data-unit="${hidden[0]!.unitCode}"] th a`);
    await page.waitForURL(new RegExp(`view=trend.*area=${hidden[0]!.unitCode}`));
    await page.locator('#view .view-trend[data-ready="true"]').waitFor({ state: 'attached' });
    expect(await page.locator('.breadcrumb').textContent()).toContain('Hanoi');
    expect(await page.locator('table.trend td.figure[data-state="hidden"]').first().textContent()).toBe('hidden (fewer than 10)');
    await close(page);
  });

  it('draws the trend of an area with its target, and downloads what is on screen as CSV (UTF-8 with BOM)', async () => {
    const page = await open('/dashboard?view=trend&period=2025-Q4&indicator=eIdAdoption&area=01');
    const series = await anonymous<{ areaSeries: Array<{ period: string; eIdAdoption: Figure }> }>(
      '{ areaSeries(unitCode: "01", from: "2023-Q1", to: "2025-Q4") { period eIdAdoption { value target suppressed } } }',
    );
    expect(await page.locator('table.trend tbody tr').count()).toBe(series.data!.areaSeries.length);
    const last = series.data!.areaSeries.at(-1)!;
    expect(await page.locator(`table.trend tr[data-period="${last.period}"] td.figure`).getAttribute('data-value')).toBe(
      String(last.eIdAdoption.value),
    );
    expect(await page.locator('.trend-chart[role="img"]').getAttribute('aria-label')).toContain('đường chỉ tiêu 30,0 %');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(series.data!.areaSeries.length + 1);
    expect(lines[0]).toContain('Hà Nội');
    expect(download.suggestedFilename()).toBe('trend-01-eIdAdoption-2023-Q1-2025-Q4.csv');
    await close(page);
  });

  it('has no serious or critical accessibility violation (axe-core) on any view, in either language', async () => {
    // The first Tab reaches the skip link, which leads to the content.
    const first = await open('/dashboard?period=2025');
    await first.keyboard.press('Tab');
    expect(await first.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await first.keyboard.press('Enter');
    expect(await first.evaluate(() => document.activeElement?.id)).toBe('main');
    await close(first);
    for (const path of [
      '/dashboard?period=2025',
      '/dashboard?view=provinces&period=2025&indicator=eIdAdoption',
      '/dashboard?view=communes&period=2025&area=79',
      '/dashboard?view=trend&period=2025&area=01',
      '/dashboard?view=provinces&period=2025-Q4&indicator=ehrCoverage&lang=en',
    ]) {
      const page = await open(path);
      expect(await seriousViolations(page), path).toEqual([]);
      await close(page);
    }
  });

  it('can be served from an origin listed in CORS_ORIGINS and read the API, and not from another one', async () => {
    const expected = await national('2025', ['eIdAdoption']);
    const page = await newPage(browser);
    await page.goto(`${allowed.origin}/dashboard?period=2025`);
    await viewReady(page);
    expect(await page.locator('tr[data-indicator="eIdAdoption"] td.figure').getAttribute('data-value')).toBe(
      String(expected.eIdAdoption!.value),
    );
    await page.close();

    const elsewhere = await newPage(browser);
    await elsewhere.goto(`${refused.origin}/dashboard?period=2025`);
    await viewReady(elsewhere, 'error');
    expect(await elsewhere.locator('#status').textContent()).toMatch(/Không tải được số liệu/);
    expect(await elsewhere.locator('td.figure').count()).toBe(0);
    // The browser keeps the gateway's answer from that page, whatever it asks.
    const direct = await elsewhere.evaluate(
      (url) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ tasks { number } }"}' }).then(
          () => 'read',
          () => 'refused',
        ),
      test.system.gateway.url,
    );
    expect(direct).toBe('refused');
    await elsewhere.close();
  });

  it('ran every page above under its Content-Security-Policy without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
