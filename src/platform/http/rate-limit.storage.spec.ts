import { RateLimitStorage } from './rate-limit.storage';

describe('RateLimitStorage', () => {
  const T0 = 1_000_000;

  it('lets the limit through in a window, then blocks with a Retry-After', () => {
    const s = new RateLimitStorage();
    const seen = Array.from({ length: 5 }, (_, i) => s.hit('k', 60_000, 3, 60_000, T0 + i));
    expect(seen.map((r) => r.isBlocked)).toEqual([false, false, false, true, true]);
    expect(seen[3].timeToBlockExpire).toBe(60);
    expect(seen[0].timeToExpire).toBe(60);
  });

  it.each([
    ['a new window after the ttl', 60_000, false],
    ['still blocked just before the block ends', 59_000, true],
  ])('%s', (_name, later, blocked) => {
    const s = new RateLimitStorage();
    for (let i = 0; i < 4; i++) s.hit('k', 60_000, 3, 60_000, T0);
    expect(s.hit('k', 60_000, 3, 60_000, T0 + later).isBlocked).toBe(blocked);
  });

  it('counts each key on its own', () => {
    const s = new RateLimitStorage();
    for (let i = 0; i < 3; i++) s.hit('a', 60_000, 3, 60_000, T0);
    expect(s.hit('a', 60_000, 3, 60_000, T0).isBlocked).toBe(true);
    expect(s.hit('b', 60_000, 3, 60_000, T0).isBlocked).toBe(false);
  });

  it('costs the same at the millionth hit as at the first (no per-hit list)', () => {
    const s = new RateLimitStorage();
    for (let i = 0; i < 1_000_000; i++) s.hit('busy', 60_000, 1_000_000, 60_000, T0);
    const r = s.hit('busy', 60_000, 1_000_000, 60_000, T0);
    expect(r).toMatchObject({ totalHits: 1_000_001, isBlocked: true });
  });

  it('tells whether a key is blocked without counting a hit', () => {
    const s = new RateLimitStorage();
    expect(s.blockedFor('k', T0)).toBe(0);
    for (let i = 0; i < 3; i++) s.hit('k', 60_000, 3, 60_000, T0);
    for (let i = 0; i < 10; i++) expect(s.blockedFor('k', T0 + i)).toBe(0);
    expect(s.hit('k', 60_000, 3, 60_000, T0 + 10).isBlocked).toBe(true);
    expect(s.blockedFor('k', T0 + 10)).toBe(60);
    expect(s.blockedFor('k', T0 + 59_500)).toBe(1);
    expect(s.blockedFor('k', T0 + 60_010)).toBe(0);
  });
});
