import { ROLLUP_REFRESH_MS, staleSince } from './rollup-freshness';

describe('staleSince', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it.each([
    ['never refreshed: nothing to date', null, null],
    ['just refreshed', ago(1_000), null],
    ['one run late', ago(ROLLUP_REFRESH_MS + 30_000), null],
    ['exactly two periods old', ago(2 * ROLLUP_REFRESH_MS), null],
    [
      'more than two periods old',
      ago(2 * ROLLUP_REFRESH_MS + 1),
      ago(2 * ROLLUP_REFRESH_MS + 1).toISOString(),
    ],
    ['a day old', ago(86_400_000), ago(86_400_000).toISOString()],
  ])('%s', (_name, refreshedAt, expected) => {
    expect(staleSince(refreshedAt, now)).toBe(expected);
  });
});
