import { randomBytes, randomFillSync } from 'node:crypto';

/** How many random bytes the pool holds: one CSPRNG call serves many tokens. */
export const RANDOM_POOL_BYTES = 8192;

const pool = Buffer.alloc(RANDOM_POOL_BYTES);
let offset = RANDOM_POOL_BYTES;

/**
 * `size` cryptographically random bytes, from a pool the CSPRNG fills 8 KiB at a time. A call of
 * `crypto.randomBytes` costs about 5 µs whatever its size (32 bytes and 8 KiB alike, on the bench
 * machine): intake took two per grievance, its access token and its envelope's IV
 * (docs/benchmarks.md#intake-cpu-issue-16). Node buffers `randomUUID` the same way. No byte is
 * handed out twice (the pool's part is zeroed once copied out); each caller gets its own copy.
 * The pool holds the next few hundred tokens' bytes in memory, as Node's UUID buffer does: a
 * reader of the process's memory has the PII keys anyway.
 */
export function pooledRandomBytes(size: number): Buffer {
  // A negative size would move the offset back over bytes already handed out.
  if (!Number.isSafeInteger(size) || size < 0)
    throw new RangeError(`Random byte count must be a whole number ≥ 0, not ${size}`);
  if (size > RANDOM_POOL_BYTES) return randomBytes(size);
  if (offset + size > RANDOM_POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
