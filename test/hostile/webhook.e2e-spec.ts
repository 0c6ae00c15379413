import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { signPortalPayload } from '../../adapters/push-signature';
import { startTestHub, type TestHub } from '../support/test-hub';
import { RUNS, expectCleanRefusal, expectNoServerError } from './hostile-support';

const PATH = '/api/v1/portals/UP-IGRS/status-updates';

describe('hostile input: portal status webhooks', () => {
  let hub: TestHub;
  let secret: string;
  beforeAll(async () => {
    // Failed signatures from one address are throttled; this file sends many on purpose.
    hub = await startTestHub({ env: { HUB_ROLE: 'api', PORTAL_AUTH_FAILURES_PER_MINUTE: '1000' } });
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

  it('reads nothing of an unsigned body: malformed, hostile or huge, it is 401 before any parsing', async () => {
    const huge = JSON.stringify({ events: Array.from({ length: 20_000 }, (_, i) => ({ i })) });
    expect(huge.length).toBeGreaterThan(100_000);
    const bodies = [
      'not json {',
      '{"__proto__":{"polluted":true}}',
      '['.repeat(10_000) + ']'.repeat(10_000),
      huge,
    ];
    const now = Math.floor(Date.now() / 1000);
    const before = await inboundCount();
    for (const raw of bodies) {
      const unsigned: Record<string, string>[] = [
        {},
        { 'X-Hub-Timestamp': String(now), 'X-Hub-Signature': signPortalPayload('guess', now, raw) },
      ];
      for (const headers of unsigned) {
        const res = await push(raw, headers);
        expectCleanRefusal(res);
        expect(res.status).toBe(401);
      }
    }
    expect(await inboundCount()).toBe(before);
  });

  it('parses a signed body with the same JSON guards as every other route', async () => {
    const cases: [string, number, string][] = [
      ['not json {', 400, 'malformed-json'],
      ['{"__proto__":{"polluted":true}}', 400, 'validation-failed'],
      ['['.repeat(100) + ']'.repeat(100), 400, 'validation-failed'],
      ['"just a string"', 400, 'validation-failed'],
    ];
    for (const [raw, status, type] of cases) {
      const res = await push(raw, signed(raw));
      expectCleanRefusal(res);
      expect([res.status, res.body.type]).toEqual([status, expect.stringContaining(type)]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body over 1 MiB with 413, signed or not', async () => {
    const raw = JSON.stringify({ events: [{ remarks: 'x'.repeat(1_100_000) }] });
    const tries: Record<string, string>[] = [{}, signed(raw)];
    for (const headers of tries) {
      const res = await push(raw, headers);
      expectCleanRefusal(res);
      expect(res.status).toBe(413);
    }
  });

  it('refuses a compressed push with 415 without inflating it: the signature is over the bytes as sent', async () => {
    const raw = JSON.stringify({ events: [{ remarks: ' '.repeat(5_000_000) }] });
    const zipped = gzipSync(raw);
    expect(zipped.length).toBeLessThan(10_000);
    const res = await request(hub.url)
      .post(PATH)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .set(signed(raw))
      .send(zipped);
    expectCleanRefusal(res);
    expect([res.status, res.body.type]).toEqual([415, expect.stringContaining('content-encoding')]);
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

describe('hostile input: failed portal signatures cost the sender, not the hub', () => {
  let hub: TestHub;
  const LIMIT = 3;
  beforeAll(async () => {
    hub = await startTestHub({
      env: {
        HUB_ROLE: 'api',
        PORTAL_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
        UP_IGRS_WEBHOOK_SECRET: 'current-secret',
        UP_IGRS_WEBHOOK_SECRET_PREVIOUS: 'previous-secret',
      },
    });
  });
  afterAll(() => hub.close());

  // Not ours: passing the signature check shows as 422 for this event, not 401.
  const raw = JSON.stringify({
    eventId: 'evt-rotation-1',
    externalRef: 'UP/2026/0000001',
    status: 'Prakriyadheen',
    occurredAt: new Date().toISOString(),
  });

  /** One push from a chosen loopback address (the hub sees it as the client's). */
  function pushFrom(
    localAddress: string,
    secret: string,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
    const ts = Math.floor(Date.now() / 1000);
    const { port } = new URL(hub.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          localAddress,
          method: 'POST',
          path: '/api/v1/portals/UP-IGRS/status-updates',
          headers: {
            'Content-Type': 'application/json',
            'X-Hub-Timestamp': String(ts),
            'X-Hub-Signature': signPortalPayload(secret, ts, raw),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }),
          );
        },
      );
      req.on('error', reject);
      req.end(raw);
    });
  }

  async function metric(name: string, labels: string): Promise<number> {
    const text = (await request(hub.url).get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('accepts the current and the previous secret while a portal rotates, nothing else', async () => {
    const previous = await metric('hub_portal_push_previous_secret_total', 'portal="UP-IGRS"');
    expect((await pushFrom('127.0.0.1', 'current-secret')).status).toBe(422);
    expect((await pushFrom('127.0.0.1', 'previous-secret')).status).toBe(422);
    expect((await pushFrom('127.0.0.1', 'dev-up-igrs-webhook-secret')).status).toBe(401);
    expect(await metric('hub_portal_push_previous_secret_total', 'portal="UP-IGRS"')).toBe(
      previous + 1,
    );
  });

  it('answers 429 with Retry-After once an address passes the failure limit, even when it then signs correctly', async () => {
    const throttled = () =>
      metric('hub_portal_push_refused_total', 'portal="UP-IGRS",reason="throttled"');
    const before = await throttled();
    for (let i = 0; i < LIMIT; i++)
      expect((await pushFrom('127.0.0.2', 'guessed-secret')).status).toBe(401);
    const over = await pushFrom('127.0.0.2', 'guessed-secret');
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.body.type).toContain('too-many-signature-failures');
    // Blocked means not checked at all: a correct signature from there waits too.
    expect((await pushFrom('127.0.0.2', 'current-secret')).status).toBe(429);
    // Other addresses are not affected.
    expect((await pushFrom('127.0.0.3', 'current-secret')).status).toBe(422);
    // The request that crossed the limit was checked (bad-signature); the next one was not.
    expect(await throttled()).toBe(before + 1);
  });
});
