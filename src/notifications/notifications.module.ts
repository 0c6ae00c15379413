import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { Module } from '@nestjs/common';
import { WorkerHost } from '../platform/queue/worker-host';
import { EmailSender } from './email-sender';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsWorkers } from './notifications.workers';
import { SmsModule } from './sms.module';

/**
 * Citizen notifications (worker role). Rows are written with the status change they tell of
 * (src/lifecycle); the status relay queues them; this module sends them.
 * The SMS gateway is bound in SmsModule.
 */
@Module({
  imports: [BackgroundHealthModule, SmsModule],
  providers: [
    EmailSender,
    NotificationsRepository,
    NotificationsProcessor,
    NotificationsWorkers,
    WorkerHost,
  ],
})
export class NotificationsModule {}
