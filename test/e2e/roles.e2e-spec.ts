import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { DispatchWorkers } from '../../src/dispatch/dispatch-workers.service';
import { StatusWorkers } from '../../src/inbound/status-workers.service';
import { NotificationsWorkers } from '../../src/notifications/notifications.workers';
import { staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

// The operator UIs (Swagger, dashboard, bull-board) are left out of worker processes to save
// memory; the API, health and metrics stay on every role.
describe.each([
  ['worker', false],
  ['api', true],
  ['all', true],
])('HUB_ROLE=%s', (role, servesUi) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: role } });
  });
  afterAll(() => hub.close());

  it('serves the API, /health and /metrics', async () => {
    await request(hub.url).get('/api/v1/categories').expect(200);
    await request(hub.url).get('/health/live').expect(200);
    const metrics = await request(hub.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('process_resident_memory_bytes');
  });

  it(`${servesUi ? 'serves' : 'does not serve'} /docs, /dashboard and /admin/queues`, async () => {
    const expected = servesUi ? 200 : 404;
    await request(hub.url).get('/docs-json').expect(expected);
    await request(hub.url).get('/docs').redirects(1).expect(expected);
    await request(hub.url).get('/dashboard').expect(expected);
    // bull-board asks for an admin key first; absent, the path is unknown.
    await request(hub.url)
      .get('/admin/queues')
      .expect(servesUi ? 401 : 404);
  });

  it(`${role === 'api' ? 'runs no' : 'runs its'} queue workers`, () => {
    // An api process takes no jobs: a module that only needs the SMS sender must not bring the
    // notification workers with it (the citizen OTP module once did: seen in the A/B benchmark).
    for (const workers of [DispatchWorkers, StatusWorkers, NotificationsWorkers]) {
      const has = [...hub.app.get(ModulesContainer).values()].some((m) => m.providers.has(workers));
      expect([workers.name, has]).toEqual([workers.name, role !== 'api']);
    }
  });

  it(`reports portal circuits as ${role === 'api' ? 'unknown' : 'closed'} (only delivering processes have breakers)`, async () => {
    const key = await staffKey(hub, 'staff');
    const res = await request(hub.url)
      .get('/api/v1/staff/portals')
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    const circuits = new Set(res.body.map((p: { circuit: string }) => p.circuit));
    expect(circuits).toEqual(new Set([role === 'api' ? 'unknown' : 'closed']));
  });
});
