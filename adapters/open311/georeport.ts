// GeoReport v2 (Open311) wire formats, shared by the open311 adapter, its sandbox city server and
// the hub's own Open311 server (src/open311): reading `service_requests` / `errors` answers in XML
// or JSON, and writing any answer (`serialize`, the one GeoReport writer). The spec:
// https://wiki.open311.org/GeoReport_v2 (XML required, JSON optional, JSON mapped from the XML by
// the Spark convention: the root's list becomes an array of objects).
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

/**
 * A list answer in the format asked: `[{…}]`, or the XML document (`serialize`) with each record
 * under the list's item element (`<service_requests><request>…`).
 */
export function renderList(
  format: GeoFormat,
  root: string,
  records: readonly Record<string, unknown>[],
): string | Record<string, unknown>[] {
  if (format === 'json') return [...records];
  return serialize('xml', root, records.map(forXml));
}

/** The spec's error answer: `errors` → `error` with `code` and `description`. */
export function renderErrors(format: GeoFormat, code: number, description: string) {
  return renderList(format, 'errors', [{ code, description }]);
}

/** The format a path asks for by its suffix (`requests.json`); XML, the required one, otherwise. */
export function formatOf(path: string | undefined): GeoFormat {
  return path?.endsWith('.json') ? 'json' : 'xml';
}

// An absent value is an empty element, as in the spec's examples.
function forXml(record: Record<string, unknown>): Open311Value {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v ?? null])) as Open311Value;
}

/**
 * The element of each item of a list, by the list's name: the spec's XML nests a list's items in
 * a wrapper (`<services><service>`), and its JSON (the Spark convention) drops the wrapper.
 */
const ITEM_OF: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

export type Open311Value =
  string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value };

/**
 * One answer in the requested format. `root` is the XML document element; in JSON a list is the
 * array itself and an object the object (GeoReport v2 examples).
 */
export function serialize(format: GeoFormat, root: string, body: Open311Value): string {
  if (format === 'json') return JSON.stringify(body);
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, body)}\n`;
}

function element(name: string, value: Open311Value): string {
  if (value === null || value === '') return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_OF[name];
    if (!item) throw new Error(`No item element for the list ${name}`);
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

// Characters XML 1.0 cannot carry at all (controls other than tab, LF, CR; lone surrogates).
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
