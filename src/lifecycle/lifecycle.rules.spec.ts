import { CANONICAL_STATUSES, type CanonicalStatus } from '../../adapters/adapter';
import {
  canTransition,
  compareOccurrence,
  decide,
  isClosed,
  TRANSITIONS,
  type Decision,
} from './lifecycle.rules';

// Written independently of TRANSITIONS: changing the lifecycle means changing both.
const ALLOWED = new Set([
  'RECEIVED>ROUTED',
  'RECEIVED>DISPATCH_FAILED',
  'ROUTED>DELIVERED',
  'ROUTED>DISPATCH_FAILED',
  'DISPATCH_FAILED>ROUTED',
  'DELIVERED>IN_PROGRESS',
  'DELIVERED>RESOLVED',
  'DELIVERED>REJECTED',
  'DELIVERED>TRANSFERRED',
  'IN_PROGRESS>RESOLVED',
  'IN_PROGRESS>REJECTED',
  'IN_PROGRESS>TRANSFERRED',
  'TRANSFERRED>ROUTED',
  'TRANSFERRED>DELIVERED',
  'TRANSFERRED>IN_PROGRESS',
  'TRANSFERRED>RESOLVED',
  'TRANSFERRED>REJECTED',
  'TRANSFERRED>DISPATCH_FAILED',
  'RESOLVED>CLOSED',
  'RESOLVED>APPEALED',
  'RESOLVED>IN_PROGRESS',
  'REJECTED>CLOSED',
  'REJECTED>APPEALED',
  'REJECTED>IN_PROGRESS',
  'CLOSED>APPEALED',
  'APPEALED>IN_PROGRESS',
  'APPEALED>RESOLVED',
  'APPEALED>REJECTED',
  'APPEALED>CLOSED',
  'APPEALED>TRANSFERRED',
]);

const pairs = CANONICAL_STATUSES.flatMap((from) =>
  CANONICAL_STATUSES.map((to) => [from, to, ALLOWED.has(`${from}>${to}`)] as const),
);

