import { Injectable } from '@nestjs/common';
import { PrismaService } from '../platform/database/prisma.service';

@Injectable()
export class OtpRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one more event under `key` in its fixed window (a new window once it has run out). */
  async count(key: string, windowMs: number, now: Date) {
    const [row] = await this.prisma.$queryRaw<{ windowStart: Date; count: number }[]>`
      INSERT INTO citizen_rate_counters AS c (key, window_start, count)
      VALUES (${key}, ${now}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN c.window_start <= ${now}::timestamptz - make_interval(secs => ${windowMs / 1000})
          THEN ${now} ELSE c.window_start END,
        count = CASE WHEN c.window_start <= ${now}::timestamptz - make_interval(secs => ${windowMs / 1000})
          THEN 1 ELSE c.count + 1 END
      RETURNING window_start AS "windowStart", count`;
    return row;
  }

  /** The mobile's live code, replacing any earlier one (a resend invalidates the last code). */
  async replace(mobileLookup: string, codeHash: string, attempts: number, expiresAt: Date) {
    await this.prisma.citizenOtp.upsert({
      where: { mobileLookup },
      create: { mobileLookup, codeHash, attemptsLeft: attempts, expiresAt },
      update: { codeHash, attemptsLeft: attempts, expiresAt, createdAt: new Date() },
    });
  }

  /**
   * Uses one attempt of the mobile's live code and returns its hash, or null when there is none
   * (never sent, expired, attempts used up). The row lock orders concurrent attempts.
   */
  async takeAttempt(mobileLookup: string, now: Date): Promise<string | null> {
    const [row] = await this.prisma.$queryRaw<{ codeHash: string }[]>`
      UPDATE citizen_otps SET attempts_left = attempts_left - 1
      WHERE mobile_lookup = ${mobileLookup} AND expires_at > ${now} AND attempts_left > 0
      RETURNING code_hash AS "codeHash"`;
    return row?.codeHash ?? null;
  }

  /** Uses the code up; false when a concurrent attempt used it first. */
  async consume(mobileLookup: string, codeHash: string): Promise<boolean> {
    const { count } = await this.prisma.citizenOtp.deleteMany({
      where: { mobileLookup, codeHash },
    });
    return count === 1;
  }
}
