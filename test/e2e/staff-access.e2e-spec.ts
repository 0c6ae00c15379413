import { openQueue } from '../../src/platform/queue/open-queue';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { dispatchJobId, dispatchQueueName } from '../../src/platform/queue/queue-names';
import { DispatchQueues } from '../../src/dispatch/dispatch-queues.service';
import { DAY_MS, insertGrievance, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const asha = {
  name: 'Asha Verma',
  mobile: '9876543210',
  email: 'asha@example.in',
  address: 'House 14, Sector 12',
};

// The project's testTimeout does not reach these tests (Jest 30 reads it globally only).
jest.setTimeout(60_000);

describe('staff access: keys, roles, audit, masked views, retry, operations', () => {
  let hub: TestHub;
  let staff: string;
  let admin: string;
  beforeAll(async () => {
    hub = await startTestHub();
    staff = await staffKey(hub, 'staff', 'Meera (DARPG desk)');
    admin = await staffKey(hub, 'admin', 'Ravi (hub admin)');
  });
  afterAll(() => hub.close());

  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  const audit = () => hub.prisma.auditEntry.findMany({ orderBy: { at: 'asc' } });

  it.each([
    ['no key', {}],
    ['an unknown key', auth('ghk_not-a-real-key')],
    ['a malformed header', { Authorization: 'Token abc' }],
  ])('refuses %s with 401 problem+json', async (_name, headers) => {
    for (const path of [
      '/api/v1/sla/summary',
      '/api/v1/staff/complaints',
      '/api/v1/staff/portals',
    ]) {
      const res = await request(hub.url).get(path).set(headers).expect(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('refuses a revoked key', async () => {
    const key = await staffKey(hub, 'staff', 'leaver');
    await request(hub.url).get('/api/v1/staff/portals').set(auth(key)).expect(200);
    const prefix = `ghk_${key.slice(4, 12)}`;
    expect(await hub.app.get(ApiKeysService).revoke(prefix)).toBe(1);
    await request(hub.url).get('/api/v1/staff/portals').set(auth(key)).expect(401);
  });

  it('gives staff 403 on admin actions, and audits the refusal', async () => {
    const { trackingId, dispatchId } = await insertGrievance(hub, {
      createdAt: new Date(),
      complainant: asha,
    });
    const retry = await request(hub.url)
      .post(`/api/v1/staff/dispatches/${dispatchId}/retry`)
      .set(auth(staff))
      .expect(403);
    expect(retry.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await request(hub.url)
      .post(`/api/v1/staff/complaints/${trackingId}/unmask`)
      .set(auth(staff))
      .send({ reason: 'call back' })
      .expect(403);
    await request(hub.url).get('/admin/queues').set(auth(staff)).expect(403);
    const denied = (await audit()).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => [e.actor, e.target])).toEqual([
      ['Meera (DARPG desk)', dispatchId],
      ['Meera (DARPG desk)', trackingId],
      ['Meera (DARPG desk)', null],
    ]);
  });

  it('masks personal data in staff views; an admin unmask is audited with its reason', async () => {
    const { trackingId } = await insertGrievance(hub, { createdAt: new Date(), complainant: asha });
    const list = await request(hub.url)
      .get(`/api/v1/staff/complaints?q=${trackingId}`)
      .set(auth(staff))
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].complainant).toEqual({
      name: 'A*** V****',
      mobile: '******3210',
      email: 'a***@example.in',
      address: '[masked]',
    });
    const detail = await request(hub.url)
      .get(`/api/v1/staff/complaints/${trackingId}`)
      .set(auth(staff))
      .expect(200);
    expect(JSON.stringify([list.body, detail.body])).not.toMatch(/Asha|Verma|9876543210|House 14/);

    const byMobile = await request(hub.url)
      .get('/api/v1/staff/complaints?q=9876543210')
      .set(auth(staff))
      .expect(200);
    expect(byMobile.body.items.map((i: { trackingId: string }) => i.trackingId)).toContain(
      trackingId,
    );
    // Written as citizens write it: the same grievance.
    const byFormatted = await request(hub.url)
      .get(`/api/v1/staff/complaints?q=${encodeURIComponent('+91 98765 43210')}`)
      .set(auth(staff))
      .expect(200);
    expect(byFormatted.body.items.map((i: { trackingId: string }) => i.trackingId)).toContain(
      trackingId,
    );

    const clear = await request(hub.url)
      .post(`/api/v1/staff/complaints/${trackingId}/unmask`)
      .set(auth(admin))
      .send({ reason: 'Citizen asked for a call back' })
      .expect(200);
    expect(clear.body.complainant).toEqual(asha);
    const entries = (await audit()).filter((e) => e.target === trackingId);
    expect(entries.map((e) => [e.action, e.actor, e.outcome])).toEqual([
      ['staff.view-complaint', 'Meera (DARPG desk)', 'ok'],
      ['pii.unmask', 'Ravi (hub admin)', 'ok'],
    ]);
    expect(entries[1].detail).toMatchObject({ reason: 'Citizen asked for a call back' });
    // The mobile searched for is not kept in the audit trail.
    expect(JSON.stringify(await audit())).not.toContain('9876543210');
    expect(hub.logs.join('\n')).not.toMatch(/Asha|Verma|9876543210|House 14/);
  });

  it('keeps no mobile number in the audit trail, however it was written', async () => {
    const spellings = [
      ' 9876543210',
      '+ 91 9876543210',
      '+91-98765-43210',
      '091 98765 43210',
      '(+91) 98765 43210',
      '98765.43210',
      'mobile:9876543210',
    ];
    const before = (await audit()).length;
    for (const q of spellings)
      await request(hub.url)
        .get(`/api/v1/staff/complaints?q=${encodeURIComponent(q)}`)
        .set(auth(staff))
        .expect(200);
    // Refused queries are audited too, with what was sent.
    await request(hub.url)
      .get('/api/v1/staff/complaints?mobile=9876543210')
      .set(auth(staff))
      .expect(400);
    await request(hub.url)
      .get(`/api/v1/staff/complaints?q=${encodeURIComponent('Asha Verma')}`)
      .set(auth(staff))
      .expect(200);
    const entries = (await audit()).slice(before);
    expect(entries).toHaveLength(spellings.length + 2);
    const digits = JSON.stringify(entries.map((e) => e.detail)).replace(/[^0-9]/g, '');
    expect(digits).not.toContain('9876543210');
    expect(JSON.stringify(entries)).not.toMatch(/98765|43210|Asha|Verma/);
    expect(entries.map((e) => (e.detail as { query: { q?: string } }).query.q)).toEqual([
      ...spellings.map(() => '[mobile number]'),
      undefined,
      '[free text]',
    ]);
  });

  it('audits one entry per request with a server-made request id, the client’s beside it', async () => {
    const before = (await audit()).length;
    const responses = [];
    for (let i = 0; i < 2; i++)
      responses.push(
        await request(hub.url)
          .get('/api/v1/staff/portals')
          .set(auth(staff))
          .set('X-Request-Id', 'client-chosen-0001')
          .expect(200),
      );
    const entries = (await audit()).slice(before);
    expect(entries.map((e) => e.clientRequestId)).toEqual([
      'client-chosen-0001',
      'client-chosen-0001',
    ]);
    expect(entries.map((e) => e.requestId)).toEqual(
      responses.map((r) => r.headers['x-request-id']),
    );
    for (const e of entries) expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entries[0].requestId).not.toBe(entries[1].requestId);
    // The request's log lines carry both.
    const logged = hub.logs.find((line) => line.includes(entries[0].requestId!));
    expect(logged).toContain('"clientRequestId":"client-chosen-0001"');
  });

  it('answers an unmask of an unknown or erased grievance with problem+json', async () => {
    const unmask = (trackingId: string) =>
      request(hub.url)
        .post(`/api/v1/staff/complaints/${trackingId}/unmask`)
        .set(auth(admin))
        .send({ reason: 'Citizen asked for a call back' });
    const hidden = await request(hub.url)
      .post('/api/v1/staff/complaints/ZZZZ-ZZZZ-ZZZZ-ZZZZ/unmask')
      .set(auth(admin))
      .send({ reason: 'Call back \u202Enow' })
      .expect(400);
    expect(hidden.body.errors).toEqual([
      { path: 'reason', message: expect.stringContaining('U+202E') },
    ]);
    const unknown = await unmask('ZZZZ-ZZZZ-ZZZZ-ZZZZ').expect(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ status: 404 });
    const erased = await insertGrievance(hub, { createdAt: new Date(), complainant: null });
    const res = await unmask(erased.trackingId).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 409,
      type: expect.stringMatching(/personal-data-erased$/),
    });
  });

  it('lets an admin re-queue a failed delivery, removing the finished job with the same id', async () => {
    const g = await insertGrievance(hub, {
      portal: 'UP-IGRS',
      category: 'MUNICIPAL_SERVICES',
      createdAt: new Date(),
      deliveredAt: null,
      dispatchStatus: 'DISPATCH_FAILED',
      status: 'DISPATCH_FAILED',
      complainant: asha,
    });
    // A job for this dispatch already ran and ended (it found the row settled): its id is taken.
    await hub.app
      .get(DispatchQueues)
      .add([{ dispatchId: g.dispatchId, portalCode: 'UP-IGRS', correlationId: 'old' }]);
    const queue = openQueue(hub.config.env, dispatchQueueName('UP-IGRS'));
    await waitFor(
      async () =>
        (await (await queue.getJob(dispatchJobId(g.dispatchId)))?.getState()) === 'completed',
      { what: 'the old job to finish' },
    );
    await queue.close();

    const res = await request(hub.url)
      .post(`/api/v1/staff/dispatches/${g.dispatchId}/retry`)
      .set(auth(admin))
      .expect(202);
    expect(res.body).toEqual({
      dispatchId: g.dispatchId,
      portalCode: 'UP-IGRS',
      status: 'PENDING',
    });
    const delivered = await waitFor(
      async () => {
        const d = await hub.prisma.dispatch.findUnique({ where: { id: g.dispatchId } });
        return d?.status === 'DELIVERED' ? d : null;
      },
      { what: 'the retried dispatch to be delivered' },
    );
    expect(delivered.externalRef).toBeTruthy();
    const events = await hub.prisma.statusEvent.findMany({
      where: { complaintId: g.id },
      orderBy: { recordedAt: 'asc' },
    });
    expect(events.map((e) => [e.status, e.source])).toEqual(
      expect.arrayContaining([
        ['ROUTED', 'staff'],
        ['DELIVERED', 'portal:UP-IGRS'],
      ]),
    );
    await request(hub.url)
      .post(`/api/v1/staff/dispatches/${g.dispatchId}/retry`)
      .set(auth(admin))
      .expect(409);
    // One entry per request.
    expect(
      (await audit())
        .filter((e) => e.action === 'dispatch.retry' && e.target === g.dispatchId)
        .map((e) => e.outcome),
    ).toEqual(['ok', 'error:409']);
  });

  it('shows each portal link: last delivery, failure rate, circuit, backlog', async () => {
    const res = await request(hub.url).get('/api/v1/staff/portals').set(auth(staff)).expect(200);
    expect(res.body.map((p: { portalCode: string }) => p.portalCode)).toEqual([
      'CPGRAMS',
      'UP-IGRS',
      'MH-AAPLESARKAR',
    ]);
    expect(res.body[1]).toMatchObject({
      circuit: 'closed',
      lastDeliveryAt: expect.any(String),
      backlog: { pendingDispatches: expect.any(Number) },
    });
  });

  it('serves health, metrics and an admin-only queue board', async () => {
    await request(hub.url).get('/health/live').expect(200);
    const ready = await request(hub.url).get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({
      postgresql: { status: 'up' },
      redis: { status: 'up' },
    });
    expect(Object.keys({ ...ready.body.info, ...ready.body.details })).toEqual(
      expect.arrayContaining(['portal:CPGRAMS', 'portal:UP-IGRS']),
    );
    const metrics = await request(hub.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/hub_deliveries_total\{portal="UP-IGRS",outcome="delivered"\} \d/);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    // Every queue the hub runs reports its depth, not only delivery's.
    for (const queue of [
      'dispatch-UP-IGRS',
      'sla',
      'status-sync',
      'status-poll',
      'notifications',
      'portal-requests',
      'lifecycle',
      'cluster-links',
    ])
      expect(metrics.text).toMatch(
        new RegExp(`hub_queue_jobs\\{queue="${queue}",state="waiting"\\}`),
      );
    await request(hub.url).get('/admin/queues').expect(401).expect('WWW-Authenticate', /Basic/);
    const board = await request(hub.url).get('/admin/queues').auth('ravi', admin).expect(200);
    expect(board.text).toMatch(/<html/i);
    // The board shows every queue the hub runs, not only delivery's.
    const listed = await request(hub.url)
      .get('/admin/queues/api/queues')
      .auth('ravi', admin)
      .expect(200);
    expect(
      (listed.body as { queues: { name: string }[] }).queues.map((q) => q.name).sort(),
    ).toEqual([
      'cluster-links',
      'dispatch-CPGRAMS',
      'dispatch-MH-AAPLESARKAR',
      'dispatch-UP-IGRS',
      'lifecycle',
      'notifications',
      'portal-requests',
      'sla',
      'status-poll',
      'status-sync',
    ]);
  });

  it('filters staff search to overdue grievances', async () => {
    const old = await insertGrievance(hub, {
      createdAt: new Date(Date.now() - 40 * DAY_MS),
      slaDueAt: new Date(Date.now() - 19 * DAY_MS),
    });
    const overdue = await request(hub.url)
      .get('/api/v1/staff/complaints?overdue=true')
      .set(auth(staff))
      .expect(200);
    expect(overdue.body.items.map((i: { trackingId: string }) => i.trackingId)).toContain(
      old.trackingId,
    );
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    await request(hub.url)
      .get('/api/v1/staff/complaints?overdue=maybe')
      .set(auth(staff))
      .expect(400);
  });

  it('pages staff search newest first and refuses a cursor it did not give', async () => {
    const now = Date.now();
    const inserted = [];
    for (const daysAgo of [3, 2, 1])
      inserted.push(
        await insertGrievance(hub, {
          districtCode: '661', // Hapur: no other grievance of this file is there
          createdAt: new Date(now - daysAgo * DAY_MS),
        }),
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(hub.url)
        .get(`/api/v1/staff/complaints?district=661&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(staff))
        .expect(200);
      seen.push(...res.body.items.map((i: { trackingId: string }) => i.trackingId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(inserted.map((g) => g.trackingId).reverse());

    const uuid = '0f5e7c3a-9a4b-4c1d-8e2f-1a2b3c4d5e6f';
    const forged = [
      'yesterday|not-an-id',
      `2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`,
      `+275760-09-13T00:00:00.000Z|${uuid}`,
      `-100000-01-01T00:00:00.000Z|${uuid}`,
      `0000-01-01T00:00:00.000Z|${uuid}`,
      `2026-02-31T00:00:00.000Z|${uuid}`,
      `2026-01-01T00:00:00.000Z|${uuid}|extra`,
    ].map((text) => Buffer.from(text).toString('base64url'));
    const logged = hub.logs.length;
    for (const cursor of forged)
      for (const path of ['/api/v1/staff/complaints', '/api/v1/sla/breaches']) {
        const res = await request(hub.url)
          .get(`${path}?cursor=${cursor}`)
          .set(auth(staff))
          .expect(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.errors).toEqual([
          { path: 'cursor', message: 'is not a cursor this API gave' },
        ]);
      }
    expect(hub.logs.slice(logged).join('\n')).not.toMatch(/"stack"|"level":50/);
  });

  it('splits staff search by overdue: a grievance with no deadline yet is not overdue', async () => {
    const now = Date.now();
    // Not yet delivered: no deadline (sla_due_at NULL), unresolved.
    const undelivered = await insertGrievance(hub, {
      status: 'ROUTED',
      createdAt: new Date(now - DAY_MS),
      deliveredAt: null,
      slaDueAt: null,
    });
    const pastDue = await insertGrievance(hub, {
      createdAt: new Date(now - 40 * DAY_MS),
      slaDueAt: new Date(now - 10 * DAY_MS),
    });
    const resolvedLate = await insertGrievance(hub, {
      status: 'RESOLVED',
      createdAt: new Date(now - 40 * DAY_MS),
      slaDueAt: new Date(now - 10 * DAY_MS),
      resolvedAt: new Date(now - 5 * DAY_MS),
    });
    const found = async (trackingId: string, overdue: boolean) => {
      const res = await request(hub.url)
        .get(`/api/v1/staff/complaints?overdue=${overdue}&q=${trackingId}`)
        .set(auth(staff))
        .expect(200);
      return res.body.items.map((i: { trackingId: string; overdue: boolean }) => [
        i.trackingId,
        i.overdue,
      ]);
    };
    expect(await found(undelivered.trackingId, false)).toEqual([[undelivered.trackingId, false]]);
    expect(await found(undelivered.trackingId, true)).toEqual([]);
    expect(await found(pastDue.trackingId, true)).toEqual([[pastDue.trackingId, true]]);
    expect(await found(pastDue.trackingId, false)).toEqual([]);
    expect(await found(resolvedLate.trackingId, false)).toEqual([[resolvedLate.trackingId, false]]);
    expect(await found(resolvedLate.trackingId, true)).toEqual([]);
  });
});
