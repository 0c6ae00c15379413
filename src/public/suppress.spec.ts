import { suppressRow, suppressTable } from './suppress';

const raw = (received: number, disposed: number, decided = disposed) => ({
  received,
  disposed,
  pending: received - disposed,
  meanDaysToDispose: 4.5,
  withinDeadlinePct: 80,
  decided,
});

describe('small-cell suppression (minimum 10)', () => {
  it.each([
    ['large enough: everything shown', raw(40, 30), [40, 30, 10, 4.5, 80, false]],
    ['fewer than 10 received: nothing shown', raw(9, 5), [null, null, null, null, null, true]],
    // 25 received, 3 pending: pending hidden, and disposed too (25 − 22 = 3).
    ['few pending: the split hidden', raw(25, 22), [25, null, null, 4.5, 80, true]],
    // 25 received, 4 disposed: disposed and pending hidden, and the mean of 4 grievances.
    [
      'few disposed: the split and the mean hidden',
      raw(25, 4, 12),
      [25, null, null, null, 80, true],
    ],
    [
      'the within-deadline share of fewer than 10 hidden',
      raw(30, 15, 9),
      [30, 15, 15, 4.5, null, true],
    ],
    ['exactly 10 is shown', raw(20, 10), [20, 10, 10, 4.5, 80, false]],
  ])('%s', (_name, r, [received, disposed, pending, mean, within, suppressed]) => {
    expect(suppressRow({}, r, 10)).toEqual({
      received,
      disposed,
      pending,
      meanDaysToDispose: mean,
      withinDeadlinePct: within,
      suppressed,
    });
  });

  it('hides a second row when only one is hidden (else total − others gives it away)', () => {
    const rows = suppressTable(
      [
        { key: { key: 'A' }, raw: raw(100, 50) },
        { key: { key: 'B' }, raw: raw(5, 1) },
        { key: { key: 'C' }, raw: raw(30, 15) },
      ],
      10,
    );
    expect(rows.map((r) => [r.key, r.received])).toEqual([
      ['A', 100],
      ['B', null],
      ['C', null],
    ]);
  });

  it('leaves the table alone when two rows or none are hidden', () => {
    const two = suppressTable(
      [
        { key: { key: 'A' }, raw: raw(100, 50) },
        { key: { key: 'B' }, raw: raw(5, 1) },
        { key: { key: 'C' }, raw: raw(3, 1) },
      ],
      10,
    );
    expect(two.map((r) => r.received)).toEqual([100, null, null]);
    const none = suppressTable([{ key: { key: 'A' }, raw: raw(100, 50) }], 10);
    expect(none.map((r) => r.received)).toEqual([100]);
  });
});
