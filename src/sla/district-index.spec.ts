import {
  governanceIndexSchema,
  type GovernanceIndexConfig,
} from '../platform/config/governance-index.schema';
import {
  normalise,
  rankScores,
  scoreDistricts,
  trend,
  weightedScore,
  type DistrictIndicators,
  type IndicatorValues,
} from './district-index';

const defaults: GovernanceIndexConfig = governanceIndexSchema.parse({});
const none: IndicatorValues = {
  disposalRate: null,
  withinDeadline: null,
  medianDaysToDispose: null,
  satisfaction: null,
  appealRate: null,
  appealsUpheld: null,
  repeatRate: null,
  transferRate: null,
};

describe('governance index defaults', () => {
  it('weights add up to 1 and repeats are weighted once they are measured', () => {
    expect(defaults).toEqual({
      minGrievances: 10,
      weights: {
        disposalRate: 0.2,
        withinDeadline: 0.2,
        medianDaysToDispose: 0.1,
        satisfaction: 0.2,
        appealRate: 0.1,
        appealsUpheld: 0.05,
        repeatRate: 0.1,
        transferRate: 0.05,
      },
    });
  });
});

describe('min–max normalisation', () => {
  it.each([
    ['higher is better', [50, 100, 75], 'higher', [0, 1, 0.5]],
    ['lower is better (days)', [4, 12, 8], 'lower', [1, 0, 0.5]],
    ['nulls stay null and do not set the scale', [10, null, 20], 'higher', [0, null, 1]],
    ['all equal: nobody penalised', [7, 7, 7], 'lower', [1, 1, 1]],
    ['one district', [42], 'higher', [1]],
    ['no data', [null, null], 'higher', [null, null]],
    ['rounded to 4 places', [0, 1, 3], 'higher', [0, 0.3333, 1]],
  ] as const)('%s', (_name, values, better, expected) => {
    expect(normalise([...values], better)).toEqual(expected);
  });
});

describe('weighted score', () => {
  it.each([
    [
      'all best',
      {
        disposalRate: 1,
        withinDeadline: 1,
        medianDaysToDispose: 1,
        satisfaction: 1,
        appealRate: 1,
        appealsUpheld: 1,
        transferRate: 1,
      },
      100,
    ],
    [
      'all worst',
      {
        disposalRate: 0,
        withinDeadline: 0,
        medianDaysToDispose: 0,
        satisfaction: 0,
        appealRate: 0,
        appealsUpheld: 0,
        transferRate: 0,
      },
      0,
    ],
    // 0.2·1 + 0.2·0.5 + 0.1·0 + 0.2·1 + 0.1·0.5 + 0.05·1 + 0.05·0 = 0.6 of the 0.9 present.
    [
      'repeats not measured: the rest re-weighted',
      {
        disposalRate: 1,
        withinDeadline: 0.5,
        medianDaysToDispose: 0,
        satisfaction: 1,
        appealRate: 0.5,
        appealsUpheld: 1,
        transferRate: 0,
      },
      66.7,
    ],
    // Without ratings and appeal outcomes: (0.2 + 0.1 + 0 + 0.1·1) / (0.2 + 0.2 + 0.1 + 0.1 + 0.05).
    [
      'no ratings, no decided appeals',
      {
        disposalRate: 1,
        withinDeadline: 0.5,
        medianDaysToDispose: 0,
        appealRate: 1,
        transferRate: 0,
      },
      61.5,
    ],
    ['nothing at all', {}, null],
  ])('%s → %s', (_name, values, score) => {
    expect(weightedScore({ ...none, ...values }, defaults.weights)).toBe(score);
  });

  it('an indicator weighted 0 counts for nothing, not even as present', () => {
    const weights = { ...defaults.weights, disposalRate: 0, withinDeadline: 0.4 };
    expect(weightedScore({ ...none, disposalRate: 1 }, weights)).toBeNull();
    expect(weightedScore({ ...none, disposalRate: 1, withinDeadline: 0 }, weights)).toBe(0);
  });
});

