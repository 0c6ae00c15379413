import type { CanonicalStatus } from '../../adapters/adapter';
import { planComplaint, type LockedComplaint, type PendingEvent } from './status-batch-plan';
import type { ComplaintChange } from './status-plan';

const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10));
const portals = ['CPGRAMS', 'UP-IGRS', 'MH-AAPLESARKAR'];
// The appeal deadline names the portal it was computed for, so a test can see which one.
const appealDueAt = (portal: string, _category: string, from: Date) =>
  new Date(from.getTime() + (portal === 'CPGRAMS' ? 30 : 60) * 86_400_000);

const complaint = (over: Partial<LockedComplaint> = {}): LockedComplaint => ({
  id: 'c1',
  trackingId: 'T-1',
  category: 'streetlight',
  status: 'DELIVERED',
  statusAt: null,
  statusFrom: null,
  primaryPortalCode: 'UP-IGRS',
  resolvedAt: null,
  appealedAt: null,
  appealDueAt: null,
  ...over,
});

let seq = 0;
const ev = (
  status: CanonicalStatus,
  day: number,
  over: Partial<PendingEvent> = {},
): PendingEvent => ({
  id: `i${++seq}`,
  portalCode: 'UP-IGRS',
  eventId: `e${seq}`,
  dispatchId: 'd1',
  dispatchPrimary: true,
  status,
  nativeStatus: `N-${status}`,
  occurredAt: at(day),
  remarks: status === 'RESOLVED' || status === 'REJECTED' ? 'done' : null,
  transferredTo: status === 'TRANSFERRED' ? 'CPGRAMS' : null,
  correlationId: `cid-${seq}`,
  processedAt: null,
  ...over,
});

const plan = (c: LockedComplaint, events: PendingEvent[]) =>
  planComplaint(c, events, portals, appealDueAt);

