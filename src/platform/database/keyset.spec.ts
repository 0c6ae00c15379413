import { ValidationFailedError } from '../errors/domain-error';
import { decodeCursor, encodeCursor } from './keyset';

const ID = '0f5e7c3a-9a4b-4c1d-8e2f-1a2b3c4d5e6f';
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('keyset cursors', () => {
  it('decodes what it encoded', () => {
    const at = new Date('2026-11-26T05:00:00.123Z');
    expect(decodeCursor(encodeCursor({ at, id: ID }))).toEqual({ at, id: ID });
    expect(decodeCursor(undefined)).toBeNull();
  });

  it.each([
    ['not a time', `yesterday|${ID}`],
    ['not a uuid', '2026-01-01T00:00:00.000Z|not-an-id'],
    ['dashes only', `2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`],
    ['a year PostgreSQL cannot store', `+275760-09-13T00:00:00.000Z|${ID}`],
    ['a negative year', `-100000-01-01T00:00:00.000Z|${ID}`],
    // JavaScript has a year 0, PostgreSQL does not (1 BC): "date/time field value out of range".
    ['the year 0000', `0000-01-01T00:00:00.000Z|${ID}`],
    ['a date that is not in the calendar', `2026-02-31T00:00:00.000Z|${ID}`],
    ['a trailing part', `2026-01-01T00:00:00.000Z|${ID}|extra`],
    ['upper-case uuid', `2026-01-01T00:00:00.000Z|${ID.toUpperCase()}`],
    ['base64 noise', '\u0000\u00ff'],
  ])('refuses %s with a 400', (_name, text) => {
    expect(() => decodeCursor(cursorOf(text))).toThrow(ValidationFailedError);
  });
});
