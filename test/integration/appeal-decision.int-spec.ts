import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../src/platform/database/migrator';
import { useDatabaseBefore } from '../support/database';

const FIRST = '20261130026000_complaints_appeal_decision_column';

/**
 * Issue 17: the appellate decision kept on the grievance (complaints.appeal_decision and
 * appeal_decided_at): filled from the timeline on a database that already has appeals, then kept
 * by the database's triggers whichever hub writes — always what the definition reads from the
 * timeline (the first portal entry after the appeal that reopens or disposes of it).
 */
describe('appeal decision kept on the grievance', () => {
  const older = useDatabaseBefore(FIRST, 'appeal');
  const url = older.url;
  let db: Client;
  let n = 0;

  const grievance = async (appealedAt: string | null) => {
    const id = randomUUID();
    await db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code, routing_rule,
         appealed_at, created_at, updated_at)
       VALUES ($1, $2, 'x', 'DELIVERED', 's', 'A grievance written by a test.', 'ROADS',
         '09', '162', '226010', 'en', 'UP-IGRS', 'fixture', $3, '2026-10-01T00:00:00Z', now())`,
      [id, `GRV-APPEAL-${n++}`, appealedAt],
    );
    return id;
  };
  const event = (id: string, status: string, at: string, source = 'portal:UP-IGRS') =>
    db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'UP-IGRS', $4)`,
      [id, status, source, at],
    );
  const stored = async (id: string) => {
    const { rows } = await db.query<{ decision: string | null; at: Date | null }>(
      `SELECT appeal_decision::text AS decision, appeal_decided_at AS at FROM complaints WHERE id = $1`,
      [id],
    );
    return { decision: rows[0].decision, at: rows[0].at?.toISOString() ?? null };
  };
  /** The definition, read from the timeline. */
  const defined = async (id: string) => {
    const { rows } = await db.query<{ decision: string | null; at: Date | null }>(
      `SELECT d.status::text AS decision, d.occurred_at AS at FROM complaints c
       LEFT JOIN LATERAL hub_appeal_decision(c.id, c.appealed_at) d ON c.appealed_at IS NOT NULL
       WHERE c.id = $1`,
      [id],
    );
    return { decision: rows[0].decision, at: rows[0].at?.toISOString() ?? null };
  };

  beforeAll(async () => {
    db = older.client;
  });

  it('fills the decisions of appeals lodged before the migration, and reads them index-only', async () => {
    const decided = await grievance('2026-10-05T10:00:00Z');
    await event(decided, 'RESOLVED', '2026-10-02T10:00:00Z'); // before the appeal: not its decision
    await event(decided, 'IN_PROGRESS', '2026-10-06T10:00:00Z', 'hub'); // not a portal's
    await event(decided, 'REJECTED', '2026-10-09T10:00:00Z');
    await event(decided, 'IN_PROGRESS', '2026-10-07T10:00:00Z'); // the first after the appeal
    const pending = await grievance('2026-10-05T10:00:00Z');
    await event(pending, 'APPEALED', '2026-10-06T10:00:00Z');
    const never = await grievance(null);
    await event(never, 'RESOLVED', '2026-10-06T10:00:00Z');
    // Appeals with decisions and without, checked against the definition one by one.
    const many = await Promise.all(
      Array.from({ length: 40 }, (_, i) => grievance(`2026-10-0${(i % 9) + 1}T08:00:00Z`)),
    );
    for (const [i, id] of many.entries())
      if (i % 3 > 0) await event(id, i % 2 ? 'CLOSED' : 'RESOLVED', '2026-10-10T00:00:00Z');
    // More appeals than one batch of the fill (5,000): every third decided.
    await db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code, routing_rule,
         appealed_at, created_at, updated_at)
       SELECT gen_random_uuid(), 'GRV-BULK-' || n, 'x', 's', 'A grievance written by a test.',
         'ROADS', '09', '162', '226010', 'en', 'UP-IGRS', 'fixture',
         '2026-09-05T10:00:00Z', '2026-09-01T00:00:00Z'::timestamptz + n * interval '1 second', now()
       FROM generate_series(1, 5200) n`,
    );
    await db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
       SELECT gen_random_uuid(), id, 'RESOLVED', 'portal:UP-IGRS', 'UP-IGRS', '2026-09-20T10:00:00Z'
       FROM complaints WHERE tracking_id LIKE 'GRV-BULK-%'
         AND substr(tracking_id, 10)::int % 3 = 0`,
    );

    await migrate(url);

    expect(await stored(decided)).toEqual({
      decision: 'IN_PROGRESS',
      at: '2026-10-07T10:00:00.000Z',
    });
    expect(await stored(pending)).toEqual({ decision: null, at: null });
    expect(await stored(never)).toEqual({ decision: null, at: null });
    for (const id of many) expect(await stored(id)).toEqual(await defined(id));
    expect((await Promise.all(many.map(stored))).filter((s) => s.decision).length).toBe(26);
    const bulk = await db.query<{ decided: number; all: number; last: string | null }>(
      `SELECT count(appeal_decision)::int AS decided, count(*)::int AS all,
         (SELECT appeal_decision::text FROM complaints WHERE tracking_id = 'GRV-BULK-5199') AS last
       FROM complaints WHERE tracking_id LIKE 'GRV-BULK-%'`,
    );
    // 5200 / 3 = 1733 decided, the last ones (past the first batch) among them.
    expect(bulk.rows).toEqual([{ decided: 1733, all: 5200, last: 'RESOLVED' }]);

    const index = await db.query(
      `SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('complaints_appeals_idx')`,
    );
    expect(index.rows).toEqual([{ indisvalid: true }]);
    // A tiny table: the planner is told off the other ways in, so the plan shows that this
    // index can answer alone (covering: nothing read from the heap once vacuumed).
    await db.query('VACUUM ANALYZE complaints');
    await db.query('SET enable_seqscan = off');
    await db.query('SET enable_bitmapscan = off');
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT count(appeal_decision), count(*) FILTER (WHERE appeal_due_at < now())
       FROM complaints WHERE appealed_at IS NOT NULL AND state_code = '09'
         AND created_at >= '2026-09-01' AND category = 'ROADS'`,
    );
    await db.query('RESET enable_seqscan');
    await db.query('RESET enable_bitmapscan');
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(
      'Index Only Scan using complaints_appeals_idx',
    );
  });

  it('takes a portal entry that comes later, and an earlier one that arrives late', async () => {
    const id = await grievance('2026-10-05T10:00:00Z');
    await event(id, 'CLOSED', '2026-10-12T10:00:00Z');
    expect(await stored(id)).toEqual({ decision: 'CLOSED', at: '2026-10-12T10:00:00.000Z' });
    await event(id, 'RESOLVED', '2026-10-08T10:00:00Z');
    expect(await stored(id)).toEqual({ decision: 'RESOLVED', at: '2026-10-08T10:00:00.000Z' });
    // Neither a later one, the citizen's, the hub's, one before the appeal, nor another status.
    await event(id, 'IN_PROGRESS', '2026-10-09T10:00:00Z');
    await event(id, 'CLOSED', '2026-10-06T10:00:00Z', 'citizen');
    await event(id, 'IN_PROGRESS', '2026-10-06T10:00:00Z', 'hub');
    await event(id, 'REJECTED', '2026-10-04T10:00:00Z');
    await event(id, 'TRANSFERRED', '2026-10-06T10:00:00Z');
    expect(await stored(id)).toEqual({ decision: 'RESOLVED', at: '2026-10-08T10:00:00.000Z' });
    expect(await stored(id)).toEqual(await defined(id));
  });

  it('takes the tie order at one instant, whichever entry is inserted first', async () => {
    for (const order of [
      ['CLOSED', 'RESOLVED'],
      ['RESOLVED', 'CLOSED'],
    ]) {
      const id = await grievance('2026-10-05T10:00:00Z');
      // One statement, as the status batch writes the timeline: the same recorded_at.
      await db.query(
        `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
         SELECT gen_random_uuid(), $1, s::"ComplaintStatus", 'portal:UP-IGRS', 'UP-IGRS',
           '2026-10-09T10:00:00Z'
         FROM unnest($2::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n`,
        [id, order],
      );
      // RESOLVED before CLOSED in the lifecycle's tie order: upheld either way round.
      expect(await stored(id)).toEqual({ decision: 'RESOLVED', at: '2026-10-09T10:00:00.000Z' });
      expect(await stored(id)).toEqual(await defined(id));
    }
  });

  it('recomputes from the timeline when the grievance is appealed, or appealed again', async () => {
    const id = await grievance(null);
    // Portal entries before any appeal: none is a decision yet.
    await event(id, 'RESOLVED', '2026-10-04T10:00:00Z');
    await event(id, 'IN_PROGRESS', '2026-10-08T10:00:00Z');
    await event(id, 'CLOSED', '2026-10-12T10:00:00Z');
    expect(await stored(id)).toEqual({ decision: null, at: null });
    // An appeal lodged (as of an instant before entries already recorded: a portal's clock).
    await db.query(`UPDATE complaints SET appealed_at = '2026-10-06T10:00:00Z' WHERE id = $1`, [
      id,
    ]);
    expect(await stored(id)).toEqual({ decision: 'IN_PROGRESS', at: '2026-10-08T10:00:00.000Z' });
    // A second appeal after that decision: the next entry after it decides.
    await db.query(`UPDATE complaints SET appealed_at = '2026-10-10T10:00:00Z' WHERE id = $1`, [
      id,
    ]);
    expect(await stored(id)).toEqual({ decision: 'CLOSED', at: '2026-10-12T10:00:00.000Z' });
    await db.query(`UPDATE complaints SET appealed_at = '2026-10-13T10:00:00Z' WHERE id = $1`, [
      id,
    ]);
    expect(await stored(id)).toEqual({ decision: null, at: null });
    // Other changes of the grievance leave it.
    await event(id, 'RESOLVED', '2026-10-14T10:00:00Z');
    await db.query(`UPDATE complaints SET status = 'RESOLVED', updated_at = now() WHERE id = $1`, [
      id,
    ]);
    expect(await stored(id)).toEqual({ decision: 'RESOLVED', at: '2026-10-14T10:00:00.000Z' });
  });

  it('keeps the stored decision equal to the definition over a shuffled timeline', async () => {
    const statuses = ['IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED', 'TRANSFERRED', 'APPEALED'];
    const sources = ['portal:UP-IGRS', 'portal:CPGRAMS', 'hub', 'citizen'];
    const ids: string[] = [];
    for (let g = 0; g < 30; g++) {
      const id = await grievance(g % 5 === 0 ? null : `2026-10-${10 + (g % 7)}T00:00:00Z`);
      ids.push(id);
      for (let e = 0; e < 8; e++) {
        const k = (g * 31 + e * 17) % 97;
        await event(
          id,
          statuses[k % statuses.length],
          `2026-10-${String(5 + (k % 20)).padStart(2, '0')}T${String(k % 24).padStart(2, '0')}:00:00Z`,
          sources[(k >> 2) % sources.length],
        );
        if (e === 4 && g % 4 === 1)
          await db.query(
            `UPDATE complaints SET appealed_at = appealed_at + interval '2 days' WHERE id = $1`,
            [id],
          );
      }
    }
    const got = await Promise.all(ids.map(stored));
    expect(got).toEqual(await Promise.all(ids.map(defined)));
    expect(got.filter((s) => s.decision).length).toBeGreaterThan(5);
  });
});
