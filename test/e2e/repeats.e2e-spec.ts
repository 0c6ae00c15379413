import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ClusterLinkRepository } from '../../src/complaints/cluster-link.repository';
import { ClusterLinkWorker } from '../../src/complaints/cluster-link.service';
import { lucknowStreetlight } from '../support/fixtures';
import { staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const withMobile = (mobile: string, overrides: Record<string, unknown> = {}) =>
  lucknowStreetlight({
    complainant: { name: 'Asha Verma', mobile, language: 'hi' },
    ...overrides,
  });
const hinglish = {
  subject: 'Sector 12 ki main sadak par street light kharab',
  description: 'Sector 12 ki main road par teen hafte se saari streetlights band hain',
};

describe('repeats, clusters and the monthly cap at intake', () => {
  let hub: TestHub;
  let staff: string;
  beforeAll(async () => {
    hub = await startTestHub({
      env: { REPEAT_DETECTION: 'true' },
      portal: (p) => (p.code === 'UP-IGRS' ? { ...p, monthlyCapPerMobile: 4 } : p),
    });
    staff = await staffKey(hub, 'staff');
  });
  afterAll(() => hub.close());

  const lodge = (body: object) => request(hub.url).post('/api/v1/complaints').send(body);
  const count = () => hub.prisma.complaint.count();
  /** Cluster linking runs after the commit (a worker job): waits until none of these waits. */
  const linked = (trackingIds: string[]) =>
    waitFor(
      async () =>
        (await hub.prisma.clusterLink.count({
          where: { complaint: { trackingId: { in: trackingIds } } },
        })) === 0,
      { what: 'cluster linking' },
    );

  it('stores the text key, concepts and places (the link job computes them), equal to the SQL functions', async () => {
    const lodged = await lodge(
      withMobile('9000000091', { subject: 'H.No. 17: streetlights not working for 3 weeks' }),
    ).expect(201);
    await linked([lodged.body.trackingId]);
    const [row] = await hub.prisma.$queryRaw<
      { key: boolean; concepts: boolean; named: number; places: string[]; same: boolean }[]
    >`
      SELECT text_key = grievance_text_key(subject || ' ' || description) AS key,
             concepts = grievance_concepts(text_key) AS concepts,
             cardinality(concepts) AS named, places,
             places = grievance_places(text_key, subject || ' ' || description) AS same
      FROM complaints WHERE tracking_id = ${lodged.body.trackingId}`;
    expect(row).toEqual({
      key: true,
      concepts: true,
      named: expect.any(Number),
      places: ['#no 17', '#sector 12'],
      same: true,
    });
    expect(row.named).toBeGreaterThan(0); // streetlights: a problem the lexicon names
  });

  it('tells two houses apart by an English house number against its stored places, and not the same house', async () => {
    const text = (house: string) => ({
      subject: `${house}, streetlights not working for 3 weeks`,
      description: 'All streetlights on the main road of Sector 12 have been off for three weeks.',
    });
    const first = await lodge(withMobile('9000000092', text('House no. 17'))).expect(201);
    // The first's places are stored by its link job: the check reads them, not the text.
    await linked([first.body.trackingId]);
    const other = await lodge(withMobile('9000000092', text('H.No. 21'))).expect(201);
    const again = await lodge(withMobile('9000000092', text('house number 17'))).expect(409);
    expect(again.body.existingTrackingId).toBe(first.body.trackingId);
    // What is stored is what the check reads: stored as another house, the first is no repeat.
    await hub.prisma.$executeRaw`UPDATE complaints SET places = '{"#no 99","#sector 12"}'
      WHERE tracking_id = ${first.body.trackingId}`;
    await lodge(withMobile('9000000092', text('house number 17'))).expect(201);
    // Intake stored the places its check read for the second.
    await linked([other.body.trackingId]);
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: other.body.trackingId },
      select: { places: true },
    });
    expect(row.places).toEqual(['#no 21', '#sector 12']);
    // Bookkeeping of the check, not the staff's (the address in it is the complainant's).
    const detail = await request(hub.url)
      .get(`/api/v1/staff/complaints/${other.body.trackingId}`)
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    expect(detail.body).not.toHaveProperty('places');
    expect(detail.body).not.toHaveProperty('textKey');
  });

  it('answers 409 naming the open grievance the same mobile lodged, in another script', async () => {
    const first = await lodge(withMobile('9000000001')).expect(201);
    const before = await count();
    const again = await lodge(withMobile('9000000001', hinglish)).expect(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.body).toMatchObject({
      type: expect.stringMatching(/repeat-grievance$/),
      existingTrackingId: first.body.trackingId,
      reminder: {
        withAccessToken: `/api/v1/complaints/${first.body.trackingId}/reminders`,
        withCitizenSession: `/api/v1/citizen/grievances/${first.body.trackingId}/reminders`,
      },
    });
    expect(again.body.detail).toContain(first.body.trackingId);
    expect(await count()).toBe(before);

    // "Not a repeat" lodges it.
    await lodge(withMobile('9000000001', { ...hinglish, notARepeat: true })).expect(201);
  });

  it('lets the same mobile lodge another problem, another place, or after closure', async () => {
    const first = await lodge(withMobile('9000000002')).expect(201);
    await lodge(
      withMobile('9000000002', {
        subject: 'Garbage not collected in Sector 12',
        description: 'Garbage has not been collected from our lane for ten days.',
      }),
    ).expect(201);
    await lodge(
      withMobile('9000000002', {
        location: { stateCode: '09', districtCode: '162', pincode: '226024', address: 'Aliganj' },
      }),
    ).expect(201);
    await hub.prisma.complaint.update({
      where: { trackingId: first.body.trackingId },
      data: { status: 'CLOSED', closedAt: new Date() },
    });
    // Still open: the Aliganj one is at another pincode, so only the closed one matched.
    await lodge(withMobile('9000000002')).expect(201);
  });

  it('links different citizens reporting the same problem, and tells each how many', async () => {
    const place = {
      location: {
        stateCode: '09',
        districtCode: '162',
        pincode: '226016',
        address: 'Indira Nagar',
      },
    };
    const a = await lodge(withMobile('9000000011', place)).expect(201);
    const b = await lodge(withMobile('9000000012', { ...place, ...hinglish })).expect(201);
    const c = await lodge(
      withMobile('9000000013', {
        ...place,
        subject: 'सेक्टर 12 की मुख्य सड़क पर स्ट्रीट लाइट खराब',
        description: 'सेक्टर 12 की मुख्य सड़क पर तीन हफ्ते से स्ट्रीट लाइट बंद है',
      }),
    ).expect(201);
    const other = await lodge(
      withMobile('9000000014', {
        ...place,
        subject: 'No water supply in Indira Nagar',
        description: 'No water in the taps of Indira Nagar for the last five days.',
      }),
    ).expect(201);

    const trackingIds = [a, b, c, other].map((r) => r.body.trackingId as string);
    await linked(trackingIds);
    const rows = await hub.prisma.complaint.findMany({
      where: { trackingId: { in: trackingIds } },
      select: { id: true, trackingId: true, clusterId: true },
    });
    const byId = new Map(rows.map((r) => [r.trackingId, r]));
    const first = byId.get(a.body.trackingId)!;
    expect([b, c].map((r) => byId.get(r.body.trackingId)!.clusterId)).toEqual([first.id, first.id]);
    expect(first.clusterId).toBe(first.id);
    expect(byId.get(other.body.trackingId)!.clusterId).toBeNull();

    const view = await request(hub.url)
      .get(`/api/v1/complaints/${c.body.trackingId}`)
      .set('X-Access-Token', c.body.accessToken)
      .expect(200);
    expect(view.body.othersReported).toBe(2);

    const clusters = await request(hub.url)
      .get('/api/v1/staff/clusters')
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    expect(clusters.body.items).toContainEqual(
      expect.objectContaining({
        clusterId: first.id,
        size: 3,
        trackingIds: [a.body.trackingId, b.body.trackingId, c.body.trackingId],
      }),
    );
  });

  it('finds repeats and clusters among grievances that name no district', async () => {
    // The check matches "no district" with no district (not with every district): a separate
    // branch of its SQL since the district became an index condition.
    const place = { location: { stateCode: '09', pincode: '226017', address: 'Chinhat' } };
    const first = await lodge(withMobile('9000000031', place)).expect(201);
    const again = await lodge(withMobile('9000000031', { ...place, ...hinglish })).expect(409);
    expect(again.body.existingTrackingId).toBe(first.body.trackingId);
    const inDistrict = {
      location: { ...place.location, districtCode: '162' },
    };
    await lodge(withMobile('9000000031', { ...inDistrict, ...hinglish })).expect(201);

    const other = await lodge(withMobile('9000000032', { ...place, ...hinglish })).expect(201);
    await linked([first.body.trackingId, other.body.trackingId]);
    const rows = await hub.prisma.complaint.findMany({
      where: { trackingId: { in: [first.body.trackingId, other.body.trackingId] } },
      select: { id: true, trackingId: true, clusterId: true, districtCode: true },
    });
    const byId = new Map(rows.map((r) => [r.trackingId, r]));
    expect(byId.get(first.body.trackingId)).toMatchObject({
      districtCode: null,
      clusterId: byId.get(first.body.trackingId)!.id,
    });
    expect(byId.get(other.body.trackingId)!.clusterId).toBe(byId.get(first.body.trackingId)!.id);
  });

  it('links after intake with a worker job; running the job again changes nothing', async () => {
    const place = {
      location: { stateCode: '09', districtCode: '162', pincode: '226018', address: 'Gomti Nagar' },
    };
    const a = await lodge(withMobile('9000000041', place)).expect(201);
    const b = await lodge(withMobile('9000000042', { ...place, ...hinglish })).expect(201);
    // Intake stored no cluster: the job sets it once the relay has queued it.
    const ids = [a.body.trackingId as string, b.body.trackingId as string];
    const clusters = () =>
      hub.prisma.complaint.findMany({
        where: { trackingId: { in: ids } },
        orderBy: { createdAt: 'asc' },
        select: { id: true, clusterId: true, textKey: true },
      });
    await linked(ids);
    const after = await clusters();
    expect(after.map((r) => r.clusterId)).toEqual([after[0].id, after[0].id]);

    const worker = hub.app.get(ClusterLinkWorker);
    for (const { id } of after) {
      await expect(worker.process({ data: { id, correlationId: 'again' } })).resolves.toEqual({
        linked: false,
      });
    }
    expect(await clusters()).toEqual(after);
    const view = await request(hub.url)
      .get(`/api/v1/complaints/${b.body.trackingId}`)
      .set('X-Access-Token', b.body.accessToken)
      .expect(200);
    expect(view.body.othersReported).toBe(1);
  });

  it('joins the newest grievance at or above the threshold, not the best of all candidates (one score per link when a cluster is large)', async () => {
    const place = {
      location: { stateCode: '09', districtCode: '162', pincode: '226019', address: 'Aliganj' },
    };
    const words = 'Sector 12 ki main road par teen hafte se saari streetlights band hain';
    // The older grievance says exactly what the new one will; the newer one says more besides.
    const older = await lodge(
      withMobile('9000000051', { ...place, subject: hinglish.subject, description: words }),
    ).expect(201);
    await linked([older.body.trackingId]);
    const newer = await lodge(
      withMobile('9000000052', {
        ...place,
        subject: hinglish.subject,
        description: `${words}; raat ko andhera rehta hai, log gir jaate hain, koi sunwai nahi`,
      }),
    ).expect(201);
    await linked([newer.body.trackingId]);
    // Two clusters at one place (as when the older one's cluster was outside the window).
    await hub.prisma.$executeRaw`UPDATE complaints SET cluster_id = id
      WHERE tracking_id IN (${older.body.trackingId}, ${newer.body.trackingId})`;

    const latest = await lodge(
      withMobile('9000000053', { ...place, subject: hinglish.subject, description: words }),
    ).expect(201);
    await linked([latest.body.trackingId]);
    const rows = await hub.prisma.complaint.findMany({
      where: { trackingId: { in: [newer.body.trackingId, latest.body.trackingId] } },
      select: { id: true, trackingId: true, clusterId: true },
    });
    const newerRow = rows.find((r) => r.trackingId === newer.body.trackingId)!;
    const latestRow = rows.find((r) => r.trackingId === latest.body.trackingId)!;
    expect(latestRow.clusterId).toBe(newerRow.id);
  });

  it('links a match still waiting for its own link first, whatever order the jobs run in', async () => {
    // Three reports, oldest first, none linked yet (queued_at set: the relay leaves them to the
    // test). The newest one's job runs first and must still join the oldest's cluster.
    const base = Date.now() - 60_000;
    const texts = [
      lucknowStreetlight(),
      withMobile('x', hinglish),
      withMobile('x', {
        subject: 'सेक्टर 12 की मुख्य सड़क पर स्ट्रीट लाइट खराब',
        description: 'सेक्टर 12 की मुख्य सड़क पर तीन हफ्ते से स्ट्रीट लाइट बंद है',
      }),
    ] as { subject: string; description: string }[];
    const ids = texts.map(() => randomUUID());
    for (const [i, t] of texts.entries()) {
      const createdAt = new Date(base + i * 1_000);
      await hub.prisma.complaint.create({
        data: {
          id: ids[i],
          trackingId: `GRV-ORDER-${i}-${ids[i].slice(0, 8)}`,
          accessTokenHash: 'x',
          subject: t.subject,
          description: t.description,
          category: 'MUNICIPAL_SERVICES',
          stateCode: '09',
          districtCode: '162',
          pincode: '226019',
          language: 'en',
          mobileLookup: `order-${i}`,
          primaryPortalCode: 'UP-IGRS',
          routingRule: 'test',
          createdAt,
          clusterLink: { create: { createdAt, queuedAt: new Date() } },
        },
      });
    }
    const repository = hub.app.get(ClusterLinkRepository);
    const settings = {
      clusterSimilarity: hub.config.env.repeats.clusterSimilarity,
      clusterWindowMs: hub.config.env.repeats.clusterWindowMs,
    };
    await expect(repository.link(ids[2], settings)).resolves.toEqual({
      linked: true,
      clusterId: ids[0],
    });
    for (const id of ids.slice(0, 2))
      await expect(repository.link(id, settings)).resolves.toEqual({ linked: false });
    const rows = await hub.prisma.complaint.findMany({
      where: { id: { in: ids } },
      orderBy: { createdAt: 'asc' },
      select: { clusterId: true },
    });
    expect(rows.map((r) => r.clusterId)).toEqual([ids[0], ids[0], ids[0]]);
  });

  /** A grievance stored as intake stores it with detection off: no key, no link to make. */
  const storedUnkeyed = async (
    mobile: string,
    t: { subject: string; description: string },
    place: { stateCode: string; districtCode?: string; pincode: string },
  ) => {
    const id = randomUUID();
    await hub.prisma.complaint.create({
      data: {
        id,
        trackingId: `GRV-UNKEYED-${id.slice(0, 8)}`,
        accessTokenHash: 'x',
        subject: t.subject,
        description: t.description,
        category: 'MUNICIPAL_SERVICES',
        language: 'en',
        mobileLookup: mobile,
        primaryPortalCode: 'UP-IGRS',
        routingRule: 'test',
        createdAt: new Date(Date.now() - 60_000),
        ...place,
      },
    });
    return id;
  };

  it.each([
    ['in a district', { stateCode: '09', districtCode: '162', pincode: '226021' }],
    ['where no district is named', { stateCode: '09', pincode: '226023' }],
  ])(
    'keys the earlier grievances a link reads that were lodged unkeyed, once (detection off, or an older hub), %s',
    async (_where, place) => {
      // Two grievances lodged while detection was off: no text key, places not read, no link job.
      const other = await storedUnkeyed(
        'unkeyed-1',
        {
          subject: 'Pension not credited since April',
          description: 'My pension has not been credited since April.',
        },
        place,
      );
      const same = await storedUnkeyed('unkeyed-2', hinglish, place);
      const lodged = await lodge(
        withMobile('9000000061', { ...hinglish, location: { ...place, address: 'Gomti Nagar' } }),
      ).expect(201);
      await linked([lodged.body.trackingId]);
      const rows = await hub.prisma.$queryRaw<
        { id: string; keyed: boolean; clusterId: string | null }[]
      >`
      SELECT id::text, text_key = grievance_text_key(subject || ' ' || description)
               AND concepts = grievance_concepts(text_key)
               AND places = grievance_places(text_key, subject || ' ' || description) AS keyed,
             cluster_id::text AS "clusterId"
      FROM complaints WHERE id IN (${other}::uuid, ${same}::uuid)`;
      // Both read by the link and keyed as their own job would have; the same problem is joined.
      expect(Object.fromEntries(rows.map((r) => [r.id, r.keyed]))).toEqual({
        [other]: true,
        [same]: true,
      });
      expect(rows.find((r) => r.id === same)!.clusterId).toBe(same);
      expect(rows.find((r) => r.id === other)!.clusterId).toBeNull();
    },
  );

  it('keys no erased grievance at the place (its text is gone)', async () => {
    const place = { stateCode: '09', districtCode: '162', pincode: '226026' };
    const erased = await storedUnkeyed('erased-1', hinglish, place);
    await hub.prisma.$executeRaw`UPDATE complaints SET pii_erased_at = now(), mobile_lookup = NULL
      WHERE id = ${erased}::uuid`;
    const lodged = await lodge(
      withMobile('9000000071', { ...hinglish, location: { ...place, address: 'Gomti Nagar' } }),
    ).expect(201);
    await linked([lodged.body.trackingId]);
    const [row] = await hub.prisma.$queryRaw<{ textKey: string | null; places: string[] }[]>`
      SELECT text_key AS "textKey", places FROM complaints WHERE id = ${erased}::uuid`;
    expect(row).toEqual({ textKey: null, places: ['?'] });
  });

  it('links a grievance that another link keyed while its job waited for the row', async () => {
    const place = { stateCode: '09', districtCode: '162', pincode: '226025' };
    const earlier = await storedUnkeyed('keyed-race-1', hinglish, place);
    const id = await storedUnkeyed('keyed-race-2', hinglish, place);
    const now = new Date();
    await hub.prisma.complaint.update({
      where: { id },
      data: { createdAt: now, clusterLink: { create: { createdAt: now, queuedAt: now } } },
    });
    // Another link's keying holds the row, keyed, not yet committed.
    const other = await hub.prisma.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `UPDATE complaints SET text_key = grievance_text_key(subject || ' ' || description),
           concepts = grievance_concepts(grievance_text_key(subject || ' ' || description)),
           places = grievance_places(grievance_text_key(subject || ' ' || description),
                                     subject || ' ' || description)
         WHERE id = $1::uuid`,
        [id],
      );
      const repository = hub.app.get(ClusterLinkRepository);
      const link = repository.link(id, {
        clusterSimilarity: hub.config.env.repeats.clusterSimilarity,
        clusterWindowMs: hub.config.env.repeats.clusterWindowMs,
      });
      // The job waits for the row (its keying), then the other commits.
      await waitFor(
        async () => {
          const { rows } = await other.query<{ waiting: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
               WHERE datname = current_database()
                 AND pg_backend_pid() = ANY (pg_blocking_pids(pid))) AS waiting`,
          );
          return rows[0].waiting;
        },
        { what: 'the link job waiting for the row this transaction holds' },
      );
      await other.query('COMMIT');
      await expect(link).resolves.toEqual({ linked: true, clusterId: earlier });
    } finally {
      other.release();
    }
  });

  it('joins no cluster at another house number above 0.3 (the score’s place factor), and by the score below it', async () => {
    const repository = hub.app.get(ClusterLinkRepository);
    const place = { stateCode: '09', districtCode: '162', pincode: '226022' };
    const text = (house: number) => ({
      subject: `House no. ${house}: streetlight not working`,
      description: `The streetlight outside house no. ${house} in our lane has not worked for three weeks.`,
    });
    const earlier = await storedUnkeyed('house-1', text(14), place);
    const later = async (house: number) => {
      const id = await storedUnkeyed(`house-${randomUUID()}`, text(house), place);
      const now = new Date();
      await hub.prisma.complaint.update({
        where: { id },
        data: { createdAt: now, clusterLink: { create: { createdAt: now, queuedAt: now } } },
      });
      return id;
    };
    const windowMs = hub.config.env.repeats.clusterWindowMs;
    const first = await later(27);
    await expect(
      repository.link(first, { clusterSimilarity: 0.35, clusterWindowMs: windowMs }),
    ).resolves.toEqual({ linked: true, clusterId: null });
    // Below 0.3 (the factor: the same problem at another house scores at most that), the two
    // houses' score decides: at a threshold just under it, the newest (house 27) is a match.
    const t27 = text(27);
    const t31 = text(31);
    const [{ score }] = await hub.prisma.$queryRaw<{ score: number }[]>`
      SELECT grievance_similarity(${t27.subject + ' ' + t27.description},
                                  ${t31.subject + ' ' + t31.description}) AS score`;
    expect(score).toBeGreaterThan(0.1);
    expect(score).toBeLessThanOrEqual(0.3);
    await expect(
      repository.link(await later(31), {
        clusterSimilarity: score - 0.01,
        clusterWindowMs: windowMs,
      }),
    ).resolves.toEqual({ linked: true, clusterId: first });
    expect(earlier).not.toBe(first);
  });

  it('caps a mobile at the portal’s monthly number with 429 and the reset date', async () => {
    const mobile = '9000000021';
    for (const problem of [
      'No water supply',
      'Garbage not collected',
      'Drain blocked',
      'Potholes',
    ]) {
      await lodge(
        withMobile(mobile, { subject: problem, description: `${problem} in Sector 12 since May.` }),
      ).expect(201);
    }
    const before = await count();
    const capped = await lodge(
      withMobile(mobile, { subject: 'Stray dogs', description: 'Stray dogs bite children here.' }),
    ).expect(429);
    expect(capped.body).toMatchObject({
      type: expect.stringMatching(/monthly-cap-reached$/),
      cap: 4,
      resetsAt: expect.stringMatching(/T18:30:00\.000Z$/),
    });
    expect(new Date(capped.body.resetsAt).getTime()).toBeGreaterThan(Date.now());
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count()).toBe(before);
    // The cap is UP IGRS's: a grievance of the same mobile for another portal goes through.
    await lodge(
      withMobile(mobile, {
        location: {
          stateCode: '27',
          districtCode: '490',
          pincode: '411001',
          address: 'Shivajinagar, Pune',
        },
      }),
    ).expect(201);
  });

  it('shows staff the complainants with many grievances by keyed hash only', async () => {
    const res = await request(hub.url)
      .get('/api/v1/staff/complainants?min=5')
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    const items = res.body.items as { complainantKey: string; grievances: number }[];
    expect(items).toEqual([expect.objectContaining({ grievances: 5 })]);
    expect(items[0].complainantKey).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(res.body)).not.toContain('9000000021');
    const theirs = await request(hub.url)
      .get(`/api/v1/staff/complaints?q=${items[0].complainantKey}`)
      .set('Authorization', `Bearer ${staff}`)
      .expect(200);
    expect(theirs.body.items).toHaveLength(5);
  });
});
