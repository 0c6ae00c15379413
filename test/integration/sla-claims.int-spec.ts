import { LifecycleRepository } from '../../src/lifecycle/lifecycle.repository';
import {
  APPEAL_BREACH,
  SLA_REMINDER,
  SlaActionsRepository,
  type LevelAction,
} from '../../src/sla/sla-actions.repository';
import { useMedium } from '../support/medium';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: claiming SLA levels (SlaActionsRepository) on a private database. A level is
 * claimed once ever per grievance, and its timeline entry and portal reminder are written with
 * the claim or not at all.
 */
describe('SLA level claims', () => {
  const medium = useMedium();
  let repository: SlaActionsRepository;
  beforeAll(() => {
    repository = new SlaActionsRepository(medium.prisma, new LifecycleRepository(medium.prisma));
  });

  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS);
  const overdue = () =>
    insertGrievance(medium, { createdAt: at(22), deliveredAt: at(22), slaDueAt: at(1) });

  const breach = (g: { id: string; dispatchId: string }, extra: Partial<LevelAction> = {}) =>
    ({
      complaintId: g.id,
      level: 'breach',
      final: true,
      portalCode: 'CPGRAMS',
      timelineRemarks: 'SLA breached: no redressal within 21 days',
      reminder: {
        outcome: 'queued',
        dispatchId: g.dispatchId,
        correlationId: `sla-breach-${g.id}`,
      },
      ...extra,
    }) satisfies LevelAction;

  async function writtenFor(complaintId: string) {
    const actions = await medium.prisma.slaAction.findMany({
      where: { complaintId },
      include: { portalRequest: true },
      orderBy: { level: 'asc' },
    });
    const timeline = await medium.prisma.statusEvent.findMany({
      where: { complaintId, source: 'sla' },
    });
    const requests = await medium.prisma.portalRequest.count({ where: { complaintId } });
    const { status } = await medium.prisma.complaint.findUniqueOrThrow({
      where: { id: complaintId },
    });
    return { actions, timeline, requests, status };
  }

  it('claims a level once when several scans claim it at the same time', async () => {
    const g = await overdue();
    const claimed = await Promise.all(Array.from({ length: 5 }, () => repository.claim(breach(g))));
    expect(claimed.filter(Boolean)).toHaveLength(1);

    const w = await writtenFor(g.id);
    expect(w.actions).toHaveLength(1);
    expect(w.actions[0]).toMatchObject({ level: 'breach', final: true, reminder: 'queued' });
    expect(w.actions[0].portalRequest).toMatchObject({
      kind: SLA_REMINDER,
      dispatchId: g.dispatchId,
      correlationId: `sla-breach-${g.id}`,
      state: 'PENDING',
    });
    expect(w.requests).toBe(1);
    expect(w.timeline.map((e) => [e.status, e.remarks])).toEqual([
      ['DELIVERED', 'SLA breached: no redressal within 21 days'],
    ]);
    expect(w.status).toBe('DELIVERED'); // the timeline says it; the status does not move

    expect(await repository.claim(breach(g))).toBe(false);
  });

  it('claims each level of a grievance once, apart from the others', async () => {
    const g = await overdue();
    const warning = breach(g, {
      level: 'warning',
      final: false,
      timelineRemarks: null,
      reminder: {
        outcome: 'queued',
        dispatchId: g.dispatchId,
        correlationId: `sla-warning-${g.id}`,
      },
    });
    expect(await Promise.all([repository.claim(warning), repository.claim(breach(g))])).toEqual([
      true,
      true,
    ]);
    const w = await writtenFor(g.id);
    expect(w.actions.map((a) => a.level)).toEqual(['breach', 'warning']);
    expect(w.requests).toBe(2);
    expect(w.timeline).toHaveLength(1); // the warning writes no timeline entry
  });

  it('records a level without a reminder when there is nothing to remind', async () => {
    const g = await overdue();
    expect(
      await repository.claim(breach(g, { reminder: { outcome: 'none: no portal reference' } })),
    ).toBe(true);
    const w = await writtenFor(g.id);
    expect(w.actions.map((a) => [a.reminder, a.portalRequestId])).toEqual([
      ['none: no portal reference', null],
    ]);
    expect(w.requests).toBe(0);
  });

  it('leaves no level claimed when its reminder cannot be written, so a later scan can', async () => {
    const g = await overdue();
    await expect(
      repository.claim(
        breach(g, {
          reminder: { outcome: 'queued', dispatchId: 'not-a-uuid', correlationId: 'x' },
        }),
      ),
    ).rejects.toThrow();
    expect(await writtenFor(g.id)).toMatchObject({ actions: [], timeline: [], requests: 0 });

    expect(await repository.claim(breach(g))).toBe(true);
  });

  it('offers an overdue grievance as a candidate until its final level is claimed', async () => {
    const g = await overdue();
    const notDue = await insertGrievance(medium, { createdAt: at(2), slaDueAt: at(-19) });
    const resolved = await insertGrievance(medium, {
      status: 'RESOLVED',
      createdAt: at(30),
      slaDueAt: at(9),
      resolvedAt: at(5),
    });
    const ids = async () => (await repository.candidates(new Date(), null, 1_000)).map((c) => c.id);

    const before = await ids();
    expect(before).toContain(g.id);
    expect(before).not.toContain(notDue.id);
    expect(before).not.toContain(resolved.id);
    const candidate = (await repository.candidates(new Date(), null, 1_000)).find(
      (c) => c.id === g.id,
    );
    expect(candidate).toMatchObject({ dispatchId: g.dispatchId, done: [] });

    await repository.claim(breach(g, { level: 'warning', final: false }));
    const warned = (await repository.candidates(new Date(), null, 1_000)).find(
      (c) => c.id === g.id,
    );
    expect(warned?.done).toEqual(['warning']);

    await repository.claim(breach(g));
    expect(await ids()).not.toContain(g.id);
  });

  it('lists an appeal past its deadline until its appeal-breach level is claimed', async () => {
    const g = await insertGrievance(medium, {
      status: 'APPEALED',
      createdAt: at(60),
      resolvedAt: at(40),
      appealedAt: at(31),
    });
    await medium.prisma.complaint.update({ where: { id: g.id }, data: { appealDueAt: at(1) } });
    const listed = async () =>
      (await repository.overdueAppeals(new Date(), 1_000)).map((a) => a.id);
    expect(await listed()).toContain(g.id);

    await repository.claim(breach(g, { level: APPEAL_BREACH }));
    expect(await listed()).not.toContain(g.id);
  });
});
