import { Inject, Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { CitizenSessions } from '../auth/citizen-sessions.service';
import { SMS_SENDER, type SmsSender } from '../notifications/sms-sender';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { PiiCipher } from '../platform/crypto/pii-cipher';
import { DomainError } from '../platform/errors/domain-error';
import { OtpRepository } from './otp.repository';
import {
  newOtp,
  OTP_ATTEMPTS,
  OTP_LIMITS,
  OTP_TTL_MS,
  otpMessage,
  overLimit,
  type RateLimit,
} from './otp.rules';

/**
 * One-time codes to a mobile, exchanged for a citizen session. The answers are the same for
 * every mobile: they never say whether it has grievances (or whether it was ever seen).
 */
@Injectable()
export class OtpService {
  private readonly logger = new Logger('CitizenOtp');

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: OtpRepository,
    private readonly pii: PiiCipher,
    private readonly sessions: CitizenSessions,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
  ) {}

  async send(mobile: string, address: string, correlationId: string) {
    const now = new Date();
    const mobileLookup = this.pii.mobileLookup(mobile);
    await this.limit(OTP_LIMITS.sendsPerMobile, mobileLookup, now);
    await this.limit(OTP_LIMITS.sendsPerAddress, this.pii.callerLookup(address), now);
    const code = newOtp();
    await this.repository.replace(
      mobileLookup,
      this.codeHash(mobileLookup, code),
      OTP_ATTEMPTS,
      new Date(now.getTime() + OTP_TTL_MS),
    );
    try {
      await this.sms.send(mobile, otpMessage(code), {
        notificationId: correlationId,
        kind: 'citizen-otp',
      });
    } catch (error) {
      this.logger.error({ correlationId, error: (error as Error).message }, 'OTP SMS failed');
      throw new DomainError(
        'sms-unavailable',
        503,
        'Service Unavailable',
        'The code could not be sent; try again shortly.',
        { headers: { 'Retry-After': '30' } },
      );
    }
    // The log sink is also production's default (no gateway bound): a code is a credential
    // and is printed only in development, where it is the only way to read it.
    if (this.config.env.nodeEnv === 'development') {
      this.logger.warn({ correlationId, code }, 'One-time code (development only)');
    }
    return { expiresInSeconds: OTP_TTL_MS / 1000 };
  }

  async verify(mobile: string, otp: string, address: string) {
    const now = new Date();
    const mobileLookup = this.pii.mobileLookup(mobile);
    await this.limit(OTP_LIMITS.attemptsPerMobile, mobileLookup, now);
    await this.limit(OTP_LIMITS.attemptsPerAddress, this.pii.callerLookup(address), now);
    const stored = await this.repository.takeAttempt(mobileLookup, now);
    const given = this.codeHash(mobileLookup, otp);
    if (
      !stored ||
      !sameHash(stored, given) ||
      !(await this.repository.consume(mobileLookup, stored))
    ) {
      // No code, an expired one, attempts used up and a wrong code read the same.
      throw new DomainError(
        'otp-invalid',
        401,
        'Unauthorized',
        'The code is wrong, used or expired; ask for a new one if needed.',
      );
    }
    const session = await this.sessions.open(mobileLookup, now);
    return { token: session.token, expiresAt: session.expiresAt.toISOString() };
  }

  private codeHash(mobileLookup: string, code: string): string {
    return this.pii.keyedHash('citizen-otp', `${mobileLookup}:${code}`);
  }

  private async limit(limit: RateLimit, subject: string, now: Date): Promise<void> {
    const counter = await this.repository.count(
      this.pii.keyedHash('citizen-rate', `${limit.name}:${subject}`),
      limit.windowMs,
      now,
    );
    const over = overLimit(limit, counter, now);
    if (over) {
      throw new DomainError(
        'too-many-requests',
        429,
        'Too Many Requests',
        'Too many codes or attempts; try again later.',
        { headers: { 'Retry-After': String(over.retryAfterSeconds) } },
      );
    }
  }
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
