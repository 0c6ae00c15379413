import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

jest.setTimeout(60_000);

/** What an operator sets for production: its own portal secrets (never the published dev ones). */
const productionEnv = () => ({
  NODE_ENV: 'production',
  CPGRAMS_API_KEY: randomBytes(16).toString('hex'),
  UP_IGRS_API_KEY: randomBytes(16).toString('hex'),
  UP_IGRS_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
  MH_AAPLESARKAR_API_KEY: randomBytes(16).toString('hex'),
  MH_AAPLESARKAR_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
});

describe('production serves Swagger, bull-board and /metrics only when a setting says so', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: productionEnv() });
  });
  afterAll(() => hub.close());

  it('answers 404 for /docs, /docs-json, /admin/queues and /metrics by default', async () => {
    const admin = await staffKey(hub, 'admin');
    await request(hub.url).get('/docs').redirects(1).expect(404);
    await request(hub.url).get('/docs-json').expect(404);
    await request(hub.url).get('/admin/queues').auth('ravi', admin).expect(404);
    await request(hub.url).get('/metrics').expect(404);
  });

  it('still serves the API, the dashboard and the health checks', async () => {
    await request(hub.url).get('/api/v1/categories').expect(200);
    await request(hub.url).get('/dashboard').expect(200);
    await request(hub.url).get('/health/live').expect(200);
  });
});

describe('security headers on every route', () => {
  let hub: TestHub;
  let admin: string;
  beforeAll(async () => {
    hub = await startTestHub({
      env: {
        ...productionEnv(),
        SERVE_DOCS: 'true',
        SERVE_QUEUE_BOARD: 'true',
        SERVE_METRICS: 'true',
      },
    });
    admin = await staffKey(hub, 'admin');
  });
  afterAll(() => hub.close());

  const routes: [string, () => request.Test][] = [
    ['the API', () => request(hub.url).get('/api/v1/categories')],
    ['an unknown API path', () => request(hub.url).get('/api/v1/nope')],
    ['a refused body', () => request(hub.url).post('/api/v1/complaints').type('text').send('x')],
    ['the dashboard', () => request(hub.url).get('/dashboard')],
    ['a dashboard asset', () => request(hub.url).get('/dashboard/app.js')],
    ['Swagger UI', () => request(hub.url).get('/docs/')],
    ['the OpenAPI document', () => request(hub.url).get('/docs-json')],
    ['bull-board (refused)', () => request(hub.url).get('/admin/queues')],
    ['bull-board', () => request(hub.url).get('/admin/queues').auth('ravi', admin)],
    ['bull-board API', () => request(hub.url).get('/admin/queues/api/queues').auth('ravi', admin)],
    ['/metrics', () => request(hub.url).get('/metrics')],
    ['/health', () => request(hub.url).get('/health/live')],
  ];

  it.each(routes)('%s', async (_name, send) => {
    const res = await send();
    expect(res.status).toBeLessThan(500);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Plain HTTP to the hub itself: HSTS would be ignored, and is not sent.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves Swagger, bull-board and /metrics once enabled', async () => {
    await request(hub.url).get('/docs').redirects(1).expect(200);
    await request(hub.url).get('/admin/queues').expect(401);
    await request(hub.url).get('/admin/queues').auth('ravi', admin).expect(200);
    const metrics = await request(hub.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('process_resident_memory_bytes');
  });

  it('marks every answer carrying an access token or personal data no-store', async () => {
    const lodged = await request(hub.url)
      .post('/api/v1/complaints')
      .set('Idempotency-Key', 'headers-0001')
      .send(lucknowStreetlight())
      .expect(201);
    expect(lodged.body.accessToken).toEqual(expect.any(String));
    expect(lodged.headers['cache-control']).toBe('no-store');

    const { trackingId, accessToken } = lodged.body;
    const tracked = await request(hub.url)
      .get(`/api/v1/complaints/${trackingId}`)
      .set('X-Access-Token', accessToken)
      .expect(200);
    expect(tracked.headers['cache-control']).toBe('no-store');

    const reminder = await request(hub.url)
      .post(`/api/v1/complaints/${trackingId}/feedback`)
      .set('X-Access-Token', accessToken)
      .send({ rating: 4 });
    expect(reminder.headers['cache-control']).toBe('no-store');

    const staff = await request(hub.url)
      .get(`/api/v1/staff/complaints/${trackingId}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(staff.headers['cache-control']).toBe('no-store');

    const board = await request(hub.url).get('/admin/queues/api/queues').auth('ravi', admin);
    expect(board.headers['cache-control']).toBe('no-store');
  });

  it('lets public reference data be cached', async () => {
    const res = await request(hub.url).get('/api/v1/categories').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  });
});
