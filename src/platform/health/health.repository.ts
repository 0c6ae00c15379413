import { Injectable } from '@nestjs/common';
import { prepared } from '../database/prepared';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';

const PING = prepared('SELECT 1');

@Injectable()
export class HealthRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reads: ReadDatabase,
  ) {}

  /** Both of the primary's pools answer: Prisma's, and the prepared statements' (intake's). */
  async ping(): Promise<void> {
    await Promise.all([this.prisma.$queryRaw`SELECT 1`, this.prisma.sql(PING, [])]);
  }

  /** Whether there is a read replica (DATABASE_READ_URL) to check. */
  get hasReplica(): boolean {
    return this.reads.replica;
  }

  /**
   * The read replica answers and is still a standby; with how long ago the last transaction it
   * replayed committed on the primary (a lag only while the primary is writing).
   */
  async replica(): Promise<{ ok: boolean; detail: string }> {
    const [row] = await this.reads.prisma.$queryRaw<
      { standby: boolean; replayedAgo: number | null }[]
    >`
      SELECT pg_is_in_recovery() AS standby,
        extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS "replayedAgo"`;
    if (!row.standby)
      return { ok: false, detail: 'DATABASE_READ_URL is not a standby (promoted?)' };
    return {
      ok: true,
      detail:
        row.replayedAgo === null
          ? 'nothing replayed yet'
          : `last replayed transaction ${Math.round(row.replayedAgo)} s old`,
    };
  }
}
