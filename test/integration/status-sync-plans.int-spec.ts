import { LOCK_COMPLAINTS } from '../../src/inbound/status-sync.repository';
import { RELEASE } from '../../src/inbound/waiting-events.repository';
import { explainPrepared, useTestDatabase } from '../support/database';

/**
 * Status sync's statements must read inbound events, dispatches and grievances by their keys
 * whatever the statistics say. They did not (EXPLAIN audit):
 * - the batch lock (LOCK_COMPLAINTS) read the partition's unprocessed-events index and filtered
 *   it by id (`Index Scan using inbound_events_before_unprocessed_idx … Filter: ((processed_at IS
 *   NULL) AND (id = ANY(…)))`, or a bitmap of that index ANDed with the key's): every unprocessed
 *   event read for each batch of 50. A fresh monthly partition has no statistics until autovacuum
 *   analyzes it, and statistics taken while few events were unprocessed say the index is tiny.
 * - the waiting-events sweep (RELEASE, every 10 s) hash-joined the whole of dispatches to the
 *   whole of waiting_status_events (expired waiting events are kept 30 days).
 */
const STATISTICS = [
  ['none (never analyzed)', false],
  ['taken when the tables were small, grown since', true],
] as const;

/** Grievances in the fixture; the first ones only when statistics are taken early. */
const GRIEVANCES = 6000;
const EARLY = 150;
/** Waiting events: a portal's status for references the hub never recorded, most expired. */
const WAITING = 2000;
/** Waiting events whose reference a dispatch now holds (the sweep moves them). */
const RELEASABLE = 5;

