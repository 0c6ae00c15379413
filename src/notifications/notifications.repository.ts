import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../platform/database/prisma.service';

export type ChannelResults = Record<string, string>;

@Injectable()
export class NotificationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findForSending(id: string) {
    return this.prisma.notification.findUnique({ where: { id } }).then(async (n) => {
      if (!n) return null;
      const complaint = await this.prisma.complaint.findUnique({
        where: { id: n.complaintId },
        select: { trackingId: true, complainantCipher: true, primaryPortalCode: true },
      });
      return complaint ? { ...n, complaint } : null;
    });
  }

  /** Progress per channel, so a retry never sends a channel twice. */
  saveChannels(id: string, channels: ChannelResults): Promise<unknown> {
    return this.prisma.notification.update({
      where: { id },
      data: { channels: channels as Prisma.InputJsonValue },
    });
  }

  markSent(id: string, channels: ChannelResults): Promise<unknown> {
    return this.prisma.notification.update({
      where: { id },
      data: {
        state: 'SENT',
        sentAt: new Date(),
        channels: channels as Prisma.InputJsonValue,
        attempts: { increment: 1 },
        lastError: null,
      },
    });
  }

  recordFailure(id: string, error: string, final: boolean): Promise<unknown> {
    return this.prisma.notification.update({
      where: { id },
      data: { lastError: error, attempts: { increment: 1 }, ...(final ? { state: 'FAILED' } : {}) },
    });
  }
}
