import type { CanonicalStatus } from '../../adapters/adapter';
import {
  notificationFor,
  planEvent,
  transferTarget,
  type ComplaintState,
  type PortalEvent,
} from './status-plan';

const t0 = new Date('2026-03-01T10:00:00Z');
const t1 = new Date('2026-03-02T10:00:00Z');
const early = new Date('2026-02-27T10:00:00Z');
const due = new Date('2026-04-01T10:00:00Z');
const ctx = { portals: ['CPGRAMS', 'UP-IGRS', 'MH-AAPLESARKAR'], appealDueAt: () => due };

const state = (over: Partial<ComplaintState> = {}): ComplaintState => ({
  status: 'DELIVERED',
  statusAt: null,
  statusFrom: null,
  primaryPortalCode: 'UP-IGRS',
  resolvedAt: null,
  appealedAt: null,
  appealDueAt: null,
  ...over,
});
const event = (status: CanonicalStatus, over: Partial<PortalEvent> = {}): PortalEvent => ({
  portalCode: 'UP-IGRS',
  status,
  nativeStatus: 'Native',
  occurredAt: t1,
  remarks: null,
  transferredTo: null,
  fromResponsiblePortal: true,
  ...over,
});

describe('planEvent', () => {
  it.each([
    ['first portal event after delivery applies', state(), event('IN_PROGRESS'), 'applied'],
    [
      'late event kept in the timeline only',
      state({ status: 'RESOLVED', statusAt: t0 }),
      event('IN_PROGRESS', { occurredAt: early }),
      'late',
    ],
    [
      'same status',
      state({ status: 'IN_PROGRESS', statusAt: t0 }),
      event('IN_PROGRESS'),
      'same-status',
    ],
    [
      'pair not in the table',
      state({ status: 'IN_PROGRESS', statusAt: t0 }),
      event('CLOSED'),
      'not-allowed',
    ],
    [
      'mirror or transferred-away portal',
      state(),
      event('IN_PROGRESS', { fromResponsiblePortal: false }),
      'other-portal',
    ],
    ['closure without remarks', state(), event('RESOLVED'), 'refused:closure-without-remarks'],
  ] as const)('%s', (_name, s, e, outcome) => {
    expect(planEvent(s, e, ctx).outcome).toBe(outcome);
  });

  it('keeps a timeline entry for every accepted event, with the native status and remarks', () => {
    expect(
      planEvent(
        state(),
        event('IN_PROGRESS', { nativeStatus: 'Agrasarit', occurredAt: early }),
        ctx,
      ).timeline,
    ).toEqual({
      status: 'IN_PROGRESS',
      remarks: 'Agrasarit',
    });
    expect(
      planEvent(state(), event('RESOLVED', { nativeStatus: 'Nistarit', remarks: 'Fixed' }), ctx)
        .timeline?.remarks,
    ).toBe('Nistarit: Fixed');
    expect(planEvent(state(), event('RESOLVED'), ctx).timeline).toBeNull();
  });

  it('sets resolved_at on the first resolution only; portal and remarks follow the latest', () => {
    const first = planEvent(state(), event('REJECTED', { remarks: 'Sub judice' }), ctx);
    expect(first.change).toEqual({
      status: 'REJECTED',
      statusAt: t1,
      statusFrom: 'DELIVERED',
      resolvedAt: t1,
      resolvedByPortal: 'UP-IGRS',
      resolutionRemarks: 'Sub judice',
    });
    expect(first.notify).toBe('rejected');
    const again = planEvent(
      state({ status: 'APPEALED', statusAt: t0, resolvedAt: t0, appealedAt: t0 }),
      event('RESOLVED', { remarks: 'Upheld' }),
      ctx,
    );
    expect(again.change).toEqual({
      status: 'RESOLVED',
      statusAt: t1,
      statusFrom: 'APPEALED',
      resolvedByPortal: 'UP-IGRS',
      resolutionRemarks: 'Upheld',
    });
    expect(again.notify).toBe('appeal-resolved');
  });

  it('sets closed_at on CLOSED and the appeal deadline on a portal-reported appeal', () => {
    expect(
      planEvent(state({ status: 'RESOLVED', statusAt: t0 }), event('CLOSED'), ctx).change,
    ).toEqual({ status: 'CLOSED', statusAt: t1, statusFrom: 'RESOLVED', closedAt: t1 });
    expect(
      planEvent(state({ status: 'RESOLVED', statusAt: t0 }), event('APPEALED'), ctx).change,
    ).toEqual({
      status: 'APPEALED',
      statusAt: t1,
      statusFrom: 'RESOLVED',
      appealedAt: t1,
      appealDueAt: due,
    });
  });

  it('re-routes a transfer to another configured portal; a move inside the portal stays', () => {
    expect(
      planEvent(state(), event('TRANSFERRED', { transferredTo: 'cpgrams' }), ctx),
    ).toMatchObject({ transferTo: 'CPGRAMS', notify: 'transferred' });
    expect(
      planEvent(state(), event('TRANSFERRED', { transferredTo: 'Ministry of Railways' }), ctx),
    ).toMatchObject({ outcome: 'applied', transferTo: null });
  });
});

