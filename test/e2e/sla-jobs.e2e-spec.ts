import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { PiiCipher } from '../../src/platform/crypto/pii-cipher';
import { openQueue } from '../../src/platform/queue/open-queue';
import { SLA_JOBS, SLA_QUEUE } from '../../src/platform/queue/queue-names';
import { HubMetrics } from '../../src/platform/metrics/metrics.service';
import { PrivacyRepository } from '../../src/privacy/privacy.repository';
import { PrivacyService } from '../../src/privacy/privacy.service';
import { SlaEscalationService } from '../../src/sla/sla-escalation.service';
import { SlaRollupService } from '../../src/sla/sla-rollup.service';
import { railwayRefund } from '../support/fixtures';
import { DAY_MS, insertGrievance, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const asha = { name: 'Asha Verma', mobile: '9876543210', email: null, address: 'House 14' };

// The project's testTimeout does not reach these tests (Jest 30 reads it globally only).
jest.setTimeout(60_000);

describe('SLA jobs: escalation once per level, transfers, retention, key rotation', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  async function lodgeDelivered() {
    const res = await request(hub.url).post('/api/v1/complaints').send(railwayRefund()).expect(201);
    return waitFor(
      () =>
        hub.prisma.complaint.findFirst({
          where: { trackingId: res.body.trackingId, status: 'DELIVERED' },
          include: { dispatches: true },
        }),
      { what: 'delivery at CPGRAMS' },
    );
  }

  function waitForRemindersSent(complaintId: string, count: number) {
    return waitFor(
      async () => {
        const sent = await hub.prisma.portalRequest.count({
          where: { complaintId, kind: 'sla-reminder', state: 'SENT' },
        });
        return sent === count || undefined;
      },
      { what: `${count} SLA reminder(s) sent` },
    );
  }

  it('acts once per grievance and level: reminder, breach timeline entry, metric; status unchanged', async () => {
    const c = await lodgeDelivered();
    // 22 of 21 days have passed: warning and breach are both due.
    await hub.prisma.$executeRaw`UPDATE complaints SET delivered_at = now() - interval '22 days',
      sla_due_at = now() - interval '1 day' WHERE id = ${c.id}::uuid`;
    const scan = hub.app.get(SlaEscalationService);
    await Promise.all([scan.scan(), scan.scan()]);
    await scan.scan();

    const actions = await hub.prisma.slaAction.findMany({
      where: { complaintId: c.id },
      orderBy: { level: 'asc' },
      include: { portalRequest: true },
    });
    expect(actions.map((a) => [a.level, a.final, a.reminder])).toEqual([
      ['breach', true, 'queued'],
      ['warning', false, 'queued'],
    ]);
    // Each level's reminder is a portal request written with the claim, forwarded by the queue.
    expect(actions.map((a) => a.portalRequest)).toEqual([
      expect.objectContaining({ kind: 'sla-reminder', correlationId: `sla-breach-${c.id}` }),
      expect.objectContaining({ kind: 'sla-reminder', correlationId: `sla-warning-${c.id}` }),
    ]);
    await waitForRemindersSent(c.id, 2);
    const registration = hub.sandboxes.CPGRAMS.registrations().find(
      (r) => r.externalRef === c.dispatches[0].externalRef,
    );
    expect(registration?.reminders).toHaveLength(2);
    const slaEvents = await hub.prisma.statusEvent.findMany({
      where: { complaintId: c.id, source: 'sla' },
    });
    expect(slaEvents).toHaveLength(1);
    expect(slaEvents[0]).toMatchObject({
      status: 'DELIVERED',
      remarks: expect.stringMatching(/^SLA breached/),
    });
    expect((await hub.prisma.complaint.findUnique({ where: { id: c.id } }))?.status).toBe(
      'DELIVERED',
    );
    const metrics = await hub.app.get(HubMetrics).scrape();
    expect(metrics).toMatch(/hub_sla_breaches_total\{portal="CPGRAMS"\} 1/);
  });

  /**
   * Past its deadline (warning and breach due) while CPGRAMS is down: scans, waits until both
   * reminders have failed an attempt, runs `whileDown`, then brings the portal back.
   */
  async function breachWhileCpgramsDown(complaintId: string, whileDown?: () => Promise<unknown>) {
    await hub.prisma.$executeRaw`UPDATE complaints SET delivered_at = now() - interval '22 days',
      sla_due_at = now() - interval '1 day' WHERE id = ${complaintId}::uuid`;
    hub.sandboxes.CPGRAMS.injectFaults({ down: true });
    try {
      await hub.app.get(SlaEscalationService).scan();
      await waitFor(
        async () =>
          (await hub.prisma.portalRequest.count({
            where: { complaintId, state: 'PENDING', attempts: { gte: 1 } },
          })) === 2 || undefined,
        { what: 'both reminders to have failed an attempt' },
      );
      await whileDown?.();
    } finally {
      hub.sandboxes.CPGRAMS.injectFaults({});
    }
  }

  it('keeps retrying a reminder while the portal is down, and sends it once it is back', async () => {
    const c = await lodgeDelivered();
    await breachWhileCpgramsDown(c.id);
    await waitForRemindersSent(c.id, 2);
    const registration = hub.sandboxes.CPGRAMS.registrations().find(
      (r) => r.externalRef === c.dispatches[0].externalRef,
    );
    expect(registration?.reminders).toHaveLength(2);
    // Staff see each level with how sending its reminder went.
    const detail = await request(hub.url)
      .get(`/api/v1/staff/complaints/${c.trackingId}`)
      .set('Authorization', `Bearer ${await staffKey(hub, 'staff')}`)
      .expect(200);
    expect(detail.body.slaActions).toEqual([
      expect.objectContaining({
        reminder: 'queued',
        portalRequest: expect.objectContaining({ state: 'SENT', attempts: expect.any(Number) }),
      }),
      expect.objectContaining({
        reminder: 'queued',
        portalRequest: expect.objectContaining({ state: 'SENT' }),
      }),
    ]);
    expect(
      (detail.body.slaActions as { portalRequest: { attempts: number } }[]).every(
        (a) => a.portalRequest.attempts >= 2,
      ),
    ).toBe(true);
  });

  it('does not send a reminder that waited out an outage once the grievance is resolved', async () => {
    const c = await lodgeDelivered();
    // Resolved at the portal while its reminders wait for it.
    await breachWhileCpgramsDown(
      c.id,
      () =>
        hub.prisma.$executeRaw`UPDATE complaints SET status = 'RESOLVED',
        resolved_at = now() WHERE id = ${c.id}::uuid`,
    );
    const settled = await waitFor(
      async () => {
        const rows = await hub.prisma.portalRequest.findMany({ where: { complaintId: c.id } });
        return rows.every((r) => r.state !== 'PENDING') ? rows : undefined;
      },
      { what: 'the reminders to settle' },
    );
    expect(settled.map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED']);
    const registration = hub.sandboxes.CPGRAMS.registrations().find(
      (r) => r.externalRef === c.dispatches[0].externalRef,
    );
    expect(registration?.reminders ?? []).toHaveLength(0);
  });

  it('acts on every grievance when one belongs to a portal no longer configured', async () => {
    const gone = await lodgeDelivered();
    const open = await lodgeDelivered();
    // An older grievance whose portal was removed from config/portals.yaml, its appeal overdue;
    // and an ordinary grievance past its deadline, later in the scan's order.
    await hub.prisma.$executeRaw`UPDATE complaints SET primary_portal_code = 'RETIRED-PORTAL',
      status = 'APPEALED', resolved_at = now() - interval '40 days',
      appealed_at = now() - interval '31 days', appeal_due_at = now() - interval '1 day'
      WHERE id = ${gone.id}::uuid`;
    await hub.prisma.$executeRaw`UPDATE complaints SET delivered_at = now() - interval '22 days',
      sla_due_at = now() - interval '1 day' WHERE id = ${open.id}::uuid`;

    await hub.app.get(SlaEscalationService).scan();

    const actions = await hub.prisma.slaAction.findMany({
      where: { complaintId: { in: [gone.id, open.id] } },
      orderBy: [{ complaintId: 'asc' }, { level: 'asc' }],
    });
    expect(
      actions.filter((a) => a.complaintId === gone.id).map((a) => [a.level, a.reminder]),
    ).toEqual([['appeal-breach', 'none: portal not configured']]);
    expect(actions.filter((a) => a.complaintId === open.id).map((a) => a.level)).toEqual([
      'breach',
      'warning',
    ]);
  });

  it('records an appeal left undecided past its own deadline once, with a reminder and a metric', async () => {
    const c = await lodgeDelivered();
    // Resolved, appealed 31 days ago: the 30-day appeal deadline passed yesterday.
    await hub.prisma.$executeRaw`UPDATE complaints SET status = 'APPEALED',
      resolved_at = now() - interval '40 days', appealed_at = now() - interval '31 days',
      appeal_due_at = now() - interval '1 day' WHERE id = ${c.id}::uuid`;
    const scan = hub.app.get(SlaEscalationService);
    await Promise.all([scan.scan(), scan.scan()]);
    await scan.scan();

    const actions = await hub.prisma.slaAction.findMany({ where: { complaintId: c.id } });
    expect(actions.map((a) => [a.level, a.reminder])).toEqual([['appeal-breach', 'queued']]);
    await waitForRemindersSent(c.id, 1);
    const slaEvents = await hub.prisma.statusEvent.findMany({
      where: { complaintId: c.id, source: 'sla' },
    });
    expect(slaEvents).toHaveLength(1);
    expect(slaEvents[0]).toMatchObject({
      status: 'APPEALED',
      remarks: expect.stringMatching(/^Appeal SLA breached/),
    });
    const metrics = await hub.app.get(HubMetrics).scrape();
    expect(metrics).toMatch(/hub_sla_levels_total\{portal="CPGRAMS",level="appeal-breach"\} 1/);
  });

  it.each(['TRANSFERRED', 'ROUTED'])(
    'keeps the first deadline when a %s grievance reaches its new portal',
    async (status) => {
      const first = new Date(Date.now() - 10 * DAY_MS);
      const due = new Date(first.getTime() + 21 * DAY_MS);
      const g = await insertGrievance(hub, {
        status,
        portal: 'CPGRAMS',
        category: 'RAILWAYS',
        createdAt: first,
        deliveredAt: first,
        slaDueAt: due,
        complainant: asha,
      });
      // The CPGRAMS dispatch stays as history; the portal it was transferred to gets a new one.
      await hub.prisma.dispatch.update({ where: { id: g.dispatchId }, data: { primary: false } });
      const next = await hub.prisma.dispatch.create({
        data: { complaintId: g.id, portalCode: 'UP-IGRS', primary: true, queuedAt: new Date() },
      });
      await hub.prisma.complaint.update({
        where: { id: g.id },
        data: { primaryPortalCode: 'UP-IGRS' },
      });
      await hub.app
        .get(DispatchQueues)
        .add([{ dispatchId: next.id, portalCode: 'UP-IGRS', correlationId: 'transfer' }]);
      const after = await waitFor(
        () => hub.prisma.complaint.findFirst({ where: { id: g.id, status: 'DELIVERED' } }),
        { what: 'delivery at UP-IGRS' },
      );
      expect(after.slaDueAt?.toISOString()).toBe(due.toISOString());
    },
  );

  it('erases personal data of grievances closed past the retention period and keeps the counts', async () => {
    const long = new Date(Date.now() - (hub.config.env.piiRetentionDays + 30) * DAY_MS);
    const recent = new Date(Date.now() - 5 * DAY_MS);
    const base = { category: 'PASSPORT', status: 'CLOSED', complainant: asha, feedbackRating: 4 };
    // Closed recently at first: the scheduled retention job must not erase it before the test
    // has written the free text and audit entries below; it is back-dated just before erasing.
    const old = await insertGrievance(hub, {
      ...base,
      createdAt: long,
      resolvedAt: long,
      closedAt: recent,
      slaDueAt: long,
    });
    const kept = await insertGrievance(hub, {
      ...base,
      createdAt: recent,
      resolvedAt: recent,
      closedAt: recent,
      slaDueAt: recent,
    });
    const rollup = hub.app.get(SlaRollupService);
    const key = await staffKey(hub, 'staff');
    const summary = async () => {
      await rollup.refresh();
      const res = await request(hub.url)
        .get('/api/v1/sla/summary?groupBy=category')
        .set('Authorization', `Bearer ${key}`)
        .expect(200);
      return res.body.groups.find((g: { key: string }) => g.key === 'PASSPORT');
    };
    const before = await summary();

    // Free text and staff activity that may name the citizen, on both grievances.
    const admin = await staffKey(hub, 'admin');
    for (const g of [old, kept]) {
      await hub.prisma.$executeRaw`
        UPDATE complaints SET subject = 'Passport of Asha Verma held',
          description = 'Asha Verma, 9876543210, House 14: passport held at the office',
          resolution_remarks = 'Called Asha Verma on 9876543210', feedback_comment = 'Thanks, Asha'
        WHERE id = ${g.id}::uuid`;
      await hub.prisma.$executeRaw`
        INSERT INTO status_events (id, complaint_id, status, source, portal_code, remarks, occurred_at)
        VALUES (gen_random_uuid(), ${g.id}::uuid, 'RESOLVED', 'portal:CPGRAMS',
          'CPGRAMS', 'Spoke to Asha Verma at House 14', ${long})`;
      await hub.prisma.$executeRaw`
        INSERT INTO portal_requests (id, complaint_id, dispatch_id, portal_code, kind, reason, correlation_id)
        VALUES (gen_random_uuid(), ${g.id}::uuid, ${g.dispatchId}::uuid, 'CPGRAMS', 'appeal',
          'Asha Verma still has no passport', 'test')`;
      await hub.prisma.$executeRaw`
        INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id, complaint_id,
          native_status, status, occurred_at, remarks, via, raw, correlation_id)
        VALUES (gen_random_uuid(), 'CPGRAMS', ${`ev-${g.id}`}, 'REF', ${g.dispatchId}::uuid, ${g.id}::uuid, 'CLOSED',
          'CLOSED', ${long}, 'Asha Verma satisfied', 'push',
          ${JSON.stringify({ remarks: 'Asha Verma satisfied' })}::jsonb, 'test')`;
      await request(hub.url)
        .post(`/api/v1/staff/complaints/${g.trackingId}/unmask`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ reason: 'Asha Verma called about her passport' })
        .expect(200);
    }
    // An idempotency record past its 24 hours, and a fresh one.
    for (const key of ['retention-key-old', 'retention-key-new'])
      await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .send(railwayRefund())
        .expect(201);
    await hub.prisma.$executeRaw`
      UPDATE idempotency_keys SET created_at = now() - interval '25 hours'
      WHERE key = 'retention-key-old'`;

    // The worker's scheduled retention runs once at start: let that run end first, or under a
    // loaded suite it can come after the grievance below is made eligible and erase it itself.
    const sla = openQueue(hub.config.env, SLA_QUEUE);
    try {
      await waitFor(
        async () =>
          (await sla.getJobs(['completed', 'failed'])).some((j) => j.name === SLA_JOBS.retention),
        { what: "the scheduler's first retention run" },
      );
    } finally {
      await sla.close();
    }
    // The status worker locks a grievance while it applies the portal events inserted above;
    // erasure skips a locked grievance (SKIP LOCKED: the next run takes it), so let it finish.
    await waitFor(
      async () =>
        (await hub.prisma.inboundEvent.count({
          where: { complaintId: { in: [old.id, kept.id] }, processedAt: null },
        })) === 0,
      { what: 'the status worker to apply the inserted events' },
    );
    await hub.prisma.complaint.update({ where: { id: old.id }, data: { closedAt: long } });
    // Exactly the one grievance closed past the retention period; a second pass finds none.
    // Erasure skips a grievance another job holds at that moment (SKIP LOCKED: the next run
    // takes it); under a loaded suite one did, so passes run until it is erased.
    const privacy = hub.app.get(PrivacyService);
    let erasedCount = 0;
    await waitFor(async () => (erasedCount += await privacy.eraseExpired()) > 0, {
      what: 'the erasure of the grievance closed past the retention period',
    });
    expect(erasedCount).toBe(1);
    expect(await privacy.eraseExpired()).toBe(0);
    const textOf = async (id: string, trackingId: string) =>
      JSON.stringify(
        await hub.prisma.$queryRaw`
          SELECT (SELECT row_to_json(c) FROM complaints c WHERE id = ${id}::uuid) AS complaint,
            (SELECT json_agg(e) FROM status_events e WHERE complaint_id = ${id}::uuid) AS events,
            (SELECT json_agg(r) FROM portal_requests r WHERE complaint_id = ${id}::uuid) AS requests,
            (SELECT json_agg(i) FROM inbound_events i WHERE complaint_id = ${id}::uuid) AS inbound,
            (SELECT json_agg(a) FROM audit_log a WHERE target = ${trackingId}) AS audit`,
      );
    const erasedText = await textOf(old.id, old.trackingId);
    expect(erasedText).not.toMatch(/Asha|Verma|9876543210|House 14/);
    expect(erasedText).toContain('pii.unmask'); // the audit entry stays, without the reason
    expect(await textOf(kept.id, kept.trackingId)).toContain('Asha Verma called about');
    expect(
      (
        await hub.prisma.idempotencyKey.findMany({
          where: { key: { startsWith: 'retention-key' } },
        })
      ).map((k) => k.key),
    ).toEqual(['retention-key-new']);
    const rows = await hub.prisma.complaint.findMany({ where: { id: { in: [old.id, kept.id] } } });
    const erased = rows.find((r) => r.id === old.id)!;
    expect(erased).toMatchObject({
      complainantCipher: null,
      mobileLookup: null,
      status: 'CLOSED',
      feedbackRating: 4,
    });
    expect(erased.piiErasedAt).toBeInstanceOf(Date);
    expect(rows.find((r) => r.id === kept.id)?.complainantCipher).not.toBeNull();
    expect(await summary()).toEqual(before);
  });

  it('re-encrypts every envelope under the new key in batches', async () => {
    const g = await insertGrievance(hub, { createdAt: new Date(), complainant: asha });
    const oldCipher = hub.app.get(PiiCipher);
    const newKey = randomBytes(32);
    const rotated = new PiiCipher({
      current: newKey,
      previous: [Buffer.from(hub.config.env.piiEncryptionKey!, 'base64')],
      lookup: Buffer.from(hub.config.env.piiLookupKey!, 'base64'),
    });
    const privacy = new PrivacyService(hub.config, hub.app.get(PrivacyRepository), rotated);
    expect(await privacy.rotate()).toBeGreaterThanOrEqual(1);
    expect(await privacy.rotate()).toBe(0); // nothing left under the old key
    const row = await hub.prisma.complaint.findUnique({ where: { id: g.id } });
    expect(PiiCipher.keyIdOf(row!.complainantCipher!)).toBe(rotated.currentKeyId);
    expect(PiiCipher.keyIdOf(row!.complainantCipher!)).not.toBe(oldCipher.currentKeyId);
    expect(
      new PiiCipher({ current: newKey, previous: [], lookup: randomBytes(32) }).decrypt(
        row!.complainantCipher!,
      ),
    ).toEqual(asha);
  });
});
