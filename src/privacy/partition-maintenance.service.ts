import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { MonthlyPartitions, monthStart } from '../platform/database/monthly-partitions';

/** How many months past the current one always have their partitions (decision 0026). */
export const MONTHS_AHEAD = 3;

interface Retention {
  /** Months kept; null: every month is kept. */
  months: number | null;
  /** Rows that must not go with their month (an SQL condition): the month is kept, the run fails. */
  unfinished?: string;
  /** An unpartitioned table of keys of the rows, by time column: deleted once their month is. */
  keys?: { table: string; column: string };
}

/**
 * The tables partitioned by month and how long each keeps a month. The timeline, its
 * notifications and the portal requests keep every month: a grievance open for years still
 * needs its whole history and the SLA actions that link its reminders; their personal data is
 * erased per grievance (PrivacyService). The portals' raw status events go after
 * INBOUND_EVENTS_RETENTION_MONTHS, never one not yet applied, and their once-per-event keys with
 * them (decision 0031).
 */
function retention(config: HubConfig): Record<string, Retention> {
  return {
    audit_log: { months: config.env.auditRetentionMonths },
    status_events: { months: null },
    portal_requests: { months: null },
    notifications: { months: null },
    inbound_events: {
      months: config.env.inboundEventsRetentionMonths,
      unfinished: 'processed_at IS NULL',
      keys: { table: 'inbound_event_keys', column: 'received_at' },
    },
  };
}

export interface PartitionReport {
  created: string[];
  dropped: string[];
  /** Keys deleted with the months they belonged to. */
  keysDeleted: number;
}

/** A month past retention kept because it still holds rows not finished with. */
export class PartitionHeldError extends Error {
  constructor(readonly held: string[]) {
    super(
      `Partitions past retention kept because they hold unfinished rows: ${held.join(', ')} ` +
        '(inbound_events: status events not applied yet; see docs/status-sync.md)',
    );
    this.name = 'PartitionHeldError';
  }
}

/** The partition-maintenance job: months created ahead, whole months dropped after retention. */
@Injectable()
export class PartitionMaintenance {
  private readonly logger = new Logger(PartitionMaintenance.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly partitions: MonthlyPartitions,
  ) {}

  /** Fails (PartitionHeldError) after doing the rest when a month past retention was kept. */
  async run(now = new Date()): Promise<PartitionReport> {
    const report: PartitionReport = { created: [], dropped: [], keysDeleted: 0 };
    const held: string[] = [];
    for (const [table, r] of Object.entries(retention(this.config))) {
      // Partitioned by a contract migration still held for the rollout (docs/deploying.md).
      if ((await this.partitions.partitions(table)).length === 0) {
        this.logger.warn(
          { table },
          'Not partitioned yet: its contract migration waits for `npm run migrate -- --contract`',
        );
        continue;
      }
      report.created.push(...(await this.partitions.ensureAhead(table, now, MONTHS_AHEAD)));
      if (r.months === null) continue;
      const result = await this.partitions.dropBefore(
        table,
        monthStart(now, -r.months),
        r.unfinished,
      );
      report.dropped.push(...result.dropped);
      held.push(...result.held);
      if (r.keys) {
        // Keys of rows still stored stay: only those older than the oldest month left go.
        const oldest = await this.partitions.oldestBound(table);
        if (oldest)
          report.keysDeleted += await this.partitions.deleteOlder(
            r.keys.table,
            r.keys.column,
            oldest,
          );
      }
    }
    if (report.created.length + report.dropped.length + report.keysDeleted > 0)
      this.logger.log(report, 'Monthly partitions maintained');
    if (held.length > 0) throw new PartitionHeldError(held);
    return report;
  }
}
