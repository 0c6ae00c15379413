import type { ClientBase } from 'pg';
import { NIL_UUID, type KeysetPosition } from '../database/keyset';
import type { PrismaService } from '../database/prisma.service';
import { withTransaction } from '../database/with-transaction';
import type { RelayWork } from './relay-loop';
import { SWEEP, SweepCursor } from './sweep-cursor';

/** What a relay reads of a row waiting for its job. */
export interface WaitingRow {
  id: string;
  correlationId: string;
}

/**
 * A table whose rows each become a job (docs/decisions/0015-one-relay.md). A row is written
 * with `queued_at` NULL in the transaction that creates it; the relay claims such rows, sets
 * `queued_at` and adds their jobs before that commits. The feature owning the table supplies
 * its SQL and its queue; the table has a uuid `id`, `queued_at`, a partial index on the rows
 * still to queue and one on the pending rows by (`order`, `id`).
 */
export interface RelaySource<R extends WaitingRow = WaitingRow> {
  /** Names the source in logs; also the table. */
  readonly table: string;
  /** SQL predicate: the row still needs its job to run (`status = 'PENDING'`). */
  readonly pending: string;
  /** The column rows are claimed in order of; with `id`, the sweep's keyset. */
  readonly order: string;
  /** SQL select list for the fields of R besides `id`; at least `… AS "correlationId"`. */
  readonly columns: string;
  /** Rows claimed per transaction. */
  readonly batch: number;
  /** Adds the rows' jobs under deterministic ids: adding a row twice queues it once. */
  add(rows: R[]): Promise<void>;
  /** The rows no job will handle any more (see live-job: vanished, or finished unsettled). */
  withoutLiveJob(rows: R[]): Promise<R[]>;
  /** Runs in the claim's transaction after the mark, before `add` (what queuing changes). */
  claimed?(tx: ClientBase, rows: R[]): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each source has its own row type
type AnySource = RelaySource<any>;

/**
 * The PostgreSQL → BullMQ relay of every table whose rows wait for a queue; a RelayLoop runs it.
 * Exactly once: a row is marked queued and its job added in one transaction, so a relay that
 * dies after the add and before the commit leaves the row unqueued and the next pass adds the
 * same job id again (a no-op); SKIP LOCKED keeps relays in other processes off claimed rows;
 * the sweep re-adds pending rows whose job vanished.
 */
export class RowRelay implements RelayWork {
  private readonly cursors = new Map<AnySource, SweepCursor>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly sources: readonly AnySource[],
  ) {
    for (const source of sources) this.cursors.set(source, new SweepCursor());
  }

  /** Queues every unqueued row; returns how many went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (const source of await this.withUnqueued()) {
      for (let n = source.batch; n === source.batch; total += n) n = await this.claim(source);
    }
    return total;
  }

  /**
   * Claims up to a batch of unqueued rows (other relays skip them), marks them queued and adds
   * their jobs before the commit: if adding throws, they stay unqueued for the next pass.
   */
  claim<R extends WaitingRow>(source: RelaySource<R>): Promise<number> {
    const { table, pending, order, columns, batch } = source;
    return withTransaction(this.prisma.pool, async (tx) => {
      // Only the job's fields come back (not the whole row: an inbound event's raw payload).
      const { rows: marked } = await tx.query<R & { relayOrder: unknown }>(
        `WITH claimed AS (
           SELECT id AS claimed_id FROM ${table} WHERE queued_at IS NULL AND ${pending}
           ORDER BY ${order} LIMIT $1 FOR UPDATE SKIP LOCKED
         ), marked AS (
           UPDATE ${table} SET queued_at = now() FROM claimed WHERE id = claimed_id
           RETURNING id::text AS id, ${columns}, ${order} AS "relayOrder"
         )
         SELECT * FROM marked ORDER BY "relayOrder", id`,
        [batch],
      );
      if (marked.length === 0) return 0;
      const rows = marked.map(({ relayOrder: _order, ...row }) => row as unknown as R);
      await source.claimed?.(tx, rows);
      await source.add(rows);
      return rows.length;
    });
  }

  /**
   * Re-queues pending rows queued more than `ageMs` ago whose job no longer exists: a few pages
   * per source, going on from where the last sweep stopped (SweepCursor).
   */
  async sweep(
    ageMs = SWEEP.ageMs,
    pageSize = SWEEP.pageSize,
    pages = SWEEP.pages,
  ): Promise<number> {
    let requeued = 0;
    const cutoff = new Date(Date.now() - ageMs);
    for (const source of this.sources) {
      requeued += await this.cursors.get(source)!.walk(
        (after, limit) => this.stale(source, cutoff, after, limit),
        async (stale) => {
          const missing = await source.withoutLiveJob(stale.map(({ at: _at, ...row }) => row));
          await source.add(missing);
          return missing.length;
        },
        { pageSize, pages },
      );
    }
    return requeued;
  }

  /** A page of rows queued before `cutoff` and still pending, after `after`. */
  private async stale(
    { table, pending, order, columns }: AnySource,
    cutoff: Date,
    after: KeysetPosition | null,
    limit: number,
  ): Promise<(WaitingRow & KeysetPosition)[]> {
    const { rows } = await this.prisma.sql<WaitingRow & KeysetPosition>(
      `SELECT id::text AS id, ${columns}, ${order} AS at FROM ${table}
       WHERE queued_at < $1 AND ${pending} AND (${order}, id) > ($2, $3::uuid)
       ORDER BY ${order}, id LIMIT $4`,
      [cutoff, after?.at ?? new Date(0), after?.id ?? NIL_UUID, limit],
    );
    return rows;
  }

  /**
   * The sources that have rows still to queue: one cheap statement on the partial "unqueued"
   * indexes, so an idle relay opens no transaction.
   */
  private async withUnqueued(): Promise<AnySource[]> {
    const checks = this.sources.map(
      (s, i) =>
        `EXISTS (SELECT 1 FROM ${s.table} WHERE queued_at IS NULL AND ${s.pending}) AS s${i}`,
    );
    const { rows } = await this.prisma.sql<Record<string, boolean>>(
      `SELECT ${checks.join(', ')}`,
      [],
    );
    return this.sources.filter((_, i) => rows[0][`s${i}`]);
  }
}
