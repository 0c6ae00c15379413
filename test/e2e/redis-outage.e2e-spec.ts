import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { spawnRedisServer } from '../../src/platform/dev-stack/redis-server';
import { lucknowStreetlight } from '../support/fixtures';
import { freePort } from '../support/redis-servers';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

// A private redis-server, so stopping it never disturbs the machine's shared Redis.
const startRedis = (port: number) => spawnRedisServer(port);

describe('Redis down during intake', () => {
  let hub: TestHub;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    hub = await startTestHub({ redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await hub.close();
    redis.kill('SIGKILL');
  });

  it('still answers 201 and delivers once Redis is back', async () => {
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));

    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(201);
    const complaint = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body.trackingId },
    });
    expect(complaint.status).toBe('RECEIVED');
    expect(await hub.prisma.dispatch.count({ where: { queuedAt: null } })).toBe(1);
    // Monitoring keeps working: queue depths are left out rather than hanging the scrape.
    const metrics = await request(hub.url).get('/metrics').timeout(5_000).expect(200);
    expect(metrics.text).toContain('hub_complaints_received_total');
    expect(metrics.text).not.toMatch(/hub_queue_jobs\{/);

    redis = await startRedis(port);
    const delivered = await waitFor(
      async () => {
        const c = await hub.prisma.complaint.findUniqueOrThrow({
          where: { id: complaint.id },
          include: { dispatches: true },
        });
        return c.status === 'DELIVERED' ? c : undefined;
      },
      { timeoutMs: 30_000, what: 'delivery after Redis came back' },
    );
    expect(hub.sandboxes['UP-IGRS'].countByClientRef(delivered.dispatches[0].id)).toBe(1);
    expect(await hub.prisma.dispatch.count({ where: { queuedAt: null } })).toBe(0);
  });
});

describe('Redis down when the hub starts', () => {
  let hub: TestHub | undefined;
  let redis: ChildProcess | undefined;
  afterAll(async () => {
    await hub?.close();
    redis?.kill('SIGKILL');
  });

  it('starts anyway (api, workers and schedulers), takes grievances, and delivers once Redis is up', async () => {
    const port = await freePort();
    hub = await startTestHub({ redisUrl: `redis://127.0.0.1:${port}` });
    expect(hub.logs.filter((l) => l.includes('maxmemory-policy was not checked'))).toHaveLength(1);
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .expect(201);

    redis = await startRedis(port);
    const c = await waitFor(
      async () => {
        const row = await hub!.prisma.complaint.findUniqueOrThrow({
          where: { trackingId: res.body.trackingId },
        });
        return row.status === 'DELIVERED' ? row : undefined;
      },
      { timeoutMs: 30_000, what: 'delivery after Redis came up' },
    );
    expect(c.status).toBe('DELIVERED');
  });
});

describe('Redis down at shutdown', () => {
  it('still shuts down: a worker that cannot close by the deadline is given up and logged', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    const hub = await startTestHub({
      redisUrl: `redis://127.0.0.1:${port}`,
      env: { SHUTDOWN_TIMEOUT: '2s' },
    });
    try {
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      // BullMQ's Worker.close() waits forever for a connection that is reconnecting
      // (taskforcesh/bullmq#4656): the hub's close must not.
      await hub.close();
      expect(hub.logs.some((l) => l.includes('did not close by the shutdown deadline'))).toBe(true);
    } finally {
      redis.kill('SIGKILL');
    }
  }, 40_000);
});
