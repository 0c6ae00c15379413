import { createHash } from 'node:crypto';
import { KEY_CANDIDATES } from '../../src/complaints/cluster-link.repository';
import { INTAKE, intakeValues } from '../../src/complaints/complaints.repository';
import { LINK } from '../../src/complaints/repeat-check.repository';
import { explainPrepared, useTestDatabase } from '../support/database';

/**
 * Intake's repeat check must find the mobile's grievances through the mobile's index whatever the
 * statistics say, in the plan PostgreSQL makes for the values (custom) and in the one it may keep
 * for the prepared statement (generic, chosen without them). It did not: with statistics where
 * every stored grievance has a district and one state (a fresh state portal, the bench's seed),
 * both plans read every grievance of the state without a district (or of the district) and
 * filtered by mobile — 70 ms and growing with every intake at 30,000 stored, the round-over-round
 * slowdown of `bench/repeats.mjs` (docs/benchmarks.md#repeat-detection). And with no statistics
 * at all (a new or truncated table, before autovacuum analyzes it), the generic plan read the
 * state's whole range of the (state, district) index: the state was an index condition too, with
 * the same guessed selectivity as the mobile (docs/benchmarks.md#intake-cpu-issue-16).
 */
/** Each plan (custom, generic) for a grievance with a district and one without. */
const CASES = [
  ['generic', 'with a district', '162'],
  ['generic', 'without a district', null],
  ['custom', 'with a district', '162'],
  ['custom', 'without a district', null],
] as const;

/** The statistics PostgreSQL plans with: a state portal's first months, or none yet. */
const STATISTICS = [
  ['of a state portal’s first months', true],
  ['none (never analyzed)', false],
] as const;

