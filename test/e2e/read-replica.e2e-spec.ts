import request from 'supertest';
import { ReadDatabase } from '../../src/platform/database/read-database';
import { migrate } from '../../src/platform/database/migrator';
import { lucknowStreetlight } from '../support/fixtures';
import { startPrimaryWithReplica, type PrimaryWithReplica } from '../support/pg-replica';
import { DAY_MS, insertGrievance, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/**
 * Staff lists, dashboards and exports read from a streaming replica (DATABASE_READ_URL), tested
 * against a real one: a primary this test starts and a hot standby made from it with
 * pg_basebackup. With the standby's replay paused, what the primary has and the standby has not
 * shows which server each read came from.
 */
describe('a read replica for staff lists (DATABASE_READ_URL)', () => {
  let servers: PrimaryWithReplica;
  let hub: TestHub;
  let staff: string;
  let admin: string;
  beforeAll(async () => {
    servers = await startPrimaryWithReplica();
    await servers.primary.query('CREATE DATABASE hub');
    await migrate(servers.primary.url('hub'));
    hub = await startTestHub({
      database: { name: 'hub', url: servers.primary.url('hub'), drop: async () => undefined },
      env: { DATABASE_READ_URL: servers.replica.url('hub') },
    });
    staff = await staffKey(hub, 'staff');
    admin = await staffKey(hub, 'admin');
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    await servers?.stop();
  });
  afterEach(() => servers.replica.resumeReplay());

  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  const lodge = async () =>
    (await request(hub.url).post('/api/v1/complaints').send(lucknowStreetlight()).expect(201))
      .body as { trackingId: string; accessToken: string };
  const staffList = async () =>
    (
      await request(hub.url).get('/api/v1/staff/complaints').set(auth(staff)).expect(200)
    ).body.items.map((i: { trackingId: string }) => i.trackingId);

  it('runs the reads on a hot standby', async () => {
    const reads = hub.app.get(ReadDatabase);
    expect(reads.replica).toBe(true);
    const [row] = await reads.prisma.$queryRaw<{ standby: boolean }[]>`
      SELECT pg_is_in_recovery() AS standby`;
    expect(row.standby).toBe(true);
    const [primary] = await hub.prisma.$queryRaw<{ standby: boolean }[]>`
      SELECT pg_is_in_recovery() AS standby`;
    expect(primary.standby).toBe(false);
  });

  it('serves the staff list from the replica, and what must see its own writes from the primary', async () => {
    const before = await lodge();
    await servers.replica.pauseReplay();
    // Only on the primary from here on.
    const lodged = await lodge();

    const listed = await staffList();
    expect(listed).toContain(before.trackingId);
    expect(listed).not.toContain(lodged.trackingId);

    // The citizen's view of what they just lodged, the staff view of one grievance, the unmask
    // and its audit entry: the primary.
    await request(hub.url)
      .get(`/api/v1/complaints/${lodged.trackingId}`)
      .set('X-Access-Token', lodged.accessToken)
      .expect(200);
    await request(hub.url)
      .get(`/api/v1/staff/complaints/${lodged.trackingId}`)
      .set(auth(staff))
      .expect(200);
    const unmasked = await request(hub.url)
      .post(`/api/v1/staff/complaints/${lodged.trackingId}/unmask`)
      .set(auth(admin))
      .send({ reason: 'Citizen called the helpline to correct the address' })
      .expect(200);
    expect(unmasked.body).toMatchObject({ complainant: { name: 'Asha Verma' } });
    const audit = await request(hub.url).get('/api/v1/staff/audit').set(auth(admin)).expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'pii.unmask', target: lodged.trackingId }),
    );

    // Replay resumed, the replica catches up and the list shows it.
    await servers.replica.resumeReplay();
    await servers.replica.caughtUp();
    expect(await staffList()).toContain(lodged.trackingId);
  });

  it('reports the replica on /health/ready, and its outage only degrades readiness', async () => {
    const ready = await request(hub.url).get('/health/ready').expect(200);
    expect(ready.body.details['postgresql-replica']).toMatchObject({ status: 'up' });

    await servers.replica.down();
    try {
      const down = await request(hub.url).get('/health/ready').expect(200);
      expect(down.body.status).toBe('degraded');
      expect(down.body.details['postgresql-replica']).toMatchObject({ status: 'degraded' });
      expect(down.body.details.postgresql).toMatchObject({ status: 'up' });
      // Intake does not need it.
      await lodge();
    } finally {
      await servers.replica.up();
    }
    // The pool reconnects to the restarted standby.
    await waitFor(
      async () =>
        (await request(hub.url).get('/health/ready')).body.details?.['postgresql-replica']
          ?.status === 'up',
      { what: 'the replica to be up again' },
    );
    await request(hub.url).get('/api/v1/staff/complaints').set(auth(staff)).expect(200);
  });

  it('serves the SLA breaches list from the replica', async () => {
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS);
    const overdue = () =>
      insertGrievance(hub, { createdAt: at(22), deliveredAt: at(22), slaDueAt: at(1) });
    const seen = await overdue();
    await servers.replica.pauseReplay();
    const unseen = await overdue();
    const res = await request(hub.url).get('/api/v1/sla/breaches').set(auth(staff)).expect(200);
    const ids = res.body.items.map((i: { trackingId: string }) => i.trackingId);
    expect(ids).toContain(seen.trackingId);
    expect(ids).not.toContain(unseen.trackingId);
  });
});
