import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { MonthlyPartitions, monthStart } from '../platform/database/monthly-partitions';

/** How many months past the current one always have their partitions (decision 0026). */
export const MONTHS_AHEAD = 3;

/**
 * The tables partitioned by month and how long each keeps a month. The timeline, its
 * notifications and the portal requests keep every month: a grievance open for years still
 * needs its whole history and the SLA actions that link its reminders; their personal data is
 * erased per grievance (PrivacyService).
 */
function retentionMonths(config: HubConfig): Record<string, number | null> {
  return {
    audit_log: config.env.auditRetentionMonths,
    status_events: null,
    portal_requests: null,
    notifications: null,
  };
}

export interface PartitionReport {
  created: string[];
  dropped: string[];
}

/** The partition-maintenance job: months created ahead, whole months dropped after retention. */
@Injectable()
export class PartitionMaintenance {
  private readonly logger = new Logger(PartitionMaintenance.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly partitions: MonthlyPartitions,
  ) {}

  async run(now = new Date()): Promise<PartitionReport> {
    const report: PartitionReport = { created: [], dropped: [] };
    for (const [table, months] of Object.entries(retentionMonths(this.config))) {
      report.created.push(...(await this.partitions.ensureAhead(table, now, MONTHS_AHEAD)));
      if (months !== null)
        report.dropped.push(...(await this.partitions.dropBefore(table, monthStart(now, -months))));
    }
    if (report.created.length + report.dropped.length > 0)
      this.logger.log(report, 'Monthly partitions maintained');
    return report;
  }
}