describe('planComplaint', () => {
  it.each<[string, LockedComplaint, PendingEvent[], string[], string | undefined]>([
    ['nothing pending', complaint(), [], [], undefined],
    [
      'work starts, then resolved',
      complaint(),
      [ev('IN_PROGRESS', 1), ev('RESOLVED', 2)],
      ['applied', 'applied'],
      'RESOLVED',
    ],
    [
      'late event: timeline only, status stays',
      complaint({ status: 'RESOLVED', statusAt: at(5), resolvedAt: at(5) }),
      [ev('IN_PROGRESS', 3)],
      ['late'],
      undefined,
    ],
    [
      'same status twice',
      complaint(),
      [ev('IN_PROGRESS', 1), ev('IN_PROGRESS', 2)],
      ['applied', 'same-status'],
      'IN_PROGRESS',
    ],
    [
      'not allowed (CLOSED from DELIVERED) is kept for later',
      complaint(),
      [ev('CLOSED', 1)],
      ['not-allowed'],
      undefined,
    ],
    [
      'a mirror or a transferred-away portal: timeline only',
      complaint(),
      [ev('RESOLVED', 1, { dispatchPrimary: false })],
      ['other-portal'],
      undefined,
    ],
    [
      'a deferred event that now fits applies after reorder',
      complaint({ status: 'RESOLVED', statusAt: at(1), resolvedAt: at(1) }),
      [ev('CLOSED', 2, { processedAt: at(3) })],
      ['applied-after-reorder'],
      'CLOSED',
    ],
    [
      'a deferred event that still does not fit is left alone',
      complaint(),
      [ev('CLOSED', 2, { processedAt: at(3) })],
      [],
      undefined,
    ],
    [
      'a closure without remarks is refused (nothing written but the outcome)',
      complaint(),
      [ev('RESOLVED', 1, { remarks: null })],
      ['refused:closure-without-remarks'],
      undefined,
    ],
  ])('%s', (_name, c, events, outcomes, finalStatus) => {
    const w = plan(c, events);
    expect(w.processed.map((p) => p.outcome)).toEqual(outcomes);
    expect(w.update?.status).toBe(finalStatus);
    expect(w.touched).toHaveLength(outcomes.length);
  });

  it.each<[string, PendingEvent[], number, number]>([
    ['applied and same-status events', [ev('IN_PROGRESS', 1), ev('IN_PROGRESS', 2)], 2, 0],
    [
      'a deferred event re-applied adds no second entry',
      [ev('IN_PROGRESS', 1), ev('RESOLVED', 2, { processedAt: at(3) })],
      1,
      0,
    ],
    ['a refused event adds no entry', [ev('REJECTED', 1, { remarks: ' ' })], 0, 0],
    [
      'resolved then rejected on reopen: one notification each',
      [ev('RESOLVED', 1), ev('IN_PROGRESS', 2), ev('REJECTED', 3)],
      3,
      2,
    ],
  ])('timeline and notifications: %s', (_name, events, entries, notifications) => {
    const w = plan(complaint(), events);
    expect(w.timeline).toHaveLength(entries);
    expect(w.timeline.filter((t) => t.notify)).toHaveLength(notifications);
  });

  it('notifies the citizen on the existing entry when a deferred resolution applies', () => {
    const w = plan(complaint(), [ev('IN_PROGRESS', 1), ev('RESOLVED', 2, { processedAt: at(3) })]);
    expect(w.update?.status).toBe('RESOLVED');
    expect(w.notifyExisting).toEqual([
      { status: 'RESOLVED', portalCode: 'UP-IGRS', occurredAt: at(2), notify: 'resolved' },
    ]);
  });

  it('a same-status event that arrived before a reopening applies after it', () => {
    const resolved = complaint({ status: 'RESOLVED', statusAt: at(0), resolvedAt: at(0) });
    const w = plan(resolved, [
      ev('IN_PROGRESS', 1),
      ev('RESOLVED', 2, { processedAt: at(3), remarks: 'fixed again' }),
    ]);
    expect(w.processed.map((p) => p.outcome)).toEqual(['applied', 'applied-after-reorder']);
    expect(w.update).toMatchObject({ status: 'RESOLVED', statusAt: at(2) });
    expect(w.timeline.map((t) => t.status)).toEqual(['IN_PROGRESS']);
    expect(w.notifyExisting.map((n) => n.notify)).toEqual(['resolved']);
  });

  it('notifies nothing for a deferred event that still does not fit', () => {
    expect(plan(complaint(), [ev('CLOSED', 2, { processedAt: at(3) })]).notifyExisting).toEqual([]);
  });

  it('sets resolved_at on the first resolution only; the remarks are the latest', () => {
    const w = plan(complaint(), [
      ev('RESOLVED', 1, { remarks: 'first' }),
      ev('IN_PROGRESS', 2),
      ev('REJECTED', 3, { remarks: 'second' }),
    ]);
    expect(w.update).toMatchObject({
      status: 'REJECTED',
      statusAt: at(3),
      resolvedAt: at(1),
      resolutionRemarks: 'second',
      resolvedByPortal: 'UP-IGRS',
    });
  });

  it('keeps the resolved_at recorded before the batch', () => {
    const w = plan(complaint({ status: 'IN_PROGRESS', statusAt: at(1), resolvedAt: at(1) }), [
      ev('RESOLVED', 2),
    ]);
    expect(w.update?.resolvedAt).toBeUndefined();
    expect(w.update?.resolutionRemarks).toBe('done');
  });

  it('a transfer makes a new dispatch at the new portal and notifies the citizen', () => {
    const w = plan(complaint(), [ev('TRANSFERRED', 1, { transferredTo: 'cpgrams' })]);
    expect(w.transfers).toEqual([{ toPortal: 'CPGRAMS', correlationId: expect.any(String) }]);
    expect(w.update).toEqual({
      status: 'TRANSFERRED',
      statusAt: at(1),
      statusFrom: 'DELIVERED',
      primaryPortalCode: 'CPGRAMS',
      transferredAt: at(1),
    });
    expect(w.timeline.map((t) => t.notify)).toEqual(['transferred']);
  });

  it.each([
    ['UP-IGRS', 60],
    ['CPGRAMS', 30],
  ])('an appeal at %s gets that portal’s deadline', (portal, days) => {
    const c = complaint({ primaryPortalCode: portal, status: 'RESOLVED', statusAt: at(1) });
    const w = plan(c, [ev('APPEALED', 2, { portalCode: portal })]);
    expect(w.update).toMatchObject({
      appealedAt: at(2),
      appealDueAt: new Date(at(2).getTime() + days * 86_400_000),
    });
  });

  it('after a transfer, later events of the old portal are timeline only', () => {
    const w = plan(complaint(), [
      ev('TRANSFERRED', 1),
      ev('RESOLVED', 2),
      ev('TRANSFERRED', 3, { transferredTo: 'MH-AAPLESARKAR' }),
    ]);
    expect(w.processed.map((p) => p.outcome)).toEqual(['applied', 'other-portal', 'other-portal']);
    expect(w.transfers).toHaveLength(1);
    // The first transfer's time: the second (timeline only) does not move it.
    expect(w.update).toEqual({
      status: 'TRANSFERRED',
      statusAt: at(1),
      statusFrom: 'DELIVERED',
      primaryPortalCode: 'CPGRAMS',
      transferredAt: at(1),
    });
  });

  it('a transfer to a portal that is not configured is a move inside the same portal', () => {
    const w = plan(complaint(), [ev('TRANSFERRED', 1, { transferredTo: 'Ministry of Power' })]);
    expect(w.transfers).toEqual([]);
    expect(w.update).toEqual({
      status: 'TRANSFERRED',
      statusAt: at(1),
      statusFrom: 'DELIVERED',
      transferredAt: at(1),
    });
  });

  it('is the same as planning the events one at a time on a state that moves', () => {
    const events = [ev('IN_PROGRESS', 1), ev('RESOLVED', 2), ev('CLOSED', 3)];
    const whole = plan(complaint(), events);
    let c = complaint();
    const outcomes: string[] = [];
    for (const e of events) {
      const w = plan(c, [e]);
      outcomes.push(...w.processed.map((p) => p.outcome));
      c = { ...c, ...w.update } as LockedComplaint;
    }
    expect(whole.processed.map((p) => p.outcome)).toEqual(outcomes);
    expect(whole.update).toMatchObject({ status: c.status, statusAt: c.statusAt });
  });
});

