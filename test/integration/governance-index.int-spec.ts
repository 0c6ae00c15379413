import { randomUUID } from 'node:crypto';
import { ReadDatabase } from '../../src/platform/database/read-database';
import { GovernanceIndexRepository, indicators } from '../../src/sla/governance-index.repository';
import { GovernanceIndexService } from '../../src/sla/governance-index.service';
import { SlaRollupRepository } from '../../src/sla/sla-rollup.repository';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { useMedium } from '../support/medium';
import { insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: the District Governance Index's SQL (GovernanceIndexRepository) on a private
 * database, against counts worked out by hand, and the service that scores them.
 */
describe('District Governance Index: indicators per district and month', () => {
  const medium = useMedium();
  let repository: GovernanceIndexRepository;
  let rollup: SlaRollupRepository;

  // IST wall-clock instants.
  const ist = (local: string) => new Date(`${local}+05:30`);
  const event = (g: { id: string }, status: string, at: string, source = 'portal:UP-IGRS') => medium
    .prisma.$executeRaw`
    INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
    VALUES (${randomUUID()}::uuid, ${g.id}::uuid, ${status}::"ComplaintStatus", ${source},
      'UP-IGRS', ${ist(at)})`;

  beforeAll(async () => {
    const reads = new ReadDatabase(medium.prisma, false);
    rollup = new SlaRollupRepository(medium.prisma, reads, medium.config);
    repository = new GovernanceIndexRepository(reads, rollup, medium.config);
    const agra = { portal: 'UP-IGRS', stateCode: '09', districtCode: '118' };
    // Agra, October 2026 (received in the IST month):
    // disposed in 3 days, on time, rated 5.
    await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-05T10:00:00'),
      slaDueAt: ist('2026-10-12T10:00:00'),
      resolvedAt: ist('2026-10-08T10:00:00'),
      feedbackRating: 5,
    });
    // Rejected late after 14 days, rated 2, appealed; the appellate level reopened it: upheld.
    const upheld = await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-06T10:00:00'),
      slaDueAt: ist('2026-10-13T10:00:00'),
      resolvedAt: ist('2026-10-20T10:00:00'),
      feedbackRating: 2,
      appealedAt: ist('2026-10-22T10:00:00'),
    });
    await event(upheld, 'REJECTED', '2026-10-20T10:00:00'); // before the appeal: not its outcome
    await event(upheld, 'APPEALED', '2026-10-22T10:00:00', 'citizen');
    await event(upheld, 'CLOSED', '2026-10-23T10:00:00', 'hub'); // the hub's entry: no decision
    await event(upheld, 'APPEALED', '2026-11-23T10:00:00', 'sla'); // appeal-breach entry
    await event(upheld, 'IN_PROGRESS', '2026-10-25T10:00:00');
    await event(upheld, 'RESOLVED', '2026-10-28T10:00:00'); // the first decision counts
    // Open past its deadline, transferred twice (one grievance transferred).
    const transferred = await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-07T10:00:00'),
      slaDueAt: ist('2026-10-14T10:00:00'),
    });
    await event(transferred, 'TRANSFERRED', '2026-10-08T10:00:00');
    await event(transferred, 'TRANSFERRED', '2026-10-09T10:00:00');
    // The lifecycle keeps the first transfer's time on the grievance (status-batch-plan.ts).
    await medium.prisma.$executeRaw`
      UPDATE complaints SET transferred_at = ${ist('2026-10-08T10:00:00')} WHERE id = ${transferred.id}::uuid`;
    // Another citizen reported the same problem (issue 15's clusters): the transferred grievance
    // joined the cluster the upheld one started. A repeat: one; the cluster's first is not.
    await medium.prisma.$executeRaw`
      UPDATE complaints SET cluster_id = ${upheld.id}::uuid
      WHERE id IN (${upheld.id}::uuid, ${transferred.id}::uuid)`;
    // Disposed in 2 days, appealed, appeal rejected: decided, not upheld.
    const rejected = await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-08T10:00:00'),
      slaDueAt: ist('2026-10-15T10:00:00'),
      resolvedAt: ist('2026-10-10T10:00:00'),
      appealedAt: ist('2026-10-12T10:00:00'),
    });
    await event(rejected, 'REJECTED', '2026-10-20T10:00:00');
    // Appealed, not decided yet.
    await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-09T10:00:00'),
      slaDueAt: ist('2026-10-16T10:00:00'),
      resolvedAt: ist('2026-10-16T10:00:00'),
      appealedAt: ist('2026-10-18T10:00:00'),
    });
    // 1 October 00:30 IST (30 September in UTC): October; open, deadline ahead.
    await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-10-01T00:30:00'),
      slaDueAt: ist('2099-01-01T00:00:00'),
    });
    // 1 November 01:30 IST (31 October in UTC): November.
    await insertGrievance(medium, {
      ...agra,
      createdAt: ist('2026-11-01T01:30:00'),
      slaDueAt: ist('2026-11-08T01:30:00'),
      resolvedAt: ist('2026-11-02T01:30:00'),
    });
    // Not counted: no district; a district of another state stored under UP; another state.
    await insertGrievance(medium, {
      portal: 'UP-IGRS',
      stateCode: '09',
      districtCode: null,
      createdAt: ist('2026-10-05T10:00:00'),
    });
    await insertGrievance(medium, {
      ...agra,
      districtCode: '188',
      createdAt: ist('2026-10-05T10:00:00'),
    });
    await insertGrievance(medium, {
      stateCode: '10',
      districtCode: '188',
      createdAt: ist('2026-10-05T10:00:00'),
    });
    // Aligarh, September 2026: one grievance, disposed on time in 1 day.
    await insertGrievance(medium, {
      ...agra,
      districtCode: '119',
      createdAt: ist('2026-09-10T10:00:00'),
      slaDueAt: ist('2026-09-17T10:00:00'),
      resolvedAt: ist('2026-09-11T10:00:00'),
    });
  });

  it('counts each district and IST month received as worked out by hand', async () => {
    // The counts per grievance come from the SLA rollup, as the refresh job keeps it.
    await new SlaRollupService(rollup).rebuild();
    const rows = await repository.districtMonths('09', '2026-09-01', '2026-11-01');
    expect(rows).toEqual([
      {
        key: '119',
        month: '2026-09-01',
        received: 1,
        disposed: 1,
        disposedWithin: 1,
        openPastDue: 0,
        medianDaysToDispose: 1,
        ratings: 0,
        meanRating: null,
        appealed: 0,
        appealsDecided: 0,
        appealsUpheld: 0,
        transferred: 0,
        repeated: 0,
      },
      {
        key: '118',
        month: '2026-10-01',
        received: 6,
        disposed: 4, // 3, 14, 2 and 7 days
        disposedWithin: 3, // the 14-day one was late
        openPastDue: 1,
        medianDaysToDispose: 5, // between 3 and 7
        ratings: 2,
        meanRating: 3.5,
        appealed: 3,
        appealsDecided: 2,
        appealsUpheld: 1,
        transferred: 1,
        repeated: 1,
      },
      {
        key: '118',
        month: '2026-11-01',
        received: 1,
        disposed: 1,
        disposedWithin: 1,
        openPastDue: 0,
        medianDaysToDispose: 1,
        ratings: 0,
        meanRating: null,
        appealed: 0,
        appealsDecided: 0,
        appealsUpheld: 0,
        transferred: 0,
        repeated: 0,
      },
    ]);
  });

  it('turns the counts into indicator values', async () => {
    const [october] = await repository.districtMonths('09', '2026-10-01', '2026-10-01');
    expect(indicators(october)).toEqual({
      key: '118',
      received: 6,
      values: {
        disposalRate: 66.7, // 4 of 6
        withinDeadline: 60, // 3 of (4 disposed + 1 open past due)
        medianDaysToDispose: 5,
        satisfaction: 3.5,
        appealRate: 75, // 3 appealed of 4 disposed
        appealsUpheld: 50, // 1 of 2 decided
        repeatRate: 16.7, // 1 of 6 joined another citizen's report of the same problem
        transferRate: 16.7, // 1 of 6
      },
    });
  });

  it('scores every district of the state, with the trend against the month before', async () => {
    const service = new GovernanceIndexService(
      { ...medium.config, governanceIndex: { ...medium.config.governanceIndex, minGrievances: 1 } },
      repository,
    );
    const october = await service.index('09', '2026-10');
    expect(october).toMatchObject({ month: '2026-10', previousMonth: '2026-09' });
    const upDistricts = medium.config.jurisdictions.districts.filter((d) => d.stateCode === '09');
    expect(october.districts).toHaveLength(upDistricts.length);
    // The only district with grievances in October ranks first; the others are unranked.
    expect(october.districts[0]).toMatchObject({
      key: '118',
      label: { en: 'Agra' },
      rank: 1,
      score: 100,
      trend: { previousRank: null, rankChange: null },
    });
    expect(october.districts.slice(1).every((d) => d.unranked === 'too-few-grievances')).toBe(true);
    const september = await service.index('09', '2026-09');
    expect(september.districts.find((d) => d.key === '119')).toMatchObject({ rank: 1 });
    const aligarhInOctober = october.districts.find((d) => d.key === '119');
    expect(aligarhInOctober).toMatchObject({
      received: 0,
      rank: null,
      trend: { previousRank: 1, previousScore: 100, rankChange: null },
    });
  });
});
