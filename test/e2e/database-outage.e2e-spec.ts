import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** PostgreSQL is the system of record: without it nothing is accepted, and the hub says so. */
describe('PostgreSQL down during intake', () => {
  let hub: TestHub;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await startTcpProxy(5432);
    hub = await startTestHub({
      databaseUrl: (url) => {
        const viaProxy = new URL(url);
        viaProxy.port = String(proxy.port);
        return viaProxy.toString();
      },
    });
  });
  afterAll(async () => {
    await proxy.restore();
    await hub.close();
    await proxy.close();
  });

  it('answers 503 problem+json with Retry-After, then accepts and delivers once it is back', async () => {
    await proxy.cut();
    const refused = await request(hub.url).post('/api/v1/complaints').send(lucknowStreetlight());
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({
      status: 503,
      type: expect.stringContaining('database-unavailable'),
    });
    expect(JSON.stringify(refused.body)).not.toMatch(/Asha|9876543210/);

    await proxy.restore();
    const accepted = await waitFor(
      async () => {
        const res = await request(hub.url).post('/api/v1/complaints').send(lucknowStreetlight());
        return res.status === 201 ? res : undefined;
      },
      { what: 'intake to work again' },
    );
    await waitFor(
      async () => {
        const res = await request(hub.url)
          .get(`/api/v1/complaints/${accepted.body.trackingId}`)
          .set('X-Access-Token', accepted.body.accessToken);
        return res.body.status === 'DELIVERED';
      },
      { what: 'delivery after PostgreSQL came back' },
    );
    // Only the grievance accepted after the outage exists: the refused one left nothing behind.
    expect(await hub.prisma.complaint.count()).toBe(1);
  });
});
