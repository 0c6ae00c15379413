import type { ComplaintStatus } from '../generated/prisma/enums';
import { TRACKING_ID_PATTERN } from '../platform/crypto/tokens';
import { Open311Error, type Open311ErrorEntry } from './open311-error';
import { statusesOf } from './open311-status.rules';

export const MAX_SPAN_DAYS = 90;
/** "first 1000 requests returned" (GeoReport v2, Response Volume). */
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;

export interface RequestFilter {
  trackingIds: string[] | null;
  categories: string[] | null;
  statuses: ComplaintStatus[] | null;
  from: Date;
  to: Date;
}

// The W3C profile of ISO 8601 the spec names, with the zone it requires.
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function one(query: Record<string, unknown>, name: string, problems: Open311ErrorEntry[]) {
  const v = query[name];
  if (v === undefined || v === '') return null;
  if (typeof v === 'string') return v;
  problems.push({
    code: 400,
    description: `${name} must be given once (comma-separated for several)`,
  });
  return null;
}

function date(raw: string | null, name: string, problems: Open311ErrorEntry[]): Date | null {
  if (raw === null) return null;
  const d = W3C_DATETIME.test(raw) ? new Date(raw) : null;
  if (!d || Number.isNaN(d.getTime())) {
    problems.push({
      code: 400,
      description: `${name} must be a w3 datetime with zone, e.g. 2026-11-01T00:00:00Z`,
    });
    return null;
  }
  return d;
}

const list = (raw: string | null) =>
  raw === null
    ? null
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * GET requests / servicerequestupdates arguments: `service_request_id` (comma list, overrides the
 * rest), `service_code`, `start_date`/`end_date` (at most 90 days; default the last 90 days) and
 * `status` (open, closed). Unknown arguments are ignored, as the spec's "optional" means.
 */
export function parseRequestQuery(query: Record<string, unknown>, now: Date): RequestFilter {
  const problems: Open311ErrorEntry[] = [];
  const ids = list(one(query, 'service_request_id', problems));
  const codes = list(one(query, 'service_code', problems));
  const statusList = list(one(query, 'status', problems));
  let from = date(one(query, 'start_date', problems), 'start_date', problems);
  let to = date(one(query, 'end_date', problems), 'end_date', problems);
  if (ids && (ids.length > MAX_REQUESTS || ids.some((id) => !TRACKING_ID_PATTERN.test(id))))
    problems.push({
      code: 400,
      description: `service_request_id must list up to ${MAX_REQUESTS} ids like ONOP-XXXX-XXXX-XXXX`,
    });
  if (statusList && statusList.some((s) => s !== 'open' && s !== 'closed'))
    problems.push({
      code: 400,
      description: 'status must be open, closed or both (comma-separated)',
    });
  if (!from && !to) to = now;
  if (!from) from = new Date(to!.getTime() - MAX_SPAN_DAYS * DAY_MS);
  if (!to) to = new Date(from.getTime() + MAX_SPAN_DAYS * DAY_MS);
  if (to.getTime() < from.getTime())
    problems.push({ code: 400, description: 'end_date must not be before start_date' });
  else if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS)
    problems.push({
      code: 400,
      description: `start_date and end_date may not span more than ${MAX_SPAN_DAYS} days`,
    });
  if (problems.length) throw new Open311Error(400, problems);
  const statuses = statusList
    ? [...new Set(statusList as ('open' | 'closed')[])].flatMap(statusesOf)
    : null;
  return {
    trackingIds: ids,
    categories: ids ? null : codes,
    statuses: ids ? null : statuses,
    from,
    to,
  };
}
