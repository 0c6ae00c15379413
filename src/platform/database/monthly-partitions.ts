import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/** One partition of a table partitioned by month (decision 0026). */
export interface MonthPartition {
  name: string;
  /** Exclusive upper bound: every row in it is older. */
  upper: Date;
  /** A DETACH … CONCURRENTLY that was interrupted, to be finalized. */
  detachPending: boolean;
}

// A partition creation waits at most this long for its lock on the parent, then fails (and
// is retried on the next run) rather than queueing every reader and writer behind it.
const LOCK_TIMEOUT = '5s';

/** First instant (UTC) of the month `months` after the one holding `at`. */
export function monthStart(at: Date, months = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/** `<table>_pYYYYMM`, the month the partition starts in (UTC). */
export function monthPartitionName(table: string, from: Date): string {
  return `${table}_p${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Creates months ahead and drops whole months past retention, on tables partitioned by range
 * of a timestamp (the hub's own clock at insert). Partitions are contiguous: each new month
 * starts where the last one ends. Table names come from code, never from input; they are
 * checked anyway, as they go into DDL.
 */
@Injectable()
export class MonthlyPartitions {
  constructor(private readonly prisma: PrismaService) {}

  partitions(table: string): Promise<MonthPartition[]> {
    return this.prisma.$queryRaw<MonthPartition[]>`
      SELECT c.relname AS name, i.inhdetachpending AS "detachPending",
        (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz
          AS upper
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass(${checked(table)})
      ORDER BY upper`;
  }

  /** Creates the partitions up to the end of the month `monthsAhead` after `now`'s. */
  async ensureAhead(table: string, now: Date, monthsAhead: number): Promise<string[]> {
    const parts = await this.partitions(table);
    if (parts.length === 0) throw new Error(`${table} is not partitioned`);
    const target = monthStart(now, monthsAhead + 1);
    const created: string[] = [];
    for (let from = parts[parts.length - 1].upper; from < target;) {
      const to = monthStart(from, 1);
      const name = monthPartitionName(table, from);
      // An empty table attached under SHARE UPDATE EXCLUSIVE on the parent (CREATE TABLE …
      // PARTITION OF would take ACCESS EXCLUSIVE); its indexes and foreign keys come with it.
      await this.prisma.$transaction([
        this.prisma.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`),
        this.prisma.$executeRawUnsafe(
          `CREATE TABLE ${name} (LIKE ${checked(table)} INCLUDING DEFAULTS)`,
        ),
        this.prisma.$executeRawUnsafe(
          `ALTER TABLE ${checked(table)} ATTACH PARTITION ${name}
           FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
        ),
      ]);
      created.push(name);
      from = to;
    }
    return created;
  }

  /**
   * Drops every partition whose rows are all older than `cutoff`: detached concurrently (reads
   * and writes of the other months go on), then dropped. An interrupted run is finished by the
   * next: a pending detach is finalized, a detached month left behind is dropped.
   *
   * `unfinished`: an SQL condition (from code) on rows that must not go with their month; a
   * month holding one is kept and named in `held`, and so is every later month (retention
   * drops the oldest months only, so what remains is always contiguous).
   */
  async dropBefore(
    table: string,
    cutoff: Date,
    unfinished?: string,
  ): Promise<{ dropped: string[]; held: string[] }> {
    const dropped: string[] = [];
    const held: string[] = [];
    for (const p of await this.partitions(table)) {
      if (p.upper > cutoff) continue;
      if (held.length > 0 || (unfinished && (await this.holds(p.name, unfinished)))) {
        held.push(p.name);
        continue;
      }
      const mode = p.detachPending ? 'FINALIZE' : 'CONCURRENTLY';
      await this.prisma.$executeRawUnsafe(
        `ALTER TABLE ${checked(table)} DETACH PARTITION ${checked(p.name)} ${mode}`,
      );
      await this.prisma.$executeRawUnsafe(`DROP TABLE ${checked(p.name)}`);
      dropped.push(p.name);
    }
    for (const name of await this.detachedLeftovers(table)) {
      await this.prisma.$executeRawUnsafe(`DROP TABLE ${checked(name)}`);
      dropped.push(name);
    }
    return { dropped, held };
  }

  /**
   * The first instant `table`'s oldest partition can hold, or null when it is the partition of
   * everything before a bound (`<table>_before`, from MINVALUE).
   */
  async oldestBound(table: string): Promise<Date | null> {
    const [oldest] = await this.partitions(table);
    if (!oldest) throw new Error(`${table} is not partitioned`);
    return oldest.name.endsWith('_before') ? null : monthStart(oldest.upper, -1);
  }

  /**
   * Deletes the rows of an unpartitioned companion table (e.g. the keys of a partitioned
   * table's rows) whose `column` is before `before`, in batches of `batch` rows, each its own
   * statement, so no long lock is held. Returns how many went.
   */
  async deleteOlder(table: string, column: string, before: Date, batch = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.prisma.$executeRawUnsafe(
        `DELETE FROM ${checked(table)} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${checked(table)} WHERE ${checked(column)} < $1 LIMIT ${batch}))`,
        before,
      );
      total += n;
      if (n < batch) return total;
    }
  }

  private async holds(partition: string, condition: string): Promise<boolean> {
    const [{ found }] = await this.prisma.$queryRawUnsafe<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${checked(partition)} WHERE ${condition}) AS found`,
    );
    return found;
  }

  /** Months of `table` detached by a run that stopped before dropping them. */
  private async detachedLeftovers(table: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition
        AND c.relname ~ ${`^${checked(table)}_(p[0-9]{6}|before)$`}`;
    return rows.map((r) => r.name);
  }
}

function checked(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a table name: ${name}`);
  return name;
}
