import { istDate, istMonth } from './repeat-check.rules';

describe('the IST calendar month of the monthly cap', () => {
  it.each([
    ['2026-11-26T12:00:00Z', '2026-10-31T18:30:00.000Z', '2026-11-30T18:30:00.000Z', '2026-12-01'],
    // 20:00 UTC on 30 Nov is 01:30 on 1 Dec in India: already December.
    ['2026-11-30T20:00:00Z', '2026-11-30T18:30:00.000Z', '2026-12-31T18:30:00.000Z', '2027-01-01'],
    ['2026-12-31T18:29:59Z', '2026-11-30T18:30:00.000Z', '2026-12-31T18:30:00.000Z', '2027-01-01'],
  ])('%s is in the month from %s to %s (resets %s)', (now, start, next, resets) => {
    const month = istMonth(new Date(now));
    expect([month.start.toISOString(), month.next.toISOString(), istDate(month.next)]).toEqual([
      start,
      next,
      resets,
    ]);
  });
});
