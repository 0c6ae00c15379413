import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import type { NamedParams } from '../platform/database/named-params';

/** A transaction's client (or the pool): what the link job runs its statements on. */
export type Queryable = Pick<ClientBase, 'query'>;

export interface RepeatProbe {
  mobileLookup: string;
  stateCode: string;
  districtCode: string | null;
  category: string;
  pincode: string;
  /** subject + ' ' + description, as intake stores it in text_key. */
  text: string;
}

/**
 * The statuses in which a grievance is still open for repeat purposes: being handled or about to
 * be. A failed dispatch never reached a portal, so lodging again is not a repeat.
 */
const OPEN = `('RECEIVED','ROUTED','DELIVERED','IN_PROGRESS','TRANSFERRED','APPEALED')`;

/**
 * How many of the most recent candidates are scored: bounds the cost of one intake whatever the
 * table holds (docs/citizen.md#repeats).
 */
export const MAX_CANDIDATES = 100;

/** Grievances lodged before text_key existed have neither it nor concepts: computed for them. */
const KEY = `coalesce(c.text_key, grievance_text_key(c.subject || ' ' || c.description))`;
const CONCEPTS = `CASE WHEN c.text_key IS NULL THEN grievance_concepts(${KEY}) ELSE c.concepts END`;
/** Stored places; '{?}': not read yet (lodged before 20261129020000, or not linked yet). */
const PLACES = `CASE WHEN c.places = '{?}' THEN grievance_places(${KEY}, c.subject || ' ' || c.description)
  ELSE c.places END`;

/**
 * Up to MAX_CANDIDATES of `complaints c` (newest first), with their key and concepts. Unscored:
 * `scored` evaluates the score once per candidate (inlined in a filter and a sort key, the plan
 * evaluated it twice, docs/benchmarks.md#repeat-detection).
 */
const candidates = (from: string) => `
    SELECT c.id, c.tracking_id AS "trackingId", c.cluster_id AS "clusterId", c.created_at,
      ${KEY} AS key, ${CONCEPTS} AS concepts, ${PLACES} AS places
    ${from}
    ORDER BY c.created_at DESC LIMIT ${MAX_CANDIDATES}`;

/** `rows` scored against the probe, materialised: each score is computed once. */
const scored = (rows: string) => `
    SELECT r.*,
      grievance_score(r.key, r.concepts, r.places, probe.key, probe.concepts, probe.places) AS score
    FROM ${rows} r, probe`;

/** The best of `rows` (scored) at or above `threshold`. */
const bestOf = (rows: string, threshold: string, column: string) => `
    SELECT ${column} FROM ${rows} WHERE score >= ${threshold}
    ORDER BY score DESC, created_at DESC LIMIT 1`;

/**
 * The candidates' district and state, as the cluster candidates' index (district, category,
 * pincode, created_at) serves them; `state` and `district` are the probe's (SQL). The district is
 * an index condition (`IS NOT DISTINCT FROM` is not one, and the cluster query then read every
 * grievance of the category in the window, in all districts); so a grievance without one gets its
 * own branch. There the state is compared with `IS NOT DISTINCT FROM`, no index condition: with
 * `c.state_code = …` beside `c.district_code IS NULL`, statistics taken when every grievance had
 * a district made PostgreSQL read the (state, district) index instead — every grievance of the
 * state without a district, 20,000 rows for one link (docs/benchmarks.md#repeat-detection).
 */
function samePlace(hasDistrict: boolean, state: string, district: string): string {
  return hasDistrict
    ? `c.district_code = ${district} AND c.state_code = ${state}`
    : `c.district_code IS NULL AND ${district} IS NULL AND c.state_code IS NOT DISTINCT FROM ${state}`;
}

/**
 * The grievances at a grievance's place (state, district, category, pincode) lodged within the
 * window before it, strictly in (created_at, id) order: the cluster query's candidates and the
 * ones its keying stores keys for. Each field is SQL (a parameter or a column of the probe);
 * `windowSeconds` a number of seconds.
 */
