import request from 'supertest';
import { PartnerAppsService } from '../../src/partner-apps/partner-apps.service';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * What is logged while a request is handled carries that request's id — its answer's
 * X-Request-Id — from the Nest middleware on (the partner key's look-up) to the error filter.
 */
// (A file of its own: Nest's static logger follows the first hub a test file starts.)
describe('request logs carry the request id', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  const entries = () =>
    hub.logs.map(
      (l) => JSON.parse(l) as { msg?: string; level: number; req?: { id?: string }; err?: unknown },
    );

  it('a failure inside the Nest middleware is logged under the failed request', async () => {
    const apps = hub.app.get(PartnerAppsService);
    const spy = jest
      .spyOn(apps, 'authenticate')
      .mockRejectedValueOnce(new Error('partner key store down'));
    try {
      const res = await request(hub.url)
        .post('/api/v1/complaints')
        .set('X-Api-Key', 'onop_pk_some-partner-key')
        .send(lucknowStreetlight())
        .expect(500);
      expect(spy).toHaveBeenCalledTimes(1);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const failure = entries().find((e) => e.msg === 'Unhandled error' && e.level === 50);
      expect(failure?.req).toMatchObject({ id, method: 'POST', path: '/api/v1/complaints' });
    } finally {
      spy.mockRestore();
    }
  });
});
