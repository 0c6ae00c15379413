import type { Client } from 'pg';
import type { HubConfig } from '../platform/config/hub-config';
import { selectPolicy } from '../sla/sla-policy';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const SPACE = 31n ** 12n;

/** ONOP-XXXX-XXXX-XXXX from n (a bijective scramble of the row number), in SQL. */
function trackingIdSql(n: string): string {
  const digits = Array.from(
    { length: 12 },
    (_, k) => `substr('${ALPHABET}', ((${n} / ${31n ** BigInt(k)}) % 31)::int + 1, 1)`,
  );
  return `'ONOP-' || ${digits.slice(0, 4).join(' || ')} || '-' || ${digits.slice(4, 8).join(' || ')} || '-' || ${digits.slice(8).join(' || ')}`;
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
  return {
    stateWeights: weighted,
    statePortalStates: states,
    statePortals: states.map(ruleFor),
    upDistricts: config.jurisdictions.districts
      .filter((d) => d.stateCode === '09')
      .map((d) => d.code),
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
         CASE WHEN state_code = '09' THEN ($5::text[])[1 + floor(r4 * array_length($5::text[], 1))::int] END AS district_code,
         created_at + (5 + r5 * 55) * interval '1 minute' AS delivered_at
       FROM a
     ), c AS (
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
     ), f AS (
       SELECT e.*, CASE WHEN done_at < now() THEN done_at END AS resolved_at FROM e
     ), h AS (
       SELECT f.*,
         CASE WHEN resolved_at IS NOT NULL AND r4 < 0.55
              THEN least(5, greatest(1, CASE WHEN resolved_at > sla_due_at THEN 1 + floor(r5 * 3) ELSE 2 + floor(r5 * 4) END))::smallint END AS rating
       FROM f
     ), k AS (
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
       SELECT gen_random_uuid(), tracking_id, md5(tracking_id), status::"ComplaintStatus",
         coalesce(CASE WHEN status = 'CLOSED' THEN resolved_at + interval '15 days' END, resolved_at, delivered_at),
         'Synthetic grievance ' || i, 'Synthetic grievance for benchmarks and the dashboard demo.',
         category, ministry, state_code, district_code, '000000', CASE WHEN r2 < 0.6 THEN 'hi' ELSE 'en' END,
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
     SELECT gen_random_uuid(), id, primary_portal_code, true, 'DELIVERED',
       primary_portal_code || '/SYN/' || to_char(created_at, 'YYYY') || '/' || substr(tracking_id, 6),
       1, delivered_at, delivered_at, created_at, delivered_at
     FROM ins`,
    [
      offset,
      count,
      p.stateWeights,
      p.statePortals,
      p.upDistricts,
      p.categories,
      p.categoryMinistries,
      p.portals,
      p.portalDays,
      p.centralPortal,
      spanDays,
      p.statePortalStates,
    ],
  );
  return rowCount ?? 0;
}
