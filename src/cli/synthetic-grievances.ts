import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { HubConfig } from '../platform/config/hub-config';
import { selectPolicy } from '../sla/sla-policy';
import { districtsOf } from '../platform/config/jurisdiction-lookup';
import { TRACKING_ALPHABET } from '../platform/crypto/tokens';
import { withTransaction } from '../platform/database/with-transaction';

const SPACE = BigInt(TRACKING_ALPHABET.length) ** 12n;

/** ONOP-XXXX-XXXX-XXXX from n (a bijective scramble of the row number), in SQL. */
function trackingIdSql(n: string): string {
  const digits = Array.from(
    { length: 12 },
    (_, k) => `substr('${TRACKING_ALPHABET}', ((${n} / ${31n ** BigInt(k)}) % 31)::int + 1, 1)`,
  );
  return `'ONOP-' || ${digits.slice(0, 4).join(' || ')} || '-' || ${digits.slice(4, 8).join(' || ')} || '-' || ${digits.slice(8).join(' || ')}`;
}

const CHUNK = 250_000;

export interface SeedOptions {
  count: number;
  /** Grievances are received over this many days up to now. */
  days: number;
  onProgress?: (inserted: number) => void;
}

/**
 * Inserts `count` synthetic grievances in chunks. When they at least double the table, the load
 * runs in one transaction with the non-unique indexes dropped and built again at the end (`bulk`):
 * a sorted index build is far cheaper than maintaining ten indexes row by row. The transaction
 * holds the tables locked until it commits, and a failure leaves them as they were.
 */
export async function seedGrievances(
  db: Client,
  config: HubConfig,
  { count, days, onProgress }: SeedOptions,
): Promise<{ inserted: number; bulk: boolean }> {
  const params = seedParameters(config);
  const salt = randomBytes(8).readBigUInt64BE();
  let inserted = 0;
  const insertAll = async () => {
    for (let offset = 0; offset < count; offset += CHUNK) {
      inserted += await insertChunk(
        db,
        params,
        offset,
        Math.min(CHUNK, count - offset),
        days,
        salt,
      );
      onProgress?.(inserted);
    }
  };
  const bulk = count >= (await approximateRows(db, 'complaints'));
  if (bulk) await withSecondaryIndexesRebuilt(db, ['complaints', 'dispatches'], insertAll);
  else await insertAll();
  return { inserted, bulk };
}

