import { Client } from 'pg';
import request from 'supertest';
import { ComplaintsService } from '../../src/complaints/complaints.service';
import { shutDownGracefully } from '../../src/platform/graceful-shutdown';
import { PortalRegistry } from '../../src/portals/portal-registry.service';
import { lodgeDispatch } from '../support/delivery';
import { lucknowStreetlight } from '../support/fixtures';
import { holdFirstCall } from '../support/hold-call';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/** What main.ts does on SIGTERM, on a whole hub with a request and a delivery in flight. */
describe('graceful shutdown', () => {
  let hub: TestHub;
  let sql: Client;
  beforeAll(async () => {
    hub = await startTestHub();
    sql = new Client({ connectionString: hub.config.env.databaseUrl! });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await hub.close();
  });

  it('finishes the in-flight request and delivery before closing: nothing lost, nothing sent twice', async () => {
    const up = hub.sandboxes['UP-IGRS'];
    // The portal has registered the grievance; the worker has not yet recorded that.
    const delivery = holdFirstCall(
      hub.app.get(PortalRegistry).get('UP-IGRS').adapter,
      'submit',
      'after',
    );
    const first = await lodgeDispatch(hub);
    await delivery.reached;
    const intake = holdFirstCall(hub.app.get(ComplaintsService), 'lodge', 'before');
    const response = request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .then((r) => r);
    await intake.reached;

    let finished = false;
    const shutdown = shutDownGracefully(hub.app, 30_000).then((clean) => {
      finished = true;
      return clean;
    });
    await waitFor(() => !hub.app.getHttpServer().listening, { what: 'the API to stop listening' });
    await expect(request(hub.url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);

    intake.release();
    const res = await response;
    expect(res.status).toBe(201);
    expect(finished).toBe(false); // the held delivery is still running
    delivery.release();
    expect(await shutdown).toBe(true);

    const status = async (dispatchId: string) =>
      (await sql.query('SELECT status FROM dispatches WHERE id = $1', [dispatchId])).rows[0]
        ?.status as string | undefined;
    expect(await status(first.dispatchId)).toBe('DELIVERED');
    expect(up.countByClientRef(first.dispatchId)).toBe(1);
    // The request answered during shutdown was stored whole: its dispatch waits for a worker.
    const { rows } = await sql.query(
      `SELECT d.id, d.status FROM dispatches d JOIN complaints c ON c.id = d.complaint_id
        WHERE c.tracking_id = $1`,
      [res.body.trackingId],
    );
    expect(rows).toHaveLength(1);
    expect(up.countByClientRef(rows[0].id)).toBe(rows[0].status === 'DELIVERED' ? 1 : 0);
  });
});
