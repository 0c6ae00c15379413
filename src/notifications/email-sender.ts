import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';

/** E-mail through SMTP (nodemailer) when SMTP_URL is set; otherwise e-mail is skipped. */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private readonly transport: Transporter | null;

  constructor(@InjectConfig() private readonly config: HubConfig) {
    this.transport = config.env.smtpUrl
      ? createTransport(config.env.smtpUrl, { from: config.env.mailFrom })
      : null;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(to: string, subject: string, text: string): Promise<void> {
    if (!this.transport) throw new Error('SMTP is not configured');
    await this.transport.sendMail({ from: this.config.env.mailFrom, to, subject, text });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
