import {
  hashToken,
  newAccessToken,
  newTrackingId,
  tokenMatches,
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

  it('matches a token only against its own hash', () => {
    const token = newAccessToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(newAccessToken(), hashToken(token))).toBe(false);
    expect(tokenMatches(token, 'not-a-hash')).toBe(false);
  });
});
