// How long a key is honoured is a retention rule: IDEMPOTENCY_KEY_TTL_MS in src/privacy/retention.ts.

/** One caller's key: two callers using the same key never see each other's answer. */
export interface IdempotencyScope {
  /** The partner identity when intake gains one; until then the client's address. */
  caller: string;
  key: string;
}
