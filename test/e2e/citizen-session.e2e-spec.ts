import request from 'supertest';
import { SMS_SENDER, type SmsSender } from '../../src/notifications/sms-sender';
import { lucknowStreetlight, railwayRefund } from '../support/fixtures';
import { lodgeDelivered } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';

const ASHA = '9876543210';
const RAVI = '9123456780';

const pune = (overrides: Record<string, unknown> = {}) =>
  lucknowStreetlight({
    subject: 'Garbage not collected in Shivajinagar',
    description: 'Garbage has not been collected from our lane for ten days.',
    location: {
      stateCode: '27',
      districtCode: '490',
      pincode: '411001',
      address: 'Shivajinagar, Pune',
    },
    ...overrides,
  });
const withMobile = (body: Record<string, unknown>, mobile: string) => ({
  ...body,
  complainant: { ...(body.complainant as object), mobile },
});

describe('a citizen verifies their mobile and sees every grievance lodged with it', () => {
  let hub: TestHub;
  const texts: { mobile: string; text: string }[] = [];
  beforeAll(async () => {
    hub = await startTestHub();
    const sms = hub.app.get<SmsSender>(SMS_SENDER, { strict: false });
    jest.spyOn(sms, 'send').mockImplementation((mobile, text) => {
      texts.push({ mobile, text });
      return Promise.resolve();
    });
  });
  afterAll(() => hub.close());

  const api = () => request(hub.url);
  const lastCode = (mobile: string) =>
    texts
      .flatMap((t) => (t.mobile === mobile && /(\d{6}) is your/.exec(t.text)?.[1]) || [])
      .at(-1)!;
  async function session(mobile: string): Promise<string> {
    await api().post('/api/v1/citizen/otp').send({ mobile }).expect(202);
    const res = await api()
      .post('/api/v1/citizen/session')
      .send({ mobile, otp: lastCode(mobile) })
      .expect(201);
    return (res.body as { token: string }).token;
  }
  const lodge = (body: object, token?: string) => {
    const req = api().post('/api/v1/complaints');
    return (token ? req.set('X-Citizen-Token', token) : req).send(body);
  };

  it('lists the grievances of every portal lodged with the mobile, verified or not', async () => {
    const token = await session(ASHA);
    const up = await lodge(lucknowStreetlight(), token).expect(201);
    const central = await lodge(railwayRefund()).expect(201);
    const mh = await lodge(pune({ complainant: { name: 'Asha', mobile: '+91 98765 43210' } }));
    expect([mh.status, mh.body.errors]).toEqual([201, undefined]);
    await lodge(withMobile(lucknowStreetlight(), RAVI)).expect(201);

    const list = await api()
      .get('/api/v1/citizen/grievances')
      .set('X-Citizen-Token', token)
      .expect(200);
    const byId = new Map(
      (list.body as { trackingId: string }[]).map((g) => [g.trackingId, g] as const),
    );
    expect([...byId.keys()].sort()).toEqual(
      [up.body.trackingId, central.body.trackingId, mh.body.trackingId].sort(),
    );
    expect(byId.get(up.body.trackingId)).toMatchObject({
      portal: { code: 'UP-IGRS' },
      mobileVerified: true,
      status: expect.any(String),
      allowedActions: expect.arrayContaining(['track', 'reissue-access-token']),
    });
    expect(byId.get(central.body.trackingId)).toMatchObject({
      portal: { code: 'CPGRAMS' },
      mobileVerified: false,
    });
    expect(byId.get(mh.body.trackingId)).toMatchObject({ portal: { code: 'MH-AAPLESARKAR' } });
    const rows = await hub.prisma.complaint.findMany({
      where: { trackingId: { in: [up.body.trackingId, central.body.trackingId] } },
      select: { trackingId: true, mobileVerified: true },
    });
    expect(Object.fromEntries(rows.map((r) => [r.trackingId, r.mobileVerified]))).toEqual({
      [up.body.trackingId]: true,
      [central.body.trackingId]: false,
    });
  });

  it('tracks, reminds and re-issues the access token of its own grievances only', async () => {
    const token = await session(ASHA);
    const ravi = await session(RAVI);
    const c = await lodgeDelivered(
      hub,
      withMobile(pune({ subject: 'Water pipe burst on MG Road' }), ASHA),
    );
    const path = `/api/v1/citizen/grievances/${c.trackingId}`;

    const view = await api().get(path).set('X-Citizen-Token', token).expect(200);
    expect(view.body).toMatchObject({ trackingId: c.trackingId, status: 'DELIVERED' });
    const list = await api().get('/api/v1/citizen/grievances').set('X-Citizen-Token', token);
    expect(
      (list.body as { trackingId: string; allowedActions: string[] }[]).find(
        (g) => g.trackingId === c.trackingId,
      )!.allowedActions,
    ).toContain('remind');
    await api().post(`${path}/reminders`).set('X-Citizen-Token', token).expect(202);
    await api().post(`${path}/reminders`).set('X-Citizen-Token', token).expect(429);

    // Another mobile's session is told the grievance does not exist.
    await api().get(path).set('X-Citizen-Token', ravi).expect(404);
    await api().post(`${path}/access-token`).set('X-Citizen-Token', ravi).expect(404);

    const reissued = await api().post(`${path}/access-token`).set('X-Citizen-Token', token);
    expect(reissued.status).toBe(201);
    await api()
      .get(`/api/v1/complaints/${c.trackingId}`)
      .set('X-Access-Token', c.accessToken)
      .expect(404);
    await api()
      .get(`/api/v1/complaints/${c.trackingId}`)
      .set('X-Access-Token', (reissued.body as { accessToken: string }).accessToken)
      .expect(200);
  });

  it('refuses a session of another mobile, and an unknown one, at intake', async () => {
    const ravi = await session(RAVI);
    const other = await lodge(lucknowStreetlight(), ravi).expect(403);
    expect(other.body).toMatchObject({
      type: expect.stringMatching(/citizen-session-other-mobile$/),
    });
    await lodge(lucknowStreetlight(), 'not-a-session').expect(401);
    await api().get('/api/v1/citizen/grievances').expect(401);
  });

  it('answers the same for a mobile with grievances and one without', async () => {
    const known = await api().post('/api/v1/citizen/otp').send({ mobile: ASHA }).expect(202);
    const unknown = await api().post('/api/v1/citizen/otp').send({ mobile: '7000000001' });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const wrong = (mobile: string) =>
      api()
        .post('/api/v1/citizen/session')
        .send({ mobile, otp: '000000' === lastCode(mobile) ? '111111' : '000000' });
    const [a, b] = [await wrong(ASHA), await wrong('7000000001')];
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body.detail).toBe(b.body.detail);
  });

  it('allows three attempts per code, one use, and stores neither code nor mobile', async () => {
    const mobile = '7000000002';
    await api().post('/api/v1/citizen/otp').send({ mobile }).expect(202);
    const code = lastCode(mobile);
    const row = await hub.prisma.citizenOtp.findFirstOrThrow();
    expect(JSON.stringify(await hub.prisma.citizenOtp.findMany())).not.toMatch(
      new RegExp(`${code}|${mobile}`),
    );
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      await api().post('/api/v1/citizen/session').send({ mobile, otp: wrongCode }).expect(401);
    }
    // The right code after three wrong ones: the code is used up.
    await api().post('/api/v1/citizen/session').send({ mobile, otp: code }).expect(401);

    await api().post('/api/v1/citizen/otp').send({ mobile }).expect(202);
    const fresh = lastCode(mobile);
    await api().post('/api/v1/citizen/session').send({ mobile, otp: fresh }).expect(201);
    await api().post('/api/v1/citizen/session').send({ mobile, otp: fresh }).expect(401);
  });

  it('refuses an expired code', async () => {
    const mobile = '7000000003';
    await api().post('/api/v1/citizen/otp').send({ mobile }).expect(202);
    await hub.prisma.citizenOtp.updateMany({ data: { expiresAt: new Date(Date.now() - 1) } });
    await api()
      .post('/api/v1/citizen/session')
      .send({ mobile, otp: lastCode(mobile) })
      .expect(401);
  });

  it('limits code sends per mobile with 429 and Retry-After', async () => {
    const mobile = '7000000004';
    for (let i = 0; i < 3; i++) {
      await api().post('/api/v1/citizen/otp').send({ mobile }).expect(202);
    }
    const limited = await api().post('/api/v1/citizen/otp').send({ mobile }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
  });

  it('rejects a malformed mobile or code with problem+json and sends nothing', async () => {
    const before = texts.length;
    const bad = await api().post('/api/v1/citizen/otp').send({ mobile: '12345' }).expect(400);
    expect(bad.body.errors).toEqual([{ path: 'mobile', message: expect.any(String) }]);
    await api().post('/api/v1/citizen/session').send({ mobile: ASHA, otp: '12ab56' }).expect(400);
    expect(texts.length).toBe(before);
  });

  it('never logs a code or a mobile', () => {
    const codes = texts.flatMap((t) => /(\d{6}) is your/.exec(t.text)?.[1] ?? []);
    const logs = hub.logs.join('\n');
    for (const code of codes) expect(logs).not.toContain(`"${code}"`);
    expect(logs).not.toContain(ASHA);
  });
});