describe('canTransition', () => {
  it('covers every canonical status and nothing else', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CANONICAL_STATUSES].sort());
    expect(pairs).toHaveLength(100);
    expect(pairs.filter(([, , allowed]) => allowed)).toHaveLength(ALLOWED.size);
  });

  it.each(pairs)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('decide', () => {
  const t0 = new Date('2025-03-01T10:00:00Z');
  const later = new Date('2025-03-02T10:00:00Z');
  const early = new Date('2025-02-28T10:00:00Z');
  const apply = (to: CanonicalStatus): Decision => ({ kind: 'apply', to });
  const log = (reason: 'same-status' | 'late' | 'not-allowed'): Decision => ({
    kind: 'timeline-only',
    reason,
  });
  const refuse = (code: string) => ({ kind: 'refuse', code, message: expect.any(String) });
  const closure = refuse('closure-without-remarks');
  const transfer = refuse('transfer-without-target');

  type Extra = { remarks?: string | null; transferredTo?: string | null };
  const said = (remarks: string | null): Extra => ({ remarks });
  const target = (transferredTo: string | null): Extra => ({ transferredTo });
  type Row = [string, CanonicalStatus, CanonicalStatus, Date, Extra, Decision | object];
  const rows: Row[] = [
    ['allowed pair applies', 'DELIVERED', 'IN_PROGRESS', later, {}, apply('IN_PROGRESS')],
    ['resolved with remarks', 'IN_PROGRESS', 'RESOLVED', later, said('Fixed'), apply('RESOLVED')],
    ['transfer with target', 'DELIVERED', 'TRANSFERRED', later, target('UP'), apply('TRANSFERRED')],
    ['event at exactly statusAt is not late', 'ROUTED', 'DELIVERED', t0, {}, apply('DELIVERED')],
    ['RESOLVED without remarks', 'IN_PROGRESS', 'RESOLVED', later, {}, closure],
    ['REJECTED with null remarks', 'IN_PROGRESS', 'REJECTED', later, said(null), closure],
    ['empty remarks count as missing', 'IN_PROGRESS', 'RESOLVED', later, said(''), closure],
    ['whitespace remarks are missing', 'DELIVERED', 'REJECTED', later, said(' \t\n '), closure],
    ['TRANSFERRED without target', 'IN_PROGRESS', 'TRANSFERRED', later, {}, transfer],
    ['TRANSFERRED with null target', 'DELIVERED', 'TRANSFERRED', later, target(null), transfer],
    ['blank transfer target', 'IN_PROGRESS', 'TRANSFERRED', later, target('  '), transfer],
    ['refusal wins over late', 'IN_PROGRESS', 'RESOLVED', early, {}, closure],
    ['refusal wins over same-status', 'RESOLVED', 'RESOLVED', later, said(' '), closure],
    ['refusal wins over not-allowed', 'RECEIVED', 'TRANSFERRED', later, {}, transfer],
    ['late event with an allowed pair', 'DELIVERED', 'IN_PROGRESS', early, {}, log('late')],
    ['late event never moves backwards', 'RESOLVED', 'IN_PROGRESS', early, {}, log('late')],
    ['invalid occurredAt is late', 'DELIVERED', 'IN_PROGRESS', new Date('x'), {}, log('late')],
    ['late wins over same-status', 'IN_PROGRESS', 'IN_PROGRESS', early, {}, log('late')],
    ['forwarded to sub-office', 'IN_PROGRESS', 'IN_PROGRESS', later, {}, log('same-status')],
    ['same closure again', 'RESOLVED', 'RESOLVED', later, said('Again'), log('same-status')],
    ['pair not in the table', 'RECEIVED', 'IN_PROGRESS', later, {}, log('not-allowed')],
    ['CLOSED reopens only by appeal', 'CLOSED', 'IN_PROGRESS', later, {}, log('not-allowed')],
    [
      'tie: earlier in the lifecycle counts as first',
      'RESOLVED',
      'IN_PROGRESS',
      t0,
      {},
      log('late'),
    ],
    [
      'tie: later in the lifecycle applies',
      'IN_PROGRESS',
      'RESOLVED',
      t0,
      said('Done'),
      apply('RESOLVED'),
    ],
    [
      'tie: reopen a second later applies',
      'RESOLVED',
      'IN_PROGRESS',
      later,
      {},
      apply('IN_PROGRESS'),
    ],
  ];

  it.each(rows)('%s (%s → %s)', (_name, from, to, occurredAt, extra, expected) => {
    expect(decide({ status: from, statusAt: t0 }, { status: to, occurredAt, ...extra })).toEqual(
      expected,
    );
  });
});

describe('decide: a same-instant tie with no way on between the two', () => {
  const t0 = new Date('2025-03-01T10:00:00Z');
  const later = new Date('2025-03-01T10:00:01Z');
  type Row = [string, CanonicalStatus, CanonicalStatus | null, CanonicalStatus, Date, Decision];
  const replaced = (to: CanonicalStatus): Decision => ({ kind: 'apply', to, replaces: true });
  const notAllowed: Decision = { kind: 'timeline-only', reason: 'not-allowed' };
  const rows: Row[] = [
    [
      'RESOLVED replaces REJECTED reached from DELIVERED',
      'REJECTED',
      'DELIVERED',
      'RESOLVED',
      t0,
      replaced('RESOLVED'),
    ],
    [
      'CLOSED replaces IN_PROGRESS reached from APPEALED',
      'IN_PROGRESS',
      'APPEALED',
      'CLOSED',
      t0,
      replaced('CLOSED'),
    ],
    [
      'APPEALED replaces a reopening of RESOLVED',
      'IN_PROGRESS',
      'RESOLVED',
      'APPEALED',
      t0,
      replaced('APPEALED'),
    ],
    [
      'not when it could not follow what came before',
      'IN_PROGRESS',
      'DELIVERED',
      'CLOSED',
      t0,
      notAllowed,
    ],
    ['not when the origin is unknown', 'REJECTED', null, 'RESOLVED', t0, notAllowed],
    [
      'not a second later: an ordinary transition',
      'REJECTED',
      'DELIVERED',
      'RESOLVED',
      later,
      notAllowed,
    ],
  ];
  it.each(rows)('%s', (_name, status, statusFrom, to, occurredAt, expected) => {
    expect(
      decide({ status, statusAt: t0, statusFrom }, { status: to, occurredAt, remarks: 'Done' }),
    ).toEqual(expected);
  });
});

