import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

describe('intake API contract', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // api role only: nothing is delivered, so row counts show exactly what intake wrote.
    // The callers below are told apart by X-Forwarded-For, as behind the deployment's proxy.
    hub = await startTestHub({ env: { HUB_ROLE: 'api', TRUSTED_PROXIES: 'loopback' } });
  });
  afterAll(() => hub.close());

  const rowCounts = async () => ({
    complaints: await hub.prisma.complaint.count(),
    dispatches: await hub.prisma.dispatch.count(),
    unqueued: await hub.prisma.dispatch.count({ where: { queuedAt: null } }),
    events: await hub.prisma.statusEvent.count(),
    keys: await hub.prisma.idempotencyKey.count(),
  });

  it('computes no text key with the repeat check off (it cost ~0.5 ms of PostgreSQL per grievance)', async () => {
    const lodged = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(201);
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: lodged.body.trackingId },
      select: { textKey: true, concepts: true, places: true },
    });
    // '{?}': places not read yet.
    expect(row).toEqual({ textKey: null, concepts: [], places: ['?'] });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body, writing nothing new', async () => {
      const key = 'lodge-key-0001';
      const first = await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .send(lucknowStreetlight())
        .expect(201);
      const before = await rowCounts();
      // Same content, different key order and whitespace: still the same request.
      const { consent, ...rest } = lucknowStreetlight();
      const again = await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ consent, ...rest }, null, 2))
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await rowCounts()).toEqual(before);
    });

    it('answers 409 when the key comes back with another body, and writes nothing', async () => {
      const key = 'lodge-key-0002';
      await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .send(lucknowStreetlight())
        .expect(201);
      const before = await rowCounts();
      const res = await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', key)
        .send(lucknowStreetlight({ subject: 'A different grievance entirely' }))
        .expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toMatch(/idempotency-key-reused$/);
      expect(await rowCounts()).toEqual(before);
    });

    it('creates one grievance when the same key arrives concurrently', async () => {
      const key = 'lodge-key-0003';
      const before = await rowCounts();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(hub.url)
            .post('/api/v1/complaints')
            .set('Idempotency-Key', key)
            .send(lucknowStreetlight()),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(responses.map((r) => r.body.trackingId)).size).toBe(1);
      expect((await rowCounts()).complaints).toBe(before.complaints + 1);
    });

    it('stores the replayable response encrypted: the access token is not in the table', async () => {
      const res = await request(hub.url)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', 'lodge-key-0004')
        .send(lucknowStreetlight())
        .expect(201);
      const row = await hub.prisma.idempotencyKey.findFirstOrThrow({
        where: { key: 'lodge-key-0004' },
      });
      expect(Buffer.from(row.responseCipher).toString('latin1')).not.toContain(
        res.body.accessToken,
      );
    });
  });

  describe('Idempotency-Key scope and expiry', () => {
    const lodgeAs = (caller: string, key: string, body = lucknowStreetlight()) =>
      request(hub.url)
        .post('/api/v1/complaints')
        .set('X-Forwarded-For', caller)
        .set('Idempotency-Key', key)
        .send(body);

    it('is scoped to the caller: another caller with the same key never sees the first answer', async () => {
      const key = 'shared-key-0001';
      const first = await lodgeAs('203.0.113.7', key).expect(201);
      const other = await lodgeAs('203.0.113.8', key).expect(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.body.trackingId).not.toBe(first.body.trackingId);
      expect(other.body.accessToken).not.toBe(first.body.accessToken);
      // Another body under the same key is that caller's own first request, not a conflict.
      await lodgeAs(
        '203.0.113.9',
        key,
        lucknowStreetlight({ subject: 'Another grievance here' }),
      ).expect(201);
      // The first caller still gets its own answer back.
      const again = await lodgeAs('203.0.113.7', key).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      // The stored rows do not hold the callers' addresses.
      const rows = await hub.prisma.idempotencyKey.findMany({ where: { key } });
      expect(rows).toHaveLength(3);
      expect(JSON.stringify(rows)).not.toContain('203.0.113');
    });

    it('expires after 24 hours: the key then lodges anew', async () => {
      const key = 'expiring-key-0001';
      const first = await lodgeAs('203.0.113.20', key).expect(201);
      const age = (hours: number) => hub.prisma.$executeRaw`
        UPDATE idempotency_keys SET created_at = now() - make_interval(hours => ${hours})
        WHERE key = ${key}`;
      await age(23);
      const replayed = await lodgeAs('203.0.113.20', key).expect(201);
      expect(replayed.body.trackingId).toBe(first.body.trackingId);
      await age(25);
      const fresh = await lodgeAs('203.0.113.20', key).expect(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.body.trackingId).not.toBe(first.body.trackingId);
      expect(await hub.prisma.idempotencyKey.count({ where: { key } })).toBe(1);
    });
  });

  const valid = lucknowStreetlight();
  const badInputs: [string, () => request.Test][] = [
    ['missing complainant', () => post({ ...valid, complainant: undefined })],
    [
      'mobile with 9 digits',
      () => post({ ...valid, complainant: { ...valid.complainant, mobile: '987654321' } }),
    ],
    [
      'mobile starting with 5',
      () => post({ ...valid, complainant: { ...valid.complainant, mobile: '5876543210' } }),
    ],
    [
      'landline-looking mobile',
      () => post({ ...valid, complainant: { ...valid.complainant, mobile: '0522-2236789' } }),
    ],
    [
      'bad e-mail',
      () => post({ ...valid, complainant: { ...valid.complainant, email: 'not-an-email' } }),
    ],
    [
      'unknown language',
      () => post({ ...valid, complainant: { ...valid.complainant, language: 'xx' } }),
    ],
    [
      'pincode starting with 0',
      () => post({ ...valid, location: { ...valid.location, pincode: '026001' } }),
    ],
    [
      'pincode with letters',
      () => post({ ...valid, location: { ...valid.location, pincode: '22600A' } }),
    ],
    [
      'state code not padded',
      () => post({ ...valid, location: { ...valid.location, stateCode: '9' } }),
    ],
    [
      'state code that does not exist (25 merged into 38)',
      () => post({ ...valid, location: { ...valid.location, stateCode: '25' } }),
    ],
    [
      'district not in UP',
      () => post({ ...valid, location: { ...valid.location, districtCode: '9999' } }),
    ],
    ['unknown category', () => post({ ...valid, category: 'ALIENS' })],
    ['unknown ministry', () => post({ ...valid, ministryCode: 'NOSUCH' })],
    ['short description', () => post({ ...valid, description: 'too short' })],
    ['subject too long', () => post({ ...valid, subject: 'x'.repeat(201) })],
    [
      'control characters in subject',
      () => post({ ...valid, subject: 'Lights\u0000 off on road' }),
    ],
    ['no consent', () => post({ ...valid, consent: false })],
    ['consent as a string', () => post({ ...valid, consent: 'true' })],
    ['unknown top-level field', () => post({ ...valid, priority: 'urgent' })],
    [
      'unknown nested field',
      () => post({ ...valid, complainant: { ...valid.complainant, aadhaar: '123412341234' } }),
    ],
    ['subject as a number', () => post({ ...valid, subject: 12345 })],
    ['an array body', () => post([valid])],
    [
      'malformed JSON',
      () =>
        request(hub.url)
          .post('/api/v1/complaints')
          .set('Content-Type', 'application/json')
          .send('{"subject": '),
    ],
    [
      'form-encoded body',
      () => request(hub.url).post('/api/v1/complaints').type('form').send({ subject: 'x' }),
    ],
    ['body over 64 KiB', () => post({ ...valid, description: 'x'.repeat(70 * 1024) })],
    // Valid JSON, not Unicode: it was stored as U+FFFD, silently changing the citizen's text.
    [
      'an unpaired surrogate in the subject',
      () => post({ ...valid, subject: 'Lights \uD800 off' }),
    ],
    ['bad Idempotency-Key', () => post(valid).set('Idempotency-Key', 'has spaces in it')],
  ];

  function post(body: unknown) {
    return request(hub.url)
      .post('/api/v1/complaints')
      .send(body as object);
  }

  it.each(badInputs)('%s → 4xx problem+json, no rows written', async (_name, send) => {
    const before = await rowCounts();
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status: res.status,
        detail: expect.any(String),
      }),
    );
    // Refusals made before Nest routes the request (415, 413, malformed JSON) carry the hub's
    // request id too: it is what an integrator quotes and what the log line is found by.
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(await rowCounts()).toEqual(before);
  });

  const RLO = '\u202E';
  const hiddenInputs: [string, string, Record<string, unknown>, string][] = [
    [
      'name',
      '/api/v1/complaints',
      { ...valid, complainant: { ...valid.complainant, name: `Asha${RLO}Verma` } },
      'complainant.name',
    ],
    ['subject', '/api/v1/complaints', { ...valid, subject: 'Lights off\u200B on road' }, 'subject'],
    [
      'description',
      '/api/v1/complaints',
      { ...valid, description: `Refund of ${RLO}005 rupees is due` },
      'description',
    ],
    [
      'address',
      '/api/v1/complaints',
      { ...valid, location: { ...valid.location, address: 'House 14\u2066, Sector 12' } },
      'location.address',
    ],
    [
      'feedback comment',
      '/api/v1/complaints/ONOP-2222-3333-4444/feedback',
      { rating: 4, comment: `Good${RLO}` },
      'comment',
    ],
    [
      'appeal reason',
      '/api/v1/complaints/ONOP-2222-3333-4444/appeal',
      { reason: 'Still broken\uFEFF after a month' },
      'reason',
    ],
    [
      'C1 control in a subject',
      '/api/v1/complaints',
      { ...valid, subject: 'Lights\u0085 off on road' },
      'subject',
    ],
  ];
  it.each(hiddenInputs)(
    'refuses hidden or direction-changing characters in the %s: one error, nothing written',
    async (_name, path, body, field) => {
      const before = await rowCounts();
      const res = await request(hub.url)
        .post(path)
        .set('X-Access-Token', 'x')
        .send(body)
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { path: field, message: expect.stringMatching(/must not contain (invisible|control)/) },
      ]);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('accepts the joiners Indic scripts and emoji need', async () => {
    await post({
      ...valid,
      subject: 'क्\u200Dष and അവന്\u200D: lights off 👨\u200D👩\u200D👧',
      complainant: { ...valid.complainant, name: 'অর\u200D্যা Verma' },
    }).expect(201);
  });

  it('names every invalid field by its path', async () => {
    const res = await post({
      ...valid,
      complainant: { ...valid.complainant, mobile: '123' },
      location: { ...valid.location, pincode: 'abc' },
      extra: 1,
    }).expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'complainant.mobile',
      'extra',
      'location.pincode',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('123"');
  });

  it('says a missing field is required, once, and a wrong one what is wrong', async () => {
    const { address: _address, ...location } = valid.location;
    const res = await post({ ...valid, location, subject: 42 }).expect(400);
    expect(res.body.errors).toEqual([
      { path: 'subject', message: 'subject must be a string' },
      { path: 'location.address', message: 'address is required' },
    ]);
  });

  describe('a place must hang together (issue 11)', () => {
    const at = (location: Record<string, string>) =>
      post({ ...valid, location: { ...valid.location, ...location } });

    it('refuses Lucknow (162) in Maharashtra (27), naming the field, and writes nothing', async () => {
      const before = await rowCounts();
      const res = await at({ stateCode: '27', districtCode: '162', pincode: '411001' }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        {
          path: 'location.districtCode',
          message: '162 is Lucknow in Uttar Pradesh (09), not a district of Maharashtra (27)',
        },
      ]);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a PIN code of another state, naming the field', async () => {
      const res = await at({ stateCode: '27', districtCode: '490', pincode: '226001' }).expect(400);
      expect(res.body.errors).toEqual([
        {
          path: 'location.pincode',
          message: 'PIN codes starting 226 belong to Uttar Pradesh (09), not to Maharashtra (27)',
        },
      ]);
    });

    it('names the state code when district and PIN code agree on another state', async () => {
      const res = await at({ stateCode: '27', districtCode: '162', pincode: '226001' }).expect(400);
      expect(res.body.errors).toEqual([
        {
          path: 'location.stateCode',
          message:
            '27 is Maharashtra, but district 162 (Lucknow) and PIN codes starting 226 are in Uttar Pradesh (09)',
        },
      ]);
    });

    it.each([
      ["Panaji, Goa (403 inside Maharashtra's 40-44)", '30', '551', '403001'],
      ['Mohali, Punjab (160 shared with Chandigarh)', '03', '608', '160062'],
      ['Kavaratti, Lakshadweep (682 inside Kerala)', '31', '553', '682555'],
      ["Port Blair, Andaman (744 inside West Bengal's 7x)", '35', '602', '744101'],
      ["Leh, Ladakh (194 inside J&K's 19)", '37', '9', '194101'],
    ])('accepts %s', async (_name, stateCode, districtCode, pincode) => {
      await at({ stateCode, districtCode, pincode }).expect(201);
    });
  });

  it('answers 413 for a body over 64 KiB', async () => {
    await post({ ...valid, description: 'x'.repeat(70 * 1024) }).expect(413);
  });

  it('answers 415 for a body that is not JSON', async () => {
    await request(hub.url)
      .post('/api/v1/complaints')
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
  });

  // Bodies are never inflated (decision 0030): a compressed one is refused, not read.
  it('answers 415 problem+json for a compressed body and stores nothing', async () => {
    const before = await rowCounts();
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(JSON.stringify(valid)));
    expect([res.status, res.headers['content-type']]).toEqual([
      415,
      expect.stringMatching(/^application\/problem\+json/),
    ]);
    expect(JSON.parse(res.text).type).toContain('unsupported-content-encoding');
    expect(await rowCounts()).toEqual(before);
  });

  it('accepts +91 and spaces in the mobile number and Hindi text, round-tripping the text exactly', async () => {
    const subject = 'सड़क की बत्तियाँ तीन हफ़्ते से बंद हैं';
    const res = await post({
      ...valid,
      subject,
      complainant: { ...valid.complainant, mobile: '+91 98765 43210' },
    }).expect(201);
    const view = await request(hub.url)
      .get(`/api/v1/complaints/${res.body.trackingId}`)
      .set('X-Access-Token', res.body.accessToken)
      .expect(200);
    expect(view.body.subject).toBe(subject);
    expect(view.body.complainant.mobileMasked).toBe('******3210');
  });

  it('lists categories (with Hindi labels) and jurisdictions (36 states/UTs, 75 UP districts)', async () => {
    const categories = await request(hub.url).get('/api/v1/categories').expect(200);
    expect(categories.body.categories).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'MUNICIPAL_SERVICES',
          level: 'state',
          label: expect.objectContaining({ hi: expect.any(String) }),
        }),
      ]),
    );
    const jurisdictions = await request(hub.url).get('/api/v1/jurisdictions').expect(200);
    expect(jurisdictions.body.states).toHaveLength(36);
    const up = jurisdictions.body.states.find((s: { code: string }) => s.code === '09');
    expect(up.districts).toHaveLength(75);
    expect(up.districts).toEqual(expect.arrayContaining([{ code: '162', name: 'Lucknow' }]));
  });

  it('serves Swagger UI at /docs and an OpenAPI 3.1 document at /docs-json', async () => {
    const doc = await request(hub.url).get('/docs-json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/complaints', '/api/v1/complaints/{trackingId}']),
    );
    await request(hub.url).get('/docs').redirects(1).expect(200);
  });
});
