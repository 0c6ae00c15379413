import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import { Prisma, PrismaClient } from '../../generated/prisma/client';
import { lostByPooler, refusedBeforeRunning, type Prepared } from './prepared';

/** Connections per process: Prisma's and the unnamed statements' pool, and the hot one's. */
const POOL_SIZE = 12;
const HOT_POOL_SIZE = 8;
const SESSION_SETUP = `SET TIME ZONE 'UTC'`;
/**
 * The hot pool's `Prepared` statements run on the plan made once per connection, without the
 * values (decision 0036). Left to its heuristic, PostgreSQL compares that plan's cost, as it was
 * when last made, with the average of the custom plans it made with the values; once complaints
 * had a size but no statistics (autovacuum's VACUUM before its ANALYZE) the kept cost was high,
 * and after the ANALYZE every intake on the connection was planned anew (~0.7 ms of the
 * database's CPU each) for the connection's life. Every `Prepared` statement's generic plan is
 * checked to read no large table whole (test/integration/prepared-generic-plans.int-spec.ts),
 * and the hottest ones in detail by decision 0034's plan tests.
 */
const GENERIC_PLANS = `SET plan_cache_mode = force_generic_plan`;

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /**
   * The pool Prisma's driver adapter runs on, shared with the unnamed statements that skip
   * Prisma's client (`sql` with a string, transactions).
   */
  readonly pool: Pool;
  /** The `Prepared` statements' own connections (intake, delivery, status ingest, audit). */
  readonly hotPool: Pool;

  private readonly logger = new Logger(PrismaService.name);
  /** Whether `Prepared` statements are sent named (DATABASE_PREPARED_STATEMENTS). */
  private preparedStatements: boolean;
  /** Whether the hot connections set `plan_cache_mode` (no pooler in between). */
  private readonly genericPlans: boolean;

  /**
   * `genericPlans`: the hot connections run their prepared statements on generic plans; false
   * behind a transaction pooler, which would carry the session's `SET` to other clients' server
   * connections (database.module's `connectedDirectly` decides).
   */
  constructor(
    databaseUrl: string,
    options: { preparedStatements?: boolean; genericPlans?: boolean } = {},
  ) {
    // Sessions in UTC whatever the server's default (an Indian server may well run in IST):
    // Prisma sends Dates without an offset, which PostgreSQL reads in the session's zone.
    // A SET, not the `options` startup parameter, which PgBouncer refuses; PgBouncer tracks
    // TimeZone per client and sets it again on whichever server connection a transaction gets.
    const pool = sessionPool(databaseUrl, POOL_SIZE, SESSION_SETUP);
    const genericPlans = options.genericPlans ?? true;
    const hot = sessionPool(
      databaseUrl,
      HOT_POOL_SIZE,
      genericPlans ? `${SESSION_SETUP}; ${GENERIC_PLANS}` : SESSION_SETUP,
    );
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    this.hotPool = hot;
    this.genericPlans = genericPlans;
    this.preparedStatements = options.preparedStatements ?? true;
  }

  /**
   * One parameterised statement without Prisma's query pipeline: a string on Prisma's pool; a
   * `Prepared` one on the hot pool, as a named prepared statement while the connections keep
   * them (see `preparedStatements`).
   */
  async sql<R extends QueryResultRow = QueryResultRow>(
    statement: string | Prepared,
    values: unknown[],
  ): Promise<QueryResult<R>> {
    if (typeof statement === 'string') return this.pool.query<R>(statement, values);
    if (!this.preparedStatements) return this.hotPool.query<R>(statement.text, values);
    try {
      return await this.hotPool.query<R>({ name: statement.name, text: statement.text, values });
    } catch (error) {
      if (!refusedBeforeRunning(error)) throw error;
      const { code } = error as { code: string };
      // Nothing ran (PostgreSQL refused before executing): a pooler that does not keep prepared
      // statements, or a plan a migration outdated. Stop naming them in this process; said
      // once, by the first of the calls that were in flight.
      if (this.preparedStatements && this.genericPlans && lostByPooler(error))
        // A pooler after all: the hot connections' SET went to its shared server connections.
        this.logger.error(
          { code, statement: statement.name },
          'A connection pooler lost a prepared statement, but the hub took DATABASE_URL for a ' +
            'direct connection and set plan_cache_mode on its sessions, which the pooler may ' +
            "have left on other clients' server connections. Behind PgBouncer, set " +
            'DIRECT_DATABASE_URL to the primary itself (docs/deploying.md).',
        );
      else if (this.preparedStatements)
        this.logger.warn(
          { code, statement: statement.name },
          'The database connection does not keep prepared statements (a pooler such as PgBouncer ' +
            'before 1.21 in transaction mode), or a migration changed what one returns: sending ' +
            'every statement unnamed from now on. Behind such a pooler set ' +
            'DATABASE_PREPARED_STATEMENTS=false, or max_prepared_statements in PgBouncer >= 1.21.',
        );
      this.preparedStatements = false;
      return this.hotPool.query<R>(statement.text, values);
    }
  }

  /**
   * Runs several reads as one consistent snapshot. Prisma loads a record and its relations with
   * separate statements; without this, a view can show a complaint's old status beside the
   * dispatch a concurrent transfer just added.
   */
  snapshot<T>(read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.$transaction(read, {
      isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.$disconnect();
    } finally {
      for (const p of [this.pool, this.hotPool]) if (!p.ended) await p.end();
    }
  }
}

/** A pool whose every new connection runs `setup` (one simple query) before its first use. */
function sessionPool(connectionString: string, max: number, setup: string): Pool {
  const pool = new Pool({ connectionString, max, onConnect: (client) => client.query(setup) });
  // An idle connection cut by a PostgreSQL restart must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