describe('decide: a same-instant transfer to another portal wins', () => {
  const t0 = new Date('2025-03-01T10:00:00Z');
  const later = new Date('2025-03-01T10:00:01Z');
  const replaced: Decision = { kind: 'apply', to: 'TRANSFERRED', replaces: true };
  const late: Decision = { kind: 'timeline-only', reason: 'late' };
  const notAllowed: Decision = { kind: 'timeline-only', reason: 'not-allowed' };
  it.each<[string, CanonicalStatus, CanonicalStatus | null, boolean, Date, Decision]>([
    ['replaces RESOLVED reached from DELIVERED', 'RESOLVED', 'DELIVERED', true, t0, replaced],
    ['replaces REJECTED reached from IN_PROGRESS', 'REJECTED', 'IN_PROGRESS', true, t0, replaced],
    ['replaces IN_PROGRESS reached from DELIVERED', 'IN_PROGRESS', 'DELIVERED', true, t0, replaced],
    ['replaces an appeal closed (CLOSED from APPEALED)', 'CLOSED', 'APPEALED', true, t0, replaced],
    ['a move inside the portal stays late', 'RESOLVED', 'DELIVERED', false, t0, late],
    ['not a closure on feedback (CLOSED from RESOLVED)', 'CLOSED', 'RESOLVED', true, t0, late],
    ["not the citizen's appeal (APPEALED from RESOLVED)", 'APPEALED', 'RESOLVED', true, t0, late],
    ['not when the origin is unknown', 'RESOLVED', null, true, t0, late],
    [
      'not a second later: an ordinary transition',
      'RESOLVED',
      'DELIVERED',
      true,
      later,
      notAllowed,
    ],
  ])('%s', (_name, status, statusFrom, reroutes, occurredAt, expected) => {
    const event = { status: 'TRANSFERRED' as const, occurredAt, transferredTo: 'X', reroutes };
    expect(decide({ status, statusAt: t0, statusFrom }, event)).toEqual(expected);
  });
});

describe('compareOccurrence', () => {
  const at = new Date('2025-03-01T10:00:00Z');
  const e = (status: CanonicalStatus, eventId: string, occurredAt = at) => ({
    status,
    eventId,
    occurredAt,
  });
  it.each([
    ['earlier time first', e('RESOLVED', 'a', new Date(0)), e('IN_PROGRESS', 'b'), -1],
    ['same time: lifecycle order', e('RESOLVED', 'a'), e('IN_PROGRESS', 'b'), 1],
    ['same time and status: event id', e('IN_PROGRESS', 'b'), e('IN_PROGRESS', 'a'), 1],
    ['the same event', e('CLOSED', 'a'), e('CLOSED', 'a'), 0],
  ] as const)('%s', (_name, a, b, sign) => {
    expect(Math.sign(compareOccurrence(a, b))).toBe(sign);
  });
});

describe('isClosed', () => {
  const closed = ['RESOLVED', 'REJECTED', 'CLOSED'];
  it.each(CANONICAL_STATUSES.map((s) => [s, closed.includes(s)] as const))(
    '%s closed: %s',
    (status, expected) => {
      expect(isClosed(status)).toBe(expected);
    },
  );
});