describe('ranking', () => {
  it.each([
    [
      [90, 80, 70],
      [1, 2, 3],
    ],
    [
      [70, 90, 80],
      [3, 1, 2],
    ],
    [
      [90, 80, 80, 70],
      [1, 2, 2, 4],
    ],
    [
      [50, null, 60],
      [2, null, 1],
    ],
    [[], []],
  ])('%j → %j', (scores, ranks) => {
    expect(rankScores(scores)).toEqual(ranks);
  });
});

describe('scoring the districts of a state', () => {
  const district = (key: string, received: number, values: Partial<IndicatorValues>) =>
    ({ key, received, values: { ...none, ...values } }) satisfies DistrictIndicators;

  it('normalises across the eligible districts, weights, ranks best first', () => {
    const rows = scoreDistricts(
      [
        district('118', 20, { disposalRate: 100, medianDaysToDispose: 3, transferRate: 0 }),
        district('119', 30, { disposalRate: 50, medianDaysToDispose: 9, transferRate: 10 }),
        district('120', 25, { disposalRate: 75, medianDaysToDispose: 6, transferRate: 5 }),
        // Too few to rank: its 0 % would otherwise be the minimum.
        district('121', 3, { disposalRate: 0, medianDaysToDispose: 90, transferRate: 100 }),
      ],
      defaults,
    );
    expect(rows.map((r) => [r.key, r.score, r.rank, r.unranked])).toEqual([
      ['118', 100, 1, null],
      ['120', 50, 2, null],
      ['119', 0, 3, null],
      ['121', null, null, 'too-few-grievances'],
    ]);
    expect(rows[1].normalised).toMatchObject({
      disposalRate: 0.5,
      medianDaysToDispose: 0.5,
      transferRate: 0.5,
      satisfaction: null,
    });
    expect(rows[3].values.disposalRate).toBe(0);
  });

  it('lower is better for days, appeals, upheld appeals and transfers', () => {
    const rows = scoreDistricts(
      [
        district('1', 10, {
          medianDaysToDispose: 2,
          appealRate: 1,
          appealsUpheld: 0,
          transferRate: 0,
        }),
        district('2', 10, {
          medianDaysToDispose: 20,
          appealRate: 9,
          appealsUpheld: 50,
          transferRate: 9,
        }),
      ],
      defaults,
    );
    expect(rows.map((r) => [r.key, r.score])).toEqual([
      ['1', 100],
      ['2', 0],
    ]);
  });

  it('equal scores share a rank; the larger district is listed first', () => {
    const rows = scoreDistricts(
      [
        district('1', 10, { disposalRate: 80 }),
        district('2', 40, { disposalRate: 80 }),
        district('3', 10, { disposalRate: 40 }),
      ],
      defaults,
    );
    expect(rows.map((r) => [r.key, r.rank])).toEqual([
      ['2', 1],
      ['1', 1],
      ['3', 3],
    ]);
  });

  it('minGrievances comes from config', () => {
    const rows = scoreDistricts([district('1', 3, { disposalRate: 80 })], {
      ...defaults,
      minGrievances: 3,
    });
    expect(rows[0]).toMatchObject({ score: 100, rank: 1, unranked: null });
  });
});

describe('trend against the previous period', () => {
  it.each([
    ['moved up two places', { score: 80, rank: 1 }, { score: 60.4, rank: 3 }, 19.6, 2],
    ['fell one place', { score: 40, rank: 4 }, { score: 45, rank: 3 }, -5, -1],
    ['not ranked last month', { score: 40, rank: 4 }, { score: null, rank: null }, null, null],
    ['not ranked now', { score: null, rank: null }, { score: 45, rank: 3 }, null, null],
  ])('%s', (_name, now, before, scoreChange, rankChange) => {
    expect(
      trend({ key: '1', ...now }, [
        { key: '2', score: 1, rank: 1 },
        { key: '1', ...before },
      ]),
    ).toEqual({
      previousScore: before.score,
      previousRank: before.rank,
      scoreChange,
      rankChange,
    });
  });

  it('a district absent last month has no trend', () => {
    expect(trend({ key: '1', score: 50, rank: 1 }, [])).toEqual({
      previousScore: null,
      previousRank: null,
      scoreChange: null,
      rankChange: null,
    });
  });
});
