import fc from 'fast-check';
import request from 'supertest';
import { signPortalPayload } from '../../src/auth/portal-signature';
import { startTestHub, type TestHub } from '../support/test-hub';
import { RUNS, expectCleanRefusal, expectNoServerError } from './hostile-support';

const PATH = '/api/v1/portals/UP-IGRS/status-updates';

describe('hostile input: portal status webhooks', () => {
  let hub: TestHub;
  let secret: string;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    secret = hub.config.portals.find((p) => p.code === 'UP-IGRS')!.webhookSecret!;
  });
  afterAll(() => hub.close());

  const inboundCount = async () => {
    const [row] = await hub.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT (SELECT count(*) FROM inbound_events) AS n`;
    return Number(row.n);
  };

  function push(raw: string, headers: Record<string, string>, path = PATH) {
    return request(hub.url)
      .post(path)
      .set('Content-Type', 'application/json')
      .set(headers)
      .send(raw);
  }

  const signed = (raw: string, ts = Math.floor(Date.now() / 1000)) => ({
    'X-Hub-Timestamp': String(ts),
    'X-Hub-Signature': signPortalPayload(secret, ts, raw),
  });

  it('forged, missing, stale and future signatures are 401 problem+json and store nothing', async () => {
    const raw = JSON.stringify({
      eventId: 'evt-forged-1',
      externalRef: 'UP/2026/0000001',
      status: 'Nistarit',
      occurredAt: new Date().toISOString(),
      remarks: 'done',
    });
    const now = Math.floor(Date.now() / 1000);
    const before = await inboundCount();
    const cases: Record<string, string>[] = [
      {},
      { 'X-Hub-Timestamp': String(now) },
      { 'X-Hub-Timestamp': String(now), 'X-Hub-Signature': 'sha256=' + '0'.repeat(64) },
      { 'X-Hub-Timestamp': String(now), 'X-Hub-Signature': signPortalPayload('guess', now, raw) },
      // Past the 300 s window with room to spare: the server's clock may tick on under load.
      signed(raw, now - 310),
      signed(raw, now + 310),
      { ...signed(raw), 'X-Hub-Timestamp': String(now - 1) },
      { 'X-Hub-Timestamp': 'yesterday', 'X-Hub-Signature': signPortalPayload(secret, now, raw) },
    ];
    for (const headers of cases) {
      const res = await push(raw, headers);
      expectCleanRefusal(res);
      expect(res.status).toBe(401);
    }
    // A body changed after signing (one byte) is a forgery too.
    const tampered = await push(raw.replace('done', 'dona'), signed(raw));
    expect(tampered.status).toBe(401);
    expect(await inboundCount()).toBe(before);
  });

  it('random bodies, correctly signed: never a 5xx, errors are problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json({ maxDepth: 4 }),
          fc.string({ maxLength: 200 }),
          fc
            .tuple(
              fc.boolean(),
              fc.record({
                eventId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
                externalRef: fc.oneof(fc.string(), fc.constant("' OR 1=1 --")),
                status: fc.oneof(fc.string(), fc.constantFrom('Nistarit', 'Prakriyadheen')),
                occurredAt: fc.oneof(
                  fc.string(),
                  fc.date().map((d) => d.toString()),
                ),
                remarks: fc.option(fc.string({ maxLength: 100 })),
              }),
            )
            .map(([batch, e]) => JSON.stringify(batch ? { events: [e, e] } : e)),
        ),
        async (raw) => {
          const res = await push(raw, signed(raw));
          expect(res.status).toBeLessThan(500);
          // A batch answers with a report per event (DESIGN: "a batch reports per event"), even
          // when every event was refused; anything else that fails is problem+json.
          if (res.status >= 400 && !Array.isArray(res.body?.results)) expectCleanRefusal(res);
        },
      ),
      RUNS,
    );
  });

  it('unknown portals and hostile portal codes are 404, never a 5xx', async () => {
    for (const code of ['NOPE', '..%2F..%2Fadmin', "UP-IGRS'--", 'CPGRAMS']) {
      const raw = '{}';
      const res = await push(raw, signed(raw), `/api/v1/portals/${code}/status-updates`);
      expectNoServerError(res);
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });
});
