import { randomInt } from 'node:crypto';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_ATTEMPTS = 3;

export interface RateLimit {
  /** Names the counter (also in the 429's code). */
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * Code sends and attempts, counted per mobile and per address (both keyed hashes). A mobile gets
 * at most 3 codes in 15 minutes, so at most 9 guesses at 1 in 10^6 per 15 minutes, and 10
 * attempts an hour whatever the codes; an address (one person trying many mobiles, or a NAT of
 * many people) more.
 */
export const OTP_LIMITS = {
  sendsPerMobile: { name: 'otp-sends-mobile', limit: 3, windowMs: 15 * 60_000 },
  sendsPerAddress: { name: 'otp-sends-address', limit: 20, windowMs: 60 * 60_000 },
  attemptsPerMobile: { name: 'otp-attempts-mobile', limit: 10, windowMs: 60 * 60_000 },
  attemptsPerAddress: { name: 'otp-attempts-address', limit: 60, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimit>;

/** Six random digits, leading zeros kept. */
export function newOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function otpMessage(code: string): string {
  return (
    `${code} is your Grievance Hub code. It expires in 5 minutes. Do not share it. / ` +
    `${code} आपका शिकायत हब कोड है, 5 मिनट में समाप्त। किसी को न बताएं।`
  );
}

/** Whether a fixed-window counter at `count` is over its limit, and for how long. */
export function overLimit(
  limit: RateLimit,
  counter: { windowStart: Date; count: number },
  now: Date,
): { retryAfterSeconds: number } | null {
  if (counter.count <= limit.limit) return null;
  const endsAt = counter.windowStart.getTime() + limit.windowMs;
  return { retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
}
