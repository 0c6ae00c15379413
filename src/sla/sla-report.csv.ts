import { GOVERNANCE_INDICATORS } from '../platform/config/governance-index.schema';
import type { DistrictIndex } from './governance-index.service';
import type { Summary } from './sla-views.service';

const COLUMNS = [
  ['key', 'key'],
  ['label', 'label'],
  ['total', 'total'],
  ['open', 'open'],
  ['resolved', 'resolved'],
  ['breached', 'breached'],
  ['within_sla_pct', 'withinSlaPct'],
  ['mean_days_to_resolve', 'meanDaysToResolve'],
  ['median_days_to_resolve', 'medianDaysToResolve'],
  ['p90_days_to_resolve', 'p90DaysToResolve'],
  ['appeal_rate_pct', 'appealRatePct'],
  ['mean_feedback_rating', 'meanFeedbackRating'],
] as const;

/** One CSV field (RFC 4180), safe to open in a spreadsheet. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote when needed; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The summary as CSV (RFC 4180): one row per group, then the overall row with key "ALL". */
export function summaryCsv(summary: Summary): string {
  const header = ['group_by', ...COLUMNS.map(([name]) => name)].join(',');
  const rows = [
    ...summary.groups.map((g) => ({ ...g, label: g.label.en })),
    { ...summary.overall, key: 'ALL', label: 'All' },
  ].map((g) =>
    [summary.groupBy, ...COLUMNS.map(([, field]) => (g as Record<string, unknown>)[field])]
      .map(cell)
      .join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

const snake = (id: string) => id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The District Governance Index as CSV: one row per district, in rank order (JSON: same rows). */
export function districtIndexCsv(index: DistrictIndex): string {
  const header = [
    'state_code',
    'month',
    'rank',
    'district_code',
    'district',
    'received',
    'score',
    ...GOVERNANCE_INDICATORS.map((i) => snake(i.id)),
    'previous_rank',
    'rank_change',
    'previous_score',
    'score_change',
    'unranked',
  ].join(',');
  const rows = index.districts.map((d) =>
    [
      index.state.code,
      index.month,
      d.rank,
      d.key,
      d.label.en,
      d.received,
      d.score,
      ...GOVERNANCE_INDICATORS.map((i) => d.values[i.id]),
      d.trend.previousRank,
      d.trend.rankChange,
      d.trend.previousScore,
      d.trend.scoreChange,
      d.unranked,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}

/** Breaches as CSV: the rows of the page shown, in its order, with the same fields. */
export function breachesCsv(
  items: {
    trackingId: string;
    status: string;
    portalCode: string;
    externalRef: string | null;
    stateCode: string;
    districtCode: string | null;
    category: string;
    createdAt: Date;
    slaDueAt: Date;
    daysOverdue: number;
  }[],
): string {
  const header = [
    'tracking_id',
    'status',
    'portal',
    'reference',
    'state_code',
    'district_code',
    'category',
    'received_at',
    'due_at',
    'days_overdue',
  ].join(',');
  const rows = items.map((b) =>
    [
      b.trackingId,
      b.status,
      b.portalCode,
      b.externalRef,
      b.stateCode,
      b.districtCode,
      b.category,
      b.createdAt.toISOString(),
      b.slaDueAt.toISOString(),
      b.daysOverdue,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}
