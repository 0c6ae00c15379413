// The hub's own push signature: X-Hub-Signature = sha256=<hex HMAC-SHA256(secret, timestamp "."
// body)>, X-Hub-Timestamp in unix seconds. Every adapter's default verifyPush.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundRequest, PushVerdict } from './adapter';

export type SignatureFailure =
  'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';

/** `secretIndex`: which of the secrets signed it (0 = current, 1 = previous, during a rotation). */
export type PortalSignatureResult =
  { ok: true; secretIndex: number } | { ok: false; reason: SignatureFailure };

export interface PortalSignatureInput {
  /** The portal's current secret first, then a previous one still accepted while it rotates. */
  secrets: readonly string[];
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
  /** Default PORTAL_SIGNATURE_MAX_SKEW_SECONDS. */
  maxSkewSeconds?: number;
}

/** How far X-Hub-Timestamp may be from the hub's clock, either way (DESIGN: Portals). */
export const PORTAL_SIGNATURE_MAX_SKEW_SECONDS = 300;
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

/**
 * Checks the headers first (no work on the body for a request without a fresh timestamp and a
 * well-formed signature), then one HMAC over the raw bytes per configured secret.
 */
export function verifyPortalSignature(input: PortalSignatureInput): PortalSignatureResult {
  const { timestampHeader, signatureHeader, rawBody } = input;
  // typeof guards: a repeated header can arrive as an array despite the declared type.
  if (typeof timestampHeader !== 'string' || typeof signatureHeader !== 'string') {
    return { ok: false, reason: 'missing-headers' };
  }
  if (timestampHeader === '' || signatureHeader === '') {
    return { ok: false, reason: 'missing-headers' };
  }
  if (!TIMESTAMP.test(timestampHeader)) return { ok: false, reason: 'bad-timestamp' };

  const nowSeconds = (input.nowMs ?? Date.now()) / 1000;
  const maxSkew = input.maxSkewSeconds ?? PORTAL_SIGNATURE_MAX_SKEW_SECONDS;
  // Future timestamps count too: a pre-signed request must not stay usable for long.
  if (Math.abs(nowSeconds - Number(timestampHeader)) > maxSkew) {
    return { ok: false, reason: 'stale-timestamp' };
  }

  const match = SIGNATURE.exec(signatureHeader);
  if (!match || !Buffer.isBuffer(rawBody)) return { ok: false, reason: 'bad-signature' };
  const given = Buffer.from(match[1], 'hex');
  for (const [secretIndex, secret] of input.secrets.entries()) {
    // An empty secret is a configuration mistake; fail closed rather than accept forgeable HMACs.
    if (!secret) continue;
    const expected = hmac(secret, timestampHeader, rawBody);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, secretIndex };
    }
  }
  return { ok: false, reason: 'bad-signature' };
}

/** The default `verifyPush`: the hub's scheme with the portal's secrets, current first. */
export function verifyHubPush(
  rawBody: Buffer,
  headers: InboundRequest['headers'],
  secrets: readonly string[],
  nowMs?: number,
): PushVerdict {
  const verdict = verifyPortalSignature({
    secrets,
    timestampHeader: headers['x-hub-timestamp'] as string | undefined,
    signatureHeader: headers['x-hub-signature'] as string | undefined,
    rawBody,
    nowMs,
  });
  return verdict.ok ? verdict : { ...verdict, detail: failureDetail(verdict.reason) };
}

function failureDetail(reason: SignatureFailure): string {
  switch (reason) {
    case 'missing-headers':
      return 'X-Hub-Timestamp and X-Hub-Signature are required';
    case 'stale-timestamp':
      return `X-Hub-Timestamp is more than ${PORTAL_SIGNATURE_MAX_SKEW_SECONDS} seconds away from the hub clock`;
    case 'bad-timestamp':
      return 'X-Hub-Timestamp must be unix seconds';
    default:
      return 'X-Hub-Signature does not match the body';
  }
}