describe('planEvent: a replacement undoes what the status it replaces set', () => {
  const transfer = event('TRANSFERRED', { occurredAt: t1, transferredTo: 'CPGRAMS' });
  it.each<[string, ComplaintState, PortalEvent, object]>([
    [
      'a transfer replacing the first resolution clears it, resolved_at too',
      state({ status: 'RESOLVED', statusAt: t1, statusFrom: 'DELIVERED', resolvedAt: t1 }),
      transfer,
      { resolvedAt: null, resolvedByPortal: null, resolutionRemarks: null },
    ],
    [
      'a transfer replacing a resolution after an appeal keeps the first resolved_at',
      state({ status: 'REJECTED', statusAt: t1, statusFrom: 'APPEALED', resolvedAt: t0 }),
      transfer,
      { resolvedByPortal: null, resolutionRemarks: null },
    ],
    [
      'a transfer replacing an appeal closed clears closed_at',
      state({ status: 'CLOSED', statusAt: t1, statusFrom: 'APPEALED', resolvedAt: t0 }),
      transfer,
      { closedAt: null },
    ],
    [
      'a transfer replacing work started clears nothing',
      state({ status: 'IN_PROGRESS', statusAt: t1, statusFrom: 'DELIVERED' }),
      transfer,
      {},
    ],
    [
      'RESOLVED replacing REJECTED sets the resolution again (resolved_at stays the instant)',
      state({ status: 'REJECTED', statusAt: t1, statusFrom: 'DELIVERED', resolvedAt: t1 }),
      event('RESOLVED', { occurredAt: t1, remarks: 'Fixed' }),
      { resolvedAt: t1, resolvedByPortal: 'UP-IGRS', resolutionRemarks: 'Fixed' },
    ],
  ])('%s', (_name, s, e, cleared) => {
    const plan = planEvent(s, e, ctx);
    expect(plan.outcome).toBe('applied');
    expect(plan.change).toEqual({
      status: e.status,
      statusAt: t1,
      statusFrom: s.statusFrom,
      ...cleared,
    });
  });
});

describe('transferTarget', () => {
  it.each([
    ['CPGRAMS', 'CPGRAMS'],
    [' mh-aaplesarkar ', 'MH-AAPLESARKAR'],
    ['UP-IGRS', null],
    ['Revenue Department', null],
    [null, null],
  ])('%j → %j', (to, expected) => {
    expect(transferTarget({ primaryPortalCode: 'UP-IGRS' }, { transferredTo: to }, ctx)).toBe(
      expected,
    );
  });
});

describe('notificationFor', () => {
  it.each([
    ['DELIVERED', 'IN_PROGRESS', null, null],
    ['IN_PROGRESS', 'RESOLVED', null, 'resolved'],
    ['IN_PROGRESS', 'REJECTED', null, 'rejected'],
    ['IN_PROGRESS', 'TRANSFERRED', null, 'transferred'],
    ['RESOLVED', 'CLOSED', null, null],
    ['APPEALED', 'RESOLVED', t0, 'appeal-resolved'],
    ['APPEALED', 'REJECTED', t0, 'appeal-rejected'],
    ['APPEALED', 'CLOSED', t0, 'appeal-closed'],
    ['APPEALED', 'IN_PROGRESS', t0, null],
  ] as const)('%s → %s (appealed %s): %s', (from, to, appealedAt, kind) => {
    expect(notificationFor({ status: from, appealedAt }, to)).toBe(kind);
  });
});
