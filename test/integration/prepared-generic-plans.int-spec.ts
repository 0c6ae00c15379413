import '../../src/app.module';
import { ApiKeysRepository } from '../../src/auth/api-keys.repository';
import { PartnerAppsRepository } from '../../src/partner-apps/partner-apps.repository';
import { declaredStatements } from '../../src/platform/database/prepared';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { useTestDatabase } from '../support/database';

/**
 * The hub runs every `Prepared` statement on its generic plan (decision 0036), the plan made
 * without the values. None may read a large table whole: with 20,000 grievances, dispatches and
 * notifications, analyzed, each statement's generic plan reaches their rows through an index.
 * (An empty month's partition may be read whole: nothing is in it, and its first ANALYZE, once
 * rows come, makes every connection plan again. The hottest statements have detailed plan tests
 * too: decision 0034.)
 */

describe('every prepared statement’s generic plan', () => {
  const pg = useTestDatabase();
  let statements: { name: string; text: string }[] = [];
  /** A sequential scan of a table holding the fixture's rows. */
  let large: RegExp;

  beforeAll(async () => {
    // The key tables' look-ups are made when their repositories are.
    const prisma = new PrismaService(pg.db.url);
    new ApiKeysRepository(prisma);
    new PartnerAppsRepository(prisma);
    await prisma.onApplicationShutdown();
    statements = declaredStatements();
    for (const table of ['complaints', 'dispatches'])
      await pg.client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    await pg.client.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code,
         routing_rule, mobile_lookup, complainant_cipher, created_at, updated_at)
       SELECT gen_random_uuid(), 'GRV-GEN-' || n, 'x', 'DELIVERED', 'Streetlight not working',
         repeat('A grievance written by a test, as long as a real one. ', 8), 'ROADS', '09',
         (100 + n % 75)::text, '226010', 'en', 'UP-IGRS', 'fixture', md5(n::text),
         decode(repeat(md5(n::text), 6), 'hex'), now() - n * interval '1 minute', now()
       FROM generate_series(1, 20000) n`,
    );
    await pg.client.query(
      `INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, external_ref)
       SELECT gen_random_uuid(), id, 'UP-IGRS', true, 'DELIVERED', 'REF-' || tracking_id
       FROM complaints`,
    );
    await pg.client.query(
      `INSERT INTO notifications (id, complaint_id, status_event_id, kind, state,
         status_event_recorded_at)
       SELECT gen_random_uuid(), id, gen_random_uuid(), 'STATUS', 'SENT', created_at
       FROM complaints`,
    );
    await pg.client.query('ANALYZE complaints, dispatches, notifications');
    // The partition this month's notifications went to (partitioned by month).
    const { rows } = await pg.client.query<{ partition: string }>(
      `SELECT DISTINCT tableoid::regclass::text AS partition FROM notifications`,
    );
    const tables = ['complaints', 'dispatches', ...rows.map((r) => r.partition)];
    large = new RegExp(`Seq Scan on (${tables.join('|')})\\b`);
  });

  it('covers the statements of intake, delivery, status ingest, notifications, audit and keys', () => {
    const texts = statements.map((s) => s.text).join('\n');
    for (const table of [
      'INSERT INTO complaints',
      'FROM dispatches d JOIN complaints c',
      'UPDATE notifications',
      'INSERT INTO audit_log',
      'FROM api_keys',
      'FROM partner_apps',
    ])
      expect(texts).toContain(table);
  });

  it('reads no large table whole, for any statement', async () => {
    const whole: string[] = [];
    await pg.client.query('SET plan_cache_mode = force_generic_plan');
    for (const { name, text } of statements) {
      await pg.client.query(`PREPARE probe AS ${text}`);
      try {
        const { rows } = await pg.client.query<{ n: number }>(
          `SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements
           WHERE name = 'probe'`,
        );
        const nulls = Array.from({ length: rows[0].n }, () => 'NULL').join(', ');
        const plan = await pg.client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN EXECUTE probe${nulls ? `(${nulls})` : ''}`,
        );
        const lines = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        if (large.test(lines)) whole.push(`${name}: ${text.trim().slice(0, 80)}…\n${lines}`);
      } finally {
        await pg.client.query('DEALLOCATE probe');
      }
    }
    expect(whole).toEqual([]);
  });
});
