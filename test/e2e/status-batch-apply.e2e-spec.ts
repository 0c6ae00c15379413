import { StatusProcessor } from '../../src/inbound/status.processor';
import { lucknowStreetlight } from '../support/fixtures';
import { lodgeDelivered, settled, signedPush, type Lodged } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** One scripted portal event: UP IGRS native status, seconds after the base time. */
interface Step {
  native: string;
  second: number;
  remarks?: string;
  transferredTo?: string;
}

const ok = 'Checked on site by the ward engineer';
/** Pushed (and applied) before the batch: the state a late or deferred event meets. */
const SCENARIOS: { name: string; before: Step[]; steps: Step[] }[] = [
  {
    name: 'work, then resolved',
    before: [],
    steps: [
      { native: 'Prakriyadheen', second: 1 },
      { native: 'Nistarit', second: 2, remarks: ok },
    ],
  },
  {
    name: 'rejected, then closed',
    before: [],
    steps: [
      { native: 'Prakriyadheen', second: 1 },
      { native: 'Special Closure', second: 2, remarks: ok },
      { native: 'Closed', second: 3 },
    ],
  },
  {
    name: 'transferred to CPGRAMS, then the old portal resolves it',
    before: [],
    steps: [
      { native: 'Prakriyadheen', second: 1 },
      { native: 'Not Pertaining', second: 2, transferredTo: 'CPGRAMS' },
      { native: 'Nistarit', second: 3, remarks: ok },
    ],
  },
  {
    name: 'a move inside the same portal',
    before: [],
    steps: [
      { native: 'Transferred', second: 1, transferredTo: 'Ministry of Power' },
      { native: 'Prakriyadheen', second: 2 },
    ],
  },
  {
    name: 'late event',
    before: [{ native: 'Nistarit', second: 5, remarks: ok }],
    steps: [{ native: 'Prakriyadheen', second: 2 }],
  },
  {
    name: 'same status twice',
    before: [],
    steps: [
      { native: 'Prakriyadheen', second: 1 },
      { native: 'Agrasarit', second: 2 },
    ],
  },
  {
    name: 'deferred closure applied after its resolution arrives',
    before: [{ native: 'Closed', second: 3 }],
    steps: [{ native: 'Nistarit', second: 2, remarks: ok }],
  },
  {
    name: 'appeal, resolved again, closed',
    before: [],
    steps: [
      { native: 'Nistarit', second: 1, remarks: ok },
      { native: 'Re-examination Requested', second: 2 },
      { native: 'Nistarit', second: 3, remarks: 'Resolved again after the appeal' },
      { native: 'Closed', second: 4 },
    ],
  },
  {
    name: 'resolved, reopened, rejected',
    before: [],
    steps: [
      { native: 'Nistarit', second: 1, remarks: ok },
      { native: 'Reopened', second: 2 },
      { native: 'Vishesh Nistaran', second: 3, remarks: ok },
    ],
  },
];
const COPIES = 3;

/**
 * A large batch across many grievances (transfers, closures, late and deferred events mixed,
 * shuffled) applies exactly as the same events pushed one at a time per grievance.
 */
