import { Injectable, Logger } from '@nestjs/common';
import { istDate } from './sla-calendar';
import { SlaRollupRepository } from './sla-rollup.repository';
import type { Prisma } from '../generated/prisma/client';

// Transactions commit after their updated_at was taken: look back this far past the watermark.
const COMMIT_MARGIN_MS = 5 * 60_000;

/** The first days (YYYY-MM-01) of the months of these IST days (YYYY-MM-DD). */
const monthsOf = (days: string[]) => [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))];

/**
 * Keeps the rollup current: each run recomputes the IST days (and their months) of every
 * grievance changed since the last run — every writer of complaints bumps updated_at.
 */
@Injectable()
export class SlaRollupService {
  private readonly logger = new Logger(SlaRollupService.name);

  constructor(private readonly repository: SlaRollupRepository) {}

  refresh(): Promise<{ days: number; months: number; full: boolean }> {
    return this.repository.exclusive(async (tx) => {
      const state = await this.repository.watermark(tx);
      const [{ now }] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
      if (!state) {
        await this.repository.rebuildAll(tx);
        await this.reportLeftOut(tx, null);
        await this.repository.setWatermark(tx, new Date(now.getTime() - COMMIT_MARGIN_MS));
        return { days: 0, months: 0, full: true };
      }
      const days = await this.repository.dirtyDays(tx, state.watermark);
      const months = monthsOf(days);
      await this.repository.rebuildDays(tx, days);
      await this.reportLeftOut(tx, days);
      await this.repository.rebuildMonths(tx, months);
      // The districts rollup: built from every grievance the first time (an existing database
      // after its migration), and behind the others after an older hub's refresh.
      await this.repository.rebuildDistricts(
        tx,
        state.districts === null
          ? null
          : state.districts.getTime() === state.watermark.getTime()
            ? months
            : monthsOf(await this.repository.dirtyDays(tx, state.districts)),
      );
      await this.repository.setWatermark(tx, new Date(now.getTime() - COMMIT_MARGIN_MS));
      if (days.length > 0)
        this.logger.debug({ days: days.length, today: istDate(now) }, 'SLA rollup refreshed');
      return { days: days.length, months: months.length, full: false };
    });
  }

  /** From scratch: after a bulk seed or a restore. */
  rebuild(): Promise<void> {
    return this.repository.exclusive(async (tx) => {
      const [{ now }] = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
      await this.repository.rebuildAll(tx);
      await this.reportLeftOut(tx, null);
      await this.repository.setWatermark(tx, new Date(now.getTime() - COMMIT_MARGIN_MS));
    });
  }

  /**
   * A grievance whose place is not in the reference data is left out of the figures (so it can
   * never stop a refresh for everyone) and said so, by tracking id and codes: no personal data.
   */
  private async reportLeftOut(tx: Prisma.TransactionClient, days: string[] | null) {
    const { count, examples } = await this.repository.leftOut(tx, days);
    if (count > 0)
      this.logger.warn(
        { count, examples },
        'Grievances left out of the SLA figures: district not of its state, or state unknown',
      );
  }
}
