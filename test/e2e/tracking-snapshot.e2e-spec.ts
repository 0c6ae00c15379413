import type { PoolClient } from 'pg';
import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { lodgeDelivered, track } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * A complaint and its timeline change in one transaction (a status update, a transfer), and the
 * views must never show half of it. Prisma reads a record and its relations with separate
 * statements, so without a snapshot a view read while such a transaction commits could show
 * the old status beside the new timeline entry (CI once saw a transfer's second dispatch with
 * the complaint still DELIVERED).
 */
describe('tracking and staff views read one consistent snapshot', () => {
  let hub: TestHub;
  let writer: PoolClient;
  beforeAll(async () => {
    hub = await startTestHub();
    writer = await hub.prisma.pool.connect();
  });
  afterAll(async () => {
    writer.release();
    await hub.close();
  });

  it('never shows a status that differs from the newest timeline entry while changes commit', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    let writing = true;
    const write = (async () => {
      // Flip the status 300 times, each flip with its own timeline entry, as status sync does.
      for (let i = 0; i < 300; i++) {
        const status = i % 2 === 0 ? 'IN_PROGRESS' : 'DELIVERED';
        await writer.query('BEGIN');
        await writer.query(
          `INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
           SELECT gen_random_uuid(), id, $2::"ComplaintStatus", 'test', now()
           FROM complaints WHERE tracking_id = $1`,
          [c.trackingId, status],
        );
        await writer.query(
          `UPDATE complaints SET status = $2::"ComplaintStatus" WHERE tracking_id = $1`,
          [c.trackingId, status],
        );
        await writer.query('COMMIT');
      }
      writing = false;
    })();
    const staff = await staffKey(hub, 'staff');
    const staffView = async () => {
      const res = await request(hub.url)
        .get(`/api/v1/staff/complaints/${c.trackingId}`)
        .set('Authorization', `Bearer ${staff}`)
        .expect(200);
      const body = res.body as { status: string; statusEvents: { status: string }[] };
      return { status: body.status, timeline: body.statusEvents };
    };
    const mismatches: string[] = [];
    let reads = 0;
    while (writing) {
      // Citizen and staff views in turn; each must match its own newest timeline entry.
      const [view, which] =
        reads % 2 === 0 ? [await track(hub, c), 'citizen'] : [await staffView(), 'staff'];
      reads++;
      const newest = view.timeline.at(-1)!.status;
      if (newest !== view.status) mismatches.push(`${which}: ${view.status} beside ${newest}`);
    }
    await write;
    expect(reads).toBeGreaterThan(10);
    expect(mismatches).toEqual([]);
  });
});
