import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { storeInboundEvents } from '../../src/inbound/waiting-events.sql';
import { loadHubConfig } from '../../src/platform/config/load-config';
import { MonthlyPartitions } from '../../src/platform/database/monthly-partitions';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { PartitionMaintenance } from '../../src/privacy/partition-maintenance.service';
import { migrate, readMigrations } from '../../src/platform/database/migrator';
import { useDatabaseBefore } from '../support/database';
import { waitFor } from '../support/wait';

const FIRST = '20261128040000_partition_prepare';

/** Issue 16: audit_log and status_events partitioned by month on a database that has rows. */
describe('partitioning migration on an existing database', () => {
  const older = useDatabaseBefore(FIRST, 'part');
  const url = older.url;
  let db: Client;
  const complaintId = randomUUID();
  const eventIds = [randomUUID(), randomUUID()];
  const auditId = randomUUID();

  beforeAll(async () => {
    db = older.client;
    await db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, pincode, language, primary_portal_code, routing_rule, created_at, updated_at)
       VALUES ($1, 'GRV-PART-1', 'x', 'RECEIVED', 's', 'A grievance written by a test.', 'RAILWAYS',
         '09', '226010', 'en', 'cpgrams', 'fixture', now(), now())`,
      [complaintId],
    );
  });

  it('keeps the rows, and the old table takes writes while the migration waits', async () => {
    await db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, occurred_at, recorded_at)
       VALUES ($1, $3, 'RECEIVED', 'hub', now(), '2025-03-04T00:00:00Z'), ($2, $3, 'ROUTED', 'hub', now(), now())`,
      [...eventIds, complaintId],
    );
    await db.query(
      `INSERT INTO audit_log (id, at, actor, action, target, outcome) VALUES ($1, '2024-01-02T00:00:00Z', 'k', 'staff.search', 'GRV-PART-1', 'ok')`,
      [auditId],
    );
    const holder = new Client({ connectionString: url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE status_events IN SHARE UPDATE EXCLUSIVE MODE');
    const migrating = migrate(url);
    // (The holder runs nothing else: CREATE INDEX CONCURRENTLY waits for every transaction
    // holding a snapshot, whichever table it reads.)
    await waitFor(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND wait_event = 'relation' AND query LIKE '%status_events_id_recorded_key%'`,
      );
      return rows[0].n === 1;
    });
    // The migrator waits on status_events; both tables still take reads and writes.
    await db.query(
      `INSERT INTO audit_log (id, actor, action, outcome) VALUES ($1, 'k', 'staff.search', 'ok')`,
      [randomUUID()],
    );
    await db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
       VALUES ($1, $2, 'DELIVERED', 'hub', now())`,
      [randomUUID(), complaintId],
    );
    await holder.query('COMMIT');
    await holder.end();
    await migrating;

    const { rows } = await db.query<{ id: string; part: string }>(
      `SELECT id, tableoid::regclass::text AS part FROM status_events WHERE id = ANY($1) ORDER BY recorded_at`,
      [eventIds],
    );
    expect(rows).toEqual([
      { id: eventIds[0], part: 'status_events_before' },
      { id: eventIds[1], part: 'status_events_before' },
    ]);
    const audit = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(audit.rows[0].n).toBe(2);
  });

  it('makes both tables partitioned by month, the old table the partition before the bound', async () => {
    const { rows } = await db.query<{ parent: string; part: string; bound: string }>(
      `SELECT p.relname AS parent, c.relname AS part, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname IN ('audit_log', 'status_events') ORDER BY 1, 2`,
    );
    expect(rows.map((r) => [r.parent, r.part.replace(/\d{6}$/, 'YYYYMM')])).toEqual([
      ['audit_log', 'audit_log_before'],
      ['audit_log', 'audit_log_pYYYYMM'],
      ['audit_log', 'audit_log_pYYYYMM'],
      ['audit_log', 'audit_log_pYYYYMM'],
      ['status_events', 'status_events_before'],
      ['status_events', 'status_events_pYYYYMM'],
      ['status_events', 'status_events_pYYYYMM'],
      ['status_events', 'status_events_pYYYYMM'],
    ]);
    expect(rows[0].bound).toMatch(/^FOR VALUES FROM \(MINVALUE\) TO \('/);
    // The old table's foreign key was taken over, not added again beside it.
    const fks = await db.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'status_events_before'::regclass AND contype = 'f'`,
    );
    expect(fks.rows).toHaveLength(1);
    // A grievance's deletion still cascades to its timeline in every partition.
    await db.query('DELETE FROM complaints WHERE id = $1', [complaintId]);
    const left = await db.query('SELECT 1 FROM status_events WHERE complaint_id = $1', [
      complaintId,
    ]);
    expect(left.rows).toHaveLength(0);
    const notes = await db.query('SELECT 1 FROM notifications WHERE complaint_id = $1', [
      complaintId,
    ]);
    expect(notes.rows).toHaveLength(0);
    const helper = await db.query(`SELECT to_regclass('_hub_partition_bounds') AS t`);
    expect(helper.rows[0].t).toBeNull();
  });
});

/**
 * Issue 16: portal_requests (sla_actions' reference moved to (id, created_at)) and notifications
 * (on their event's recorded_at) partitioned by month.
 */
describe('portal_requests and notifications partitioning migrations on an existing database', () => {
  const PREPARE = '20261129010000_portal_requests_partition_prepare';
  const NOTIFICATIONS_PREPARE = '20261129011000_notifications_partition_prepare';
  const events = [randomUUID(), randomUUID()];
  const event = (id: string, recordedAt: string) =>
    db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, occurred_at, recorded_at)
       VALUES ($1, $2, 'IN_PROGRESS', 'hub', now(), ${recordedAt})`,
      [id, complaintId],
    );
  // What the code before this change writes: no status_event_recorded_at.
  const notify = (eventId: string) =>
    db.query(
      `INSERT INTO notifications (id, complaint_id, status_event_id, kind)
       VALUES (gen_random_uuid(), $1, $2, 'status')`,
      [complaintId, eventId],
    );
  const older = useDatabaseBefore(PREPARE, 'part');
  const url = older.url;
  let db: Client;
  const complaintId = randomUUID();
  const requests = [randomUUID(), randomUUID(), randomUUID()];
  const request = (id: string, createdAt: string) =>
    db.query(
      `INSERT INTO portal_requests (id, complaint_id, dispatch_id, portal_code, kind, correlation_id, created_at)
       VALUES ($1, $2, gen_random_uuid(), 'cpgrams', 'sla-reminder', 'c', ${createdAt})`,
      [id, complaintId],
    );
  // What the code before this change writes: the request's id only.
  const action = (level: string, requestId: string) =>
    db.query(
      `INSERT INTO sla_actions (complaint_id, level, portal_code, reminder, portal_request_id)
       VALUES ($1, $2, 'cpgrams', 'queued', $3)`,
      [complaintId, level, requestId],
    );

  beforeAll(async () => {
    db = older.client;
    await db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, pincode, language, primary_portal_code, routing_rule, created_at, updated_at)
       VALUES ($1, 'GRV-PART-2', 'x', 'RECEIVED', 's', 'A grievance written by a test.', 'RAILWAYS',
         '09', '226010', 'en', 'cpgrams', 'fixture', now(), now())`,
      [complaintId],
    );
  });

  it('keeps every request, action link and notification, including those written between the steps', async () => {
    await request(requests[0], `'2024-07-08T00:00:00Z'`);
    await action('warning', requests[0]);
    await event(events[0], `'2024-07-09T00:00:00Z'`);
    await notify(events[0]);
    await migrate(
      url,
      readMigrations().filter((m) => m.name <= PREPARE),
    );
    // The old code runs on between the two migrations.
    await request(requests[1], 'now()');
    await action('breach', requests[1]);
    await migrate(
      url,
      readMigrations().filter((m) => m.name <= NOTIFICATIONS_PREPARE),
    );
    // A notification written by the older hub between the two notification migrations.
    await event(events[1], 'now()');
    await notify(events[1]);
    await migrate(url);

    const notes = await db.query<{ part: string; same: boolean }>(
      `SELECT n.tableoid::regclass::text AS part, n.status_event_recorded_at = s.recorded_at AS same
       FROM notifications n JOIN status_events s ON s.id = n.status_event_id
       WHERE n.status_event_id = ANY($1) ORDER BY s.recorded_at`,
      [events],
    );
    expect(notes.rows).toEqual([
      { part: 'notifications_before', same: true },
      { part: 'notifications_before', same: true },
    ]);
    // The once-per-event guard spans the old table and the months.
    await expect(
      db.query(
        `INSERT INTO notifications (id, complaint_id, status_event_id, status_event_recorded_at, kind)
         SELECT gen_random_uuid(), complaint_id, id, recorded_at, 'status' FROM status_events WHERE id = $1`,
        [events[0]],
      ),
    ).rejects.toThrow(/notifications_before_status_event_key|duplicate key/);

    const { rows } = await db.query<{ id: string; part: string }>(
      `SELECT id, tableoid::regclass::text AS part FROM portal_requests ORDER BY created_at`,
    );
    expect(rows).toEqual([
      { id: requests[0], part: 'portal_requests_before' },
      { id: requests[1], part: 'portal_requests_before' },
    ]);
    const linked = await db.query<{ level: string; same: boolean }>(
      `SELECT a.level, r.created_at = a.portal_request_created_at AS same
       FROM sla_actions a JOIN portal_requests r ON r.id = a.portal_request_id ORDER BY a.level`,
    );
    expect(linked.rows).toEqual([
      { level: 'breach', same: true },
      { level: 'warning', same: true },
    ]);
    const fk = await db.query<{ convalidated: boolean }>(
      `SELECT convalidated FROM pg_constraint WHERE conname = 'sla_actions_portal_request_fkey'`,
    );
    expect(fk.rows).toEqual([{ convalidated: true }]);
    const old = await db.query(
      `SELECT 1 FROM pg_constraint WHERE conname = 'sla_actions_portal_request_id_fkey'`,
    );
    expect(old.rows).toHaveLength(0);
  });

  it('takes new requests into the month partitions and still cascades a grievance deletion', async () => {
    await request(
      requests[2],
      `(SELECT min(lower_bound) FROM (
         SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS lower_bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'portal_requests'::regclass AND c.relname LIKE 'portal_requests_p%') b)`,
    );
    const part = await db.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM portal_requests WHERE id = $1`,
      [requests[2]],
    );
    expect(part.rows[0].part).toMatch(/^portal_requests_p\d{6}$/);
    await db.query('DELETE FROM complaints WHERE id = $1', [complaintId]);
    const left = await db.query('SELECT 1 FROM portal_requests WHERE complaint_id = $1', [
      complaintId,
    ]);
    expect(left.rows).toHaveLength(0);
    const notes = await db.query('SELECT 1 FROM notifications WHERE complaint_id = $1', [
      complaintId,
    ]);
    expect(notes.rows).toHaveLength(0);
    const helper = await db.query(`SELECT to_regclass('_hub_partition_bounds') AS t`);
    expect(helper.rows[0].t).toBeNull();
  });
});

/**
 * Issue 16, decision 0031: inbound_events partitioned by month on received_at; its once-per-event
 * guard moves to inbound_event_keys, filled for the rows already there and for those the older
 * hub writes between the two migrations.
 */
describe('inbound_events partitioning migrations on an existing database', () => {
  const KEYS = '20261130009000_inbound_event_keys';
  const PREPARE = '20261130010000_inbound_events_partition_prepare';
  const older = useDatabaseBefore(KEYS, 'part');
  const url = older.url;
  let db: Client;
  const complaintId = randomUUID();
  const ids = [randomUUID(), randomUUID()];
  // What the code before this change writes (its ON CONFLICT names the old unique).
  const oldHubStores = (id: string, eventId: string, receivedAt: string) =>
    db.query(
      `INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id, complaint_id,
         native_status, status, occurred_at, via, raw, correlation_id, received_at)
       VALUES ($1, 'UP-IGRS', $2, 'UP-REF-9', gen_random_uuid(), $3, 'Lambit', 'IN_PROGRESS',
         now(), 'push', '{}'::jsonb, 'c', ${receivedAt})
       ON CONFLICT (portal_code, event_id) DO NOTHING`,
      [id, eventId, complaintId],
    );
  // What this version writes: the key first (storeInboundEvents), the event if the key was new.
  const hubStores = async (eventId: string) => {
    const { rows } = await db.query<{ event_id: string }>(
      `WITH e AS (
         SELECT 'UP-IGRS' AS portal_code, $1::text AS event_id, 'UP-REF-9' AS external_ref,
                gen_random_uuid() AS dispatch_id, $2::uuid AS complaint_id,
                'Lambit' AS native_status, 'IN_PROGRESS' AS status, now() AS occurred_at,
                NULL::text AS remarks, NULL::text AS transferred_to, 'poll' AS via,
                '{}' AS raw, 'c' AS correlation_id
       ), ${storeInboundEvents('e')}
       SELECT event_id FROM inbound`,
      [eventId, complaintId],
    );
    return rows.map((r) => r.event_id);
  };

  beforeAll(async () => {
    db = older.client;
    await db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, pincode, language, primary_portal_code, routing_rule, created_at, updated_at)
       VALUES ($1, 'GRV-PART-3', 'x', 'RECEIVED', 's', 'A grievance written by a test.', 'RAILWAYS',
         '09', '226010', 'en', 'up-igrs', 'fixture', now(), now())`,
      [complaintId],
    );
  });

  it('keeps every event and gives each its key, including one the older hub stored between the steps', async () => {
    await oldHubStores(ids[0], 'e-1', `'2025-05-06T00:00:00Z'`);
    await migrate(
      url,
      readMigrations().filter((m) => m.name <= PREPARE),
    );
    await oldHubStores(ids[1], 'e-2', 'now()');
    await oldHubStores(randomUUID(), 'e-1', 'now()'); // a re-send: still refused by the old unique
    // This version runs between the two as well (the swap is a contract migration, applied
    // after the rollout): the keys decide, the old unique and the trigger agree.
    expect(await hubStores('e-2')).toEqual([]);
    expect(await hubStores('e-4')).toEqual(['e-4']);
    // Its partition maintenance passes over the table not partitioned yet, and does the rest.
    const prisma = new PrismaService(url);
    try {
      const config = loadHubConfig({
        env: { NODE_ENV: 'test', DATABASE_URL: url, SANDBOX_PORTALS: 'false' },
      });
      // (The other tables already have their months ahead: nothing to create or drop.)
      expect(await new PartitionMaintenance(config, new MonthlyPartitions(prisma)).run()).toEqual({
        created: [],
        dropped: [],
        keysDeleted: 0,
      });
    } finally {
      await prisma.onApplicationShutdown();
    }
    await migrate(url);

    const { rows } = await db.query<{ eventId: string; part: string; keyed: boolean }>(
      `SELECT e.event_id AS "eventId", e.tableoid::regclass::text AS part,
         k.received_at = e.received_at AS keyed
       FROM inbound_events e LEFT JOIN inbound_event_keys k USING (portal_code, event_id)
       ORDER BY e.received_at, e.event_id`,
    );
    expect(rows).toEqual([
      { eventId: 'e-1', part: 'inbound_events_before', keyed: true },
      { eventId: 'e-2', part: 'inbound_events_before', keyed: true },
      { eventId: 'e-4', part: 'inbound_events_before', keyed: true },
    ]);
    const parts = await db.query<{ part: string }>(
      `SELECT c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'inbound_events'::regclass ORDER BY 1`,
    );
    expect(parts.rows.map((r) => r.part.replace(/\d{6}$/, 'YYYYMM'))).toEqual([
      'inbound_events_before',
      'inbound_events_pYYYYMM',
      'inbound_events_pYYYYMM',
      'inbound_events_pYYYYMM',
    ]);
    const leftovers = await db.query(
      `SELECT 1 FROM pg_proc WHERE proname = '_hub_inbound_event_key'
       UNION ALL SELECT 1 FROM pg_class WHERE relname = '_hub_partition_bounds'`,
    );
    expect(leftovers.rows).toHaveLength(0);
  });

  it('stores an event once whichever month holds the first copy, and cascades a grievance deletion', async () => {
    expect(await hubStores('e-1')).toEqual([]);
    expect(await hubStores('e-2')).toEqual([]);
    expect(await hubStores('e-3')).toEqual(['e-3']);
    expect(await hubStores('e-3')).toEqual([]);
    await db.query('DELETE FROM complaints WHERE id = $1', [complaintId]);
    const left = await db.query('SELECT 1 FROM inbound_events WHERE complaint_id = $1', [
      complaintId,
    ]);
    expect(left.rows).toHaveLength(0);
  });
});
