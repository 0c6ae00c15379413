import { UnknownNativeStatusError, type CanonicalStatus } from '../../adapters/adapter';
import {
  checkHonest,
  checkStorable,
  checkText,
  firstOccurrences,
  parseHubEvent,
  splitEnvelope,
  type Candidate,
} from './inbound-event.rules';

const map = (native: string): CanonicalStatus => {
  const table: Record<string, CanonicalStatus> = {
    Nistarit: 'RESOLVED',
    Agrasarit: 'IN_PROGRESS',
    Hastantarit: 'TRANSFERRED',
  };
  if (!table[native]) throw new UnknownNativeStatusError('up-igrs', native);
  return table[native];
};
const good = {
  eventId: 'E1',
  externalRef: '40016226000123',
  status: 'Agrasarit',
  occurredAt: '2026-03-01T10:00:00+05:30',
};

describe('splitEnvelope', () => {
  it.each([
    ['one event', good, { ok: true, items: [good], batch: false }],
    ['a batch', { events: [good] }, { ok: true, items: [good], batch: true }],
  ])('%s', (_n, body, expected) => expect(splitEnvelope(body)).toEqual(expected));

  it.each([
    ['null', null],
    ['an array', [good]],
    ['a string', 'x'],
    ['empty batch', { events: [] }],
    ['events not an array', { events: good }],
    ['501 events', { events: Array.from({ length: 501 }, () => good) }],
    ['unknown envelope field', { events: [good], extra: 1 }],
  ])('refuses %s', (_n, body) => expect(splitEnvelope(body).ok).toBe(false));

  it('accepts exactly 500 events', () => {
    expect(splitEnvelope({ events: Array.from({ length: 500 }, () => good) }).ok).toBe(true);
  });
});

describe('parseHubEvent', () => {
  it('maps the native status and normalises the time to UTC', () => {
    expect(parseHubEvent({ ...good, remarks: ' ok ' }, map)).toEqual({
      ok: true,
      update: {
        eventId: 'E1',
        externalRef: '40016226000123',
        status: 'IN_PROGRESS',
        nativeStatus: 'Agrasarit',
        occurredAt: '2026-03-01T04:30:00.000Z',
        remarks: 'ok',
        raw: { ...good, remarks: ' ok ' },
      },
    });
  });

  it.each([
    ['missing eventId', { ...good, eventId: undefined }, 'invalid-event'],
    ['blank externalRef', { ...good, externalRef: ' ' }, 'invalid-event'],
    ['not a timestamp', { ...good, occurredAt: 'yesterday' }, 'invalid-event'],
    ['unknown field', { ...good, officer: 'x' }, 'invalid-event'],
    ['unknown native status', { ...good, status: 'Lost' }, 'unknown-status'],
  ])('%s → %s', (_n, item, code) => {
    expect(parseHubEvent(item, map)).toMatchObject({ ok: false, code });
  });
});

describe('checkHonest', () => {
  const update = (status: CanonicalStatus, extra = {}) => ({
    eventId: 'E',
    externalRef: 'R',
    status,
    nativeStatus: 'n',
    occurredAt: '2026-03-01T00:00:00Z',
    raw: {},
    ...extra,
  });
  it.each([
    [update('RESOLVED'), 'closure-without-remarks'],
    [update('REJECTED', { remarks: '  ' }), 'closure-without-remarks'],
    [update('TRANSFERRED'), 'transfer-without-target'],
  ])('refuses %j', (u, code) => expect(checkHonest(u)).toMatchObject({ ok: false, code }));
  it.each([
    [update('RESOLVED', { remarks: 'Fixed' })],
    [update('TRANSFERRED', { transferredTo: 'CPGRAMS' })],
    [update('IN_PROGRESS')],
  ])('accepts %j', (u) => {
    expect(checkHonest(u).ok).toBe(true);
  });
});

