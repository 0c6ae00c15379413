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

  /** The partner key's look-up fails (its Nest middleware) with `rejection`, once or always. */
  const failingLookUp = (rejection: unknown, always = false) => {
    const spy = jest.spyOn(hub.app.get(PartnerAppsService), 'authenticate');
    return always ? spy.mockRejectedValue(rejection) : spy.mockRejectedValueOnce(rejection);
  };
  const lodgeWithKey = (body = lucknowStreetlight()) =>
    request(hub.url)
      .post('/api/v1/complaints')
      .set('X-Api-Key', 'onop_pk_some-partner-key')
      .send(body);

  it('a failure inside the Nest middleware is logged under the failed request', async () => {
    const spy = failingLookUp(new Error('partner key store down'));
    try {
      const res = await lodgeWithKey().expect(500);
      expect(spy).toHaveBeenCalledTimes(1);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      // The answer is the hub's problem+json, and the line names the real failure.
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 500,
        requestId: id,
        instance: '/api/v1/complaints',
      });
      const failures = entries().filter((e) => e.level === 50 && e.req?.id === id);
      expect(failures).toEqual([
        expect.objectContaining({
          msg: 'Unhandled error',
          req: { id, method: 'POST', path: '/api/v1/complaints' },
          err: expect.objectContaining({ message: 'partner key store down' }),
        }),
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('a look-up that fails without an error value still refuses the request', async () => {
    const spy = failingLookUp(undefined);
    try {
      const res = await lodgeWithKey(
        lucknowStreetlight({ subject: 'A key whose look-up failed oddly' }),
      );
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(
        await hub.prisma.complaint.count({
          where: { subject: 'A key whose look-up failed oddly' },
        }),
      ).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('a database outage met in the Nest middleware answers 503, as it does in a handler', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const spy = failingLookUp(outage, true);
    try {
      const res = await lodgeWithKey().expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ status: 503, requestId: res.headers['x-request-id'] });
      // Open311's own error format, from its own filter, for the same failure; one look-up per
      // request, though a named route and the catch-all both match it.
      expect(spy).toHaveBeenCalledTimes(1);
      const open311 = await request(hub.url)
        .post('/open311/v2/requests.json')
        .type('form')
        .send({ api_key: 'onop_pk_some-partner-key', service_code: 'STREETLIGHT' })
        .expect(503);
      expect(open311.headers['retry-after']).toBe('5');
      expect(open311.body).toEqual([expect.objectContaining({ code: 503 })]);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
