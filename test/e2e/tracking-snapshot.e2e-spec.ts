import { Client } from 'pg';
import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { lodgeDelivered, track, type Lodged } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

interface View {
  status: string;
  timeline: { status: string }[];
}

/**
 * A complaint and its timeline change in one transaction (a status update, a transfer), and the
 * views must never show half of it. Prisma reads a record and its relations with separate
 * statements, so without a snapshot a view read while such a transaction commits could show
 * the old status beside the new timeline entry (CI once saw a transfer's second dispatch with
 * the complaint still DELIVERED).
 *
 * Deterministic, not a race: a second connection changes the status and adds the timeline
 * entry in one transaction that also holds an exclusive lock on status_events. The view reads
 * the complaint (the old status: the change is not committed), then waits for the lock on its
 * timeline read; the test sees it waiting in pg_stat_activity and only then commits. Read in
 * one snapshot, the timeline is the old one too; read statement by statement, it is the new one.
 */
describe('tracking and staff views read one consistent snapshot', () => {
  let hub: TestHub;
  let writer: Client;
  beforeAll(async () => {
    hub = await startTestHub();
    writer = new Client({ connectionString: hub.config.env.databaseUrl! });
    await writer.connect();
  });
  afterAll(async () => {
    await writer.end();
    await hub.close();
  });

  /** Reads `view` while a status change waits to commit, committing it mid-read. */
  async function readAcrossCommit(c: Lodged, view: () => Promise<View>): Promise<View> {
    const { rows } = await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await writer.query('BEGIN');
    try {
      await writer.query('LOCK TABLE status_events IN ACCESS EXCLUSIVE MODE');
      await writer.query(
        `INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
         SELECT gen_random_uuid(), id, 'IN_PROGRESS', 'test', now()
         FROM complaints WHERE tracking_id = $1`,
        [c.trackingId],
      );
      await writer.query(`UPDATE complaints SET status = 'IN_PROGRESS' WHERE tracking_id = $1`, [
        c.trackingId,
      ]);
      const reading = view();
      // The view's timeline read (Prisma's relation query, by complaint id) waits for the lock.
      await waitFor(
        async () => {
          const waiting = await hub.prisma.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> $1 AND wait_event_type = 'Lock'
               AND query LIKE '%"status_events"%' AND query LIKE '%"complaint_id"%'`,
            [rows[0].pid],
          );
          return waiting.rows[0].n > 0;
        },
        { what: "the view's timeline read to wait for the uncommitted change" },
      );
      await writer.query('COMMIT');
      return await reading;
    } catch (error) {
      await writer.query('ROLLBACK');
      throw error;
    }
  }

  it('citizen view: the old status beside the old timeline while a change commits mid-read', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const seen = await readAcrossCommit(c, () => track(hub, c));
    expect({ status: seen.status, newest: seen.timeline.at(-1)!.status }).toEqual({
      status: 'DELIVERED',
      newest: 'DELIVERED',
    });
    // Committed: the next read shows both halves of the change.
    const after = await track(hub, c);
    expect({ status: after.status, newest: after.timeline.at(-1)!.status }).toEqual({
      status: 'IN_PROGRESS',
      newest: 'IN_PROGRESS',
    });
  });

  it('staff view: the old status beside the old timeline while a change commits mid-read', async () => {
    const c = await lodgeDelivered(hub, lucknowStreetlight());
    const staff = await staffKey(hub, 'staff');
    const staffView = async (): Promise<View> => {
      const res = await request(hub.url)
        .get(`/api/v1/staff/complaints/${c.trackingId}`)
        .set('Authorization', `Bearer ${staff}`)
        .expect(200);
      const body = res.body as { status: string; statusEvents: { status: string }[] };
      return { status: body.status, timeline: body.statusEvents };
    };
    const seen = await readAcrossCommit(c, staffView);
    expect({ status: seen.status, newest: seen.timeline.at(-1)!.status }).toEqual({
      status: 'DELIVERED',
      newest: 'DELIVERED',
    });
    const after = await staffView();
    expect({ status: after.status, newest: after.timeline.at(-1)!.status }).toEqual({
      status: 'IN_PROGRESS',
      newest: 'IN_PROGRESS',
    });
  });
});
