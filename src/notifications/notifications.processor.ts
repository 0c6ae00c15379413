import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { InjectConfig } from '../platform/config/config.module';
import { portalName, type HubConfig } from '../platform/config/hub-config';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import type { RowJobData } from '../platform/queue/queue-names';
import type { NotificationKind } from './notification-kind';
import { EmailSender } from './email-sender';
import { composeMessage } from './notification-messages';
import {
  NotificationsRepository,
  type ChannelResults,
  type SendableNotification,
} from './notifications.repository';
import { SMS_SENDER, type SmsSender } from './sms-sender';
import { isLastAttempt } from '../platform/queue/retry-policy';
import { redactText } from '../platform/logging/redact-text';

/**
 * The fields of the sealed complainant (complaints/complainant.ts, its one owner) a notification
 * reads: notifications knows how to reach a citizen, not what a grievance stores.
 */
interface Recipient {
  mobile: string;
  email: string | null;
}

/**
 * Sends one notification on every channel the citizen can be reached on. Runs on its own queue,
 * so a slow or failing mail server never holds up status processing; retried with backoff.
 */
@Injectable()
export class NotificationsProcessor {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: NotificationsRepository,
    private readonly email: EmailSender,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    private readonly pii: PiiCipher,
  ) {}

  async process(job: Job<RowJobData>): Promise<string> {
    const n = await this.repository.findForSending(job.data.id);
    if (!n || n.state !== 'PENDING') return 'already-settled';
    const log = {
      notificationId: n.id,
      kind: n.kind,
      trackingId: n.complaint.trackingId,
      jobId: job.id,
    };
    const channels: ChannelResults = { ...(n.channels ?? {}) };
    try {
      await this.send(n, channels);
      await this.repository.markSent(n.id, channels);
      this.logger.log({ ...log, channels }, 'Citizen notified');
      return 'sent';
    } catch (error) {
      const message = redact((error as Error).message);
      const final = isLastAttempt(job);
      // The channels already reached are kept, so a retry never sends them twice.
      await this.repository.recordFailure(n.id, channels, message, final).catch(() => undefined);
      this.logger.warn({ ...log, error: message, final }, 'Notification attempt failed');
      throw new Error(message);
    }
  }

  private async send(n: SendableNotification, channels: ChannelResults): Promise<void> {
    const message = composeMessage(n.kind as NotificationKind, {
      trackingId: n.complaint.trackingId,
      portalName: portalName(this.config, n.complaint.primaryPortalCode),
    });
    // Personal data erased (retention): the record stays, nobody can be reached.
    const person = n.complaint.complainantCipher
      ? this.pii.decrypt<Recipient>(n.complaint.complainantCipher)
      : null;
    if (!channels.email) {
      if (!this.email.configured) channels.email = 'skipped:no-smtp';
      else if (!person?.email) channels.email = 'skipped:no-address';
      else {
        await this.email.send(person.email, message.subject, message.text);
        channels.email = 'sent';
      }
    }
    if (!channels.sms) {
      if (!person?.mobile) channels.sms = 'skipped:no-number';
      else {
        await this.sms.send(person.mobile, message.sms, { notificationId: n.id, kind: n.kind });
        channels.sms = 'sent';
      }
    }
  }
}

/** Mail servers quote addresses in their errors: keep them out of logs and rows. */
function redact(message: string): string {
  return redactText(message).slice(0, 500);
}
