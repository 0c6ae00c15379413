import { Module } from '@nestjs/common';
import { LogSmsSender, SMS_SENDER } from './sms-sender';

/**
 * The SMS sender alone, for any role that texts a citizen (one-time codes on the api, status
 * notifications on workers) without bringing the notification workers along. Bind SMS_SENDER to
 * a real gateway here; the default logs without the number.
 */
@Module({
  providers: [{ provide: SMS_SENDER, useClass: LogSmsSender }],
  exports: [SMS_SENDER],
})
export class SmsModule {}
