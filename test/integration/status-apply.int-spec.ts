import { SlaService } from '../../src/sla/sla.service';
import { StatusProcessor } from '../../src/inbound/status.processor';
import { StatusSyncRepository } from '../../src/inbound/status-sync.repository';
import { useMedium } from '../support/medium';
import { insertInboundEvent } from '../support/medium-fixtures';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: applying stored portal events (StatusProcessor over StatusSyncRepository) on a
 * private database, without the hub, its queues or its workers.
 */
describe('applying inbound status events', () => {
  const medium = useMedium();
  let processor: StatusProcessor;
  beforeAll(() => {
    processor = new StatusProcessor(
      medium.config,
      new StatusSyncRepository(medium.prisma),
      new SlaService(medium.config),
    );
  });

  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS);
  const delivered = () =>
    insertGrievance(medium, {
      portal: 'UP-IGRS',
      category: 'MUNICIPAL_SERVICES',
      createdAt: at(10),
      slaDueAt: at(-20),
    });

  async function stateOf(complaintId: string) {
    const c = await medium.prisma.complaint.findUniqueOrThrow({
      where: { id: complaintId },
      include: {
        statusEvents: {
          where: { source: { startsWith: 'portal:' } },
          orderBy: { occurredAt: 'asc' },
        },
      },
    });
    const notifications = await medium.prisma.notification.count({ where: { complaintId } });
    const inbound = await medium.prisma.inboundEvent.findMany({
      where: { complaintId },
      orderBy: { occurredAt: 'asc' },
    });
    return {
      status: c.status,
      timeline: c.statusEvents.map((e) => e.status),
      outcomes: inbound.map((e) => [e.status, e.outcome, e.processedAt !== null]),
      notifications,
    };
  }

  it('applies events in the order they happened, whatever order their ids come in, once', async () => {
    const g = await delivered();
    const resolved = await insertInboundEvent(medium.prisma, g, {
      status: 'RESOLVED',
      occurredAt: at(1),
    });
    const started = await insertInboundEvent(medium.prisma, g, {
      status: 'IN_PROGRESS',
      occurredAt: at(2),
    });

    expect(await processor.apply([resolved, started])).toBe('applied:2');
    const after = await stateOf(g.id);
    expect(after).toMatchObject({
      status: 'RESOLVED',
      timeline: ['IN_PROGRESS', 'RESOLVED'],
      outcomes: [
        ['IN_PROGRESS', 'applied', true],
        ['RESOLVED', 'applied', true],
      ],
    });
    expect(after.notifications).toBeGreaterThan(0);

    // A rerun of the same job (a retry after a crash) finds nothing pending and writes nothing.
    expect(await processor.apply([resolved, started])).toBe('already-processed');
    expect(await stateOf(g.id)).toEqual(after);
  });

  it('a transfer leaves the new portal its dispatch waiting for the relay, with the event correlation id', async () => {
    const g = await delivered();
    const transfer = await insertInboundEvent(medium.prisma, g, {
      status: 'TRANSFERRED',
      occurredAt: at(1),
      transferredTo: 'CPGRAMS',
    });

    expect(await processor.apply([transfer])).toBe('applied:1');
    const dispatches = await medium.prisma.dispatch.findMany({
      where: { complaintId: g.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(dispatches).toMatchObject([
      { id: g.dispatchId, portalCode: 'UP-IGRS', primary: false },
      {
        portalCode: 'CPGRAMS',
        primary: true,
        status: 'PENDING',
        queuedAt: null,
        correlationId: `medium-${transfer}`,
      },
    ]);
  });

  it('keeps the earliest transfer on the grievance, across batches, applied or not', async () => {
    const g = await delivered();
    const transferredAt = async () =>
      (
        await medium.prisma.complaint.findUniqueOrThrow({
          where: { id: g.id },
          select: { transferredAt: true },
        })
      ).transferredAt;
    const transfer = (occurredAt: Date) =>
      insertInboundEvent(medium.prisma, g, {
        status: 'TRANSFERRED',
        occurredAt,
        transferredTo: 'Ministry of Power', // not a portal: a move inside UP-IGRS
      });
    const [earliest, first, later] = [at(4), at(3), at(2)];
    expect(await processor.apply([await transfer(first)])).toBe('applied:1');
    expect(await transferredAt()).toEqual(first);
    // A later one in another batch does not move it.
    await processor.apply([await transfer(later)]);
    expect(await transferredAt()).toEqual(first);
    // An earlier one arriving late (kept on the timeline, not applied) moves it back.
    await processor.apply([await transfer(earliest)]);
    const state = await stateOf(g.id);
    expect(state.timeline).toEqual(['TRANSFERRED', 'TRANSFERRED', 'TRANSFERRED']);
    expect(state.outcomes[0][1]).not.toBe('applied');
    expect(await transferredAt()).toEqual(earliest);
  });

  it('keeps an event not allowed yet, and applies it when its predecessor arrives', async () => {
    const g = await delivered();
    const closed = await insertInboundEvent(medium.prisma, g, {
      status: 'CLOSED',
      occurredAt: at(1),
    });
    await processor.apply([closed]);
    expect(await stateOf(g.id)).toMatchObject({
      status: 'DELIVERED',
      timeline: ['CLOSED'],
      outcomes: [['CLOSED', 'not-allowed', true]],
    });

    const resolved = await insertInboundEvent(medium.prisma, g, {
      status: 'RESOLVED',
      occurredAt: at(2),
    });
    await processor.apply([resolved]);
    // RESOLVED, then the kept CLOSED applies on its existing timeline entry (not a second one).
    expect(await stateOf(g.id)).toMatchObject({
      status: 'CLOSED',
      timeline: ['RESOLVED', 'CLOSED'],
      outcomes: [
        ['RESOLVED', 'applied', true],
        ['CLOSED', 'applied-after-reorder', true],
      ],
    });
  });

  it.each([
    ['REJECTED first', ['REJECTED', 'RESOLVED']],
    ['RESOLVED first', ['RESOLVED', 'REJECTED']],
  ])(
    'decides two events at the same instant the same way whichever job comes first (%s)',
    async (_name, order) => {
      const g = await delivered();
      const instant = at(1);
      for (const status of order) {
        const id = await insertInboundEvent(medium.prisma, g, { status, occurredAt: instant });
        await processor.apply([id]); // each event in a job of its own
      }
      // They happened together; RESOLVED is later in the lifecycle and could follow DELIVERED.
      const after = await stateOf(g.id);
      expect(after.status).toBe('RESOLVED');
      expect(after.timeline).toEqual(expect.arrayContaining(['REJECTED', 'RESOLVED']));
    },
  );

  it.each([
    ['the transfer first', ['TRANSFERRED', 'RESOLVED']],
    ['the resolution first', ['RESOLVED', 'TRANSFERRED']],
  ])(
    'a transfer to another portal and a resolution at the same instant end transferred (%s)',
    async (_name, order) => {
      const g = await delivered();
      const instant = at(1);
      for (const status of order) {
        const id = await insertInboundEvent(medium.prisma, g, {
          status,
          occurredAt: instant,
          transferredTo: status === 'TRANSFERRED' ? 'CPGRAMS' : undefined,
        });
        await processor.apply([id]); // each event in a job of its own
      }
      // The transfer wins (docs/status-sync.md, ties): the old portal's resolution is history.
      const c = await medium.prisma.complaint.findUniqueOrThrow({ where: { id: g.id } });
      expect(c).toMatchObject({
        status: 'TRANSFERRED',
        statusAt: instant,
        statusFrom: 'DELIVERED',
        primaryPortalCode: 'CPGRAMS',
        resolvedAt: null,
        resolvedByPortal: null,
        resolutionRemarks: null,
      });
      const dispatches = await medium.prisma.dispatch.findMany({
        where: { complaintId: g.id },
        orderBy: { createdAt: 'asc' },
      });
      expect(dispatches.map((d) => [d.portalCode, d.primary])).toEqual([
        ['UP-IGRS', false],
        ['CPGRAMS', true],
      ]);
      const after = await stateOf(g.id);
      expect(after.timeline).toEqual(expect.arrayContaining(['TRANSFERRED', 'RESOLVED']));
      const kinds = await medium.prisma.notification.findMany({
        where: { complaintId: g.id },
        select: { kind: true },
      });
      expect(kinds.map((n) => n.kind)).toContain('transferred');
    },
  );

  it('applies each event once when batches sharing grievances run at the same time', async () => {
    const grievances = await Promise.all(Array.from({ length: 6 }, () => delivered()));
    const ids: string[] = [];
    for (const g of grievances) {
      ids.push(
        await insertInboundEvent(medium.prisma, g, { status: 'IN_PROGRESS', occurredAt: at(3) }),
        await insertInboundEvent(medium.prisma, g, { status: 'RESOLVED', occurredAt: at(2) }),
      );
    }
    // Four jobs over overlapping halves of the events: every grievance is in several.
    const half = ids.length / 2;
    await Promise.all([
      processor.apply(ids.slice(0, half + 2)),
      processor.apply(ids.slice(half - 2)),
      processor.apply([...ids].reverse()),
      processor.apply(ids),
    ]);

    for (const g of grievances) {
      expect(await stateOf(g.id)).toMatchObject({
        status: 'RESOLVED',
        timeline: ['IN_PROGRESS', 'RESOLVED'],
        outcomes: [
          ['IN_PROGRESS', 'applied', true],
          ['RESOLVED', 'applied', true],
        ],
      });
    }
  });

  it('writes nothing when planning fails, and the events stay pending for the retry', async () => {
    const g = await delivered();
    const id = await insertInboundEvent(medium.prisma, g, {
      status: 'IN_PROGRESS',
      occurredAt: at(1),
    });
    const before = await stateOf(g.id);
    await expect(
      new StatusSyncRepository(medium.prisma).applyPending([id], () => {
        throw new Error('planner bug');
      }),
    ).rejects.toThrow('planner bug');
    expect(await stateOf(g.id)).toEqual(before);
    expect(await processor.apply([id])).toBe('applied:1');
  });
});