describe('planComplaint: two events at the same instant', () => {
  /**
   * Applies `events` one pass per arrival (each its own job), as separate batches would. An
   * event's dispatch is primary while its portal is the grievance's (a transfer demotes it).
   */
  function oneByOne(
    start: LockedComplaint,
    events: PendingEvent[],
  ): { state: LockedComplaint; transfers: number } {
    let state = { ...start };
    let transfers = 0;
    const seen: PendingEvent[] = [];
    for (const e of events) {
      seen.push(e);
      const w = plan(
        state,
        seen.map((x) => ({
          ...x,
          dispatchPrimary: x.dispatchPrimary && x.portalCode === state.primaryPortalCode,
        })),
      );
      for (const p of w.processed) seen.find((x) => x.id === p.id)!.processedAt = at(30);
      // Deferred events stay pending for the next pass; applied or late ones are done.
      const settled = new Set(
        w.processed
          .filter((p) => !['not-allowed', 'same-status'].includes(p.outcome))
          .map((p) => p.id),
      );
      for (let k = seen.length - 1; k >= 0; k--) if (settled.has(seen[k].id)) seen.splice(k, 1);
      if (w.update) state = { ...state, ...(w.update as Partial<LockedComplaint>) };
      transfers += w.transfers.length;
    }
    return { state, transfers };
  }

  const both = (a: PendingEvent, b: PendingEvent) => [
    [a, b],
    [b, a],
  ];

  it.each<[string, LockedComplaint, CanonicalStatus, CanonicalStatus, CanonicalStatus]>([
    ['disposed and in progress', complaint(), 'RESOLVED', 'IN_PROGRESS', 'RESOLVED'],
    ['rejected and in progress', complaint(), 'REJECTED', 'IN_PROGRESS', 'REJECTED'],
    [
      'transferred inside the portal and in progress',
      complaint(),
      'TRANSFERRED',
      'IN_PROGRESS',
      'IN_PROGRESS',
    ],
    [
      'resolved and closed, from in progress',
      complaint({ status: 'IN_PROGRESS', statusAt: at(1) }),
      'CLOSED',
      'RESOLVED',
      'CLOSED',
    ],
  ])('%s: the same outcome in either arrival order, batched or not', (_n, start, a, b, want) => {
    for (const [first, second] of both(ev(a, 5), ev(b, 5))) {
      const events = [first, second].map((e) => ({
        ...e,
        transferredTo: e.status === 'TRANSFERRED' ? 'Ministry of Power' : e.transferredTo,
      }));
      const batched = plan(
        start,
        events.map((e) => ({ ...e })),
      );
      expect(batched.update?.status).toBe(want);
      expect(oneByOne(start, events).state.status).toBe(want);
    }
  });

  // Both tied events could follow the status before them, but the later-ranked one cannot follow
  // the earlier-ranked one: it replaces it (complaints.status_from keeps the status before the
  // tie), so the later-ranked one wins in one batch and in either arrival order across jobs.
  it.each<[string, LockedComplaint, CanonicalStatus, CanonicalStatus]>([
    ['rejected and resolved, from delivered', complaint(), 'REJECTED', 'RESOLVED'],
    [
      'in progress and closed, from appealed',
      complaint({ status: 'APPEALED', statusAt: at(1), appealedAt: at(1), resolvedAt: at(1) }),
      'IN_PROGRESS',
      'CLOSED',
    ],
    [
      'reopened and appealed, from resolved',
      complaint({ status: 'RESOLVED', statusAt: at(1), resolvedAt: at(1) }),
      'IN_PROGRESS',
      'APPEALED',
    ],
  ])('%s: the same outcome in either arrival order', (_n, start, a, b) => {
    const outcomes = both(ev(a, 5), ev(b, 5)).map((events) => oneByOne(start, events).state.status);
    const batched = plan(start, [ev(a, 5), ev(b, 5)]).update?.status;
    expect(new Set([...outcomes, batched]).size).toBe(1);
  });

  // A transfer to another portal and an event of the old portal at the same instant: the transfer
  // wins (docs/status-sync.md, "ties"). Whatever the old portal set at that instant is undone.
  const appealed = complaint({
    status: 'APPEALED',
    statusAt: at(2),
    statusFrom: 'RESOLVED',
    resolvedAt: at(1),
    appealedAt: at(2),
    appealDueAt: at(40),
  });
  it.each<[string, LockedComplaint, CanonicalStatus, Date | null]>([
    ['resolved, from delivered', complaint(), 'RESOLVED', null],
    ['rejected, from delivered', complaint(), 'REJECTED', null],
    ['in progress, from delivered', complaint(), 'IN_PROGRESS', null],
    [
      'resolved, from in progress',
      complaint({ status: 'IN_PROGRESS', statusAt: at(1), statusFrom: 'DELIVERED' }),
      'RESOLVED',
      null,
    ],
    ['resolved again after an appeal', appealed, 'RESOLVED', at(1)],
    ['appeal closed', appealed, 'CLOSED', at(1)],
  ])(
    'transferred to another portal and %s: the transfer wins in either arrival order, batched or not',
    (_n, start, other, resolvedAt) => {
      const want = {
        status: 'TRANSFERRED',
        primaryPortalCode: 'CPGRAMS',
        transfers: 1,
        resolvedAt,
        resolvedByPortal: null,
        resolutionRemarks: null,
        closedAt: null,
      };
      type Row = LockedComplaint &
        Partial<Pick<ComplaintChange, 'resolvedByPortal' | 'resolutionRemarks' | 'closedAt'>>;
      const summary = (s: Row, transfers: number) => ({
        status: s.status,
        primaryPortalCode: s.primaryPortalCode,
        transfers,
        resolvedAt: s.resolvedAt ?? null,
        resolvedByPortal: s.resolvedByPortal ?? null,
        resolutionRemarks: s.resolutionRemarks ?? null,
        closedAt: s.closedAt ?? null,
      });
      for (const events of both(ev('TRANSFERRED', 5), ev(other, 5))) {
        const batched = plan(
          start,
          events.map((e) => ({ ...e })),
        );
        expect(summary({ ...start, ...batched.update }, batched.transfers.length)).toEqual(want);
        const { state, transfers } = oneByOne(
          start,
          events.map((e) => ({ ...e })),
        );
        expect(summary(state, transfers)).toEqual(want);
      }
    },
  );

  it('a transfer arriving after a resolution of the same instant replaces it and tells the citizen', () => {
    const resolved = complaint({
      status: 'RESOLVED',
      statusAt: at(5),
      statusFrom: 'DELIVERED',
      resolvedAt: at(5),
    });
    const w = plan(resolved, [ev('TRANSFERRED', 5)]);
    expect(w.processed.map((p) => p.outcome)).toEqual(['applied']);
    expect(w.transfers).toEqual([{ toPortal: 'CPGRAMS', correlationId: expect.any(String) }]);
    expect(w.update).toEqual({
      status: 'TRANSFERRED',
      statusAt: at(5),
      statusFrom: 'DELIVERED',
      resolvedAt: null,
      resolvedByPortal: null,
      resolutionRemarks: null,
      primaryPortalCode: 'CPGRAMS',
      transferredAt: at(5),
    });
    expect(w.timeline.map((t) => [t.status, t.notify])).toEqual([['TRANSFERRED', 'transferred']]);
  });

  it.each<[string, LockedComplaint]>([
    [
      'a second later than the resolution: an ordinary transition, not allowed',
      complaint({
        status: 'RESOLVED',
        statusAt: at(4),
        statusFrom: 'DELIVERED',
        resolvedAt: at(4),
      }),
    ],
    [
      'a resolution the hub cannot trace to an open status',
      complaint({ status: 'RESOLVED', statusAt: at(5), statusFrom: null, resolvedAt: at(5) }),
    ],
    [
      "a closure on the citizen's feedback (from RESOLVED)",
      complaint({ status: 'CLOSED', statusAt: at(5), statusFrom: 'RESOLVED', resolvedAt: at(3) }),
    ],
  ])('the transfer does not replace %s', (_n, start) => {
    const w = plan(start, [ev('TRANSFERRED', 5)]);
    expect(w.transfers).toEqual([]);
    // The status stays; the grievance is still counted as transferred (its timeline has it).
    expect(w.update).toEqual({ transferredAt: at(5) });
  });

  it('a transfer inside the same portal does not replace a same-instant resolution', () => {
    const resolved = complaint({
      status: 'RESOLVED',
      statusAt: at(5),
      statusFrom: 'DELIVERED',
      resolvedAt: at(5),
    });
    const w = plan(resolved, [ev('TRANSFERRED', 5, { transferredTo: 'Ministry of Power' })]);
    expect(w.processed.map((p) => p.outcome)).toEqual(['late']);
    expect(w.update).toEqual({ transferredAt: at(5) });
  });

  it('an event at the same instant as the current status but earlier in the lifecycle is late', () => {
    const start = complaint({ status: 'RESOLVED', statusAt: at(5), resolvedAt: at(5) });
    const w = plan(start, [ev('IN_PROGRESS', 5)]);
    expect(w.processed.map((p) => p.outcome)).toEqual(['late']);
    expect(w.update).toBeNull();
    expect(w.timeline.map((t) => t.status)).toEqual(['IN_PROGRESS']);
  });
});
