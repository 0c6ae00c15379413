/** Response examples for /docs (checked against real responses by openapi-contract.e2e-spec). */

const figures = {
  total: 1240,
  open: 310,
  resolved: 930,
  breached: 96,
  openPastDue: 41,
  resolvedLate: 55,
  withinSlaPct: 92.3,
  meanDaysToResolve: 11.2,
  medianDaysToResolve: 9.5,
  p90DaysToResolve: 24,
  appealRatePct: 3.1,
  meanFeedbackRating: 3.8,
};

export const SUMMARY_EXAMPLE = {
  groupBy: 'portal',
  from: '2026-01-01',
  to: '2026-11-26',
  asOf: '2026-11-26T10:00:00.000Z',
  staleSince: null,
  filter: { state: '09' },
  overall: figures,
  groups: [
    { key: 'UP-IGRS', label: { en: 'Uttar Pradesh IGRS (Jansunwai)', hi: null }, ...figures },
  ],
};

export const DISTRICT_INDEX_EXAMPLE = {
  state: { code: '09', name: 'Uttar Pradesh' },
  month: '2026-10',
  previousMonth: '2026-09',
  asOf: '2026-11-26T10:00:00.000Z',
  staleSince: null,
  minGrievances: 10,
  indicators: [
    { id: 'disposalRate', better: 'higher', weight: 0.2, measured: true },
    { id: 'repeatRate', better: 'lower', weight: 0.1, measured: false },
  ],
  districts: [
    {
      key: '162',
      label: { en: 'Lucknow', hi: null },
      received: 1240,
      values: {
        disposalRate: 75,
        withinDeadline: 92.3,
        medianDaysToDispose: 9.5,
        satisfaction: 3.8,
        appealRate: 3.1,
        appealsUpheld: 20,
        repeatRate: null,
        transferRate: 4.2,
      },
      normalised: {
        disposalRate: 0.8,
        withinDeadline: 1,
        medianDaysToDispose: 0.6,
        satisfaction: 0.7,
        appealRate: 0.9,
        appealsUpheld: 0.5,
        repeatRate: null,
        transferRate: 0.4,
      },
      score: 78.3,
      rank: 1,
      unranked: null,
      trend: { previousScore: 70.1, previousRank: 3, scoreChange: 8.2, rankChange: 2 },
    },
  ],
};

export const TREND_EXAMPLE = {
  from: '2026-05-28',
  to: '2026-11-26',
  weeks: [{ week: '2026-11-23', total: 58, resolved: 44, resolvedWithin: 41, resolvedLate: 3 }],
};

export const BREACHES_EXAMPLE = {
  items: [
    {
      trackingId: 'ONOP-7KQ2-M9XD-4TPA',
      status: 'IN_PROGRESS',
      portalCode: 'UP-IGRS',
      externalRef: 'IGRS/2026/40012345',
      stateCode: '09',
      districtCode: '162',
      category: 'MUNICIPAL_SERVICES',
      createdAt: '2026-10-17T10:23:11.839Z',
      deliveredAt: '2026-10-17T10:23:14.102Z',
      slaDueAt: '2026-11-21T10:23:11.839Z',
      daysOverdue: 5,
    },
  ],
  nextCursor: 'eyJhdCI6IjIwMjYtMTEtMjEifQ',
};

export const INSIGHTS_EXAMPLE = {
  from: '2026-01-01',
  to: '2026-11-26',
  filter: { state: '09' },
  asOf: '2026-11-26T10:00:00.000Z',
  monthly: [
    {
      month: '2026-11',
      ...figures,
      change: {
        total: 120,
        resolved: 80,
        withinSlaPct: 1.5,
        medianDaysToResolve: -0.5,
        meanFeedbackRating: 0.1,
      },
    },
  ],
  ratings: [{ rating: 5, count: 310 }],
  appeals: { appealed: 41, decided: 30, upheld: 9, pendingPastDue: 2, pending: 11 },
  transfersByPortal: [
    { portal: 'CPGRAMS', name: 'CPGRAMS (DARPG)', transfers: 12, grievances: 11 },
  ],
};