describe('status events applied in batches', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  // Set once every grievance is lodged: no portal event can predate its grievance.
  let base = 0;
  const event = (group: string, g: number, k: number, c: Lodged, s: Step) => ({
    eventId: `eq-${group}-${g}-${k}`,
    externalRef: c.externalRef,
    status: s.native,
    occurredAt: new Date(base + s.second * 1_000).toISOString(),
    ...(s.remarks && { remarks: s.remarks }),
    ...(s.transferredTo && { transferredTo: s.transferredTo }),
  });

  async function lodgeAll(n: number): Promise<Lodged[]> {
    const out: Lodged[] = [];
    for (let i = 0; i < n; i += 9)
      out.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(9, n - i) }, () =>
            lodgeDelivered(hub, lucknowStreetlight()),
          ),
        )),
      );
    return out;
  }

  /** What the citizen and staff can see of a grievance, with per-run references taken out. */
  async function outcome(c: Lodged) {
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: c.trackingId },
      include: {
        statusEvents: { orderBy: [{ occurredAt: 'asc' }, { recordedAt: 'asc' }] },
        dispatches: { orderBy: { createdAt: 'asc' } },
      },
    });
    const notifications = await hub.prisma.notification.findMany({
      where: { complaintId: row.id },
    });
    const inbound = await hub.prisma.inboundEvent.findMany({
      where: { complaintId: row.id },
      orderBy: { eventId: 'asc' },
    });
    return {
      status: row.status,
      statusAt: row.statusAt,
      primaryPortalCode: row.primaryPortalCode,
      slaDueAt: row.slaDueAt?.getTime() === new Date(c.view.slaDueAt).getTime(),
      resolvedAt: row.resolvedAt,
      resolvedByPortal: row.resolvedByPortal,
      resolutionRemarks: row.resolutionRemarks,
      closedAt: row.closedAt,
      appealedAt: row.appealedAt,
      appealDueAt: row.appealDueAt,
      timeline: row.statusEvents
        .filter((e) => e.source.startsWith('portal:') && e.status !== 'DELIVERED')
        .map((e) => [e.status, e.source, e.remarks, e.occurredAt.toISOString()]),
      dispatches: row.dispatches.map((d) => [d.portalCode, d.primary, d.status]),
      notifications: notifications.map((n) => n.kind).sort(),
      outcomes: inbound.map((e) => [e.eventId.split('-').pop(), e.outcome]),
    };
  }

  it('applies one shuffled batch exactly as one-by-one pushes would', async () => {
    const n = SCENARIOS.length * COPIES;
    const [batched, single] = [await lodgeAll(n), await lodgeAll(n)];
    base = Date.now();
    const scenario = (g: number) => SCENARIOS[g % SCENARIOS.length];

    // The same earlier state for both groups.
    const before = [
      ...batched.flatMap((c, g) => scenario(g).before.map((s, k) => event('pa', g, k, c, s))),
      ...single.flatMap((c, g) => scenario(g).before.map((s, k) => event('pb', g, k, c, s))),
    ];
    await signedPush(hub, 'UP-IGRS', { events: before }).expect(202);
    await settled(hub);

    // One group: one event per grievance per request, waiting for each to be applied.
    const rounds = Math.max(...SCENARIOS.map((s) => s.steps.length));
    for (let k = 0; k < rounds; k++) {
      await Promise.all(
        single.map(async (c, g) => {
          const s = scenario(g).steps[k];
          if (s) await signedPush(hub, 'UP-IGRS', event('b', g, k, c, s)).expect(202);
        }),
      );
      await settled(hub);
    }

    // The other: everything in one shuffled batch.
    const all = batched.flatMap((c, g) => scenario(g).steps.map((s, k) => event('a', g, k, c, s)));
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const shuffled = all
      .map((e) => ({ e, r: random() }))
      .sort((x, y) => x.r - y.r)
      .map((x) => x.e);
    const res = await signedPush(hub, 'UP-IGRS', { events: shuffled }).expect(202);
    expect(res.body).toMatchObject({ accepted: all.length, rejected: 0 });
    await settled(hub);
    // Transfers go out through the intake path: wait until the new portal has registered them.
    await waitFor(
      async () => (await hub.prisma.dispatch.count({ where: { status: 'PENDING' } })) === 0,
      { what: 'transferred grievances registered' },
    );

    for (let g = 0; g < n; g++) {
      const [a, b] = [await outcome(batched[g]), await outcome(single[g])];
      expect({ scenario: scenario(g).name, ...a }).toEqual({ scenario: scenario(g).name, ...b });
    }
    // Spot checks that the scenarios did what they say.
    const transfer = await outcome(batched[2]);
    expect(transfer).toMatchObject({ primaryPortalCode: 'CPGRAMS', slaDueAt: true });
    expect(transfer.dispatches).toEqual([
      ['UP-IGRS', false, 'DELIVERED'],
      ['CPGRAMS', true, 'DELIVERED'],
    ]);
    expect(transfer.outcomes.map((o) => o[1])).toEqual(['applied', 'applied', 'other-portal']);
    expect((await outcome(batched[4])).outcomes.map((o) => o[1])).toEqual(['late', 'applied']);
    expect((await outcome(batched[6])).outcomes.map((o) => o[1])).toEqual([
      'applied',
      'applied-after-reorder',
    ]);
    expect((await outcome(batched[7])).notifications).toEqual([
      'appeal-resolved',
      'registered',
      'resolved',
    ]);

    // A rerun of the whole batch changes nothing.
    const ids = (
      await hub.prisma.inboundEvent.findMany({
        where: { eventId: { startsWith: 'eq-a-' } },
        select: { id: true },
      })
    ).map((r) => r.id);
    const timeline = await hub.prisma.statusEvent.count();
    expect(await hub.app.get(StatusProcessor).apply(ids)).toBe('already-processed');
    expect(await hub.prisma.statusEvent.count()).toBe(timeline);
  }, 240_000);
});
