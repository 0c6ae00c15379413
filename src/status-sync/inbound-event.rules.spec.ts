import { UnknownNativeStatusError, type CanonicalStatus } from '../../adapters/adapter';
import {
  checkHonest,
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
