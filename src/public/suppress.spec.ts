import {
  type HiddenOverall,
  suppressLinked,
  suppressRow,
  suppressSharingOverall,
  suppressTable,
} from './suppress';

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

describe('suppression across linked tables (minimum 10)', () => {
  const counts = (disposed: number, pending: number) => ({
    received: disposed + pending,
    disposed,
    pending,
    meanDaysToDispose: 4.5,
    withinDeadlinePct: 80,
    decided: disposed,
  });
  /** The rows of a table: each adds up the cells whose `of` is its key. */
  const table = (
    cells: { portal: string; state: string; d: number; p: number }[],
    of: 'portal' | 'state',
  ) =>
    [...new Set(cells.map((c) => c[of]))].map((key) => {
      const ids = cells.flatMap((c, i) => (c[of] === key ? [i] : []));
      const sum = (f: 'd' | 'p') => ids.reduce((n, i) => n + cells[i][f], 0);
      return { key: { key }, raw: counts(sum('d'), sum('p')), cells: ids };
    });
  const linked = (cells: { portal: string; state: string; d: number; p: number }[]) => {
    const total = counts(
      cells.reduce((n, c) => n + c.d, 0),
      cells.reduce((n, c) => n + c.p, 0),
    );
    const out = suppressLinked(
      cells.map((c) => ({ disposed: c.d, pending: c.p })),
      { byPortal: table(cells, 'portal'), byState: table(cells, 'state') },
      total,
      10,
    );
    const shown = (rows: { key: string; received: number | null; disposed: number | null }[]) =>
      rows.map((r) => [r.key, r.received, r.disposed]);
    return {
      overall: [out.overall.received, out.overall.disposed],
      byPortal: shown(out.tables.byPortal),
      byState: shown(out.tables.byState),
    };
  };

  it.each([
    [
      // docs/public-page.md's caveat: state 09 (505) − its state portal (500) = the 5 CPGRAMS
      // grievances of state 09. Hiding 09 alone leaves CPGRAMS − state 10 = 5, so 10 goes too.
      'a state minus its state portal gives the central portal a small count',
      [
        { portal: 'UP-IGRS', state: '09', d: 300, p: 200 },
        { portal: 'CPGRAMS', state: '09', d: 3, p: 2 },
        { portal: 'CPGRAMS', state: '10', d: 600, p: 395 },
      ],
      {
        overall: [1500, 903],
        byPortal: [
          ['UP-IGRS', 500, 300],
          ['CPGRAMS', 1000, 603],
        ],
        byState: [
          ['09', null, null],
          ['10', null, null],
        ],
      },
    ],
    [
      // Three states: hiding 09 and the next smallest state (11) is enough; 10 stays.
      'with more states only the next smallest state is hidden too',
      [
        { portal: 'UP-IGRS', state: '09', d: 300, p: 200 },
        { portal: 'CPGRAMS', state: '09', d: 3, p: 2 },
        { portal: 'CPGRAMS', state: '10', d: 600, p: 395 },
        { portal: 'CPGRAMS', state: '11', d: 60, p: 40 },
      ],
      {
        overall: [1600, 963],
        byPortal: [
          ['UP-IGRS', 500, 300],
          ['CPGRAMS', 1100, 663],
        ],
        byState: [
          ['09', null, null],
          ['10', 995, 600],
          ['11', null, null],
        ],
      },
    ],
    [
      // Only 3 pending at CPGRAMS in state 09: the counts received stay, the splits go.
      'a small pending count in a cell hides splits, not the counts received',
      [
        { portal: 'UP-IGRS', state: '09', d: 300, p: 200 },
        { portal: 'CPGRAMS', state: '09', d: 40, p: 3 },
        { portal: 'CPGRAMS', state: '10', d: 600, p: 395 },
      ],
      {
        overall: [1538, 940],
        byPortal: [
          ['UP-IGRS', 500, 300],
          ['CPGRAMS', 1038, 640],
        ],
        byState: [
          ['09', 543, null],
          ['10', 995, null],
        ],
      },
    ],
    [
      'no cell under the minimum: everything shown',
      [
        { portal: 'UP-IGRS', state: '09', d: 300, p: 200 },
        { portal: 'CPGRAMS', state: '09', d: 30, p: 20 },
        { portal: 'CPGRAMS', state: '10', d: 600, p: 395 },
      ],
      {
        overall: [1545, 930],
        byPortal: [
          ['UP-IGRS', 500, 300],
          ['CPGRAMS', 1045, 630],
        ],
        byState: [
          ['09', 550, 330],
          ['10', 995, 600],
        ],
      },
    ],
  ])('%s', (_name, cells, expected) => {
    expect(linked(cells)).toEqual(expected);
  });

  it('keeps a hidden split hidden against the total (total − the other rows)', () => {
    // B's 3 pending are hidden; the overall split less A's would give them back.
    const rows = suppressTable(
      [
        { key: { key: 'A' }, raw: counts(50, 50) },
        { key: { key: 'B' }, raw: counts(37, 3) },
        { key: { key: 'C' }, raw: counts(200, 100) },
      ],
      10,
    );
    expect(rows.map((r) => [r.key, r.received, r.disposed, r.pending])).toEqual([
      ['A', 100, null, null],
      ['B', 40, null, null],
      ['C', 300, 200, 100],
    ]);
  });
});

describe('tables that share the overall row (places and months)', () => {
  // Review finding: P1 (3 grievances, only in S1) and P2 (50, only in S2), all in one month.
  // The places pass protects P1 by hiding the overall row; the months pass, run on its own,
  // showed the one month's 53, and 53 − P2's 50 gave P1's 3 back.
  const places = (hidden: HiddenOverall) =>
    suppressLinked(
      [
        { disposed: 2, pending: 1 },
        { disposed: 30, pending: 20 },
      ],
      {
        byPortal: [
          { key: { key: 'P1' }, raw: raw(3, 2), cells: [0] },
          { key: { key: 'P2' }, raw: raw(50, 30), cells: [1] },
        ],
        byState: [
          { key: { key: 'S1' }, raw: raw(3, 2), cells: [0] },
          { key: { key: 'S2' }, raw: raw(50, 30), cells: [1] },
        ],
      },
      raw(53, 32),
      10,
      hidden,
    );
  const months = (hidden: HiddenOverall) =>
    suppressLinked(
      [{ disposed: 32, pending: 21 }],
      { byMonth: [{ key: { month: '2026-11' }, raw: raw(53, 32), cells: [0] }] },
      raw(53, 32),
      10,
      hidden,
    );

  it('a total hidden by one table is not given back by the other', () => {
    const [p, m] = suppressSharingOverall([places, months]);
    expect(p.tables.byPortal.map((r) => r.received)).toEqual([null, 50]);
    expect(p.overall.received).toBeNull();
    expect(m.overall.received).toBeNull();
    // With the overall hidden, the single month would be it: hidden too.
    expect(m.tables.byMonth.map((r) => r.received)).toEqual([null]);
  });

  it('changes nothing when neither pass hides the overall row', () => {
    const big = (hidden: HiddenOverall) =>
      suppressLinked(
        [{ disposed: 30, pending: 20 }],
        { byMonth: [{ key: { month: '2026-11' }, raw: raw(50, 30), cells: [0] }] },
        raw(50, 30),
        10,
        hidden,
      );
    const [a] = suppressSharingOverall([big]);
    expect(a.overall.received).toBe(50);
    expect(a.tables.byMonth.map((r) => r.received)).toEqual([50]);
  });
});
