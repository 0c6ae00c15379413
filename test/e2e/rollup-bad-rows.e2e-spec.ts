import request from 'supertest';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { DAY_MS, insertGrievance, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

// The project's testTimeout does not reach these tests (Jest 30 reads it globally only).
jest.setTimeout(60_000);

const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
const logged = (hub: TestHub) =>
  hub.logs.map((l) => JSON.parse(l) as Record<string, unknown> & { level: number; msg: string });

/** Issue 11: one bad row must never freeze the staff figures. */
describe('staff figures survive a bad row', () => {
  let hub: TestHub;
  let key: string;
  let bad: { id: string; trackingId: string };
  beforeAll(async () => {
    // api role: no scheduler refreshes behind the test's back.
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    key = await staffKey(hub, 'staff');
    const day = ago(3);
    await insertGrievance(hub, {
      portal: 'UP-IGRS',
      category: 'ROADS',
      stateCode: '09',
      districtCode: '162', // Lucknow
      createdAt: day,
      slaDueAt: ago(1),
      resolvedAt: ago(2),
    });
    await insertGrievance(hub, {
      portal: 'MH-AAPLESARKAR',
      category: 'ROADS',
      stateCode: '27',
      districtCode: '490', // Pune
      createdAt: day,
    });
    // Lodged before intake checked that a district is its state's: Lucknow's code in Maharashtra.
    bad = await insertGrievance(hub, {
      portal: 'MH-AAPLESARKAR',
      category: 'ROADS',
      stateCode: '27',
      districtCode: '162',
      createdAt: day,
    });
  });
  afterAll(() => hub.close());

  const get = (path: string) =>
    request(hub.url).get(path).set('Authorization', `Bearer ${key}`).expect(200);

  it('rolls up every other grievance, and logs the bad one as left out', async () => {
    await expect(hub.app.get(SlaRollupService).refresh()).resolves.toMatchObject({ full: true });

    const byDistrict = (await get('/api/v1/sla/summary?groupBy=district')).body;
    expect(
      byDistrict.groups.map((g: { stateCode: string; key: string; total: number }) => [
        g.stateCode,
        g.key,
        g.total,
      ]),
    ).toEqual([
      ['09', '162', 1],
      ['27', '490', 1],
    ]);
    const byState = (await get('/api/v1/sla/summary?groupBy=state')).body;
    expect(byState.groups.map((g: { key: string; total: number }) => [g.key, g.total])).toEqual([
      ['09', 1],
      ['27', 1],
    ]);
    expect(byState.overall.total).toBe(2);

    const warning = await waitFor(
      () => logged(hub).find((l) => l.msg.includes('left out of the SLA figures')),
      { what: 'the bad row logged' },
    );
    expect(warning).toMatchObject({
      level: 40,
      count: 1,
      examples: [{ trackingId: bad.trackingId, stateCode: '27', districtCode: '162' }],
    });
  });

  it('keeps rolling up after the bad row (the next refresh of the same day succeeds)', async () => {
    await hub.prisma
      .$executeRaw`UPDATE complaints SET updated_at = now() WHERE id = ${bad.id}::uuid`;
    await insertGrievance(hub, {
      portal: 'UP-IGRS',
      category: 'ROADS',
      stateCode: '09',
      districtCode: '162',
      createdAt: ago(3),
    });
    await expect(hub.app.get(SlaRollupService).refresh()).resolves.toMatchObject({ full: false });
    const byState = (await get('/api/v1/sla/summary?groupBy=state')).body;
    expect(byState.overall.total).toBe(3);
  });
});
