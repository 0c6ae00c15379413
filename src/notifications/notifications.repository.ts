import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { batched } from '../platform/database/batched';
import { PrismaService } from '../platform/database/prisma.service';
import { prepared } from '../platform/database/prepared';

export type ChannelResults = Record<string, string>;

export interface SendableNotification {
  id: string;
  kind: string;
  state: string;
  channels: ChannelResults | null;
  complaint: {
    trackingId: string;
    complainantCipher: Buffer | null;
    primaryPortalCode: string;
  };
}

type SendableRow = Omit<SendableNotification, 'complaint'> & SendableNotification['complaint'];

const FIND_FOR_SENDING = prepared(`
  SELECT n.id, n.kind, n.state, n.channels, c.tracking_id AS "trackingId",
         c.complainant_cipher AS "complainantCipher", c.primary_portal_code AS "primaryPortalCode"
  FROM notifications n JOIN complaints c ON c.id = n.complaint_id
  WHERE n.id = ANY($1::uuid[])`);

// $1 notification ids, $2 the channel results of each (jsonb).
const MARK_SENT = prepared(`
  UPDATE notifications n SET state = 'SENT', sent_at = now(), channels = i.channels,
         attempts = n.attempts + 1, last_error = NULL
  FROM unnest($1::uuid[], $2::jsonb[]) AS i(id, channels)
  WHERE n.id = i.id`);

@Injectable()
export class NotificationsRepository {
  // Every delivery and status change notifies the citizen: the lookups and the marks of the
  // notifications being sent at the same moment go to the database as one statement each.
  private readonly sendable = batched(async (ids: readonly string[]) => {
    const { rows } = await this.prisma.sql<SendableRow>(FIND_FOR_SENDING, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toSendable(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  private readonly sent = batched(
    async (batch: readonly { id: string; channels: ChannelResults }[]) => {
      await this.prisma.sql(MARK_SENT, [
        batch.map((n) => n.id),
        batch.map((n) => JSON.stringify(n.channels)),
      ]);
      return batch.map(() => true);
    },
  );

  constructor(private readonly prisma: PrismaService) {}

  findForSending(id: string): Promise<SendableNotification | null> {
    return this.sendable.load(id);
  }

  async markSent(id: string, channels: ChannelResults): Promise<void> {
    await this.sent.load({ id, channels });
  }

  /** A failed attempt, with the progress per channel (a retry never sends a channel twice). */
  recordFailure(
    id: string,
    channels: ChannelResults,
    error: string,
    final: boolean,
  ): Promise<unknown> {
    // The key is (id, status_event_recorded_at) (partitioned by month, decision 0026).
    return this.prisma.notification.updateMany({
      where: { id },
      data: {
        channels: channels as Prisma.InputJsonValue,
        lastError: error,
        attempts: { increment: 1 },
        ...(final ? { state: 'FAILED' } : {}),
      },
    });
  }
}

function toSendable({ trackingId, complainantCipher, primaryPortalCode, ...n }: SendableRow) {
  return { ...n, complaint: { trackingId, complainantCipher, primaryPortalCode } };
}
