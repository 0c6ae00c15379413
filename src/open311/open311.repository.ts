import { Injectable } from '@nestjs/common';
import type { ComplaintStatus } from '../generated/prisma/enums';
import { PrismaService } from '../platform/database/prisma.service';
import { MAX_REQUESTS, type RequestFilter } from './open311-query.rules';

/** What the public Open311 views may read of a grievance: no personal data, no free text. */
export interface PublicRequestRow {
  trackingId: string;
  status: ComplaintStatus;
  category: string;
  stateCode: string;
  districtCode: string | null;
  primaryPortalCode: string;
  createdAt: Date;
  statusAt: Date | null;
  closedAt: Date | null;
  slaDueAt: Date | null;
  /** Read only when OPEN311_PUBLIC_TEXT is on. */
  subject?: string;
}

export interface PublicUpdateRow {
  id: string;
  status: ComplaintStatus;
  occurredAt: Date;
  complaint: { trackingId: string };
}

const PUBLIC_FIELDS = {
  trackingId: true,
  status: true,
  category: true,
  stateCode: true,
  districtCode: true,
  primaryPortalCode: true,
  createdAt: true,
  statusAt: true,
  closedAt: true,
  slaDueAt: true,
} as const;

@Injectable()
export class Open311Repository {
  constructor(private readonly prisma: PrismaService) {}

  /** Newest first, at most 1000; service_request_id overrides every other filter (the spec). */
  findRequests(
    f: RequestFilter & { stateCode: string | null },
    withText: boolean,
  ): Promise<PublicRequestRow[]> {
    const state = f.stateCode ? { stateCode: f.stateCode } : {};
    const where = f.trackingIds
      ? { trackingId: { in: f.trackingIds }, ...state }
      : {
          ...state,
          createdAt: { gte: f.from, lte: f.to },
          ...(f.categories ? { category: { in: f.categories } } : {}),
          ...(f.statuses ? { status: { in: f.statuses } } : {}),
        };
    return this.prisma.complaint.findMany({
      where,
      select: { ...PUBLIC_FIELDS, subject: withText },
      orderBy: { createdAt: 'desc' },
      take: MAX_REQUESTS,
    });
  }

  findRequest(trackingId: string, withText: boolean): Promise<PublicRequestRow | null> {
    return this.prisma.complaint.findUnique({
      where: { trackingId },
      select: { ...PUBLIC_FIELDS, subject: withText },
    });
  }

  /**
   * Status changes the hub recorded in the window, oldest first, at most 1000. By the time of
   * recording, not of occurrence: a client polling "since my last call" misses no late event.
   */
  findUpdates(from: Date, to: Date, stateCode: string | null): Promise<PublicUpdateRow[]> {
    return this.prisma.statusEvent.findMany({
      where: {
        recordedAt: { gte: from, lte: to },
        ...(stateCode ? { complaint: { stateCode } } : {}),
      },
      select: {
        id: true,
        status: true,
        occurredAt: true,
        complaint: { select: { trackingId: true } },
      },
      orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
      take: MAX_REQUESTS,
    });
  }
}
