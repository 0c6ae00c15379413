import {
  CLAIM_LEASE_LEFT,
  MARK_DELIVERED,
  MARK_IN_FLIGHT,
  RENEW_CLAIM,
} from '../../src/dispatch/dispatch.repository';
import { explainPrepared, useTestDatabase } from '../support/database';

/**
 * A delivery's statements find its dispatch by id, and only by id: through `dispatches_pkey`,
 * whatever the statistics say. They did not: their `status = 'PENDING'` check matched the
 * predicate of the partial index `dispatches_pending_idx (created_at, id) WHERE status =
 * 'PENDING'`, and with statistics taken while few dispatches were PENDING (a quiet period) the
 * plans — the generic one a prepared statement keeps, and the custom one — looked each id up in
 * that index with `id` as its second column: the whole pending index read per dispatch. Draining
 * a backlog after a portal outage then read the whole backlog once per delivered row.
 */

/** The statistics PostgreSQL plans with: a quiet period's, or none yet. */
const STATISTICS = [
  ['of a quiet period (few dispatches PENDING)', true],
  ['none (never analyzed)', false],
] as const;

/** Dispatches in a statement's batch: one attempt alone, or many settling at once. */
const BATCHES = [1, 50] as const;

describe.each(STATISTICS)('a delivery’s dispatch lookups, statistics %s', (_label, analyzed) => {
  const pg = useTestDatabase();
  let backlog: string[];

  /** Grievances `from`–`to`, each with its primary dispatch: delivered, or still to deliver. */
  const insert = (delivered: boolean, from: number, to: number) =>
    pg.client.query(
      `WITH c AS (
         INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
           category, state_code, district_code, pincode, language, primary_portal_code,
           routing_rule, created_at, updated_at)
         SELECT gen_random_uuid(), 'GRV-DISPATCH-' || n, 'x',
           CASE WHEN $1 THEN 'DELIVERED' ELSE 'ROUTED' END::"ComplaintStatus",
           'Streetlight not working',
           repeat('A grievance written by a test, as long as a real one. ', 8), 'ROADS', '09',
           '162', '226010', 'en', 'UP-IGRS', 'fixture', now() - (30000 - n) * interval '1 minute',
           now()
         FROM generate_series($2::int, $3::int) n
         RETURNING id, created_at, tracking_id)
       INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, attempts, claim,
         external_ref, delivered_at, last_synced_at, queued_at, correlation_id, created_at,
         updated_at)
       SELECT gen_random_uuid(), id, 'UP-IGRS', true,
         CASE WHEN $1 THEN 'DELIVERED' ELSE 'PENDING' END::"DispatchStatus",
         CASE WHEN $1 THEN 1 ELSE 0 END, CASE WHEN $1 THEN 1 ELSE 0 END,
         CASE WHEN $1 THEN 'UPIGRS/' || tracking_id END,
         CASE WHEN $1 THEN created_at + interval '2 minutes' END,
         CASE WHEN $1 THEN created_at + interval '2 minutes' END,
         created_at, 'dispatch-' || tracking_id, created_at, created_at
       FROM c`,
      [delivered, from, to],
    );

  beforeAll(async () => {
    // No analyze while the test runs: the statistics stay those made below.
    await pg.client.query(`ALTER TABLE dispatches SET (autovacuum_enabled = false)`);
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    // A quiet period: 20,000 delivered, a handful still to deliver.
    await insert(true, 1, 20_000);
    await insert(false, 20_001, 20_005);
    if (analyzed) await pg.client.query('ANALYZE complaints, dispatches');
    // Then a portal outage: a backlog of thousands PENDING, not analyzed yet.
    await insert(false, 20_006, 25_000);
    const { rows } = await pg.client.query<{ id: string }>(
      `SELECT id::text FROM dispatches WHERE status = 'PENDING' ORDER BY created_at
       LIMIT ${Math.max(...BATCHES)}`,
    );
    backlog = rows.map((r) => r.id);
  });

  const array = (values: readonly (string | number)[]) => `'{${values.join(',')}}'`;
  const claims = (n: number) =>
    [array(backlog.slice(0, n)), array(Array(n).fill(0)), array(Array(n).fill(60_000))].join(', ');
  const deliveries = (n: number) => {
    const ids = backlog.slice(0, n);
    const at = Array(n).fill('"2026-11-27T00:00:00Z"');
    return [
      array(ids),
      array(ids.map((_id, i) => `REF-${i}`)),
      array(at),
      array(at),
      array(Array(n).fill('UP-IGRS')),
      array(Array(n).fill(0)),
    ].join(', ');
  };

  const STATEMENTS = [
    ['MARK_DELIVERED', MARK_DELIVERED.text, deliveries],
    ['MARK_IN_FLIGHT', MARK_IN_FLIGHT.text, claims],
    ['RENEW_CLAIM', RENEW_CLAIM.text, claims],
    // One id, by value: its plans used the primary key before the fix too; it is here so that
    // every lookup of a dispatch by id keeps to it (it compares status the same way).
    ['CLAIM_LEASE_LEFT', CLAIM_LEASE_LEFT.text, () => `'${backlog[0]}', 0`],
  ] as const;

  const CASES = STATEMENTS.flatMap(([name, text, args]) =>
    (['generic', 'custom'] as const).flatMap((mode) =>
      (name === 'CLAIM_LEASE_LEFT' ? [1] : BATCHES).map(
        (n) => [name, mode, n, text, args] as const,
      ),
    ),
  );

  it.each(CASES)(
    '%s (%s plan, %i dispatches) reads the dispatches by their primary key only',
    async (_name, mode, n, text, args) => {
      const plan = await explainPrepared(pg.client, text, mode, args(n));
      // Dispatches read through their primary key (an index scan, or a bitmap's), and through
      // no other index of theirs, nor whole.
      expect(plan).toMatch(/(Scan using|Bitmap Index Scan on) dispatches_pkey\b/);
      expect(plan).not.toMatch(/(Scan using|Bitmap Index Scan on) dispatches_(?!pkey\b)/);
      expect(plan).not.toMatch(/Seq Scan on dispatches/);
    },
  );
});