/** Row count from the planner's statistics (exact enough to choose a load strategy). */
async function approximateRows(db: Client, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = $1::regclass`,
    [table],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Runs `load` in one transaction with the tables' non-unique indexes dropped, then rebuilds them. */
async function withSecondaryIndexesRebuilt(
  db: Client,
  tables: string[],
  load: () => Promise<void>,
): Promise<void> {
  await withTransaction(db, async () => {
    await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    // Unique indexes stay: ON CONFLICT relies on them.
    const { rows: indexes } = await db.query<{ name: string; definition: string }>(
      `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname = ANY($1::text[]) AND t.relnamespace = current_schema()::regnamespace
         AND NOT i.indisunique`,
      [tables],
    );
    for (const index of indexes) await db.query(`DROP INDEX "${index.name}"`);
    await load();
    for (const index of indexes) await db.query(index.definition);
  });
}

/** Lookup arrays from config: who handles which state, each portal's days, the categories. */
export function seedParameters(config: HubConfig) {
  const ruleFor = (state: string) =>
    config.routing.rules.find((r) => r.stateCode === state && !r.districts && !r.categories)
      ?.portal ?? config.routing.centralPortal;
  // A third of grievances from Uttar Pradesh, a tenth from Maharashtra, the rest across India.
  const states = config.jurisdictions.states.map((s) => s.code);
  const weighted = [
    ...Array(33).fill('09'),
    ...Array(10).fill('27'),
    ...states.flatMap((s) => [s, s]),
  ];
  const central = config.categories.filter((c) => c.level === 'central');
  const local = config.categories.filter((c) => c.level === 'state');
  const categories = [...local, ...local, ...local, ...central];
  // Every state's districts, one run per state: a grievance's district is always its state's.
  const districts = states.flatMap((s) => districtsOf(config.jurisdictions, s));
  const pinPrefix = (state: string) =>
    Object.entries(config.jurisdictions.pincodePrefixes).find(([, codes]) =>
      codes.includes(state),
    )?.[0];
  return {
    stateWeights: weighted,
    statePortalStates: states,
    statePortals: states.map(ruleFor),
    districts: districts.map((d) => d.code),
    stateDistrictFrom: states.map((s) => districts.findIndex((d) => d.stateCode === s) + 1),
    stateDistrictCount: states.map((s) => districtsOf(config.jurisdictions, s).length),
    // A PIN code of the state's first sorting district (pincodePrefixes), e.g. 226001 for UP.
    statePincodes: states.map((s) => `${pinPrefix(s) ?? '000'}001`),
    categories: categories.map((c) => c.code),
    categoryMinistries: categories.map((c) => c.ministry ?? ''),
    portals: config.portals.map((p) => p.code),
    // Rough for synthetic data: the category-specific policies are ignored.
    portalDays: config.portals.map((p) => selectPolicy(config.sla, p.code, '').redressalDays),
    centralPortal: config.routing.centralPortal,
  };
}

/**
 * Inserts `count` rows starting at row `offset`: grievances received over the last `spanDays`,
 * delivered minutes later, most resolved around 60 % of their SLA with a long tail past it, some
 * rated, a few appealed, old ones closed; one delivered dispatch each. No personal data.
 */
export async function insertChunk(
  db: Client,
  p: ReturnType<typeof seedParameters>,
  offset: number,
  count: number,
  spanDays: number,
  salt: bigint,
): Promise<number> {
  const n = `((g.i * 1000000007 + ${salt % SPACE}) % ${SPACE})`;
  // Ids that grow with the row number (RFC 9562 version 8, this seed's salt in the high bits):
  // each insert lands at the right edge of the primary-key index instead of a random page.
  const prefix = salt.toString(16).padStart(16, '0');
  // Variant nibble 8 for the grievance; its dispatch gets the same id with variant nibble 9.
  const complaintId = `('${prefix.slice(0, 12)}8${prefix.slice(13, 16)}8' || lpad(to_hex(i), 15, '0'))::uuid`;
  // MATERIALIZED: an inlined CTE is substituted into every reference, so each later step would
  // recompute the whole chain (resolved_at alone appears a dozen times): 3x slower per row.
  const { rowCount } = await db.query(
    `WITH g AS (
       SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6,
              random() r7, random() r8, random() r9
       FROM generate_series($1::bigint, $1::bigint + $2 - 1) i
     ), a AS (
       SELECT g.*, ${trackingIdSql(n)} AS tracking_id,
         ($3::text[])[1 + floor(r1 * array_length($3::text[], 1))::int] AS state_code,
         1 + floor(r2 * array_length($6::text[], 1))::int AS cat_ix,
         now() - (r3 * $11::int) * interval '1 day' AS created_at
       FROM g
     ), b AS (
       SELECT a.*, ($6::text[])[cat_ix] AS category, nullif(($7::text[])[cat_ix], '') AS ministry,
         ($5::text[])[($13::int[])[array_position($12::text[], state_code)]
                      + floor(r4 * ($14::int[])[array_position($12::text[], state_code)])::int] AS district_code,
         ($15::text[])[array_position($12::text[], state_code)] AS pincode,
         created_at + (5 + r5 * 55) * interval '1 minute' AS delivered_at
       FROM a
     ), c AS MATERIALIZED (
       SELECT b.*, CASE WHEN ministry IS NOT NULL THEN $10::text
                        ELSE ($4::text[])[array_position($12::text[], state_code)] END AS portal
       FROM b
     ), d AS (
       SELECT c.*, ($9::int[])[array_position($8::text[], portal)] AS days FROM c
     ), e AS (
       SELECT d.*, delivered_at + days * interval '1 day' AS sla_due_at,
         CASE WHEN r6 < 0.03 THEN NULL
              ELSE delivered_at + days * 0.6 * exp(1.2 * (r7 + r8 + r9 - 1.5)) * interval '1 day' END AS done_at
       FROM d
     ), f AS MATERIALIZED (
       SELECT e.*, CASE WHEN done_at < now() THEN done_at END AS resolved_at FROM e
     ), h AS (
       SELECT f.*,
         CASE WHEN resolved_at IS NOT NULL AND r4 < 0.55
              THEN least(5, greatest(1, CASE WHEN resolved_at > sla_due_at THEN 1 + floor(r5 * 3) ELSE 2 + floor(r5 * 4) END))::smallint END AS rating
       FROM f
     ), k AS MATERIALIZED (
       SELECT h.*,
         CASE WHEN resolved_at IS NOT NULL AND r8 < CASE WHEN rating <= 2 THEN 0.3 ELSE 0.03 END
                   AND resolved_at + r9 * 20 * interval '1 day' < now()
              THEN resolved_at + r9 * 20 * interval '1 day' END AS appealed_at,
         CASE WHEN resolved_at IS NULL THEN (CASE WHEN r5 < 0.5 THEN 'DELIVERED' ELSE 'IN_PROGRESS' END)
              WHEN resolved_at < now() - interval '15 days' THEN 'CLOSED'
              WHEN r1 < 0.1 THEN 'REJECTED' ELSE 'RESOLVED' END AS status
       FROM h
     ), ins AS (
       INSERT INTO complaints (id, tracking_id, access_token_hash, status, status_at, subject,
         description, category, ministry_code, state_code, district_code, pincode, language,
         primary_portal_code, routing_rule, sla_due_at, delivered_at, closed_at, resolved_at,
         resolved_by_portal, resolution_remarks, feedback_rating, feedback_at, appealed_at,
         appeal_due_at, created_at, updated_at)
       SELECT ${complaintId}, tracking_id, md5(tracking_id), status::"ComplaintStatus",
         coalesce(CASE WHEN status = 'CLOSED' THEN resolved_at + interval '15 days' END, resolved_at, delivered_at),
         'Synthetic grievance ' || i, 'Synthetic grievance for benchmarks and the dashboard demo.',
         category, ministry, state_code, district_code, pincode, CASE WHEN r2 < 0.6 THEN 'hi' ELSE 'en' END,
         portal, 'synthetic', sla_due_at, delivered_at,
         CASE WHEN status = 'CLOSED' THEN resolved_at + interval '15 days' END, resolved_at,
         CASE WHEN resolved_at IS NOT NULL THEN portal END,
         CASE WHEN resolved_at IS NOT NULL THEN 'Action taken and informed (synthetic)' END,
         rating, CASE WHEN rating IS NOT NULL THEN resolved_at + interval '2 days' END,
         appealed_at, appealed_at + interval '30 days', created_at,
         greatest(created_at, resolved_at, appealed_at)
       FROM k
       ON CONFLICT DO NOTHING
       RETURNING id, tracking_id, primary_portal_code, created_at, delivered_at
     )
     INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, external_ref,
       attempts, delivered_at, last_synced_at, created_at, updated_at)
     SELECT overlay(id::text PLACING '9' FROM 20 FOR 1)::uuid, id, primary_portal_code, true,
       'DELIVERED',
       primary_portal_code || '/SYN/' || to_char(created_at, 'YYYY') || '/' || substr(tracking_id, 6),
       1, delivered_at, delivered_at, created_at, delivered_at
     FROM ins`,
    [
      offset,
      count,
      p.stateWeights,
      p.statePortals,
      p.districts,
      p.categories,
      p.categoryMinistries,
      p.portals,
      p.portalDays,
      p.centralPortal,
      spanDays,
      p.statePortalStates,
      p.stateDistrictFrom,
      p.stateDistrictCount,
      p.statePincodes,
    ],
  );
  return rowCount ?? 0;
}
