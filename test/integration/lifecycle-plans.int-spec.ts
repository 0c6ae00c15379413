import {
  AUTO_CLOSE,
  deliveredCtes,
  ROUTE_QUEUED_DISPATCHES,
} from '../../src/lifecycle/lifecycle.sql';
import { explainPrepared, useTestDatabase } from '../support/database';

/**
 * The lifecycle's statements that move grievances found through their dispatches (the relay's
 * ROUTED, a delivery's DELIVERED) must reach them by id, whatever the statistics say. They did
 * not: with statistics taken when no grievance was RECEIVED (normally a moment's worth), and then
 * a backlog of them (a worker down for a while), PostgreSQL started from the status index and
 * probed the dispatches for every RECEIVED grievance — at 81,000 the relay's route statement took
 * 19 s per batch of 200, so the worker took hours to catch up (docs/benchmarks.md).
 */
describe('lifecycle statements after a backlog', () => {
  const pg = useTestDatabase();
  let backlog: string[];

  const insert = (status: string, from: number, to: number) =>
    pg.client.query(
      `WITH c AS (
         INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
           category, state_code, district_code, pincode, language, primary_portal_code,
           routing_rule, created_at, updated_at)
         SELECT gen_random_uuid(), 'GRV-PLAN-' || n, 'x', $1::"ComplaintStatus", 's',
           'A grievance written by a test.', 'ROADS', '09', '162', '226010', 'en', 'UP-IGRS',
           'fixture', now() - n * interval '1 second', now()
         FROM generate_series($2::int, $3::int) n
         RETURNING id, created_at)
       INSERT INTO dispatches (id, complaint_id, portal_code, "primary", created_at, updated_at,
         status, queued_at)
       SELECT gen_random_uuid(), id, 'UP-IGRS', true, created_at, created_at,
         CASE WHEN $1 = 'RECEIVED' THEN 'PENDING' ELSE 'DELIVERED' END::"DispatchStatus",
         CASE WHEN $1 = 'RECEIVED' THEN NULL ELSE now() END
       FROM c`,
      [status, from, to],
    );

  beforeAll(async () => {
    // No analyze while the test runs: the statistics stay those of the quiet days.
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    await pg.client.query(`ALTER TABLE dispatches SET (autovacuum_enabled = false)`);
    await insert('DELIVERED', 1, 20_000);
    await pg.client.query('ANALYZE complaints');
    await pg.client.query('ANALYZE dispatches');
    await insert('RECEIVED', 20_001, 24_000);
    const { rows } = await pg.client.query<{ id: string }>(
      `SELECT id::text FROM dispatches WHERE queued_at IS NULL ORDER BY created_at LIMIT 200`,
    );
    backlog = rows.map((r) => r.id);
  });

  const delivered = `
    WITH settled AS (
      SELECT d.complaint_id, d."primary", 'REF' AS external_ref, now() AS delivered_at,
             now() AS sla_due_at, d.portal_code
      FROM dispatches d WHERE d.id = ANY($1)
    ), ${deliveredCtes('settled')}
    SELECT count(*) FROM delivered_complaint`;

  it.each([
    ['route', 'custom', ROUTE_QUEUED_DISPATCHES],
    ['route', 'generic', ROUTE_QUEUED_DISPATCHES],
    ['deliver', 'custom', delivered],
    ['deliver', 'generic', delivered],
  ] as const)('%s reaches the grievances by id (%s plan)', async (_step, mode, text) => {
    // Not from the index on the status: by id, or (a table this small) a hash join.
    expect(await explainPrepared(pg.client, text, mode, `'{${backlog.join(',')}}'`)).not.toMatch(
      /complaints_status\w*_idx/,
    );
  });

  it('routes the backlog’s grievances (the guard still holds)', async () => {
    await pg.client.query('BEGIN');
    try {
      const routed = await pg.client.query(ROUTE_QUEUED_DISPATCHES, [backlog]);
      expect(routed.rowCount).toBe(200);
      // Routed already: the guard refuses a second step.
      const again = await pg.client.query(ROUTE_QUEUED_DISPATCHES, [backlog]);
      expect(again.rowCount).toBe(0);
    } finally {
      await pg.client.query('ROLLBACK');
    }
  });
});

/**
 * Auto-close (every minute) reads only the grievances awaiting feedback: with every resolved
 * grievance that got feedback still RESOLVED (the years' bulk), the status index read them all
 * and sorted them on each run.
 */
describe('auto-close among years of resolved grievances', () => {
  const pg = useTestDatabase();

  beforeAll(async () => {
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    // 20,000 resolved with feedback (never auto-closed), 300 awaiting it: 200 past the wait.
    await pg.client.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code,
         routing_rule, status_at, resolved_at, feedback_at, created_at, updated_at)
       SELECT gen_random_uuid(), 'GRV-CLOSE-' || n, 'x',
         CASE WHEN n % 2 = 0 THEN 'RESOLVED' ELSE 'REJECTED' END::"ComplaintStatus", 's',
         'A grievance written by a test.', 'ROADS', '09', '162', '226010', 'en', 'UP-IGRS',
         'fixture', now() - n * interval '1 hour', now() - n * interval '1 hour',
         CASE WHEN n > 300 THEN now() END, now() - interval '400 days', now()
       FROM generate_series(1, 20300) n`,
    );
    await pg.client.query('ANALYZE complaints');
  });

  it.each(['custom', 'generic'] as const)(
    'reads the grievances awaiting feedback by their own index (%s plan)',
    async (mode) => {
      const plan = await explainPrepared(
        pg.client,
        AUTO_CLOSE,
        mode,
        `now() - interval '100 hours', 'closed by the clock', 1000`,
      );
      expect(plan).toContain('complaints_awaiting_feedback_idx');
      expect(plan).not.toMatch(/complaints_status\w*_idx|Seq Scan on complaints/);
    },
  );

  it('closes the due ones, oldest first, at most the limit, and none twice', async () => {
    const cutoff = new Date(Date.now() - 100.5 * 3_600_000);
    await pg.client.query('BEGIN');
    try {
      const first = await pg.client.query(AUTO_CLOSE, [cutoff, 'closed by the clock', 150]);
      expect(first.rowCount).toBe(150);
      const { rows } = await pg.client.query<{ oldest: number; newest: number }>(
        `SELECT min(substr(tracking_id, 11)::int) AS newest, max(substr(tracking_id, 11)::int) AS oldest
         FROM complaints WHERE status = 'CLOSED'`,
      );
      // Oldest first: the 150 waiting longest (n 151–300), not the 100 hours' newer ones.
      expect(rows[0]).toEqual({ newest: 151, oldest: 300 });
      const rest = await pg.client.query(AUTO_CLOSE, [cutoff, 'closed by the clock', 1000]);
      expect(rest.rowCount).toBe(50);
      const again = await pg.client.query(AUTO_CLOSE, [cutoff, 'closed by the clock', 1000]);
      expect(again.rowCount).toBe(0);
    } finally {
      await pg.client.query('ROLLBACK');
    }
  });
});
