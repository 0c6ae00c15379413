import fc from 'fast-check';
import request from 'supertest';
import { TRACKING_ID_PATTERN } from '../../src/platform/crypto/tokens';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';
import { RUNS, expectCleanRefusal, expectNoServerError } from './hostile-support';

const PATH = '/api/v1/complaints';

/** Personal data distinctive enough that finding it in a log line cannot be a coincidence. */
function citizen(i: number) {
  const mobile = `9${String(700_000_000 + i * 7_919).padStart(9, '0')}`;
  return {
    name: `Kavita Zorawar${i} Deshmukh`,
    mobile,
    email: `kavita.zorawar${i}@example.in`,
    address: `Flat ${i}B, Qutubuddin Lane ${i}, Aminabad`,
    hindiName: `कविता ज़ोरावर${i}`,
  };
}

describe('hostile input: security', () => {
  let hub: TestHub;
  const pii: string[] = [];
  beforeAll(async () => {
    // All roles: grievances are delivered, so dispatch logs are scanned for personal data too.
    hub = await startTestHub();
  });
  afterAll(async () => {
    // No personal data in any log line the hub wrote during this suite.
    const leaks = hub.logs.filter((line) => pii.some((p) => line.includes(p)));
    await hub.close();
    expect(leaks).toEqual([]);
  });

  async function lodge(i: number) {
    const c = citizen(i);
    pii.push(c.name, c.mobile, c.email, c.address, c.hindiName);
    const body = lucknowStreetlight({
      complainant: { name: i % 2 ? c.name : c.hindiName, mobile: c.mobile, email: c.email },
    });
    (body.location as { address: string }).address = c.address;
    const res = await request(hub.url).post(PATH).send(body).expect(201);
    return res.body as { trackingId: string; accessToken: string };
  }

  it('another citizen’s grievance without its token is 404, indistinguishable from unknown', async () => {
    const a = await lodge(1);
    const b = await lodge(2);
    const unknown = 'ONOP-2222-3333-4444';
    const attempts = [
      request(hub.url).get(`${PATH}/${a.trackingId}`).set('X-Access-Token', b.accessToken),
      request(hub.url).get(`${PATH}/${a.trackingId}`),
      request(hub.url).get(`${PATH}/${a.trackingId}`).set('X-Access-Token', ''),
      request(hub.url).get(`${PATH}/${a.trackingId}`).set('X-Access-Token', `${a.accessToken}x`),
      request(hub.url)
        .get(`${PATH}/${a.trackingId.toLowerCase()}`)
        .set('X-Access-Token', a.accessToken),
      request(hub.url).get(`${PATH}/${unknown}`).set('X-Access-Token', a.accessToken),
    ];
    const shape = (r: request.Response) => {
      const { requestId: _r, instance: _i, ...rest } = r.body as Record<string, unknown>;
      return { status: r.status, type: r.headers['content-type'], body: rest };
    };
    const results = (await Promise.all(attempts)).map(shape);
    for (const r of results) expect(r).toEqual(results.at(-1));
    expect(results[0].status).toBe(404);
    // The owner still sees it.
    await request(hub.url)
      .get(`${PATH}/${a.trackingId}`)
      .set('X-Access-Token', a.accessToken)
      .expect(200);
  });

  it('random tracking ids and tokens: never a 5xx, never a 200', async () => {
    const { trackingId } = await lodge(3);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.stringMatching(TRACKING_ID_PATTERN),
          fc.constant(trackingId),
          fc.constantFrom(
            "' OR 1=1 --",
            '../../etc/passwd',
            '%00',
            '\u0000',
            'ONOP-2345-6789-ABC\u0000',
            '..%2F..',
            '🙂'.repeat(40),
          ),
        ),
        fc.string({ unit: 'binary-ascii', maxLength: 100 }).filter((t) => /^[\x20-\x7e]*$/.test(t)),
        async (id, token) => {
          const res = await request(hub.url)
            .get(`${PATH}/${encodeURIComponent(id)}`)
            .set('X-Access-Token', token);
          expectNoServerError(res);
          expect(res.status).not.toBe(200);
        },
      ),
      RUNS,
    );
  });

  it('a NUL anywhere in the URL is a 400, never a 500: PostgreSQL refuses it in text and jsonb', async () => {
    const key = await staffKey(hub, 'admin', 'nul tester');
    const before = await hub.prisma.auditEntry.count();
    for (const path of [
      `${PATH}/ONOP%00`,
      '/api/v1/staff/complaints?q=%00abc',
      '/api/v1/staff/complaints?q=abc&unknown=%00',
      '/api/v1/staff/complaints/ONOP%00',
      '/api/v1/sla/breaches?portal=%00',
    ]) {
      const res = await request(hub.url)
        .get(path)
        .set('Authorization', `Bearer ${key}`)
        .set('X-Access-Token', 'x');
      expectCleanRefusal(res);
      expect(res.status).toBe(400);
    }
    for (const path of [
      '/api/v1/staff/complaints/ONOP%00/unmask',
      '/api/v1/staff/dispatches/%00/retry',
    ]) {
      const res = await request(hub.url)
        .post(path)
        .set('Authorization', `Bearer ${key}`)
        .send({ reason: 'Checking the NUL handling' });
      expectCleanRefusal(res);
      expect(res.status).toBe(400);
    }
    // Refused before anyone was authenticated or anything was looked at: nothing to audit.
    expect(await hub.prisma.auditEntry.count()).toBe(before);
  });

  it('tracking ids are random: well-formed, distinct, no shared structure between neighbours', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await lodge(100 + i)).trackingId);
    for (const id of ids) expect(id).toMatch(TRACKING_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    // Consecutive ids differ in most of their 12 random symbols (a counter would differ in 1-2).
    const symbols = (id: string) => id.replace(/^ONOP-|-/g, '');
    const distances = ids.slice(1).map((id, i) => {
      const [a, b] = [symbols(ids[i]), symbols(id)];
      return [...a].filter((ch, k) => ch !== b[k]).length;
    });
    const mean = distances.reduce((s, d) => s + d, 0) / distances.length;
    expect(mean).toBeGreaterThan(9);
    // Creation order is not the sort order of the ids.
    expect([...ids].sort()).not.toEqual(ids);
  });

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf'])(
    'the dashboard has no asset named %s: 404 problem+json',
    async (name) => {
      const res = await request(hub.url).get(`/dashboard/${name}`).expect(404);
      expectCleanRefusal(res);
    },
  );

  it('refused requests never echo personal data back', async () => {
    const c = citizen(900);
    pii.push(c.name, c.mobile, c.email, c.address);
    const res = await request(hub.url)
      .post(PATH)
      .send(
        lucknowStreetlight({
          complainant: { name: c.name, mobile: `${c.mobile}1`, email: c.email, extra: c.address },
          location: { stateCode: '9', pincode: 'x', address: c.address },
        }),
      );
    expectCleanRefusal(res);
    for (const p of [c.name, c.mobile, c.email, c.address]) expect(res.text).not.toContain(p);
  });

  it('delivered grievances carry the personal data to the portal, and nowhere into logs', async () => {
    const { trackingId } = await lodge(4);
    const c = citizen(4);
    const sandbox = hub.sandboxes['UP-IGRS'];
    await waitFor(
      () =>
        sandbox.registrations().find((r) => JSON.stringify(r.body).includes(trackingId)) ??
        undefined,
      { what: 'the grievance at the UP sandbox' },
    );
    const reg = sandbox.registrations().find((r) => JSON.stringify(r.body).includes(trackingId))!;
    expect(JSON.stringify(reg.body)).toContain(c.mobile);
  });
});

describe('hostile input: rate limits hold', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '5', HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  it('a burst of 25 concurrent lodgements gets exactly the limit through; the rest are 429', async () => {
    const responses = await Promise.all(
      Array.from({ length: 25 }, () =>
        request(hub.url).post(PATH).send(lucknowStreetlight()).set('X-Request-Id', 'burst-0001'),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    for (const r of responses.filter((x) => x.status === 429)) {
      expectCleanRefusal(r);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await hub.prisma.complaint.count()).toBe(5);
  });

  it('tracking lookups are limited too, so ids cannot be enumerated at speed', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(hub.url)
          .get(`${PATH}/ONOP-2222-3333-${String(4000 + i).replace(/[01]/g, '2')}`)
          .set('X-Access-Token', 'guess'),
      ),
    );
    // The limit counts per client and route: the first five guesses get their 404, no more.
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(404), ...Array(5).fill(429)]);
  });
});
