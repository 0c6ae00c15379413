import { TEST_CONFIG_DIR } from '../support/config-dir';
import { randomBytes } from 'node:crypto';
import { seedGrievances } from '../../src/cli/synthetic-grievances';
import { locationProblems } from '../../src/complaints/complaint-reference.rules';
import { loadHubConfig } from '../../src/platform/config/load-config';
import { useTestDatabase } from '../support/database';

/** `npm run seed`'s loader against a real database: bulk and incremental loads, and a failed one. */
describe('seeding synthetic grievances', () => {
  const pg = useTestDatabase();
  const config = loadHubConfig({
    configDir: TEST_CONFIG_DIR,
    env: {
      NODE_ENV: 'test',
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
    },
  });

  const indexes = async () =>
    (
      await pg.client.query<{ def: string }>(
        `SELECT indexdef AS def FROM pg_indexes
         WHERE tablename IN ('complaints', 'dispatches') ORDER BY indexname`,
      )
    ).rows.map((r) => r.def);
  const count = async (sql: string) => Number((await pg.client.query(sql)).rows[0].n);

  it('loads an empty database in bulk and leaves every index as the migrations made it', async () => {
    const before = await indexes();
    const result = await seedGrievances(pg.client, config, { count: 3_000, days: 365 });

    expect(result).toEqual({ inserted: 3_000, bulk: true });
    expect(await indexes()).toEqual(before);
    expect(await count('SELECT count(*) AS n FROM complaints')).toBe(3_000);
    // One delivered, primary dispatch per grievance, registered under a reference of its own.
    expect(
      await count(`SELECT count(DISTINCT complaint_id) AS n FROM dispatches
                   WHERE "primary" AND status = 'DELIVERED' AND external_ref IS NOT NULL`),
    ).toBe(3_000);
    // Realistic lifecycles: open, resolved and closed ones; a deadline after each delivery.
    const statuses = (
      await pg.client.query<{ status: string }>('SELECT DISTINCT status::text FROM complaints')
    ).rows.map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['DELIVERED', 'RESOLVED', 'CLOSED']));
    expect(
      await count('SELECT count(*) AS n FROM complaints WHERE NOT sla_due_at > delivered_at'),
    ).toBe(0);
    // Ids grow with the row (version 8 UUIDs); a dispatch's id differs from its grievance's.
    expect(
      await count(`SELECT count(*) AS n FROM complaints c JOIN dispatches d ON d.complaint_id = c.id
                   WHERE c.id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8'
                     AND d.id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-9' AND d.id <> c.id`),
    ).toBe(3_000);
    // Every place is one intake would accept: the district is its state's, the PIN code reaches
    // into the state, and every state has districts given.
    const places = await pg.client.query<{ state: string; district: string; pincode: string }>(
      `SELECT DISTINCT state_code AS state, district_code AS district, pincode FROM complaints`,
    );
    expect(places.rows.length).toBeGreaterThan(100);
    expect(
      places.rows.flatMap((p) =>
        locationProblems(config.jurisdictions, {
          stateCode: p.state,
          districtCode: p.district,
          pincode: p.pincode,
        }),
      ),
    ).toEqual([]);
    expect(new Set(places.rows.map((p) => p.state)).size).toBeGreaterThan(30);
    // Synthetic: no personal data at all.
    expect(
      await count('SELECT count(*) AS n FROM complaints WHERE complainant_cipher IS NOT NULL'),
    ).toBe(0);
  });

  it('adds to a larger table row by row, without clashing tracking ids', async () => {
    await pg.client.query('ANALYZE complaints');
    const result = await seedGrievances(pg.client, config, { count: 1_000, days: 30 });

    expect(result).toEqual({ inserted: 1_000, bulk: false });
    expect(await count('SELECT count(DISTINCT tracking_id) AS n FROM complaints')).toBe(4_000);
  });

  it('a load that fails changes nothing, indexes included', async () => {
    await pg.client.query('TRUNCATE complaints CASCADE');
    await pg.client.query('ANALYZE complaints');
    const before = await indexes();
    // Make every synthetic row unacceptable, so the insert fails after the indexes were dropped.
    await pg.client.query(
      `ALTER TABLE complaints ADD CONSTRAINT test_no_synthetic CHECK (routing_rule <> 'synthetic')`,
    );
    try {
      await expect(seedGrievances(pg.client, config, { count: 500, days: 30 })).rejects.toThrow(
        /test_no_synthetic/,
      );
    } finally {
      await pg.client.query('ALTER TABLE complaints DROP CONSTRAINT test_no_synthetic');
    }
    expect(await indexes()).toEqual(before);
    expect(await count('SELECT count(*) AS n FROM complaints')).toBe(0);
  });
});
