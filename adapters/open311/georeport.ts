// GeoReport v2 (Open311) wire formats, shared by the open311 adapter and its sandbox city server:
// reading `service_requests` / `errors` answers in XML or JSON, and writing them. The spec:
// https://wiki.open311.org/GeoReport_v2 (XML required, JSON optional, JSON mapped from the XML by
// the Spark convention: the root's list becomes an array of objects).
import { buildXml } from '../xml';

export type GeoFormat = 'xml' | 'json';

/** The records of a list answer: JSON's array, or the XML root's repeated child (one or many). */
export function recordsIn(data: unknown, root: string, item: string): Record<string, unknown>[] {
  if (Array.isArray(data)) return data.filter(isRecord);
  if (!isRecord(data)) return [];
  const list = isRecord(data[root]) ? (data[root] as Record<string, unknown>)[item] : undefined;
  if (Array.isArray(list)) return list.filter(isRecord);
  return isRecord(list) ? [list] : [];
}

/** `service_requests` → `request` records (POST requests, GET requests, GET tokens). */
export const serviceRequestsIn = (data: unknown) => recordsIn(data, 'service_requests', 'request');

/** mySociety's `service_request_updates` → `request_update` records. */
export const requestUpdatesIn = (data: unknown) =>
  recordsIn(data, 'service_request_updates', 'request_update');

/** A field as text: ids arrive as JSON numbers (the spec's own examples) or XML strings. */
export function text(record: Record<string, unknown>, field: string): string | undefined {
  const v = record[field];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Where a portal's error text sits in the spec's error answer, by format. */
export const ERROR_MESSAGE_FIELD: Record<GeoFormat, string> = {
  json: '0.description',
  xml: 'errors.error.description',
};

/** A list answer in the format asked: `[{…}]`, or `<root><item>…</item>…</root>` with the declaration. */
export function renderList(
  format: GeoFormat,
  root: string,
  item: string,
  records: readonly Record<string, unknown>[],
): string | Record<string, unknown>[] {
  if (format === 'json') return [...records];
  const body = buildXml(root, { [item]: records.map(forXml) });
  return `<?xml version="1.0" encoding="utf-8"?>${body}`;
}

/** The spec's error answer: `errors` → `error` with `code` and `description`. */
export function renderErrors(format: GeoFormat, code: number, description: string) {
  return renderList(format, 'errors', 'error', [{ code, description }]);
}

/** The format a path asks for by its suffix (`requests.json`); XML, the required one, otherwise. */
export function formatOf(path: string | undefined): GeoFormat {
  return path?.endsWith('.json') ? 'json' : 'xml';
}

// XML has no null: an absent value is an empty element, as in the spec's examples.
function forXml(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v ?? '']));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
