import type { SlaConfig, SlaPolicy, SlaTerms } from '../platform/config/hub-config';
import { rollupSlices } from './rollup-range';
import { addDays, istDate, istDays, istMonths, nextMonth, previousMonth } from './sla-calendar';
import { emptySums, histogramMean, histogramPercentile, slaFigures } from './sla-figures';
import { levelsDue, slaLevels } from './sla-levels';
import { selectPolicy } from './sla-policy';

const defaults: SlaTerms = {
  redressalDays: 30,
  warningAtPct: 75,
  appealWindowDays: 30,
  appealRedressalDays: 30,
  dayType: 'calendar',
  escalationLevels: [],
};
const policy = (p: Partial<SlaPolicy> & { portal: string }): SlaPolicy => ({
  ...defaults,
  category: null,
  source: null,
  ...p,
});
const sla: SlaConfig = {
  defaults,
  policies: [
    policy({ portal: 'CPGRAMS', redressalDays: 21 }),
    policy({ portal: 'UP-IGRS', redressalDays: 7 }),
    policy({ portal: 'UP-IGRS', category: 'POLICE', redressalDays: 3 }),
  ],
  holidays: {},
};

describe('policy selection', () => {
  it.each([
    ['CPGRAMS', 'RAILWAYS', 21],
    ['UP-IGRS', 'MUNICIPAL_SERVICES', 7],
    ['UP-IGRS', 'POLICE', 3],
    ['MH-AAPLESARKAR', 'POLICE', 30],
  ])('%s / %s → %i days', (portal, category, days) => {
    expect(selectPolicy(sla, portal, category).redressalDays).toBe(days);
  });
});

describe('deadline arithmetic', () => {
  // 2025-01-24 is a Friday; 2025-01-26 (Republic Day) is a Sunday, 2025-03-14 (Holi) a Friday.
  const at = (s: string) => new Date(s);
  it.each([
    [
      'calendar: 21 days',
      '2025-01-24T10:00:00+05:30',
      21,
      'calendar',
      [],
      '2025-02-14T10:00:00+05:30',
    ],
    [
      'calendar: crosses a month end',
      '2025-01-31T23:30:00+05:30',
      1,
      'calendar',
      [],
      '2025-02-01T23:30:00+05:30',
    ],
    [
      'working: Friday + 1 → Monday',
      '2025-01-24T10:00:00+05:30',
      1,
      'working',
      [],
      '2025-01-27T10:00:00+05:30',
    ],
    [
      'working: Friday + 5 → next Friday',
      '2025-01-24T10:00:00+05:30',
      5,
      'working',
      [],
      '2025-01-31T10:00:00+05:30',
    ],
    [
      'working: skips a weekday holiday',
      '2025-03-13T09:00:00+05:30',
      1,
      'working',
      ['2025-03-14'],
      '2025-03-17T09:00:00+05:30',
    ],
    [
      'working: IST date, not UTC (01:00 IST is the previous UTC day)',
      '2025-01-24T01:00:00+05:30',
      1,
      'working',
      [],
      '2025-01-27T01:00:00+05:30',
    ],
    [
      'working: from a Saturday',
      '2025-01-25T12:00:00+05:30',
      2,
      'working',
      [],
      '2025-01-28T12:00:00+05:30',
    ],
  ] as const)('%s', (_name, from, days, dayType, holidays, expected) => {
    expect(addDays(at(from), days, dayType, new Set(holidays)).toISOString()).toBe(
      at(expected).toISOString(),
    );
  });

  it('counts IST dates', () => {
    expect(istDate(new Date('2025-01-23T20:00:00Z'))).toBe('2025-01-24');
  });
});

describe('IST days and months', () => {
  it.each([
    ['2026-10-01', '2026-11-01', '2026-09-01'],
    ['2026-12-01', '2027-01-01', '2026-11-01'],
    ['2027-01-01', '2027-02-01', '2026-12-01'],
  ])('the months around %s', (month, next, previous) => {
    expect(nextMonth(month)).toBe(next);
    expect(previousMonth(month)).toBe(previous);
  });

  it('turns days and months into the instants they begin and end at, IST', () => {
    expect(istDays({ from: '2026-10-01', to: '2026-10-31' }).map((d) => d.toISOString())).toEqual([
      '2026-09-30T18:30:00.000Z',
      '2026-10-31T18:30:00.000Z',
    ]);
    expect(istMonths('2026-12-01').map((d) => d.toISOString())).toEqual([
      '2026-11-30T18:30:00.000Z',
      '2026-12-31T18:30:00.000Z',
    ]);
    expect(istMonths('2026-01-01', '2026-03-01')[1].toISOString()).toBe('2026-03-31T18:30:00.000Z');
  });
});

