import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

describe('per-IP rate limit', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '3', HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  it('answers 429 problem+json with Retry-After past the limit, and stores nothing', async () => {
    for (let i = 0; i < 3; i++)
      await request(hub.url).post('/api/v1/complaints').send(lucknowStreetlight()).expect(201);
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await hub.prisma.complaint.count()).toBe(3);
  });
});
