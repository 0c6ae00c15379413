import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import { Prisma, PrismaClient } from '../../generated/prisma/client';

const POOL_SIZE = 20;
const SESSION_SETUP = `SET TIME ZONE 'UTC'`;

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /**
   * The pool Prisma's driver adapter runs on, shared with the few hot statements that skip
   * Prisma's client (intake, delivery): one set of connections, one place to size it.
   */
  readonly pool: Pool;

  constructor(databaseUrl: string) {
    // Sessions in UTC whatever the server's default (an Indian server may well run in IST):
    // Prisma sends Dates without an offset, which PostgreSQL reads in the session's zone.
    // A SET, not the `options` startup parameter, which PgBouncer refuses; PgBouncer tracks
    // TimeZone per client and sets it again on whichever server connection a transaction gets.
    const pool = new Pool({
      connectionString: databaseUrl,
      max: POOL_SIZE,
      onConnect: (client) => client.query(SESSION_SETUP),
    });
    // An idle connection cut by a PostgreSQL restart must not crash the process.
    pool.on('error', () => undefined);
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  /** One parameterised statement on the shared pool, without Prisma's query pipeline. */
  sql<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<QueryResult<R>> {
    return this.pool.query<R>(text, values);
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
    await this.$disconnect();
    if (!this.pool.ended) await this.pool.end();
  }
}
