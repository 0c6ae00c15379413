import type { GeoFormat } from '../../adapters/open311/georeport';

/** The GeoReport formats (adapters/open311/georeport.ts writes both). */
export type Open311Format = GeoFormat;

/** The spec's content types, UTF-8 declared (GeoReport v2, "Format Support"). */
export const CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** `ONOP-….xml` → id and format; null for any other suffix (the route answers 404). */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const format = file.slice(dot + 1).toLowerCase();
  if (format !== 'xml' && format !== 'json') return null;
  return { name: file.slice(0, dot), format };
}

/** The format an answer (an error, too) is written in: the path's suffix; XML, the spec's default. */
export function formatOfPath(path: string): Open311Format {
  return /\.json$/i.test(path) ? 'json' : 'xml';
}
