import request from 'supertest';
import { lucknowStreetlight, railwayRefund } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

describe('lodge once → routed → delivered at the responsible portal', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());
  afterEach(() => Object.values(hub.sandboxes).forEach((s) => s.reset()));

  async function lodge(body: object) {
    const res = await request(hub.url).post('/api/v1/complaints').send(body).expect(201);
    return res.body as {
      trackingId: string;
      accessToken: string;
      routedTo: { portalCode: string; primary: boolean }[];
    };
  }

  async function delivered(trackingId: string, accessToken: string) {
    return waitFor(
      async () => {
        const res = await request(hub.url)
          .get(`/api/v1/complaints/${trackingId}`)
          .set('X-Access-Token', accessToken);
        return res.body.status === 'DELIVERED' ? res.body : undefined;
      },
      { what: `${trackingId} to be DELIVERED` },
    );
  }

  it('registers a Lucknow streetlight grievance at the UP portal and shows its reference', async () => {
    const created = await lodge(lucknowStreetlight());
    expect(created.routedTo).toEqual([
      expect.objectContaining({ portalCode: 'UP-IGRS', primary: true }),
    ]);

    const view = await delivered(created.trackingId, created.accessToken);
    const upRegistrations = hub.sandboxes['UP-IGRS'].registrations();
    expect(upRegistrations).toHaveLength(1);
    expect(view.dispatches).toEqual([
      expect.objectContaining({
        portalCode: 'UP-IGRS',
        status: 'DELIVERED',
        externalRef: upRegistrations[0].externalRef,
      }),
    ]);
    expect(view.timeline.map((e: { status: string }) => e.status)).toEqual([
      'RECEIVED',
      'ROUTED',
      'DELIVERED',
    ]);
    expect(hub.sandboxes.CPGRAMS.registrations()).toHaveLength(0);
    // The SLA clock starts when the responsible portal has it: 7 days for UP IGRS per config/sla.yaml.
    const days = (Date.parse(view.slaDueAt) - Date.parse(view.timeline[2].at)) / 86_400_000;
    expect(days).toBeCloseTo(
      hub.config.sla.policies.find((p) => p.portal === 'UP-IGRS' && !p.category)!.redressalDays,
      5,
    );
  });

  it('sends a grievance against a central ministry to CPGRAMS, with a CPGRAMS registration number', async () => {
    const created = await lodge(railwayRefund());
    expect(created.routedTo.map((r) => r.portalCode)).toEqual(['CPGRAMS']);
    const view = await delivered(created.trackingId, created.accessToken);
    expect(view.dispatches[0].externalRef).toMatch(/^[A-Z]+\/E\/\d{4}\/\d{7}$/);
    expect(hub.sandboxes['UP-IGRS'].registrations()).toHaveLength(0);
  });

  it('sends an explicit ministry grievance from a UP citizen to CPGRAMS, not to the state', async () => {
    const ministry = hub.config.ministries[0].code;
    const created = await lodge(lucknowStreetlight({ ministryCode: ministry }));
    expect(created.routedTo.map((r) => r.portalCode)).toEqual(['CPGRAMS']);
    const view = await delivered(created.trackingId, created.accessToken);
    expect(view.dispatches[0].externalRef.startsWith(`${ministry}/E/`)).toBe(true);
  });

  it('sends a Maharashtra grievance to the Maharashtra portal', async () => {
    const created = await lodge(
      lucknowStreetlight({
        location: {
          stateCode: '27',
          districtCode: '490',
          pincode: '411001',
          address: 'Shivajinagar, Pune',
        },
      }),
    );
    expect(created.routedTo.map((r) => r.portalCode)).toEqual(['MH-AAPLESARKAR']);
    await delivered(created.trackingId, created.accessToken);
    expect(hub.sandboxes['MH-AAPLESARKAR'].registrations()).toHaveLength(1);
  });

  it('sends a grievance from a state without its own portal to CPGRAMS', async () => {
    const created = await lodge(
      lucknowStreetlight({
        location: {
          stateCode: '10',
          districtCode: null,
          pincode: '800001',
          address: 'Fraser Road, Patna',
        },
      }),
    );
    expect(created.routedTo.map((r) => r.portalCode)).toEqual(['CPGRAMS']);
    await delivered(created.trackingId, created.accessToken);
  });

  it('hides the grievance behind its access token: a wrong token looks like an unknown id', async () => {
    const created = await lodge(lucknowStreetlight());
    const wrong = await request(hub.url)
      .get(`/api/v1/complaints/${created.trackingId}`)
      .set('X-Access-Token', 'nope');
    const unknown = await request(hub.url)
      .get('/api/v1/complaints/ONOP-2222-3333-4444')
      .set('X-Access-Token', created.accessToken);
    const missing = await request(hub.url).get(`/api/v1/complaints/${created.trackingId}`);
    for (const res of [wrong, unknown, missing]) {
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
    }
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('masks the mobile number in the citizen view and returns no other personal data', async () => {
    const created = await lodge(lucknowStreetlight());
    const res = await request(hub.url)
      .get(`/api/v1/complaints/${created.trackingId}`)
      .set('X-Access-Token', created.accessToken);
    expect(res.body.complainant).toEqual({ mobileMasked: '******3210' });
    const text = JSON.stringify(res.body);
    for (const secret of ['9876543210', 'Asha Verma', 'asha.verma@example.in', 'House 14'])
      expect(text).not.toContain(secret);
  });

  it('issues unguessable tracking ids and returns Location and X-Request-Id', async () => {
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(201);
    expect(res.body.trackingId).toMatch(
      /^ONOP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/,
    );
    expect(res.headers.location).toBe(`/api/v1/complaints/${res.body.trackingId}`);
    expect(res.headers['x-request-id']).toBeTruthy();
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body.trackingId },
    });
    expect(row.accessTokenHash).not.toContain(res.body.accessToken);
    expect(row.accessTokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