describe('SLA levels', () => {
  const delivered = new Date('2025-01-01T00:00:00Z');
  const due = new Date('2025-01-08T00:00:00Z');
  const terms = {
    warningAtPct: 75,
    dayType: 'calendar' as const,
    escalationLevels: [
      { name: 'L2', afterDays: 7 },
      { name: 'L3', afterDays: 14 },
    ],
  };
  const levels = slaLevels(terms, delivered, due);

  it('orders warning, breach and escalations; the last is final', () => {
    expect(levels.map((l) => [l.level, l.at.toISOString(), l.final])).toEqual([
      ['warning', '2025-01-06T06:00:00.000Z', false],
      ['breach', '2025-01-08T00:00:00.000Z', false],
      ['escalation:L2', '2025-01-08T00:00:00.000Z', false],
      ['escalation:L3', '2025-01-15T00:00:00.000Z', true],
    ]);
  });

  it.each([
    ['2025-01-05T00:00:00Z', [], []],
    ['2025-01-06T06:00:00Z', [], ['warning']],
    ['2025-01-09T00:00:00Z', [], ['warning', 'breach', 'escalation:L2']],
    ['2025-01-09T00:00:00Z', ['warning', 'breach'], ['escalation:L2']],
    ['2025-02-01T00:00:00Z', ['warning', 'breach', 'escalation:L2', 'escalation:L3'], []],
  ])('at %s with %j done → %j due', (now, done, due) => {
    expect(levelsDue(levels, new Date(now), new Set(done)).map((l) => l.level)).toEqual(due);
  });

  it('makes the breach final when there are no escalation levels', () => {
    const plain = slaLevels({ ...terms, escalationLevels: [] }, delivered, due);
    expect(plain.map((l) => [l.level, l.final])).toEqual([
      ['warning', false],
      ['breach', true],
    ]);
  });
});

describe('summary figures', () => {
  it.each([
    [[1], 0.5, 0],
    [[0, 1, 1], 0.5, 1.5],
    [[0, 2, 0, 1], 0.5, 1],
    [[0, 0, 1, 0, 0, 1], 0.9, 4.7],
    [[], 0.5, null],
  ])('histogram %j percentile %d → %d (percentile_cont)', (hist, p, expected) => {
    expect(histogramPercentile(hist, p)).toBe(expected);
  });

  it.each([
    [[1], 0],
    [[0, 1, 1], 1.5],
    [[0, 2, 0, 1], 1.67],
    [[3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 2.5],
    [[], null],
  ])('histogram %j mean → %d', (hist, expected) => {
    expect(histogramMean(hist)).toBe(expected);
  });

  it('derives open, breached and within-SLA % from the sums', () => {
    const f = slaFigures({
      ...emptySums(),
      total: 10,
      resolved: 6,
      resolvedWithin: 4,
      resolvedLate: 2,
      appealed: 3,
      feedbackCount: 4,
      feedbackSum: 14,
      resolveDays: [0, 2, 2, 0, 1, 0, 0, 0, 0, 0, 1],
      openPastDue: 2,
    });
    expect(f).toEqual({
      total: 10,
      open: 4,
      resolved: 6,
      breached: 4,
      openPastDue: 2,
      resolvedLate: 2,
      withinSlaPct: 50,
      meanDaysToResolve: 3.33, // (1·2 + 2·2 + 1·4 + 1·10) / 6
      medianDaysToResolve: 2,
      p90DaysToResolve: 7,
      appealRatePct: 50,
      meanFeedbackRating: 3.5,
    });
  });
});

describe('rollup slices', () => {
  it.each([
    [
      '2025-01-01',
      '2025-12-31',
      [
        '2025-01-01',
        '2025-02-01',
        '2025-03-01',
        '2025-04-01',
        '2025-05-01',
        '2025-06-01',
        '2025-07-01',
        '2025-08-01',
        '2025-09-01',
        '2025-10-01',
        '2025-11-01',
        '2025-12-01',
      ],
      [],
    ],
    [
      '2025-01-15',
      '2025-03-10',
      ['2025-02-01'],
      [
        { from: '2025-01-15', to: '2025-01-31' },
        { from: '2025-03-01', to: '2025-03-10' },
      ],
    ],
    ['2025-01-15', '2025-01-20', [], [{ from: '2025-01-15', to: '2025-01-20' }]],
    ['2024-02-01', '2024-02-29', ['2024-02-01'], []],
    ['2024-02-02', '2024-03-31', ['2024-03-01'], [{ from: '2024-02-02', to: '2024-02-29' }]],
    ['2025-02-01', '2025-01-01', [], []],
  ])('%s … %s', (from, to, months, days) => {
    expect(rollupSlices({ from, to })).toEqual({ months, days });
  });

  it.each([
    // Up to today: the current month's row, not its days.
    ['2025-01-01', '2025-03-10', '2025-03-10', ['2025-01-01', '2025-02-01', '2025-03-01'], []],
    [
      '2025-01-15',
      '2025-03-10',
      '2025-03-10',
      ['2025-02-01', '2025-03-01'],
      [{ from: '2025-01-15', to: '2025-01-31' }],
    ],
    ['2025-03-05', '2025-03-10', '2025-03-10', [], [{ from: '2025-03-05', to: '2025-03-31' }]],
    // Ending before today: exact to the day, as without it.
    [
      '2025-01-01',
      '2025-03-09',
      '2025-03-10',
      ['2025-01-01', '2025-02-01'],
      [{ from: '2025-03-01', to: '2025-03-09' }],
    ],
  ])('%s … %s with today %s', (from, to, today, months, days) => {
    expect(rollupSlices({ from, to }, today)).toEqual({ months, days });
  });
});
