import { createHash, randomUUID } from 'node:crypto';
import { INTAKE, intakeValues } from '../../src/complaints/complaints.repository';
import { prepared } from '../../src/platform/database/prepared';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { useTestDatabase } from '../support/database';

/**
 * Intake's statement is prepared so PostgreSQL plans it once per connection (a custom plan of it
 * costs ~0.7 ms of the database's CPU, more than running it). PostgreSQL keeps planning it anew
 * for each call when the average of the first five custom plans' estimated costs (plus a charge
 * for planning) is below the generic plan's — and it keeps the generic plan's cost from the last
 * time it made one, so one such moment lasts for the connection's life. The moment came whenever
 * complaints had a size but no statistics yet (after autovacuum's VACUUM, before its ANALYZE; a
 * new deployment's first hours): a custom plan for a portal without a monthly cap left out the
 * cap's count (`$n IS NOT NULL` folded to false), costing half the generic plan, which counts.
 * The intake bench then ran every grievance through the planner once its first autovacuum came:
 * PostgreSQL's CPU per intake 0.45 → 0.9 ms (docs/benchmarks.md, thirteenth session).
 *
 * Two defences: the hub's hot connections run prepared statements on generic plans
 * (`plan_cache_mode`, below), and the statement is written so that its custom plans cost what
 * its generic one does in any one state of the statistics (for the connections that still leave
 * it to PostgreSQL: behind a pooler, where the hub sets nothing per session).
 */
const STATISTICS = [
  ['a size but no column statistics (vacuumed, not yet analyzed)', 'VACUUM complaints'],
  ['analyzed', 'VACUUM (ANALYZE) complaints'],
  ['none (a new table)', null],
] as const;

/** Grievances like a state portal's and CPGRAMS' first months, rows as wide as real ones. */
const FIXTURE = `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject,
     description, category, state_code, district_code, pincode, language, primary_portal_code,
     routing_rule, mobile_lookup, complainant_cipher, created_at, updated_at)
   SELECT gen_random_uuid(), 'GRV-CACHE-' || gen_random_uuid(), 'x', 'DELIVERED', 'Streetlight not working',
     repeat('A grievance written by a test, as long as a real one. ', 8),
     (ARRAY['ROADS','WATER','RAILWAYS'])[1 + n % 3], (ARRAY['09','27'])[1 + n % 2],
     CASE WHEN n % 2 = 0 THEN (100 + n % 75)::text END, '226010', 'en',
     (ARRAY['UP-IGRS','CPGRAMS'])[1 + n % 2], 'fixture', md5(n::text),
     decode(repeat(md5(n::text), 6), 'hex'), now() - n * interval '1 minute', now()
   FROM generate_series(1, $1::int) n`;

describe.each(STATISTICS)(
  'intake’s statement left to PostgreSQL’s choice, statistics: %s',
  (_label, gather) => {
    const pg = useTestDatabase();

    beforeAll(async () => {
      await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
      if (!gather) return;
      await pg.client.query(FIXTURE, [10000]);
      await pg.client.query(gather);
    });

    it('is planned once and then runs on its generic plan, for portals with a cap and without', async () => {
      // Two of three grievances go to a portal without a monthly cap (a central ministry), as on
      // CPGRAMS; the third to a state portal with one.
      const calls = 12;
      for (let n = 0; n < calls; n++)
        await pg.client.query({
          name: INTAKE.name,
          text: INTAKE.text,
          values: grievance(n % 3 === 2),
        });
      const { rows } = await pg.client.query<{ generic_plans: string; custom_plans: string }>(
        `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`,
        [INTAKE.name],
      );
      // PostgreSQL makes five custom plans before it compares; from then on, the generic one.
      expect(rows).toEqual([{ custom_plans: '5', generic_plans: String(calls - 5) }]);
    });
  },
);

/**
 * The hub's own path, across what autovacuum does to a growing table: a few grievances, then
 * VACUUM (a size, no statistics), then ANALYZE. Left to its heuristic, PostgreSQL kept the
 * generic plan's cost from the VACUUM state (high) and, after the ANALYZE, planned every intake
 * anew: the trap is in how PostgreSQL keeps that cost, so no way of writing the statement
 * avoids it; the hot connections' `plan_cache_mode` does.
 */
describe('intake through the hub’s hot connections', () => {
  const pg = useTestDatabase();
  let prisma: PrismaService;

  beforeAll(async () => {
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    prisma = new PrismaService(pg.db.url);
  });
  afterAll(() => prisma.onApplicationShutdown());

  it('runs on one plan per connection through a VACUUM and an ANALYZE', async () => {
    const lodge = async (times: number) => {
      for (let n = 0; n < times; n++) await prisma.sql(INTAKE, grievance(n % 3 === 2));
    };
    await pg.client.query(FIXTURE, [200]);
    await lodge(6);
    await pg.client.query(FIXTURE, [10000]);
    await pg.client.query('VACUUM complaints');
    await lodge(6);
    await pg.client.query('ANALYZE complaints');
    await lodge(12);
    const { rows } = await prisma.sql<{ generic: number; custom: number }>(
      prepared(`SELECT generic_plans::int AS generic, custom_plans::int AS custom
        FROM pg_prepared_statements WHERE name = $1`),
      [INTAKE.name],
    );
    // Sequential calls reuse one connection; should the pool have replaced it while idle (a very
    // slow machine), the new one made at least the last 12 plans, and left to PostgreSQL it would
    // have made its first five custom.
    expect(rows).toHaveLength(1);
    expect(rows[0].custom).toBe(0);
    expect(rows[0].generic).toBeGreaterThanOrEqual(12);
  });
});

/** A new grievance's intake values: to a state portal with a monthly cap, or to CPGRAMS. */
function grievance(capped: boolean): unknown[] {
  const mobileLookup = createHash('sha256').update(randomUUID()).digest('hex');
  const [stateCode, districtCode, portal] = capped
    ? ['09', '162', 'UP-IGRS']
    : ['27', null, 'CPGRAMS'];
  return intakeValues(
    {
      id: randomUUID(),
      trackingId: `GRV-CACHE-${randomUUID()}`,
      accessTokenHash: 'x',
      subject: 'Streetlight not working',
      description: 'in our lane',
      category: 'ROADS',
      ministryCode: null,
      stateCode,
      districtCode,
      pincode: '226010',
      language: 'en',
      complainantCipher: Buffer.from('sealed'),
      mobileLookup,
      mobileVerified: false,
      linkCluster: true,
      primaryPortalCode: portal,
      routingRule: 'fixture',
      slaDueAt: new Date('2026-12-01T00:00:00Z'),
      createdAt: new Date(),
      dispatches: [{ id: randomUUID(), portalCode: portal, primary: true }],
      correlationId: 'corr',
      channel: 'api',
      partnerAppId: null,
    },
    {
      mobileLookup,
      stateCode,
      districtCode,
      category: 'ROADS',
      pincode: '226010',
      text: 'Streetlight not working in our lane',
      repeatSimilarity: 0.35,
      cap: capped
        ? { portalCode: portal, since: new Date('2026-10-31T18:30:00Z'), limit: 10 }
        : null,
    },
    null,
  );
}
