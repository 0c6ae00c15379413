import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { PrismaService } from '../platform/database/prisma.service';
import { prepared } from '../platform/database/prepared';
import { withTransaction } from '../platform/database/with-transaction';
import { RowRelay, type RelaySource } from '../platform/queue/row-relay';
import {
  earlierAtPlace,
  RepeatCheckRepository,
  type ClusterSettings,
  type LinkProbe,
} from './repeat-check.repository';

/** What one run of the link job did. */
export type LinkOutcome =
  /** No row waited: linked already (a re-run), or the grievance is gone. */
  | { linked: false }
  /** The row is settled; `clusterId` null: the grievance joined no cluster. */
  | { linked: true; clusterId: string | null };

/**
 * How many grievances one link keys at most: a pile of unkeyed ones at a busy place (lodged while
 * detection was off, or a backlog of link jobs) is keyed over a few links, none waiting long.
 */
const KEY_BATCH = 500;

/** Grievance `g` (the one being linked), as KEY_CANDIDATES reads it. */
const G_PLACE = {
  state: 'g.state_code',
  district: 'g.district_code',
  category: 'g.category',
  pincode: 'g.pincode',
  at: 'g.created_at',
  id: 'g.id',
};

/**
 * The newest KEY_BATCH unkeyed grievances before `g` at its place, within the window ($2
 * seconds): those the cluster query would otherwise key on the fly (linked ones too: clustered
 * before places were stored, or given a cluster as another's match). Not an erased one: its text
 * is gone. When every grievance there is keyed, this reads the window at the place, as the
 * cluster query does.
 */
const unkeyedBefore = (hasDistrict: boolean) => `
  SELECT c.id FROM complaints c
  WHERE ${earlierAtPlace(hasDistrict, G_PLACE, '$2::double precision')}
    AND (c.text_key IS NULL OR c.places = '{?}') AND c.pii_erased_at IS NULL
  ORDER BY c.created_at DESC LIMIT ${KEY_BATCH}`;

/**
 * Keys the unkeyed grievances the link of grievance $1 will read (see keyCandidates), $2 the
 * window in seconds: one branch for a grievance in a district, one for a grievance without.
 * Prepared (decision 0033): every link job runs it.
 */
export const KEY_CANDIDATES = prepared(`
  WITH g AS MATERIALIZED (
    SELECT id, state_code, district_code, category, pincode, created_at
    FROM complaints WHERE id = $1::uuid
  ), unkeyed AS (
    SELECT n.id FROM g, LATERAL (${unkeyedBefore(true)}) n
    UNION ALL
    SELECT n.id FROM g, LATERAL (${unkeyedBefore(false)}) n
  )
  ${keyRows(`SELECT id FROM complaints WHERE id IN (SELECT id FROM unkeyed) FOR NO KEY UPDATE SKIP LOCKED`)}`);

/**
 * Cluster linking after intake (issue 15): the `cluster_links` rows intake writes, for the
 * shared relay (platform/queue/row-relay), and the job that links one grievance and deletes its
 * row in one transaction. A row is a link still to make: a re-run finds none and changes nothing.
 */