export function earlierAtPlace(
  hasDistrict: boolean,
  g: { state: string; district: string; category: string; pincode: string; at: string; id: string },
  windowSeconds: string,
): string {
  return `${samePlace(hasDistrict, g.state, g.district)} AND c.category = ${g.category}
    AND c.pincode = ${g.pincode}
    AND c.created_at > ${g.at} - make_interval(secs => ${windowSeconds})
    AND c.created_at <= ${g.at} AND (c.created_at, c.id) < (${g.at}, ${g.id})`;
}

/**
 * What intake's check is given: the new grievance's probe, whether (and how similar) to look for
 * the mobile's own open repeat, and the primary portal's monthly cap.
 */
export interface IntakeCheck extends RepeatProbe {
  /** Look for the mobile's open repeat scoring at or above this (null: none looked for). */
  repeatSimilarity: number | null;
  /** Refuse when the mobile lodged `limit` to `portalCode` since `since` (null: no cap). */
  cap: (CapWindow & { limit: number }) | null;
}

/** Why intake's check refused a grievance: the portal's monthly cap, or the mobile's repeat. */
export type IntakeRefusal = 'monthly-cap' | 'repeat';

/** The check's answer (intake stores the grievance only when `refused` is null). */
export interface IntakeVerdict {
  refused: IntakeRefusal | null;
  /** The tracking id of the mobile's open repeat, if any. */
  repeat: string | null;
}

/**
 * Intake's check, as common table expressions for the intake statement (one round trip:
 * complaints.repository), ending in `verdict`, one row:
 *  - `lodged`: the grievances the mobile lodged to the cap's portal since the cap's start (0, and
 *    nothing read, without a cap);
 *  - `repeat`: the tracking id of the mobile's most similar open grievance at or above the
 *    similarity (none looked for without one: the citizen said it is not a repeat, or detection
 *    is off);
 *  - `refused`: 'monthly-cap' when `lodged` reached the cap, else 'repeat' when there is one
 *    (read from `checked`, materialised: as a subquery in FROM it was pulled up into `verdict`,
 *    and each answer read twice was computed twice — the cap's count included);
 *  - `text_key`, `concepts`, `places`: the new text's, for intake to store, computed only when
 *    the mobile has a candidate (most intakes have none: the link job computes them,
 *    cluster-link.repository), and not at planning: `(SELECT $n)` is not a constant the planner
 *    folds. Cluster linking is not here: a job does it after the commit (docs/citizen.md#repeats).
 * The cap's and the similarity's values are read the same way, `(SELECT $n)`: a plan made for
 * the values folded what a null one gates (without a cap, the count's filter and the count
 * itself), costing half the kept plan when complaints had no statistics yet, and PostgreSQL then
 * planned every intake anew for the connection's life (test/integration/intake-plan-cache).
 * Its parameters are named in `p` (`intakeCheckValues` gives them).
 *
 * Only the mobile is an index condition for the candidates (the place is compared as a row with
 * `IS NOT DISTINCT FROM`, which no index serves): the plan PostgreSQL keeps for a prepared
 * statement is chosen without the values, and with `c.district_code IS NULL` (or `=` the district) beside
 * the state it could read a whole state's grievances without a district, or a district's, and
 * filter them by mobile — 70 ms per intake at 30,000 stored and growing
 * (docs/benchmarks.md#repeat-detection). With the state alone as a condition and no statistics
 * yet (a new or truncated table), it ANDed the state's whole range of the (state, district) index
 * with the mobile's entries: 2 ms per intake at 4,000 stored (docs/benchmarks.md#intake-cpu-issue-16).
 */
