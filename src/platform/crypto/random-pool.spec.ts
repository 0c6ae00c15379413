import { RANDOM_POOL_BYTES, pooledRandomBytes } from './random-pool';

describe('pooledRandomBytes', () => {
  it('hands out the sizes asked for, never the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    // Several pools' worth, with sizes that do not divide the pool (a refill mid-request).
    let handed = 0;
    for (let i = 0; handed < RANDOM_POOL_BYTES * 3; i++) {
      const size = [32, 12, 7][i % 3];
      const bytes = pooledRandomBytes(size);
      expect(bytes).toHaveLength(size);
      const hex = bytes.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      handed += size;
    }
  });

  it('gives each caller its own copy (the pool zeroes its part once handed out)', () => {
    // Not a view of the pool: the zeroing would have wiped it.
    const a = pooledRandomBytes(32);
    expect(a.equals(Buffer.alloc(32))).toBe(false);
    // And the pool does not see the caller's changes.
    a.fill(0);
    expect(pooledRandomBytes(32).equals(Buffer.alloc(32))).toBe(false);
  });

  it('is not all zeros, nor the pool read before its fill', () => {
    // 4,096 bytes from the pool: zero bytes about 1/256 of them, never most.
    const bytes = Buffer.concat(Array.from({ length: 128 }, () => pooledRandomBytes(32)));
    const zeros = bytes.filter((b) => b === 0).length;
    expect(zeros).toBeLessThan(100);
  });

  it('serves a size larger than the pool straight from the CSPRNG', () => {
    const big = pooledRandomBytes(RANDOM_POOL_BYTES + 1);
    expect(big).toHaveLength(RANDOM_POOL_BYTES + 1);
    expect(big.filter((b) => b === 0).length).toBeLessThan(200);
  });

  it.each([-1, 1.5, Number.NaN])('refuses a size of %p (the pool is left as it was)', (size) => {
    expect(() => pooledRandomBytes(size)).toThrow(RangeError);
    expect(pooledRandomBytes(32).equals(Buffer.alloc(32))).toBe(false);
  });
});
