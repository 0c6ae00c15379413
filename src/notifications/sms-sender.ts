import { Logger } from '@nestjs/common';

/** Sends a text message; an SMS gateway implements it (bound to SMS_SENDER). */
export interface SmsSender {
  send(mobile: string, text: string, meta: { notificationId: string; kind: string }): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** Default: no gateway, the message is logged — never the number, never the text's recipient. */
export class LogSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');

  send(
    _mobile: string,
    text: string,
    meta: { notificationId: string; kind: string },
  ): Promise<void> {
    this.logger.log({ ...meta, chars: text.length, sink: 'log' }, 'SMS (log sink)');
    return Promise.resolve();
  }
}
