import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { launchChromium } from '../support/chromium';
import { DAY_MS, insertGrievance, parseCsv, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { docsScreenshotPath } from '../support/screenshots';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// A browser under a loaded CI machine needs more than Jest's default 5 s per test.
const BROWSER_TIMEOUT_MS = 60_000;

describe('staff dashboard in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let key: string;
  let withPersonalData = '';
  beforeAll(async () => {
    // api role: the rollup is refreshed by the test alone, so its age is the test's to set.
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    key = await staffKey(hub, 'staff', 'dashboard viewer');
    const ago = (d: number) => new Date(Date.now() - d * DAY_MS);
    for (let week = 0; week < 6; week++) {
      for (const districtCode of ['162', '118']) {
        await insertGrievance(hub, {
          portal: 'UP-IGRS',
          category: 'ROADS',
          districtCode,
          createdAt: ago(week * 7 + 9),
          slaDueAt: ago(week * 7 + 2),
          resolvedAt: ago(week * 7 + (districtCode === '162' ? 6 : 1)),
          feedbackRating: 4,
        });
      }
      await insertGrievance(hub, {
        portal: 'CPGRAMS',
        category: 'RAILWAYS',
        stateCode: '27',
        createdAt: ago(week * 7 + 25),
        slaDueAt: ago(week * 7 + 4),
      });
    }
    // 15 more overdue at CPGRAMS (21 breaches: two pages of 20), one with personal data.
    for (let i = 0; i < 15; i++) {
      const g = await insertGrievance(hub, {
        portal: 'CPGRAMS',
        category: 'RAILWAYS',
        ministryCode: 'MORLY',
        stateCode: '27',
        createdAt: ago(30 + i),
        slaDueAt: ago(8 + i),
        complainant:
          i === 0
            ? { name: 'Asha Verma', mobile: '9876543210', email: null, address: 'Pune' }
            : null,
      });
      if (i === 0) withPersonalData = g.trackingId;
    }
    await hub.app.get(SlaRollupService).refresh();
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, BROWSER_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await hub.close();
  });

  it(
    'shows figures, charts, the district ranking and a working CSV link once a key is entered',
    async () => {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(`${hub.url}/dashboard`);
      await page.fill('#api-key', key);
      await page.click('#show');
      await page.waitForSelector('body[data-loaded="true"]');

      expect(await page.textContent('#fig-total')).toBe('33');
      expect(await page.isHidden('#stale')).toBe(true); // just refreshed
      // Sum of each chart's first dataset, as Chart.js holds it (-1: no chart drawn).
      const charts = await page.evaluate<number[]>(`
      ['chart-trend', 'chart-portals', 'chart-states'].map((id) => {
        const chart = Chart.getChart(id);
        return chart ? chart.data.datasets[0].data.reduce((a, b) => a + b, 0) : -1;
      })`);
      expect(charts[0]).toBeGreaterThan(0); // received per week
      expect(charts[1]).toBe(21 + 6); // breaches by portal: 21 open past due at CPGRAMS, 6 late in Agra
      expect(await page.locator('#districts tbody tr', { hasText: 'Lucknow' }).count()).toBe(1);
      expect(await page.locator('#portals tbody tr').count()).toBe(3);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-laptop.png'), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#csv-link'),
      ]);
      const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(csv[0].slice(0, 4)).toEqual(['group_by', 'key', 'label', 'total']);
      expect(csv.find((r) => r[1] === 'ALL')?.[3]).toBe('33');

      // The district ranking is the District Governance Index of the state and month shown.
      expect(await page.textContent('#index-note')).toContain('Uttar Pradesh');
      const [indexDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#index-csv'),
      ]);
      const index = parseCsv(readFileSync((await indexDownload.path())!, 'utf8'));
      expect(index[0].slice(0, 5)).toEqual([
        'state_code',
        'month',
        'rank',
        'district_code',
        'district',
      ]);
      expect(index.slice(1).map((r) => r[0])).toEqual(Array(index.length - 1).fill('09'));
      expect(index.slice(1).map((r) => r[1])).toContain(await page.inputValue('#index-month'));
      expect(failed).toEqual([]);

      await page.close();

      // A phone: nothing wider than the screen (tables scroll inside their own box).
      const phone = await browser.newPage({
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      await phone.goto(`${hub.url}/dashboard`);
      await phone.fill('#api-key', key);
      await phone.click('#show');
      await phone.waitForSelector('body[data-loaded="true"]');
      expect(
        await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
      // The phone-width screenshot in the docs (viewport only: the first screen a phone shows).
      await phone.screenshot({ path: docsScreenshotPath('dashboard-phone.png') });
      await phone.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  /** A page logged in to the dashboard at `query`, loaded. */
  async function dashboard(query = '', options: Parameters<Browser['newPage']>[0] = {}) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
    await page.goto(`${hub.url}/dashboard${query}`);
    await page.fill('#api-key', key);
    await page.click('#show');
    await page.waitForSelector('body[data-loaded="true"]');
    return page;
  }
  /** Waits for a load started by the page (filters, back button) to finish with `total`. */
  const settled = (page: Page, total: string) =>
    page.waitForSelector(`body[data-loaded="true"] #fig-total:text-is("${total}")`);

  it(
    'keeps the filters in the URL: applied, shared and undone with the back button',
    async () => {
      const page = await dashboard();
      await page.selectOption('#filters select[name="portal"]', 'UP-IGRS');
      await page.click('#filters button[type="submit"]');
      await settled(page, '12');
      expect(new URL(page.url()).searchParams.get('portal')).toBe('UP-IGRS');
      const shared = page.url();

      await page.goBack();
      await settled(page, '33');
      expect(new URL(page.url()).searchParams.get('portal')).toBeNull();
      expect(await page.inputValue('#filters select[name="portal"]')).toBe('');
      await page.goForward();
      await settled(page, '12');
      await page.close();

      const other = await dashboard(new URL(shared).search);
      expect(await other.textContent('#fig-total')).toBe('12');
      expect(await other.inputValue('#filters select[name="portal"]')).toBe('UP-IGRS');
      // Nothing matches: every table says so.
      await other.selectOption('#filters select[name="ministry"]', 'DOTEL');
      await other.click('#filters button[type="submit"]');
      await settled(other, '0');
      for (const table of ['ageing', 'ministries', 'breaches', 'ratings', 'appeals', 'transfers'])
        expect(await other.textContent(`#${table} tbody`)).toBe('None');
      await other.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'pages and sorts the breaches, exports the page shown, and opens a grievance masked',
    async () => {
      const page = await dashboard('', { acceptDownloads: true });
      const ids = () => page.$$eval('#breaches tbody button', (b) => b.map((x) => x.textContent));
      const first = await ids();
      expect(first).toHaveLength(20);
      expect(await page.isDisabled('#breaches-prev')).toBe(true);
      await page.click('#breaches-next');
      await page.waitForSelector('#breaches-page:has-text("Page 2")');
      const second = await ids();
      expect(second).toHaveLength(1);
      expect(first).not.toContain(second[0]);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#breaches-csv'),
      ]);
      const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(csv.slice(1).map((r) => r[0])).toEqual(second);
      await page.click('#breaches-prev');
      await page.waitForSelector('#breaches-page:has-text("Page 1")');

      await page.selectOption('#breach-sort', '-due');
      await page.waitForSelector(`#breaches tbody tr:first-child button:text-is("${second[0]}")`);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('-due');

      // The most overdue is the one with personal data: its staff view is masked.
      await page.selectOption('#breach-sort', 'due');
      await page.click(`#breaches tbody button:has-text("${withPersonalData}")`);
      await page.waitForSelector('#grievance:not([hidden])');
      const details = await page.textContent('#grievance-details');
      expect(details).toContain('******3210');
      expect(details).not.toContain('Asha Verma');
      expect(details).not.toContain('9876543210');
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'switches between English and Hindi, passes axe-core (WCAG 2.1 AA) in both, and prints without controls',
    async () => {
      const page = await dashboard();
      const axe = async () => {
        await page.evaluate(AXE);
        return page.evaluate<{ id: string; nodes: { target: string[] }[] }[]>(`
          axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
            .then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
      };
      expect(await axe()).toEqual([]);
      expect(await page.textContent('h1')).toBe('Grievance redressal across portals');
      expect(await page.textContent('#show')).toBe('Show');

      await page.click('#lang');
      await page.waitForSelector('html[lang="hi"]');
      expect(await page.textContent('h1')).toBe('सभी पोर्टलों पर शिकायत निवारण');
      expect(await page.textContent('#show')).toBe('दिखाएँ');
      expect(await page.textContent('#ageing thead')).toContain('अवधि');
      // The filter lists follow the language too (they stayed English once).
      const optionText = (select: string, value: string) =>
        page.$eval(
          `#filters select[name="${select}"] option[value="${value}"]`,
          (o) => (o as unknown as { text: string }).text,
        );
      expect(await optionText('category', 'MUNICIPAL_SERVICES')).toMatch(/^नगरीय सेवाएँ/);
      expect(await optionText('ministry', '-')).toBe('(राज्य का विषय: कोई मंत्रालय नहीं)');
      expect(new URL(page.url()).searchParams.get('lang')).toBe('hi');
      expect(await axe()).toEqual([]);

      // Reloaded from its URL, the page stays in Hindi.
      await page.reload();
      await page.waitForSelector('body[data-loaded="true"]');
      expect(await page.textContent('#show')).toBe('दिखाएँ');
      expect(await optionText('category', 'MUNICIPAL_SERVICES')).toMatch(/^नगरीय सेवाएँ/);

      await page.emulateMedia({ media: 'print' });
      expect(await page.isHidden('#login')).toBe(true);
      expect(await page.isHidden('#filters .actions')).toBe(true);
      expect(await page.isVisible('#districts')).toBe(true);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'Swagger UI and the queue board work under the hub’s Content-Security-Policy',
    async () => {
      const admin = await staffKey(hub, 'admin', 'board admin');
      const page = await browser.newPage({
        httpCredentials: { username: 'ravi', password: admin },
      });
      const refused: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
      });

      await page.goto(`${hub.url}/docs`);
      await page.waitForSelector('.swagger-ui .opblock-summary-path');
      expect(await page.textContent('.swagger-ui .title')).toContain('Grievance integration hub');

      await page.goto(`${hub.url}/admin/queues`);
      await page.waitForSelector('text=dispatch-UP-IGRS');
      await page.screenshot({ path: join(ARTIFACTS, 'queue-board.png') });
      // The only thing refused: bull-board's link to a third-party font stylesheet (the hub is
      // self-contained, and the board falls back to a local font).
      expect(refused.filter((r) => !r.includes('fonts.googleapis.com'))).toEqual([]);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'says the figures are stale once the rollup has missed two refreshes',
    async () => {
      // As a failing sla-refresh-rollup job leaves it: the last refresh ten minutes ago.
      await hub.prisma
        .$executeRaw`UPDATE sla_rollup_state SET refreshed_at = now() - interval '10 minutes'`;
      const page = await browser.newPage();
      await page.goto(`${hub.url}/dashboard`);
      await page.fill('#api-key', key);
      await page.click('#show');
      await page.waitForSelector('body[data-loaded="true"]');
      expect(await page.isVisible('#stale')).toBe(true);
      expect(await page.textContent('#stale')).toMatch(/^Figures are stale since \d/);
      await page.close();

      await hub.app.get(SlaRollupService).refresh();
      const fresh = await browser.newPage();
      await fresh.goto(`${hub.url}/dashboard`);
      await fresh.fill('#api-key', key);
      await fresh.click('#show');
      await fresh.waitForSelector('body[data-loaded="true"]');
      expect(await fresh.isHidden('#stale')).toBe(true);
      await fresh.close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'refreshes by itself: new figures when data arrives, the stale banner when the rollup lags',
    async () => {
      // ?refresh=1: the page's own timer every second (60 s by default); nothing here reloads it.
      const page = await dashboard('?refresh=1');
      const loads: string[] = [];
      page.on('response', (r) => r.url().includes('groupBy=portal') && loads.push(r.url()));
      const before = Number(await page.textContent('#fig-total'));
      expect(await page.isHidden('#stale')).toBe(true);
      await insertGrievance(hub, {
        portal: 'UP-IGRS',
        category: 'ROADS',
        districtCode: '162',
        createdAt: new Date(Date.now() - DAY_MS),
        slaDueAt: new Date(Date.now() + 6 * DAY_MS),
      });
      await hub.app.get(SlaRollupService).refresh();
      await settled(page, String(before + 1));
      expect(loads.length).toBeGreaterThan(0);
      expect(new URL(page.url()).searchParams.get('refresh')).toBe('1'); // kept across loads

      // The rollup falls behind (as a failing sla-refresh-rollup job leaves it): the next load
      // raises the banner, and takes it down once the rollup is refreshed again.
      await hub.prisma
        .$executeRaw`UPDATE sla_rollup_state SET refreshed_at = now() - interval '10 minutes'`;
      await page.waitForSelector('#stale:not([hidden])');
      expect(await page.textContent('#stale')).toMatch(/^Figures are stale since \d/);
      await hub.app.get(SlaRollupService).refresh();
      await page.waitForSelector('#stale', { state: 'hidden' });
      await page.close();
    },
    // Three loads by the page's timer, each waited for: more than one page's time on a busy machine.
    3 * BROWSER_TIMEOUT_MS,
  );

  it(
    'says so when the key is refused',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${hub.url}/dashboard`);
      await page.fill('#api-key', 'ghk_wrong');
      await page.click('#show');
      await page.waitForSelector('#status:has-text("not accepted")');
      expect(await page.isHidden('#content')).toBe(true);
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );
});
