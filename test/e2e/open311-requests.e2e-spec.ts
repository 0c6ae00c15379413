import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { lucknowForm, parseOpen311Xml, partnerKey } from '../support/open311';
import { staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const V2 = '/open311/v2';

describe('Open311 POST requests: a civic app files through the hub (GeoReport v2)', () => {
  let hub: TestHub;
  let key: string;
  let appId: string;
  beforeAll(async () => {
    hub = await startTestHub();
    ({ key, id: appId } = await partnerKey(hub));
  });
  afterAll(() => hub.close());

  const post = (form: Record<string, string>, format = 'xml') =>
    request(hub.url).post(`${V2}/requests.${format}`).type('form').send(form);
  const errorsOf = (text: string) =>
    parseOpen311Xml(text).errors.error as unknown as { code: string; description: string }[];

  it('takes the spec example as a form and answers its service_requests list in XML', async () => {
    const res = await post(lucknowForm(key));
    if (res.status !== 201) console.log(res.status, res.text);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const [answer] = parseOpen311Xml(res.text).service_requests.request;
    expect(Object.keys(answer)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(answer.service_request_id).toMatch(/^ONOP-/);
    expect(answer.service_notice).toContain('Uttar Pradesh IGRS');
    expect(answer.account_id).toBe('');
    expect(answer).not.toHaveProperty('token');
  });

  it('stores the grievance as a native one: same routing, delivery and SLA, channel and app recorded', async () => {
    const res = await post(lucknowForm(key), 'json').expect(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [{ service_request_id: trackingId }] = res.body;
    const stored = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId },
      include: { dispatches: true },
    });
    expect(stored).toMatchObject({
      channel: 'open311',
      partnerAppId: appId,
      category: 'MUNICIPAL_SERVICES',
      stateCode: '09',
      districtCode: '162',
      pincode: '226010',
      primaryPortalCode: 'UP-IGRS',
      subject: 'Sinkhole on the main road',
    });
    expect(stored.slaDueAt).toBeInstanceOf(Date);
    expect(stored.description).toContain('Photo: https://example.in/photos/2212426634.jpg');
    await waitFor(
      async () =>
        (await hub.prisma.dispatch.findFirstOrThrow({ where: { complaintId: stored.id } }))
          .status === 'DELIVERED',
      { what: 'delivery to UP IGRS' },
    );
    // Its updates follow the grievance: delivered is mySociety's action_scheduled.
    const updates = await request(hub.url)
      .get(`${V2}/servicerequestupdates.json`)
      .expect(200)
      .then((r) =>
        (r.body as { service_request_id: string; status: string; external_status_code: string }[])
          .filter((u) => u.service_request_id === trackingId)
          .map((u) => [u.external_status_code, u.status]),
      );
    expect(updates).toEqual(
      expect.arrayContaining([
        ['RECEIVED', 'open'],
        ['DELIVERED', 'action_scheduled'],
      ]),
    );
    const [view] = (await request(hub.url).get(`${V2}/requests/${trackingId}.json`).expect(200))
      .body;
    expect(view).toMatchObject({
      status: 'open',
      status_notes: 'Lodged with the responsible portal.',
    });
    const audit = await hub.prisma.auditEntry.findFirstOrThrow({
      where: { action: 'open311.request', target: trackingId },
    });
    expect(audit).toMatchObject({ outcome: 'ok', role: 'partner-app' });
    expect(audit.actor).toContain(appId);
  });

  it('finds the district from lat/long alone (nearest post office), and its PIN code', async () => {
    const form: Record<string, string> = lucknowForm(key, { jurisdiction_id: '' });
    delete form.zipcode;
    const res = await post(form, 'json').expect(201);
    const stored = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body[0].service_request_id },
    });
    expect(stored).toMatchObject({ stateCode: '09', districtCode: '162' });
    expect(stored.pincode).toMatch(/^226\d{3}$/);
  });

  it.each([
    ['no api_key', { api_key: '' }, 403, 'api_key is required'],
    ['an unknown api_key', { api_key: 'gpk_not-a-key' }, 403, 'Invalid api_key received'],
    ['no service_code', { service_code: '' }, 400, 'service_code was not provided'],
    ['an unknown service_code', { service_code: 'POTHOLES' }, 404, 'service_code was not found'],
    [
      'an unknown jurisdiction_id',
      { jurisdiction_id: 'city.gov' },
      404,
      'jurisdiction_id was not found',
    ],
    [
      'no location at all',
      { lat: '', long: '', address_string: '', zipcode: '' },
      400,
      'A location is required',
    ],
    ['lat without long', { long: '' }, 400, 'lat and long must be sent together'],
    [
      'an address the hub cannot place',
      { lat: '', long: '', zipcode: '' },
      400,
      'zipcode or lat/long is required',
    ],
    [
      'a PIN code no post office has',
      { zipcode: '999999', lat: '', long: '' },
      400,
      'zipcode 999xxx is not in the post office directory',
    ],
    [
      'a PIN code of another state',
      { zipcode: '400001' },
      400,
      'zipcode 400xxx is not in jurisdiction_id 09',
    ],
    [
      'a point at sea',
      { lat: '10.0', long: '65.0', zipcode: '', jurisdiction_id: '' },
      400,
      'more than 20 km from any Indian post office',
    ],
    ['no phone', { phone: '' }, 400, 'phone: mobile is required'],
    ['no name', { first_name: '', last_name: '' }, 400, 'first_name/last_name: name is required'],
    [
      'an attribute the service lacks',
      { 'attribute[WHISPAWN]': '123456' },
      400,
      'attribute[WHISPAWN] is not an attribute',
    ],
    [
      'a description over 4,000 characters',
      { description: 'x'.repeat(4001) },
      400,
      'limited to 4000',
    ],
  ])(
    'refuses %s with the spec error list and stores nothing',
    async (_what, change, status, message) => {
      const before = await hub.prisma.complaint.count();
      const res = await post(lucknowForm(key, change as Record<string, string>)).expect(status);
      const errors = errorsOf(res.text);
      expect(errors).toContainEqual({
        code: String(status),
        description: expect.stringContaining(message),
      });
      expect(await hub.prisma.complaint.count()).toBe(before);
      // Never the citizen's data in a refusal.
      expect(res.text).not.toMatch(/9876543210|Asha|asha@example/);
    },
  );

  it('names every problem of one request at once', async () => {
    const res = await post(
      lucknowForm(key, { service_code: '', description: '', lat: '91' }),
    ).expect(400);
    expect(errorsOf(res.text).map((e) => e.description)).toEqual([
      'service_code was not provided',
      'lat must be a WGS84 decimal degree (-90 to 90)',
      'description is required',
    ]);
  });

  it('records a refused api_key in the audit log, without the key', async () => {
    await post(lucknowForm('gpk_wrong-key-for-audit')).expect(403);
    const denied = await hub.prisma.auditEntry.findMany({
      where: { action: 'open311.request', outcome: 'denied' },
    });
    expect(denied.length).toBeGreaterThan(0);
    expect(JSON.stringify(denied)).not.toContain('gpk_wrong-key-for-audit');
  });

  it('a partner key on the native API records the app; an unknown one is 401', async () => {
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .set('X-Api-Key', key)
      .send(lucknowStreetlight())
      .expect(201);
    const stored = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body.trackingId },
    });
    expect(stored).toMatchObject({ channel: 'api', partnerAppId: appId });
    const refused = await request(hub.url)
      .post('/api/v1/complaints')
      .set('X-Api-Key', 'gpk_unknown')
      .send(lucknowStreetlight())
      .expect(401);
    expect(refused.body.type).toMatch(/partner-key-invalid$/);
  });

  it('counts a partner app against its own limit, not its address', async () => {
    const { key: small } = await partnerKey(hub, 2, 'Small app');
    const list = (k?: string) => {
      const r = request(hub.url).get(`${V2}/requests.json`);
      return k ? r.set('X-Api-Key', k) : r;
    };
    await list(small).expect(200);
    await list(small).expect(200);
    const limited = await list(small).expect(429);
    expect(limited.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(limited.body[0].code).toBe(429);
    // Same address, no key: its own (large) limit is untouched.
    await list().expect(200);
  });

  it('admins issue partner keys over the staff API; staff may not', async () => {
    const body = {
      name: 'Nagrik Seva app',
      rateLimitPerMinute: 120,
      consentDeclaration: 'The app asks each citizen to agree before it files for them.',
    };
    await request(hub.url)
      .post('/api/v1/staff/partner-apps')
      .set('Authorization', `Bearer ${await staffKey(hub, 'staff')}`)
      .send(body)
      .expect(403);
    const admin = await staffKey(hub, 'admin');
    const created = await request(hub.url)
      .post('/api/v1/staff/partner-apps')
      .set('Authorization', `Bearer ${admin}`)
      .send(body)
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Nagrik Seva app', rateLimitPerMinute: 120 });
    expect(created.body.key).toMatch(/^gpk_/);
    await post(lucknowForm(created.body.key)).expect(201);
    await request(hub.url)
      .post(`/api/v1/staff/partner-apps/${created.body.id}/revoke`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200, { revoked: 1 });
    await post(lucknowForm(created.body.key)).expect(403);
  });
});
