import {
  hashToken,
  newAccessToken,
  newTrackingId,
  tokenMatches,
  TRACKING_ALPHABET,
  TRACKING_ID_PATTERN,
} from './tokens';

describe('tracking ids and access tokens', () => {
  it('makes tracking ids in the ONOP-XXXX-XXXX-XXXX format without look-alike characters', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newTrackingId();
      expect(id).toMatch(TRACKING_ID_PATTERN);
      expect(id.slice(5)).not.toMatch(/[01ILO]/);
    }
  });

  it('does not repeat tracking ids across 20,000 draws', () => {
    const ids = new Set(Array.from({ length: 20_000 }, newTrackingId));
    expect(ids.size).toBe(20_000);
  });

  it('draws every symbol of the alphabet equally often', () => {
    // 240,000 symbols: 7,742 of each expected, σ ≈ 87. Taking a byte modulo 31 without drawing
    // again would give the first eight symbols 12.5 % more than the rest.
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++)
      for (const symbol of newTrackingId().slice(5).replaceAll('-', ''))
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    const expected = (20_000 * 12) / TRACKING_ALPHABET.length;
    expect([...counts.keys()].sort().join('')).toBe([...TRACKING_ALPHABET].sort().join(''));
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.06);
  });

  it('hashes a token as SHA-256 in hex, as every stored hash was made', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('matches a token only against its own hash', () => {
    const token = newAccessToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(newAccessToken(), hashToken(token))).toBe(false);
    expect(tokenMatches(token, 'not-a-hash')).toBe(false);
  });
});
