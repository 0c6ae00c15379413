import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes } from './random-pool';

// Crockford-style alphabet: no 0/O, 1/I/L confusion when read out on a phone call.
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** ONOP-XXXX-XXXX-XXXX: 12 random symbols of 31 ≈ 59 bits, neither guessable nor sequential. */
export function newTrackingId(): string {
  const groups = Array.from({ length: 3 }, () =>
    Array.from({ length: 4 }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join(
      '',
    ),
  );
  return `ONOP-${groups.join('-')}`;
}

export const TRACKING_ID_PATTERN =
  /^ONOP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

/** 256-bit bearer secret returned once to the citizen; only its hash is stored. */
export function newAccessToken(): string {
  return pooledRandomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
