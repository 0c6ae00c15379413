import { createHmac, timingSafeEqual } from 'node:crypto';

export type PortalSignatureResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';
    };

export interface PortalSignatureInput {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
  /** Default 300. */
  maxSkewSeconds?: number;
}

const DEFAULT_MAX_SKEW_SECONDS = 300;
// 1–15 digits keeps the value an exact integer and bounds the work on hostile headers.
const TIMESTAMP = /^\d{1,15}$/;
// Hex is case-insensitive (we compare the decoded bytes); the `sha256=` prefix is not.
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

function hmac(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export function signPortalPayload(
  secret: string,
  timestamp: number,
  rawBody: Buffer | string,
): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be whole unix seconds, got ${timestamp}`);
  }
  return `sha256=${hmac(secret, String(timestamp), rawBody).toString('hex')}`;
}

export function verifyPortalSignature(input: PortalSignatureInput): PortalSignatureResult {
  const { secret, timestampHeader, signatureHeader, rawBody } = input;
  // typeof guards: a repeated header can arrive as an array despite the declared type.
  if (typeof timestampHeader !== 'string' || typeof signatureHeader !== 'string') {
    return { ok: false, reason: 'missing-headers' };
  }
  if (timestampHeader === '' || signatureHeader === '') {
    return { ok: false, reason: 'missing-headers' };
  }
  if (!TIMESTAMP.test(timestampHeader)) return { ok: false, reason: 'bad-timestamp' };

  const nowSeconds = (input.nowMs ?? Date.now()) / 1000;
  const maxSkew = input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  // Future timestamps count too: a pre-signed request must not stay usable for long.
  if (Math.abs(nowSeconds - Number(timestampHeader)) > maxSkew) {
    return { ok: false, reason: 'stale-timestamp' };
  }

  const match = SIGNATURE.exec(signatureHeader);
  // An empty secret is a configuration mistake; fail closed rather than accept forgeable HMACs.
  if (!match || !secret || !Buffer.isBuffer(rawBody)) return { ok: false, reason: 'bad-signature' };
  const given = Buffer.from(match[1], 'hex');
  const expected = hmac(secret, timestampHeader, rawBody);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true };
}
