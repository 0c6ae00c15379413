import { ValidationFailedError } from '../errors/domain-error';

/** The uuid that sorts before every other: where a keyset walk over (…, id) starts. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Where a keyset page ends: the sort time and the id of its last row. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** The opaque `nextCursor` of a keyset page: base64url of `<ISO time>|<uuid>`. */
export function encodeCursor({ at, id }: KeysetPosition): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

// Years 0001-9999: JavaScript's year 0000 is out of PostgreSQL's range (it has no year 0).
const CURSOR =
  /^((?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The position in a cursor this API gave; none without a cursor; 400 for anything else.
 * Only what {@link encodeCursor} writes passes: a uuid PostgreSQL can cast and a time it can
 * store (four-digit year, a real calendar date), so a forged cursor never reaches SQL as a 500.
 */
export function decodeCursor(cursor?: string): KeysetPosition | null {
  if (!cursor) return null;
  const [, iso, id] = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8')) ?? [];
  const at = new Date(iso ?? '');
  if (!id || Number.isNaN(at.getTime()) || at.toISOString() !== iso)
    throw new ValidationFailedError([{ path: 'cursor', message: 'is not a cursor this API gave' }]);
  return { at, id };
}
