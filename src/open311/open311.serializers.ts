import type { Open311Format } from './open311-format';

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
export function serialize(format: Open311Format, root: string, body: Open311Value): string {
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
