import { BackgroundHealthModule } from '../platform/health/background-health.module';
import { Module } from '@nestjs/common';
import { WorkerHost } from '../platform/queue/worker-host';
import { EmailSender } from './email-sender';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsWorkers } from './notifications.workers';
import { LogSmsSender, SMS_SENDER } from './sms-sender';

/**
 * Citizen notifications (worker role). Rows are written with the status change they tell of
 * (src/lifecycle); the status relay queues them; this module sends them.
 * Bind SMS_SENDER to a real gateway to send SMS; the default logs without the number.
 */
@Module({
  imports: [BackgroundHealthModule],
  providers: [
    EmailSender,
    NotificationsRepository,
    NotificationsProcessor,
    NotificationsWorkers,
    WorkerHost,
    { provide: SMS_SENDER, useClass: LogSmsSender },
  ],
  exports: [SMS_SENDER],
})
export class NotificationsModule {}
