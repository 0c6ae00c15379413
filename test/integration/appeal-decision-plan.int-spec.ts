import { useTestDatabase } from '../support/database';

/**
 * The appeal decision's trigger on status_events (20261130026000) runs for every portal entry that
 * reopens or disposes of a grievance: status ingest's hot path. Its UPDATE must read the grievance
 * by id whatever the statistics say, in the plan PostgreSQL makes for the values (custom) and in
 * the one PL/pgSQL may keep for the session (generic). It did not: its conditions implied the
 * predicate of complaints_appeals_idx (appealed_at IS NOT NULL), and with statistics made before
 * the appeals came (none known, 1,499 since, not analyzed yet) both plans read every appealed
 * grievance through that index and filtered by id, once per entry (fixed in 20261130029500).
 * The trigger on complaints (a changed appealed_at) reads the grievance's timeline by its index:
 * a guard (it did before the fix too), so that a change to it keeps to the index. auto_explain is
 * loaded by the test's session, which needs the superuser the test databases are made with.
 * The nested statements' plans are read with auto_explain, from the session's notices.
 */
const MODES = ['custom', 'generic'] as const;

describe('the appeal decision triggers’ plans, statistics made before the appeals', () => {
  const pg = useTestDatabase();
  const notices: string[] = [];
  let n = 0;

  beforeAll(async () => {
    // No analyze while the test runs: the statistics stay those made below.
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    const insert = (count: number, prefix: string, appealedAt: string | null) =>
      pg.client.query(
        `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
           category, state_code, district_code, pincode, language, primary_portal_code,
           routing_rule, appealed_at, created_at, updated_at)
         SELECT gen_random_uuid(), $2 || n, 'x', 'DELIVERED', 'Streetlight not working',
           'A grievance written by a test.', 'ROADS', '09', (100 + n % 75)::text, '226010', 'en',
           'UP-IGRS', 'fixture', $3, '2026-09-01T00:00:00Z'::timestamptz + n * interval '1 minute',
           now()
         FROM generate_series(1, $1::int) n`,
        [count, prefix, appealedAt],
      );
    // Statistics of a table without appeals: complaints_appeals_idx known empty.
    await insert(20000, 'GRV-PLAN-', null);
    await pg.client.query('ANALYZE complaints');
    // Then the appeals, not analyzed yet.
    await insert(1499, 'GRV-APPEALED-', '2026-10-05T10:00:00Z');
    pg.client.on('notice', (msg) => notices.push(msg.message ?? ''));
    await pg.client.query(`LOAD 'auto_explain'`);
    await pg.client.query('SET auto_explain.log_min_duration = 0');
    await pg.client.query('SET auto_explain.log_nested_statements = on');
    await pg.client.query('SET auto_explain.log_analyze = on');
    await pg.client.query(`SET auto_explain.log_level = 'notice'`);
  });

  afterEach(() => pg.client.query('RESET plan_cache_mode'));

  /** An appealed grievance of the fixture, a different one each time. */
  const appealed = async () => {
    const { rows } = await pg.client.query<{ id: string }>(
      `SELECT id::text FROM complaints WHERE tracking_id = $1`,
      [`GRV-APPEALED-${++n}`],
    );
    return rows[0].id;
  };

  /** The plans auto_explain reported for the nested statements `statement` ran. */
  const plans = async (mode: (typeof MODES)[number], statement: string, values: unknown[]) => {
    await pg.client.query(`SET plan_cache_mode = force_${mode}_plan`);
    notices.length = 0;
    await pg.client.query(statement, values);
    return [...notices];
  };

  it.each(MODES)(
    '(%s) a portal entry’s decision reads the grievance by its primary key',
    async (mode) => {
      const id = await appealed();
      const reported = await plans(
        mode,
        `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
         VALUES (gen_random_uuid(), $1, 'RESOLVED', 'portal:UP-IGRS', 'UP-IGRS',
           '2026-10-09T10:00:00Z')`,
        [id],
      );
      const update = reported.find((plan) => plan.includes('Update on complaints'));
      expect(update).toBeDefined();
      expect(update).toContain('Index Scan using complaints_pkey on complaints');
      expect(update).toMatch(/Index Cond: \(id = /);
      expect(update).not.toContain('complaints_appeals_idx');
      expect(update).not.toMatch(/Seq Scan on complaints/);
      // The decision is still written.
      const { rows } = await pg.client.query(
        `SELECT appeal_decision::text AS decision FROM complaints WHERE id = $1`,
        [id],
      );
      expect(rows).toEqual([{ decision: 'RESOLVED' }]);
    },
  );

  it.each(MODES)(
    '(%s) a changed appeal reads the grievance’s timeline by its index',
    async (mode) => {
      const id = await appealed();
      await pg.client.query(
        `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
         VALUES (gen_random_uuid(), $1, 'CLOSED', 'portal:UP-IGRS', 'UP-IGRS',
           '2026-10-12T10:00:00Z')`,
        [id],
      );
      const reported = await plans(
        mode,
        `UPDATE complaints SET appealed_at = '2026-10-08T10:00:00Z' WHERE id = $1`,
        [id],
      );
      const timeline = reported.find((plan) => plan.includes('FROM status_events e'));
      expect(timeline).toBeDefined();
      expect(timeline).toMatch(/Index Cond: \(\(complaint_id = /);
      expect(timeline).not.toMatch(/Seq Scan|status_events_\w*recorded/);
      for (const plan of reported) expect(plan).not.toContain('complaints_appeals_idx');
      const { rows } = await pg.client.query(
        `SELECT appeal_decision::text AS decision FROM complaints WHERE id = $1`,
        [id],
      );
      expect(rows).toEqual([{ decision: 'CLOSED' }]);
    },
  );
});
