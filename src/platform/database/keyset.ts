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

/** The position in a cursor this API gave; none without a cursor; 400 for anything else. */
export function decodeCursor(cursor?: string): KeysetPosition | null {
  if (!cursor) return null;
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? ''))
    throw new ValidationFailedError([{ path: 'cursor', message: 'is not a cursor this API gave' }]);
  return { at, id };
}
