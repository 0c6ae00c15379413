import request from 'supertest';
import { startTestHub, type TestHub } from '../support/test-hub';

// Who the client is: the socket's address unless TRUSTED_PROXIES names the proxy in front.
// A client that may write its own X-Forwarded-For picks its own rate-limit bucket.
const LIMIT = 3;
const forwardedFor = (i: number) => `198.51.100.${i + 1}`;

async function statuses(hub: TestHub, count: number, xff: (i: number) => string) {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(hub.url).get('/api/v1/categories').set('X-Forwarded-For', xff(i));
    codes.push(res.status);
  }
  return codes;
}

describe('client address with no trusted proxy (the default)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT), HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  it('ignores a rotating X-Forwarded-For: every request counts against the socket address', async () => {
    expect(await statuses(hub, LIMIT + 2, forwardedFor)).toEqual([200, 200, 200, 429, 429]);
  });

  it('sends no HSTS when X-Forwarded-Proto claims TLS from an untrusted peer', async () => {
    const res = await request(hub.url).get('/health/live').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers a cross-origin preflight without allowing any origin', async () => {
    const res = await request(hub.url)
      .options('/api/v1/complaints')
      .set('Origin', 'https://app.example.in')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('client address behind a trusted proxy', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      env: {
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
        HUB_ROLE: 'api',
        TRUSTED_PROXIES: '127.0.0.1/8, ::1',
        CORS_ORIGINS: 'https://app.example.in',
      },
    });
  });
  afterAll(() => hub.close());

  it('counts each forwarded client in its own bucket, and one client past the limit', async () => {
    expect(await statuses(hub, LIMIT + 2, forwardedFor)).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(hub, LIMIT + 1, () => '203.0.113.7')).toEqual([200, 200, 200, 429]);
  });

  it('sends HSTS when the proxy says the client came over TLS, and not otherwise', async () => {
    const tls = await request(hub.url).get('/health/live').set('X-Forwarded-Proto', 'https');
    expect(tls.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const plain = await request(hub.url).get('/health/live');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('allows a preflight from an origin in CORS_ORIGINS and from no other', async () => {
    const allowed = await request(hub.url)
      .options('/api/v1/complaints')
      .set('Origin', 'https://app.example.in')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,idempotency-key')
      .expect(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.in');
    expect(allowed.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const refused = await request(hub.url)
      .options('/api/v1/complaints')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const simple = await request(hub.url)
      .get('/api/v1/categories')
      .set('X-Forwarded-For', '203.0.113.8')
      .set('Origin', 'https://app.example.in')
      .expect(200);
    expect(simple.headers['access-control-allow-origin']).toBe('https://app.example.in');
  });
});
