import { Prisma } from '../../src/generated/prisma/client';
import { searchSql, type SearchRow } from '../../src/staff/staff.repository';
import { useMedium } from '../support/medium';

/**
 * The staff search by tracking id or portal reference looks the reference up by the unique
 * indexes and joins by id, whatever the age of the grievance: as `tracking_id = $ OR id IN (…)`
 * it walked the grievances newest first until it met the one, and read every dispatch for the
 * reference (docs/benchmarks.md, "Which indexes intake pays for").
 */
describe('the staff search by reference', () => {
  const medium = useMedium();

  beforeAll(async () => {
    await medium.prisma.pool.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    await medium.prisma.pool.query(`ALTER TABLE dispatches SET (autovacuum_enabled = false)`);
    await medium.prisma.pool.query(
      `WITH c AS (
         INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
           category, state_code, district_code, pincode, language, primary_portal_code,
           routing_rule, created_at, updated_at)
         SELECT gen_random_uuid(), 'GRV-SEARCH-' || n, 'x', 'DELIVERED', 's',
           'A grievance written by a test.', 'ROADS', '09', '162', '226010', 'en', 'UP-IGRS',
           'fixture', now() - n * interval '1 minute', now()
         FROM generate_series(1, 20000) n
         RETURNING id, tracking_id, created_at)
       INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, external_ref,
         created_at, updated_at)
       SELECT gen_random_uuid(), id, 'UP-IGRS', true, 'DELIVERED',
         'IGRS-' || substr(tracking_id, 12), created_at, created_at
       FROM c`,
    );
    // A portal taken out of the configuration since: its references are still found.
    await medium.prisma.pool.query(
      `UPDATE dispatches SET portal_code = 'RETIRED-PORTAL', external_ref = 'OLD-' || external_ref
       WHERE complaint_id IN (SELECT id FROM complaints WHERE tracking_id = 'GRV-SEARCH-19991')`,
    );
    await medium.prisma.pool.query('ANALYZE complaints');
    await medium.prisma.pool.query('ANALYZE dispatches');
  });

  const search = (ref: string) =>
    medium.prisma.$queryRaw<SearchRow[]>(searchSql({ ref }, null, 50));

  it.each([
    ['its tracking id', 'GRV-SEARCH-19990'],
    ['its portal reference', 'IGRS-19990'],
  ])('finds an old grievance by %s through the unique indexes', async (_by, ref) => {
    const rows = await search(ref);
    expect(rows.map((r) => r.trackingId)).toEqual(['GRV-SEARCH-19990']);
    const plan = (
      await medium.prisma.$queryRaw<Record<string, string>[]>(
        Prisma.sql`EXPLAIN ${searchSql({ ref }, null, 50)}`,
      )
    )
      .map((r) => Object.values(r)[0])
      .join('\n');
    expect(plan).toContain('complaints_tracking_id_key');
    expect(plan).toContain('dispatches_portal_external_ref_key');
    expect(plan).not.toMatch(/Seq Scan on (complaints|dispatches)|complaints_created_at_idx/);
  });

  it('finds a grievance by the reference of a portal no longer configured', async () => {
    const rows = await search('OLD-IGRS-19991');
    expect(rows.map((r) => r.trackingId)).toEqual(['GRV-SEARCH-19991']);
  });

  it('finds nothing for a reference nobody holds', async () => {
    await expect(search('IGRS-NONE')).resolves.toEqual([]);
  });
});