describe('checkStorable', () => {
  const lodgedAt = new Date('2026-03-01T00:00:00Z');
  const receivedAt = new Date('2026-03-10T12:00:00Z');
  const bounds = { lodgedAt, receivedAt, maxSkewMs: 300_000 };
  const update = (occurredAt: string, extra = {}) => ({
    eventId: 'E',
    externalRef: 'R',
    status: 'IN_PROGRESS' as CanonicalStatus,
    nativeStatus: 'n',
    occurredAt,
    raw: {},
    ...extra,
  });
  it.each([
    ['at the lodging', '2026-03-01T00:00:00.000Z'],
    ['between lodging and receipt', '2026-03-05T00:00:00.000Z'],
    ['at the receipt', '2026-03-10T12:00:00.000Z'],
    ['ahead of the hub by the signature skew', '2026-03-10T12:05:00.000Z'],
  ])('accepts an event %s', (_n, at) => expect(checkStorable(update(at), bounds).ok).toBe(true));
  it.each([
    ['before the lodging', '2026-02-28T23:59:59.999Z', 'occurred-before-lodging'],
    ['dated 2000', '2000-01-01T00:00:00.000Z', 'occurred-before-lodging'],
    ['past the skew', '2026-03-10T12:05:00.001Z', 'occurred-in-future'],
    ['dated 2099', '2099-01-01T00:00:00.000Z', 'occurred-in-future'],
    ['not a time', 'soon', 'invalid-event'],
  ])('refuses an event %s (%s)', (_n, at, code) => {
    expect(checkStorable(update(at), bounds)).toMatchObject({ ok: false, eventId: 'E', code });
  });
  it('names the bound in the detail, never the body', () => {
    expect(checkStorable(update('2000-01-01T00:00:00.000Z'), bounds)).toMatchObject({
      detail:
        'occurredAt 2000-01-01T00:00:00.000Z is before the grievance was lodged (2026-03-01T00:00:00.000Z)',
    });
  });
  it('checks honest closure first', () => {
    expect(
      checkStorable(update('2099-01-01T00:00:00.000Z', { status: 'RESOLVED' }), bounds),
    ).toMatchObject({ ok: false, code: 'closure-without-remarks' });
  });
});

describe('checkText', () => {
  const update = (extra = {}) => ({
    eventId: 'E',
    externalRef: 'R',
    status: 'RESOLVED' as CanonicalStatus,
    nativeStatus: 'n',
    occurredAt: '2026-03-05T00:00:00.000Z',
    remarks: 'Repaired',
    raw: {},
    ...extra,
  });
  it.each([
    ['a NUL in remarks', { remarks: 'done\u0000' }, 'remarks', 'E'],
    ['an escape sequence in remarks', { remarks: '\u001b[2Jdone' }, 'remarks', 'E'],
    ['a DEL in remarks', { remarks: 'done\u007f' }, 'remarks', 'E'],
    ['a backspace in transferredTo', { transferredTo: 'CPG\bRAMS' }, 'transferredTo', 'E'],
    ['a NUL in externalRef', { externalRef: 'R\u0000' }, 'externalRef', 'E'],
    ['a NUL in the native status', { nativeStatus: 'n\u0000' }, 'status', 'E'],
    ['a NUL in eventId (not echoed)', { eventId: 'E\u0000' }, 'eventId', null],
  ])('refuses %s', (_n, extra, field, eventId) => {
    expect(checkText(update(extra))).toEqual({
      ok: false,
      eventId,
      code: 'invalid-event',
      detail: `${field}: must not contain control characters`,
    });
  });
  it.each([
    [
      'a right-to-left override in remarks',
      { remarks: 'Paid \u202e0001 INR' },
      'remarks',
      'U+202E',
    ],
    [
      'a zero-width space in transferredTo',
      { transferredTo: 'CPG\u200bRAMS' },
      'transferredTo',
      'U+200B',
    ],
  ])("refuses %s, as in citizens' text", (_n, extra, field, codePoint) => {
    expect(checkText(update(extra))).toEqual({
      ok: false,
      eventId: 'E',
      code: 'invalid-event',
      detail: `${field}: must not contain invisible or direction-changing characters (${codePoint})`,
    });
  });
  it('keeps Hindi conjuncts that need a joiner in remarks', () => {
    expect(checkText(update({ remarks: 'क्\u200dष समाधान' })).ok).toBe(true);
  });
  it('keeps line breaks and tabs in remarks', () => {
    expect(checkText(update({ remarks: 'Repaired.\r\n\tPoles 3 and 4' })).ok).toBe(true);
  });
  it.each([
    ['a NUL in a field the hub does not read', { officer: 'A\u0000' }, false],
    ['a nested NUL', { history: [{ note: '\u0000' }] }, false],
    ['a NUL after an escaped backslash', { note: '\\\u0000' }, false],
    ['the text "\\u0000" (no NUL)', { note: '\\u0000' }, true],
    ['other controls it does not read', { officer: 'A\u0007' }, true],
  ])('the raw payload: %s', (_n, raw, ok) => {
    expect(checkText(update({ raw })).ok).toBe(ok);
  });
});
describe('firstOccurrences', () => {
  it('treats a repeated eventId within one request as a duplicate', () => {
    const c = (eventId: string): Candidate => ({
      ok: true,
      update: {
        eventId,
        externalRef: 'R',
        status: 'IN_PROGRESS',
        nativeStatus: 'n',
        occurredAt: '',
        raw: {},
      },
    });
    const bad: Candidate = { ok: false, eventId: 'A', code: 'unknown-status', detail: '' };
    expect([...firstOccurrences([c('A'), bad, c('B'), c('A')])]).toEqual([0, 2]);
  });
});
