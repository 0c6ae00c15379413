import type { OnApplicationShutdown } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/**
 * Where reads that may lag go: staff lists, dashboards, SLA views and exports. The streaming
 * replica of DATABASE_READ_URL when set, else the primary's own PrismaService.
 *
 * A replica is behind the primary by its replay delay, and refuses writes. A read that must see
 * a write just made stays on PrismaService (the primary): the grievance just lodged and the
 * citizen's view of it, a staff member's view of one grievance after a retry, the unmask (its
 * cipher may have been erased a moment ago) and the audit log that records it, anything inside
 * a write transaction, and every worker's read-then-write.
 */
export class ReadDatabase implements OnApplicationShutdown {
  constructor(
    readonly prisma: PrismaService,
    /** True when `prisma` is a replica's, which this owns and closes. */
    readonly replica: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.replica) await this.prisma.onApplicationShutdown();
  }
}
