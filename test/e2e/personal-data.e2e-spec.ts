import { Client } from 'pg';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const PERSON = {
  name: 'Kamla Devi Srivastava',
  mobile: '9123456780',
  email: 'kamla.srivastava@example.in',
  address: 'Mohalla Chowk Bazaar, Near Hanuman Mandir',
};

describe("complainants' personal data", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
    hub.sandboxes['UP-IGRS'].injectFaults({ next: ['http-503', 'http-400'] });
    const body = lucknowStreetlight({
      complainant: {
        name: PERSON.name,
        mobile: PERSON.mobile,
        email: PERSON.email,
        language: 'hi',
      },
      location: {
        stateCode: '09',
        districtCode: '162',
        pincode: '226003',
        address: PERSON.address,
      },
    });
    // A delivered one, a failed one (errors are where data leaks), and a rejected request.
    await request(hub.url).post('/api/v1/complaints').send(body).expect(201);
    await request(hub.url).post('/api/v1/complaints').send(body).expect(201);
    await request(hub.url)
      .post('/api/v1/complaints')
      .send({ ...body, consent: false })
      .expect(400);
    // Staff look the citizen up, writing the mobile as people do, and unmask with a reason.
    const { key } = await hub.app.get(ApiKeysService).create('privacy officer', 'admin');
    for (const q of [
      ` ${PERSON.mobile}`,
      `+ 91 ${PERSON.mobile}`,
      `0${PERSON.mobile}`,
      PERSON.name,
    ])
      await request(hub.url)
        .get(`/api/v1/staff/complaints?q=${encodeURIComponent(q)}`)
        .set('Authorization', `Bearer ${key}`)
        .expect(200);
    await request(hub.url)
      .get(`/api/v1/staff/complaints?mobile=${PERSON.mobile}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(400);
    // Or type the mobile where a tracking id goes: the audit entry's target is what was typed.
    await request(hub.url)
      .get(`/api/v1/staff/complaints/${PERSON.mobile}`)
      .set('Authorization', `Bearer ${key}`)
      .expect(404);
    await request(hub.url)
      .post(`/api/v1/staff/complaints/${encodeURIComponent(`+91 ${PERSON.mobile}`)}/unmask`)
      .set('Authorization', `Bearer ${key}`)
      .send({ reason: 'Call the complainant back' })
      .expect(404);
    await waitFor(
      async () => (await hub.prisma.dispatch.count({ where: { status: 'PENDING' } })) === 0,
      {
        what: 'both dispatches to settle',
      },
    );
  });
  afterAll(() => hub.close());

  it('reached the portal in full (the portal needs it)', () => {
    const sent = JSON.stringify(hub.sandboxes['UP-IGRS'].registrations().map((r) => r.body));
    expect(sent).toContain(PERSON.mobile);
  });

  it('is nowhere in plaintext in the database', async () => {
    const client = new Client({ connectionString: hub.config.env.databaseUrl! });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      let dump = '';
      for (const { table_name } of tables) {
        const { rows } = await client.query<{ row: string }>(
          `SELECT t::text AS row FROM "${table_name}" t`,
        );
        dump += rows.map((r) => r.row).join('\n');
      }
      expect(dump).toContain('Streetlights'); // the dump did read the grievances
      expect(dump).toContain('staff.search'); // and the audit trail
      for (const value of Object.values(PERSON)) {
        expect(dump).not.toContain(value);
        expect(dump).not.toContain(Buffer.from(value).toString('hex'));
      }
    } finally {
      await client.end();
    }
  });

  it('is in no log line', () => {
    expect(hub.logs.length).toBeGreaterThan(5);
    const logs = hub.logs.join('\n');
    expect(logs).toContain('Dispatch'); // the delivery path did log
    for (const value of Object.values(PERSON)) expect(logs).not.toContain(value);
  });
});
