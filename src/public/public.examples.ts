/** Response examples for /docs (checked against real responses by openapi-contract.e2e-spec). */
const cell = {
  received: 1240,
  disposed: 930,
  pending: 310,
  meanDaysToDispose: 11.2,
  withinDeadlinePct: 92.3,
  suppressed: false,
};

export const PUBLIC_FIGURES_EXAMPLE = {
  from: '2000-01-01',
  to: '2026-11-26',
  asOf: '2026-11-26T10:00:00.000Z',
  minCount: 10,
  overall: cell,
  byPortal: [
    { key: 'UP-IGRS', label: { en: 'Uttar Pradesh IGRS (Jansunwai)', hi: null }, ...cell },
  ],
  byState: [{ key: '09', label: { en: 'Uttar Pradesh', hi: null }, ...cell }],
  byMonth: [{ month: '2026-11', ...cell }],
};

export const PUBLIC_INDEX_EXAMPLE = {
  state: { code: '09', name: 'Uttar Pradesh' },
  month: '2026-10',
  previousMonth: '2026-09',
  minCount: 10,
  districts: [
    {
      key: '162',
      label: { en: 'Lucknow', hi: null },
      rank: 1,
      score: 78.3,
      rankChange: 2,
      received: 1240,
      suppressed: false,
    },
  ],
};