export function intakeCheck(p: NamedParams): string {
  const mobile = p.value('checkMobile', 'text');
  const similarity = p.value('checkSimilarity', 'real');
  const text = `(SELECT ${p.value('checkText', 'text')})`;
  const limit = p.value('capLimit', 'int');
  // The portal and the month are FILTER conditions, which no index serves: the mobile's index
  // reads its few grievances. As scan conditions, the plan kept for the prepared statement could
  // AND the mobile's entries with created_at's whole range since the month began (every
  // grievance of the month, growing with each intake: docs/benchmarks.md#intake-cpu-issue-16).
  const lodged = `(SELECT count(*) FILTER (
      WHERE primary_portal_code = (SELECT ${p.value('capPortal', 'text')})
        AND created_at >= (SELECT ${p.value('capSince', 'timestamptz')}))::int
    FROM complaints WHERE (SELECT ${limit}) IS NOT NULL AND mobile_lookup = ${mobile})`;
  const place = ['checkState', 'checkDistrict', 'checkCategory', 'checkPincode'].map((name) =>
    p.value(name, 'text'),
  );
  return `same_mobile AS MATERIALIZED (${candidates(`FROM complaints c
    WHERE (SELECT ${similarity}) IS NOT NULL AND c.mobile_lookup = ${mobile}
      AND (c.state_code, c.district_code, c.category, c.pincode)
        IS NOT DISTINCT FROM (${place.join(', ')})
      AND c.status::text IN ${OPEN}`)}
  ), probe AS MATERIALIZED (
    SELECT key, grievance_concepts(key) AS concepts, grievance_places(key, ${text}) AS places
    FROM grievance_text_key(${text}) AS key
    WHERE EXISTS (SELECT 1 FROM same_mobile)
  ), same_mobile_scored AS MATERIALIZED (${scored('same_mobile')}
  ), checked AS MATERIALIZED (
    SELECT ${lodged} AS lodged,
      (${bestOf('same_mobile_scored', similarity, '"trackingId"')}) AS repeat,
      (SELECT key FROM probe) AS text_key, (SELECT concepts FROM probe) AS concepts,
      (SELECT places FROM probe) AS places
  ), verdict AS MATERIALIZED (
    SELECT CASE WHEN v.lodged >= ${limit} THEN 'monthly-cap'
        WHEN v.repeat IS NOT NULL THEN 'repeat' END AS refused, v.*
    FROM checked v
  )`;
}

/** The values of `intakeCheck`'s parameters, by name. */
export function intakeCheckValues(c: IntakeCheck): Record<string, unknown> {
  return {
    checkMobile: c.mobileLookup,
    checkState: c.stateCode,
    checkDistrict: c.districtCode,
    checkCategory: c.category,
    checkPincode: c.pincode,
    checkText: c.text,
    checkSimilarity: c.repeatSimilarity,
    capLimit: c.cap?.limit ?? null,
    capPortal: c.cap?.portalCode ?? null,
    capSince: c.cap?.since ?? null,
  };
}

/**
 * Two texts about different places score at most 0.3 (grievance_score multiplies by 0.3 when
 * grievance_place_conflict; both name a problem here, so its first branch cannot apply): above a
 * threshold of 0.3 such a candidate is no match, and the conflict (a few microseconds) is checked
 * before the score (tens: the trigram similarity of two long texts). In a busy place where most
 * grievances give another house or ward number, that is most of a link's cost
 * (docs/benchmarks.md#repeat-detection). `0.3::real`: the score is a real, and so is $9 (its
 * first use types it); the premise (a conflict scores at most 0.3) is tested on the labelled
 * pairs (repeat-detection.int-spec).
 */
export const PLACE_CONFLICT_MAX_SCORE = 0.3;
const PLACE_FACTOR_BOUND = `$9 <= ${PLACE_CONFLICT_MAX_SCORE}::real`;

/** The link probe's place and instant, as LINK's parameters. */
const PROBE_PLACE = {
  state: '$2',
  district: '$3::text',
  category: '$4',
  pincode: '$5',
  at: '$10::timestamptz',
  id: '$11::uuid',
};

/**
 * The cluster a stored grievance joins: another citizen's grievance about the same problem at
 * the same place, lodged within the window ($8 seconds) before it (strictly, in (created_at, id)
 * order $10, $11: two grievances never pick each other), scored at or above $9 against its key
 * $6, concepts $7 and places $12. Both texts must name a problem they share (a bare "still not fixed" joins
 * no cluster).
 *
 * The **newest** such grievance already in a cluster, else the newest such grievance; not the
 * best of the candidates: candidates are scored newest first and scoring stops at the first at
 * or above the threshold (the executor pulls rows
 * through the filter one at a time under `LIMIT 1`), so a grievance joining a large cluster
 * costs one score instead of MAX_CANDIDATES (docs/benchmarks.md, repeat detection). Either
 * choice clears the same threshold; they differ only where one place has two clusters of the
 * same problem, and then the newer is the one still being reported.
 */
