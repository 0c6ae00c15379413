import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { launchChromium } from '../support/chromium';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { docsScreenshotPath } from '../support/screenshots';

const BROWSER_TIMEOUT_MS = 60_000;
jest.setTimeout(BROWSER_TIMEOUT_MS);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The public transparency page (issue 17 §3): no key, aggregates only, small cells hidden. */
describe('public transparency figures and page', () => {
  let hub: TestHub;
  let browser: Browser;
  const trackingIds: string[] = [];
  const now = Date.now();
  const ago = (d: number) => new Date(now - d * DAY_MS);

  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    const lodge = async (portal: string, n: number, disposed: number) => {
      for (let i = 0; i < n; i++) {
        const g = await insertGrievance(hub, {
          portal,
          stateCode: portal === 'MH-AAPLESARKAR' ? '27' : '09',
          districtCode: portal === 'MH-AAPLESARKAR' ? null : '162',
          category: 'ROADS',
          createdAt: ago(20),
          slaDueAt: ago(10),
          resolvedAt: i < disposed ? ago(17) : null,
        });
        trackingIds.push(g.trackingId);
      }
    };
    // CPGRAMS's 3 (all in state 09) are hidden; hiding Maharashtra's portal with them (as the
    // per-table rule did) left state 09 (33) − UP-IGRS (30) = 3: UP-IGRS is hidden instead.
    await lodge('UP-IGRS', 30, 20);
    await lodge('MH-AAPLESARKAR', 15, 12);
    await lodge('CPGRAMS', 3, 1); // under 10: hidden
    await hub.app.get(SlaRollupService).refresh();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await hub.close();
  });

  it('answers without a key, with small cells hidden and no grievance in sight', async () => {
    const res = await request(hub.url).get('/api/v1/public/figures').expect(200);
    expect(res.body.minCount).toBe(10);
    expect(res.body.overall).toEqual({
      received: 48,
      disposed: 33,
      pending: 15,
      meanDaysToDispose: 3,
      withinDeadlinePct: 68.8, // 33 of (33 + 15 past due)
      suppressed: false,
    });
    const byPortal = Object.fromEntries(
      res.body.byPortal.map((p: { key: string; received: number | null }) => [p.key, p.received]),
    );
    expect(byPortal).toEqual({ 'UP-IGRS': null, 'MH-AAPLESARKAR': 15, CPGRAMS: null });
    const byState = Object.fromEntries(
      res.body.byState.map((p: { key: string; received: number | null }) => [p.key, p.received]),
    );
    expect(byState).toEqual({ '09': 33, '27': 15 });
    for (const id of trackingIds) expect(res.text).not.toContain(id);
    const index = await request(hub.url).get('/api/v1/public/district-index?state=09').expect(200);
    const district = (code: string) =>
      index.body.districts.find((d: { key: string }) => d.key === code);
    expect(district('162')).toMatchObject({ received: 33, rank: 1, suppressed: false });
    expect(district('118')).toMatchObject({ received: null, rank: null, suppressed: true });
    await request(hub.url).get('/api/v1/public/figures?from=2026-02-30').expect(400);
    await request(hub.url).get('/api/v1/public/district-index?state=UP').expect(400);
  });

  it('serves a cached answer until it expires', async () => {
    const before = await request(hub.url).get('/api/v1/public/figures').expect(200);
    await insertGrievance(hub, { portal: 'UP-IGRS', stateCode: '09', createdAt: ago(1) });
    await hub.app.get(SlaRollupService).refresh();
    const after = await request(hub.url).get('/api/v1/public/figures').expect(200);
    expect(after.body.overall.received).toBe(before.body.overall.received);
    const other = await request(hub.url).get('/api/v1/public/figures?to=2099-12-31').expect(200);
    expect(other.body.overall.received).toBe(49); // another query: read afresh
  });

  it(
    'shows the figures in English and Hindi, with zero axe-core WCAG 2.1 AA violations',
    async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(`${hub.url}/public`);
      await page.waitForSelector('body[data-loaded="true"]');
      expect(await page.textContent('#fig-received')).toBe('48');
      expect(await page.textContent('#by-portal tbody')).toContain('–');
      // Every table: in a focusable scroll box of a section its heading names; numbers right-aligned.
      const tables = () =>
        page.evaluate<string[][]>(`[...document.querySelectorAll('main table')].map((t) => {
          const section = t.closest('section');
          const heading = document.getElementById(section.getAttribute('aria-labelledby'));
          return [
            t.id,
            heading.textContent.trim(),
            t.parentElement.className + ' ' + t.parentElement.getAttribute('tabindex'),
            ...[...t.querySelectorAll('thead th')].map(
              (th) => th.getAttribute('scope') + ':' + (th.className === 'num' ? '#' : '') + th.textContent,
            ),
            t.querySelectorAll('tbody tr').length > 0 ? 'rows' : 'none',
          ];
        })`);
      const figureColumns = (first: string, en: boolean) => [
        `col:${first}`,
        ...(en
          ? ['Received', 'Disposed', 'Pending', 'Avg days', 'Within deadline %']
          : ['प्राप्त', 'निस्तारित', 'लंबित', 'औसत दिन', 'समय-सीमा में %']
        ).map((h) => `col:#${h}`),
      ];
      const box = 'table-wrap 0';
      expect(await tables()).toEqual([
        ['by-portal', 'By portal', box, ...figureColumns('Portal', true), 'rows'],
        ['by-state', 'By state', box, ...figureColumns('State', true), 'rows'],
        ['by-month', 'By month received', box, ...figureColumns('Month', true), 'rows'],
        [
          'districts',
          'District Governance Index: grievance redressal',
          box,
          ...['col:#', 'col:District', 'col:#Score', 'col:Rank change', 'col:#Received'],
          'rows',
        ],
      ]);
      const axe = async () => {
        await page.evaluate(AXE);
        return page.evaluate<{ id: string }[]>(`
          axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
            .then((r) => r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) })))`);
      };
      expect(await axe()).toEqual([]);
      await page.click('#lang');
      await page.waitForSelector('html[lang="hi"]');
      expect(await page.textContent('h1')).toBe('शिकायत निवारण के सार्वजनिक आँकड़े');
      expect((await tables())[0]).toEqual([
        'by-portal',
        'पोर्टल अनुसार',
        box,
        ...figureColumns('पोर्टल', false),
        'rows',
      ]);
      expect(await axe()).toEqual([]);
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      expect(failed).toEqual([]);
      await page.screenshot({ path: docsScreenshotPath('public-phone.png') });
      await page.close();
    },
    BROWSER_TIMEOUT_MS,
  );
});
