import { SandboxOfficers, type OfficerPlan } from './sandbox-officer';
import { RegistrationStore } from './sandbox-store';

// A plan whose script names the registration it was handed to (n), so the tests can see which
// registration got which script; every third registration is rejected after one step.
const plan: OfficerPlan = {
  steps: (n) =>
    n % 3 === 2
      ? [{ native: `Rejected #${n}`, remarks: 'not our department' }]
      : [
          { native: `Examining #${n}` },
          { native: `Transferred #${n}`, transferredTo: 'District Office' },
          { native: `Disposed #${n}`, remarks: 'resolved' },
        ],
  appealStatuses: ['Appeal Filed', 'Review Requested'],
  appealSteps: [
    { native: 'Appeal Examining' },
    { native: 'Appeal Disposed', remarks: 'upheld on appeal' },
  ],
};

describe('SandboxOfficers', () => {
  let store: RegistrationStore;
  let officers: SandboxOfficers;

  const register = (externalRef: string) =>
    store.register({ externalRef, clientRef: `c-${externalRef}`, body: {}, nativeStatus: 'New' });
  const statusOf = (externalRef: string) => store.byExternalRef(externalRef)?.nativeStatus;
  const historyOf = (externalRef: string) =>
    store.byExternalRef(externalRef)?.history.map((c) => c.nativeStatus);

  beforeEach(() => {
    store = new RegistrationStore();
    // stepMs 0: officers never run on their own clock; the tests tick them.
    officers = new SandboxOfficers(store, plan, 0);
  });

  afterEach(() => officers.stop());

  it('hands scripts out in registration order and moves each grievance one step per tick', () => {
    register('A');
    register('B');
    register('C');

    officers.tick();
    expect([statusOf('A'), statusOf('B'), statusOf('C')]).toEqual([
      'Examining #0',
      'Examining #1',
      'Rejected #2',
    ]);

    officers.tick();
    expect([statusOf('A'), statusOf('B'), statusOf('C')]).toEqual([
      'Transferred #0',
      'Transferred #1',
      'Rejected #2', // its script had one step: nothing more to do
    ]);

    officers.tick();
    expect(historyOf('A')).toEqual(['Examining #0', 'Transferred #0', 'Disposed #0']);
    expect(historyOf('B')).toEqual(['Examining #1', 'Transferred #1', 'Disposed #1']);
    expect(historyOf('C')).toEqual(['Rejected #2']);
  });

  it('records each step through the store, with its remarks and transfer, in the feed', () => {
    register('A');
    const seen: string[] = [];
    store.onChange((c) => seen.push(`${c.externalRef}:${c.nativeStatus}`));

    officers.tick();
    officers.tick();

    // The store's listeners (push hook) and its feed (pull portals) both saw the moves.
    expect(seen).toEqual(['A:Examining #0', 'A:Transferred #0']);
    expect(store.changesAfter(0, 10)).toEqual([
      expect.objectContaining({ externalRef: 'A', nativeStatus: 'Examining #0' }),
      expect.objectContaining({
        externalRef: 'A',
        nativeStatus: 'Transferred #0',
        transferredTo: 'District Office',
      }),
    ]);
    // The `native` field is the status, not a detail copied onto the change.
    expect(store.changesAfter(0, 10)[0]).not.toHaveProperty('native');
  });

  it('gives a registration that arrives later the next script, not the first one again', () => {
    register('A');
    officers.tick();
    register('B');
    officers.tick();

    expect(historyOf('A')).toEqual(['Examining #0', 'Transferred #0']);
    expect(historyOf('B')).toEqual(['Examining #1']);
  });

  it('leaves a grievance with no steps left where it is', () => {
    register('A');
    for (let i = 0; i < 3; i++) officers.tick();
    const feedBefore = store.changesAfter(0, 100).length;

    officers.tick();
    officers.tick();

    expect(statusOf('A')).toBe('Disposed #0');
    expect(historyOf('A')).toHaveLength(3);
    expect(store.changesAfter(0, 100)).toHaveLength(feedBefore);
  });

  it('leaves a grievance whose script is empty where it was registered', () => {
    const own = new RegistrationStore();
    const idle = new SandboxOfficers(own, { ...plan, steps: () => [] }, 0);
    own.register({ externalRef: 'A', clientRef: 'c', body: {}, nativeStatus: 'New' });

    idle.tick();
    idle.tick();

    expect(own.byExternalRef('A')?.nativeStatus).toBe('New');
    expect(own.byExternalRef('A')?.history).toEqual([]);
  });

  it('takes an appealed grievance with no work left through the appeal steps', () => {
    register('A');
    register('B');
    register('C');
    for (let i = 0; i < 3; i++) officers.tick();

    // C (rejected) is appealed by the portal itself, as the appeal route does.
    store.recordStatus('C', 'Review Requested');
    expect(statusOf('C')).toBe('Review Requested');

    officers.tick();
    expect(statusOf('C')).toBe('Appeal Examining');
    officers.tick();
    expect(store.byExternalRef('C')?.history.at(-1)).toMatchObject({
      nativeStatus: 'Appeal Disposed',
      remarks: 'upheld on appeal',
    });
    // Nobody else was touched.
    expect(statusOf('A')).toBe('Disposed #0');
    expect(statusOf('B')).toBe('Disposed #1');

    // And the appeal is finished: further ticks change nothing.
    officers.tick();
    expect(historyOf('C')).toEqual([
      'Rejected #2',
      'Review Requested',
      'Appeal Examining',
      'Appeal Disposed',
    ]);
  });

  it('does not take a status outside appealStatuses as an appeal', () => {
    register('A');
    for (let i = 0; i < 3; i++) officers.tick();

    store.recordStatus('A', 'Reminder Received');
    officers.tick();

    expect(statusOf('A')).toBe('Reminder Received');
  });

  it('does not replace work still in progress when an appeal status is recorded', () => {
    register('A');
    officers.tick(); // Examining #0; two steps left

    store.recordStatus('A', 'Appeal Filed');
    officers.tick();
    officers.tick();

    // The remaining script carries on; the appellate steps were not queued instead of it.
    expect(historyOf('A')).toEqual([
      'Examining #0',
      'Appeal Filed',
      'Transferred #0',
      'Disposed #0',
    ]);
  });

  it('takes a second appeal through the appeal steps again', () => {
    register('A');
    for (let i = 0; i < 3; i++) officers.tick();

    store.recordStatus('A', 'Appeal Filed');
    officers.tick();
    officers.tick();
    store.recordStatus('A', 'Appeal Filed');
    officers.tick();
    officers.tick();

    expect(historyOf('A')?.slice(3)).toEqual([
      'Appeal Filed',
      'Appeal Examining',
      'Appeal Disposed',
      'Appeal Filed',
      'Appeal Examining',
      'Appeal Disposed',
    ]);
  });

  it('copies the appeal steps, so one appeal does not use them up for the next grievance', () => {
    register('A');
    register('B');
    for (let i = 0; i < 3; i++) officers.tick();

    store.recordStatus('A', 'Appeal Filed');
    officers.tick();
    officers.tick();
    store.recordStatus('B', 'Appeal Filed');
    officers.tick();
    officers.tick();

    expect(statusOf('B')).toBe('Appeal Disposed');
    expect(plan.appealSteps).toHaveLength(2);
  });

  describe('on its own clock', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('moves a step every stepMs once started, and stops when stopped', () => {
      const timed = new SandboxOfficers(store, plan, 1_000);
      register('A');
      timed.start();
      timed.start(); // a second start does not add a second clock

      jest.advanceTimersByTime(999);
      expect(statusOf('A')).toBe('New');
      jest.advanceTimersByTime(1);
      expect(historyOf('A')).toEqual(['Examining #0']);
      jest.advanceTimersByTime(1_000);
      expect(historyOf('A')).toEqual(['Examining #0', 'Transferred #0']);

      timed.stop();
      jest.advanceTimersByTime(10_000);
      expect(historyOf('A')).toEqual(['Examining #0', 'Transferred #0']);
    });

    it.each([0, -5])('schedules nothing with stepMs %d', (stepMs) => {
      const off = new SandboxOfficers(store, plan, stepMs);
      register('A');

      off.start();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(60_000);

      expect(statusOf('A')).toBe('New');
      expect(historyOf('A')).toEqual([]);
    });
  });

  it('forgets scripts on reset, so a registration is assigned a fresh one', () => {
    register('A');
    for (let i = 0; i < 3; i++) officers.tick();
    expect(statusOf('A')).toBe('Disposed #0');

    officers.reset();
    officers.tick();

    // A is treated as new again: it got a script and moved its first step. (Which script is the
    // plan's business: the numbering is not asserted across a reset.)
    expect(historyOf('A')).toEqual([
      'Examining #0',
      'Transferred #0',
      'Disposed #0',
      expect.stringMatching(/^(Examining|Rejected) #\d+$/),
    ]);
  });

  it('drops queued steps on reset, together with a store reset', () => {
    register('A');
    officers.tick();
    store.reset();
    officers.reset();
    register('A2');

    // With the old work kept, tick would try to move A, which the store no longer has, and throw.
    expect(() => officers.tick()).not.toThrow();
    expect(historyOf('A2')).toEqual([expect.stringMatching(/^(Examining|Rejected) #\d+$/)]);
  });
});