export const LINK = (p: Pick<RepeatProbe, 'districtCode'>) => {
  const newestMatch = (linkedOnly: boolean) => `(
    SELECT r.id, r."clusterId" FROM (${candidates(`FROM complaints c
      WHERE ${earlierAtPlace(p.districtCode !== null, PROBE_PLACE, '$8::double precision')}
        AND c.mobile_lookup IS DISTINCT FROM $1 AND ${CONCEPTS} && $7::text[]
        AND c.cluster_id ${linkedOnly ? 'IS NOT NULL' : 'IS NULL'}`)}) r, probe
    WHERE (${PLACE_FACTOR_BOUND} OR NOT grievance_place_conflict(r.key, r.places, probe.key, probe.places))
      AND grievance_score(r.key, r.concepts, r.places, probe.key, probe.concepts, probe.places) >= $9
    ORDER BY r.created_at DESC LIMIT 1)`;
  // The candidates are one table's rows in the order of the cluster candidates' index, newest
  // first, taken until 100 share a concept with the probe ($7, not a join with \`probe\`: joined,
  // PostgreSQL sorted the whole window at the place before the limit, computing the concepts of
  // every unkeyed grievance in it — 3,054 rows, 915 ms for one link, docs/benchmarks.md).
  // A match already in a cluster first: the newest match is often still waiting for its own
  // link job, which this job would then run first (cluster-link.repository), one after another
  // down a backlog. The second branch runs only when the first finds nothing, and reads only
  // the candidates the first did not (none is scored twice).
  return `
  WITH probe AS (SELECT $6::text AS key, $7::text[] AS concepts, $12::text[] AS places)
  ${newestMatch(true)} UNION ALL ${newestMatch(false)} LIMIT 1`;
};

/**
 * A text's key, concepts and places as grievance_text_key / grievance_concepts /
 * grievance_places (SQL) make them.
 */
export interface TextKey {
  textKey: string;
  concepts: string[];
  places: string[];
}

export interface ClusterSettings {
  clusterSimilarity: number;
  clusterWindowMs: number;
}

/** A portal's monthly cap to count against: grievances to `portalCode` since `since`. */
export interface CapWindow {
  portalCode: string;
  since: Date;
}

/** A stored grievance to link: its place, category, text key and when it was lodged. */
export interface LinkProbe extends Omit<RepeatProbe, 'text'>, TextKey {
  id: string;
  createdAt: Date;
}

/** The grievance a new one's cluster comes from: its cluster, or itself if it has none. */
export interface ClusterMatch {
  id: string;
  clusterId: string | null;
}

@Injectable()
export class RepeatCheckRepository {
  /** The newest other citizen's grievance lodged before `p` that scores at or above the threshold. */
  async clusterMatch(
    tx: Queryable,
    p: LinkProbe,
    s: ClusterSettings,
  ): Promise<ClusterMatch | null> {
    const { rows } = await tx.query<ClusterMatch>(LINK(p), [
      p.mobileLookup,
      p.stateCode,
      p.districtCode,
      p.category,
      p.pincode,
      p.textKey,
      p.concepts,
      s.clusterWindowMs / 1000,
      s.clusterSimilarity,
      p.createdAt,
      p.id,
      p.places,
    ]);
    return rows[0] ?? null;
  }

  /**
   * The first grievance names its cluster (its own id). Two first joiners at once both set the
   * same value.
   */
  async startCluster(tx: Queryable, id: string): Promise<void> {
    await tx.query(
      `UPDATE complaints SET cluster_id = id WHERE id = $1::uuid AND cluster_id IS NULL`,
      [id],
    );
  }
}