describe.each(STATISTICS)('status sync’s plans, statistics %s', (_label, analyzedEarly) => {
  const pg = useTestDatabase();
  /** inbound_events' partitions, the first monthly one's lower bound. */
  let partitions: string[];
  let monthStart: Date;

  beforeAll(async () => {
    const { rows } = await pg.client.query<{ name: string; lower: Date | null }>(
      `SELECT c.relname AS name,
              (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]
                ::timestamptz AS lower
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'inbound_events'::regclass
       ORDER BY lower NULLS FIRST`,
    );
    partitions = rows.map((r) => r.name);
    monthStart = rows.find((r) => r.lower !== null)!.lower!;
    // No analyze while the test runs: the statistics stay those made below (a partitioned
    // table's setting is its partitions').
    for (const table of ['complaints', 'dispatches', 'waiting_status_events', ...partitions])
      await pg.client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);

    if (analyzedEarly) {
      // Statistics from the first days: a few grievances, their events all processed.
      await fill(1, EARLY, false);
      await pg.client.query('ANALYZE');
      await fill(EARLY + 1, GRIEVANCES, true);
    } else await fill(1, GRIEVANCES, true);
  });

  /**
   * Grievances lo..hi, each with a delivered dispatch and four status events (three processed,
   * the newest unprocessed if `pending`), rows as wide as real ones. Odd grievances' events were
   * received before the partitioning's bound (inbound_events_before), even ones' in the first
   * monthly partition. Waiting events at every 3rd grievance, for references no dispatch holds,
   * received over the last 40 days (expired after a day); a few for references that turned up.
   */
  async function fill(lo: number, hi: number, pending: boolean): Promise<void> {
    await pg.client.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code,
         routing_rule, mobile_lookup, complainant_cipher, created_at, updated_at, status_at)
       SELECT ${uuid('n', '8')}, 'GRV-SYNC-' || n, 'x', 'DELIVERED', 'Streetlight not working',
         repeat('A grievance written by a test, as long as a real one. ', 8), 'ROADS', '09',
         (100 + n % 75)::text, '226010', 'en', 'UP-IGRS', 'fixture', md5(n::text),
         decode(repeat(md5(n::text), 6), 'hex'), now() - interval '60 days', now(),
         now() - interval '50 days'
       FROM generate_series($1::int, $2::int) n`,
      [lo, hi],
    );
    await pg.client.query(
      `INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, external_ref,
         delivered_at, correlation_id, created_at, updated_at)
       SELECT ${uuid('n', '9')}, ${uuid('n', '8')}, 'UP-IGRS', true, 'DELIVERED', 'UPR-' || n,
         now() - interval '59 days', 'corr-' || n, now() - interval '60 days', now()
       FROM generate_series($1::int, $2::int) n`,
      [lo, hi],
    );
    await pg.client.query(
      `INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
         complaint_id, native_status, status, occurred_at, remarks, via, raw, correlation_id,
         received_at, processed_at, outcome)
       SELECT gen_random_uuid(), 'UP-IGRS', 'ev-' || n || '-' || k, 'UPR-' || n,
         ${uuid('n', '9')}, ${uuid('n', '8')}, 'Under process', 'IN_PROGRESS',
         now() - interval '40 days' + k * interval '1 day',
         'Forwarded to the executive engineer for action', 'poll',
         jsonb_build_object('ref', 'UPR-' || n, 'status', 'Under process',
           'remarks', repeat('Forwarded to the executive engineer for action. ', 4)),
         'corr-' || n || '-' || k,
         CASE WHEN n % 2 = 1 THEN now() - interval '40 days' ELSE $3::timestamptz END
           + k * interval '1 day' + n * interval '1 ms',
         CASE WHEN k < 3 OR NOT $4 THEN now() END, CASE WHEN k < 3 OR NOT $4 THEN 'applied' END
       FROM generate_series($1::int, $2::int) n, generate_series(0, 3) k`,
      [lo, hi, monthStart, pending],
    );
    await pg.client.query(
      `INSERT INTO waiting_status_events (id, portal_code, event_id, external_ref, native_status,
         status, occurred_at, remarks, via, raw, correlation_id, received_at, expired_at)
       SELECT gen_random_uuid(), 'UP-IGRS', 'wait-' || n, ref, 'Under process', 'IN_PROGRESS',
         now() - interval '1 day', 'Forwarded', 'poll',
         jsonb_build_object('ref', ref,
           'remarks', repeat('Forwarded to the executive engineer for action. ', 4)),
         'wait-corr-' || n, now() - (n % 40) * interval '1 day',
         CASE WHEN n > $3 AND n % 40 > 0 THEN now() - (n % 40 - 1) * interval '1 day' END
       FROM generate_series($1::int, $2::int) n,
         LATERAL (SELECT CASE WHEN n <= $3 THEN 'UPR-' ELSE 'UNKNOWN-' END || n AS ref) r
       WHERE n % 3 = 0 OR n <= $3`,
      [lo, Math.min(hi, WAITING * 3), RELEASABLE],
    );
  }

  /** A batch of the status worker: 40 unprocessed events of both partitions, 10 processed. */
  async function batch(): Promise<{ ids: string[]; complaints: string[] }> {
    const { rows } = await pg.client.query<{ id: string; complaint: string; pending: boolean }>(
      `(SELECT id::text, complaint_id::text AS complaint, true AS pending FROM inbound_events
        WHERE processed_at IS NULL ORDER BY event_id LIMIT 40)
       UNION ALL
       (SELECT id::text, complaint_id::text, false FROM inbound_events
        WHERE processed_at IS NOT NULL ORDER BY event_id DESC LIMIT 10)`,
    );
    return {
      ids: rows.map((r) => r.id),
      complaints: [...new Set(rows.filter((r) => r.pending).map((r) => r.complaint))].sort(),
    };
  }

  it('locks the batch’s grievances reading its events by primary key', async () => {
    const { ids, complaints } = await batch();
    const plan = await explainPrepared(
      pg.client,
      LOCK_COMPLAINTS,
      'custom',
      `'{${ids.join(',')}}'`,
    );
    const lines = plan.split('\n');
    // Partitions holding events (the others are empty: reading them is nothing).
    const { rows: filled } = await pg.client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
       WHERE c.relname = ANY($1) AND EXISTS (SELECT FROM inbound_events e
         WHERE e.tableoid = c.oid)`,
      [partitions],
    );
    expect(filled.map((r) => r.name).sort()).toEqual(
      [partitions[0], partitions.find((p) => p !== partitions[0] && /_p\d{6}$/.test(p))].sort(),
    );
    for (const { name } of filled) expect(plan).not.toMatch(new RegExp(`Seq Scan on ${name}\\b`));
    // Every index of inbound events the plan reads is a key on id, with id as its condition:
    // never the unprocessed (or unqueued) partial index, which holds every unprocessed event.
    let keyScans = 0;
    lines.forEach((line, i) => {
      const m = /(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (\S+)/.exec(line);
      if (!m || !m[1].startsWith('inbound_events')) return;
      expect(m[1]).toMatch(/_(pkey|id_received_key)$/);
      expect(lines[i + 1]).toMatch(/Index Cond: \(id = /);
      keyScans++;
    });
    expect(keyScans).toBeGreaterThanOrEqual(filled.length);
    expect(plan).not.toMatch(/unprocessed_idx|_received_at_idx|_received_at_queued_at_idx/);
    // Grievances by their key, and locked.
    expect(plan).toContain('LockRows');
    expect(plan).toContain('Index Scan using complaints_pkey on complaints');
    expect(plan).not.toMatch(/Seq Scan on complaints/);

    // Same meaning: the grievances of the batch's unprocessed events, in id order.
    await pg.client.query('BEGIN');
    try {
      const { rows } = await pg.client.query<{ id: string }>(LOCK_COMPLAINTS, [ids]);
      expect(rows.map((r) => r.id)).toEqual(complaints);
    } finally {
      await pg.client.query('ROLLBACK');
    }
  });

  it('the waiting-events sweep looks each reference up by the dispatches’ key', async () => {
    const { rows } = await pg.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${RELEASE}`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).not.toMatch(/Seq Scan on (dispatches|complaints)\b/);
    expect(plan).toMatch(
      /Index Scan using dispatches_portal_external_ref_key on dispatches d\s+\(.*\)\n\s+Index Cond: \(\(portal_code = w\.portal_code\) AND \(external_ref = w\.external_ref\)\)/,
    );
    expect(plan).not.toMatch(/Hash Cond: .*external_ref/);

    // Same meaning: the waiting events whose reference a dispatch holds move, once.
    await pg.client.query('BEGIN');
    try {
      const { rows: moved } = await pg.client.query<{ portalCode: string; count: number }>(RELEASE);
      expect(moved).toEqual([{ portalCode: 'UP-IGRS', count: RELEASABLE }]);
      const { rows: stored } = await pg.client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_events WHERE event_id LIKE 'wait-%'`,
      );
      expect(stored[0].n).toBe(RELEASABLE);
      const { rows: again } = await pg.client.query(RELEASE);
      expect(again).toEqual([]);
    } finally {
      await pg.client.query('ROLLBACK');
    }
  });
});

/** The fixture's uuid for grievance n (`kind` 8: its grievance, 9: its dispatch). */
function uuid(n: string, kind: string): string {
  return `('00000000-0000-4000-${kind}000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
}
