import { DAY_MS } from '../platform/time';

/**
 * How long an Idempotency-Key is honoured: a retry comes within minutes, a day is generous.
 * Past it the key lodges anew; the pii-retention job deletes expired records.
 */
export const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;

/** One caller's key: two callers using the same key never see each other's answer. */
export interface IdempotencyScope {
  /** The partner identity when intake gains one; until then the client's address. */
  caller: string;
  key: string;
}
