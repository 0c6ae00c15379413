import { Client } from 'pg';
import request from 'supertest';
import { ClusterLinkRelay } from '../../src/complaints/cluster-link.service';
import { ComplaintsService } from '../../src/complaints/complaints.service';
import { OutboxRelay } from '../../src/dispatch/outbox-relay.service';
import { StatusRelay } from '../../src/inbound/status-relay.service';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { shutDownGracefully } from '../../src/platform/graceful-shutdown';
import { RelayLoop } from '../../src/platform/queue/relay-loop';
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

describe('graceful shutdown of an api process', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  // It has no workers: the shutdown threw looking for them, and the process exited with 1
  // without closing the database (seen in the scale suite's api restart).
  it('closes cleanly: an accepted request is answered, then the database is closed', async () => {
    const intake = holdFirstCall(hub.app.get(ComplaintsService), 'lodge', 'before');
    const response = request(hub.url)
      .post('/api/v1/complaints')
      .send(lucknowStreetlight())
      .then((r) => r);
    await intake.reached;
    const closed = jest.spyOn(hub.app.get(PrismaService), 'onApplicationShutdown');
    const shutdown = shutDownGracefully(hub.app, 30_000);
    await waitFor(() => !hub.app.getHttpServer().listening, { what: 'the API to stop listening' });
    intake.release();
    expect((await response).status).toBe(201);
    await expect(shutdown).resolves.toBe(true);
    expect(closed).toHaveBeenCalled();
  });
});

describe('graceful shutdown of a worker process', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await hub.close();
  });

  it('stops the relay loops before it closes the database: no pass runs on a closed pool', async () => {
    const events: string[] = [];
    const stopLoop = RelayLoop.prototype.stop;
    jest.spyOn(RelayLoop.prototype, 'stop').mockImplementation(function (this: RelayLoop) {
      // A second stop (Nest's shutdown hook after ours) finds the loop already stopped.
      if (!(this as unknown as { stopped: boolean }).stopped) events.push('relay loop stopping');
      return stopLoop.call(this);
    });
    const prisma = hub.app.get(PrismaService);
    const disconnect = prisma.onApplicationShutdown.bind(prisma);
    jest.spyOn(prisma, 'onApplicationShutdown').mockImplementation(async () => {
      events.push('database closed');
      await disconnect();
    });
    // The dispatch relay's next pass is held as it starts: a pass in flight at SIGTERM.
    const relay = (hub.app.get(OutboxRelay) as unknown as { relay: object })['relay'];
    const pass = holdFirstCall(relay, 'drain' as never, 'before');
    await pass.reached;

    const shutdown = shutDownGracefully(hub.app, 30_000);
    // Whichever comes first: the loops are told to stop, or the database is closed under them.
    await waitFor(() => events.length > 0, {
      what: 'the shutdown to reach the relays or the database',
    });
    pass.release();
    await expect(shutdown).resolves.toBe(true);

    // Every relay (dispatch outbox, status events, cluster links) stopped, and only then the
    // database closed.
    const relays = [OutboxRelay, StatusRelay, ClusterLinkRelay].map((r) => hub.app.get(r));
    expect(events).toEqual([...relays.map(() => 'relay loop stopping'), 'database closed']);
    const errors = hub.logs.filter((l) => /"level":(50|60)/.test(l));
    expect(errors).toEqual([]);
  });
});