describe.each(STATISTICS)('the repeat check’s plan, statistics %s', (_label, analyzed) => {
  const pg = useTestDatabase();

  beforeAll(async () => {
    // No analyze while the test runs: the statistics stay those made below.
    await pg.client.query(`ALTER TABLE complaints SET (autovacuum_enabled = false)`);
    // Statistics like a state portal's first months: one state, every grievance with a district,
    // a few pincodes and categories, a distinct mobile each; rows as wide as real ones (a
    // description of a few sentences, the sealed complainant), since the heap's size weighs in
    // the plan's choice.
    await pg.client.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code, routing_rule,
         mobile_lookup, complainant_cipher, created_at, updated_at)
       SELECT gen_random_uuid(), 'GRV-PLAN-' || n, 'x', 'DELIVERED', 'Streetlight not working',
         repeat('A grievance written by a test, as long as a real one. ', 8),
         (ARRAY['ROADS','WATER','POWER'])[1 + n % 3], '09',
         (100 + n % 75)::text, (ARRAY['226010','226001','208001'])[1 + n % 3], 'en', 'UP-IGRS',
         'fixture', md5(n::text), decode(repeat(md5(n::text), 6), 'hex'),
         now() - n * interval '1 minute', now()
       FROM generate_series(1, 20000) n`,
    );
    if (analyzed) await pg.client.query('ANALYZE complaints');
  });

  /** The intake statement's parameters as literals (EXECUTE's arguments): a new grievance. */
  const args = (districtCode: string | null) =>
    intakeValues(
      {
        id: '00000000-0000-4000-8000-000000000001',
        trackingId: 'GRV-PLAN-NEW',
        accessTokenHash: 'x',
        subject: 'Streetlight not working',
        description: 'in our lane',
        category: 'ROADS',
        ministryCode: null,
        stateCode: '09',
        districtCode,
        pincode: '226010',
        language: 'en',
        complainantCipher: Buffer.from('sealed'),
        mobileLookup: md5('a new mobile'),
        mobileVerified: false,
        linkCluster: true,
        primaryPortalCode: 'UP-IGRS',
        routingRule: 'fixture',
        slaDueAt: new Date('2026-12-01T00:00:00Z'),
        createdAt: new Date('2026-11-27T00:00:00Z'),
        dispatches: [
          { id: '00000000-0000-4000-8000-000000000002', portalCode: 'UP-IGRS', primary: true },
        ],
        correlationId: 'corr',
        channel: 'api',
        partnerAppId: null,
      },
      {
        mobileLookup: md5('a new mobile'),
        stateCode: '09',
        districtCode,
        category: 'ROADS',
        pincode: '226010',
        text: 'Streetlight not working in our lane',
        repeatSimilarity: 0.5,
        cap: { portalCode: 'UP-IGRS', since: new Date('2026-10-31T18:30:00Z'), limit: 5 },
      },
      null,
    )
      .map(literal)
      .join(', ');

  it.each(CASES)(
    '(%s) reads the mobile’s grievances by its index %s',
    async (mode, _label, district) => {
      const plan = await explainPrepared(pg.client, INTAKE.text, mode, args(district));
      // The candidates' scan and the cap's count both go by the mobile (the inserts read no
      // index of complaints).
      // Every index the plan reads (an index scan, or a bitmap's: ANDed with another index's,
      // the other is read whole for its condition).
      const indexes = [...plan.matchAll(/(?:Scan using|Bitmap Index Scan on) (\S+)/g)].map(
        (m) => m[1],
      );
      expect(plan).toMatch(
        /(Scan using|Bitmap Heap Scan on) complaints(_mobile_lookup_idx on complaints)? c\b/,
      );
      expect(indexes.length).toBeGreaterThan(0);
      for (const index of indexes) expect(index).toBe('complaints_mobile_lookup_idx');
      expect(plan).not.toMatch(/Seq Scan on complaints/);
      // Two reads of the table, each once: the candidates and the cap's count.
      expect(plan.match(/(Scan using \S+|Bitmap Heap Scan) on complaints\b/g)).toHaveLength(2);
    },
  );

  /**
   * The cluster link's statements read a grievance's place through the cluster candidates'
   * index, also for a grievance without a district on statistics that know none (they read the
   * state's whole (state, district) index range instead, 20,000 rows for one link).
   */
  it.each(CASES)(
    '(%s) the cluster link reads the place by its index %s',
    async (mode, _label, district) => {
      const { rows } = await pg.client.query<{ id: string }>(
        `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code,
         routing_rule, created_at, updated_at)
       VALUES (gen_random_uuid(), 'GRV-LINK-' || gen_random_uuid(), 'x', 'DELIVERED', 's',
         'A grievance written by a test.', 'ROADS', '09', $1, '226010', 'en', 'UP-IGRS',
         'fixture', now(), now())
       RETURNING id::text`,
        [district],
      );
      const id = rows[0].id;
      const link = await explainPrepared(
        pg.client,
        LINK({ districtCode: district }),
        mode,
        [
          `'${md5('a new mobile')}'`,
          `'09'`,
          district === null ? 'NULL' : `'${district}'`,
          `'ROADS'`,
          `'226010'`,
          `'streetlight not working'`,
          `'{qlight}'`,
          '2592000',
          '0.35',
          'now()',
          `'${id}'`,
          `'{}'`,
        ].join(', '),
      );
      const key = await explainPrepared(pg.client, KEY_CANDIDATES.text, mode, `'${id}', 2592000`);
      // Without a district: newest first from its own index, the limit stopping the scan (the
      // cluster candidates' index gives no order for `district_code IS NULL`, and the whole window
      // at the place was sorted). With one: that index (newest first, or a bitmap and a sort of
      // the few rows PostgreSQL expects there).
      for (const plan of [link, key]) {
        if (district === null)
          expect(plan).toContain('Index Scan Backward using complaints_no_district_candidates_idx');
        else expect(plan).toContain('complaints_cluster_candidates_idx');
        expect(plan).not.toContain('complaints_state_district_idx');
      }
    },
  );
});

/** A parameter value as an SQL literal (arrays as array literals; bytea in hex). */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return quote(`{${value.map(element).join(',')}}`);
  if (Buffer.isBuffer(value)) return quote(`\\x${value.toString('hex')}`);
  if (value instanceof Date) return quote(value.toISOString());
  return quote(String(value));
}

function element(value: unknown): string {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return `"\\\\x${value.toString('hex')}"`;
  if (value instanceof Date) return `"${value.toISOString()}"`;
  return `"${String(value).replace(/["\\]/g, '\\$&')}"`;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
