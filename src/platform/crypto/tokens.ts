import { hash, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes } from './random-pool';

// Crockford-style alphabet: no 0/O, 1/I/L confusion when read out on a phone call.
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Random bytes below this (8 × 31) map evenly onto the alphabet; the rest are drawn again. */
const EVEN_BYTES = 256 - (256 % TRACKING_ALPHABET.length);

/**
 * ONOP-XXXX-XXXX-XXXX: 12 random symbols of 31 ≈ 59 bits, neither guessable nor sequential. From
 * the pooled CSPRNG bytes (one draw of 16 nearly always covers the 12 symbols) rather than
 * twelve `randomInt` calls, 6 µs of an intake (docs/benchmarks.md).
 */
export function newTrackingId(): string {
  let symbols = '';
  while (symbols.length < 12)
    for (const byte of pooledRandomBytes(16)) {
      if (byte < EVEN_BYTES) symbols += TRACKING_ALPHABET[byte % TRACKING_ALPHABET.length];
      if (symbols.length === 12) break;
    }
  return `ONOP-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

export const TRACKING_ID_PATTERN =
  /^ONOP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

/** 256-bit bearer secret returned once to the citizen; only its hash is stored. */
export function newAccessToken(): string {
  return pooledRandomBytes(32).toString('base64url');
}

/** SHA-256 of the token, hex (`crypto.hash`: one call, not a Hash object per token). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