@Injectable()
export class ClusterLinkRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repeats: RepeatCheckRepository,
  ) {}

  /** The relay of `cluster_links` onto the link queue, `batch` rows per claim. */
  relay(queue: Pick<RelaySource, 'add' | 'withoutLiveJob'>, batch: number): RowRelay {
    return new RowRelay(this.prisma, [
      {
        table: 'cluster_links',
        // Every row waits for its job: the job deletes it.
        pending: 'TRUE',
        order: 'created_at',
        columns: `'cluster-' || id::text AS "correlationId"`,
        batch,
        add: (rows) => queue.add(rows),
        withoutLiveJob: (rows) => queue.withoutLiveJob(rows),
      },
    ]);
  }

  /**
   * Links grievance `id` to its cluster, as intake did before issue 15: the most similar other
   * citizen's grievance lodged within the window before it gives its cluster, or starts one (its
   * own id). Computes the grievance's text key, concepts and places first if intake did not. The row is
   * locked for the transaction, so a concurrent run of the same job waits and then finds none.
   */
  async link(id: string, settings: ClusterSettings): Promise<LinkOutcome> {
    await this.keyCandidates(id, settings);
    return withTransaction(this.prisma.pool, (tx) => this.linkIn(tx, id, settings));
  }

  /**
   * Stores the text key, concepts and places of the earlier grievances at the place of `id` that
   * the link will read and that have none: lodged while detection was off or by an older hub (no
   * job of theirs will key them), or still waiting for their own job. Without them the cluster
   * query computes them for every such candidate on every link (about 0.6 ms each; 0.7 s for one
   * link at a busy Pune pincode, docs/benchmarks.md#repeat-detection); stored, once. At most
   * KEY_BATCH a link.
   *
   * Its own statement, before the link's transaction, and SKIP LOCKED: it never waits for a row
   * and holds none after it, so it cannot deadlock with a job linking one of these (which may
   * wait for the link's transaction). The values are those functions of the grievance's text,
   * so a row keyed here and by its own job gets the same.
   */
  private async keyCandidates(id: string, settings: ClusterSettings): Promise<void> {
    await this.prisma.sql(KEY_CANDIDATES, [id, settings.clusterWindowMs / 1000]);
  }

  /**
   * A match still waiting for its own link is linked first (jobs run in any order: it may join
   * an earlier cluster, which the new grievance then joins too, as when intake linked in turn).
   * Matches are strictly earlier, so this ends, and rows are locked from later to earlier: two
   * jobs may wait for each other's row, never deadlock.
   */
  private async linkIn(
    tx: ClientBase,
    id: string,
    settings: ClusterSettings,
  ): Promise<LinkOutcome> {
    // Deleted first: the delete locks the row for the transaction (a concurrent run of the same
    // job waits, then finds none), and a rollback puts it back for the retry.
    const { rowCount } = await tx.query(`DELETE FROM cluster_links WHERE id = $1::uuid`, [id]);
    if (!rowCount) return { linked: false };
    const probe = await this.probe(tx, id);
    let clusterId: string | null = probe?.clusterId ?? null;
    if (probe && clusterId === null) {
      const match = await this.repeats.clusterMatch(tx, probe, settings);
      if (match) {
        if (match.clusterId === null) {
          // Linked here, or by its own job while this one waited for its row: then read it.
          const inner = await this.linkIn(tx, match.id, settings);
          match.clusterId = inner.linked ? inner.clusterId : await this.clusterOf(tx, match.id);
        }
        clusterId = match.clusterId ?? match.id;
        if (match.clusterId === null) await this.repeats.startCluster(tx, match.id);
        await tx.query(
          `UPDATE complaints SET cluster_id = $2::uuid WHERE id = $1::uuid AND cluster_id IS NULL`,
          [id, clusterId],
        );
      }
    }
    return { linked: true, clusterId };
  }

  private async clusterOf(tx: ClientBase, id: string): Promise<string | null> {
    const { rows } = await tx.query<{ clusterId: string | null }>(
      `SELECT cluster_id::text AS "clusterId" FROM complaints WHERE id = $1::uuid`,
      [id],
    );
    return rows[0]?.clusterId ?? null;
  }

  /**
   * The grievance as the cluster query needs it, its text key, concepts and places computed and
   * stored if missing (places: also on grievances keyed before they were stored).
   */
  private async probe(
    tx: ClientBase,
    id: string,
  ): Promise<(LinkProbe & { clusterId: string | null }) | null> {
    // Two statements: another link's keyCandidates may key this row while this job runs. An
    // UPDATE that waited for it re-checks the row and changes nothing, and a SELECT in the same
    // statement would still read the row as it was before (no key: this grievance joined no
    // cluster). The SELECT after it reads the committed row.
    await tx.query(keyRows('SELECT $1::uuid AS id'), [id]);
    const { rows } = await tx.query<LinkProbe & { clusterId: string | null }>(
      `SELECT c.id::text AS id, c.mobile_lookup AS "mobileLookup", c.state_code AS "stateCode",
         c.district_code AS "districtCode", c.category, c.pincode, c.text_key AS "textKey",
         c.concepts, c.places, c.created_at AS "createdAt", c.cluster_id::text AS "clusterId"
       FROM complaints c WHERE c.id = $1::uuid`,
      [id],
    );
    return rows[0] ?? null;
  }
}

/**
 * Stores the text key, concepts and places of the grievances `ids` (a query of their ids) that
 * lack them, as grievance_text_key / grievance_concepts / grievance_places make them. Places
 * are read again on a grievance keyed before they were stored ('{?}'). Never on an erased
 * grievance: the key is computed from the text as this statement's snapshot saw it, and an
 * erasure committed meanwhile leaves `text_key` null again; the UPDATE re-checks
 * `pii_erased_at` on the row it locked, so no key of erased words is written back.
 */
function keyRows(ids: string): string {
  return `UPDATE complaints c SET text_key = k.key,
      concepts = CASE WHEN c.text_key IS NULL THEN grievance_concepts(k.key) ELSE c.concepts END,
      places = grievance_places(k.key, c.subject || ' ' || c.description)
    FROM (SELECT id, coalesce(text_key, grievance_text_key(subject || ' ' || description)) AS key
          FROM complaints WHERE id IN (${ids})) k
    WHERE c.id = k.id AND (c.text_key IS NULL OR c.places = '{?}') AND c.pii_erased_at IS NULL`;
}
