import nock from 'nock';
import { PermanentError, type PollScope, type PortalAdapter } from '../adapter';
import { useNock } from '../testing/contract-kit';
import { adapterFor, CALL, failure, outbound, PERSON, personalDataIn } from '../testing/fixtures';
import { createOpen311Adapter, hubMarker } from './open311.adapter';

// The HTTP contract, pinned with the GeoReport v2 spec's own examples (wiki.open311.org/GeoReport_v2:
// POST Service Request, GET service_request_id from a token, GET Service Requests, Errors) and
// mySociety's servicerequestupdates (as the open311-adapter serves it). The spec's endpoint is
// https://api.city.gov/dev/v2 with jurisdiction_id city.gov.
const ORIGIN = 'https://api.city.gov';
const BASE = `${ORIGIN}/dev/v2`;
const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

const create = (options: Record<string, unknown> = {}): PortalAdapter =>
  adapterFor(createOpen311Adapter, {
    kind: 'open311',
    code: 'CITY',
    baseUrl: BASE,
    credential: { header: 'api_key', value: 'xyz' },
    options: {
      jurisdictionId: 'city.gov',
      serviceCodes: { MUNICIPAL_SERVICES: '001' },
      clientRefAttribute: 'ONOP_REF',
      ...options,
    },
  });

const g = outbound();

useNock();

describe('open311 submit (POST requests)', () => {
  it('posts the spec’s form fields and reads the XML answer’s service_request_id', async () => {
    let sent = new URLSearchParams();
    nock(ORIGIN)
      .post('/dev/v2/requests.xml', (body: string) => ((sent = new URLSearchParams(body)), true))
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(
        200,
        `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>
            The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code
        </service_notice>
        <account_id/>
    </request>
</service_requests>`,
        XML,
      );
    const result = await create().submit(g, CALL);
    expect(result).toMatchObject({ externalRef: '293944' });
    expect(Object.fromEntries(sent)).toEqual({
      api_key: 'xyz',
      jurisdiction_id: 'city.gov',
      service_code: '001',
      address_string: `${PERSON.address}, 226010`,
      first_name: 'Kamla',
      last_name: 'Devi Srivastava',
      phone: PERSON.mobile,
      email: PERSON.email,
      description: `${g.subject}\n\n${g.description}\n\n${hubMarker(g)}`,
      'attribute[ONOP_REF]': g.clientRef,
    });
  });

  it('reads the JSON answer, where the spec writes the id as a number', async () => {
    nock(ORIGIN)
      .post('/dev/v2/requests.json')
      .reply(200, [
        {
          service_request_id: 293944,
          service_notice:
            'The City will inspect and require the responsible party to correct within 24 hours',
          account_id: null,
        },
      ]);
    expect(await create({ format: 'json' }).submit(g, CALL)).toMatchObject({
      externalRef: '293944',
    });
  });

  it('a batch service answers a token; GET tokens/{token} resolves it to the id', async () => {
    nock(ORIGIN)
      .post('/dev/v2/requests.xml')
      .reply(
        200,
        '<?xml version="1.0" encoding="utf-8"?><service_requests><request><token>12345</token><service_notice></service_notice></request></service_requests>',
        XML,
      );
    const adapter = create();
    expect(await adapter.submit(g, CALL)).toMatchObject({ kind: 'token', token: '12345' });

    const token = () =>
      nock(ORIGIN).get('/dev/v2/tokens/12345.xml').query({ jurisdiction_id: 'city.gov' });
    token().reply(
      404,
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>token not found</description></error></errors>',
      XML,
    );
    expect(await adapter.resolveToken!('12345', CALL)).toBeNull();
    token().reply(
      200,
      '<?xml version="1.0" encoding="utf-8"?><service_requests><request><token>12345</token></request></service_requests>',
      XML,
    );
    expect(await adapter.resolveToken!('12345', CALL)).toBeNull();
    token().reply(
      200,
      `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <token>12345</token>
    </request>
</service_requests>`,
      XML,
    );
    expect(await adapter.resolveToken!('12345', CALL)).toMatchObject({ externalRef: '638344' });
  });

  it('the JSON token answer (the spec’s example)', async () => {
    nock(ORIGIN)
      .get('/dev/v2/tokens/12345.json')
      .query({ jurisdiction_id: 'city.gov' })
      .reply(200, [{ service_request_id: 638344, token: 12345 }]);
    expect(await create({ format: 'json' }).resolveToken!('12345', CALL)).toMatchObject({
      externalRef: '638344',
    });
  });

  it.each([
    [
      'xml',
      `<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>`,
      XML,
    ],
    [
      'json',
      [
        {
          code: 403,
          description: "Invalid api_key received -- can't proceed with create_request.",
        },
      ],
      {},
    ],
  ])(
    'the spec’s 403 error (%s) is permanent, with its description',
    async (format, body, headers) => {
      nock(ORIGIN).post(`/dev/v2/requests.${format}`).reply(403, body, headers);
      const error = await failure(() => create({ format }).submit(g, CALL));
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).details).toEqual({
        portalMessage: "Invalid api_key received -- can't proceed with create_request.",
        httpStatus: 403,
      });
    },
  );

  it('404 service_code not found: permanent, no personal data in the message', async () => {
    nock(ORIGIN)
      .post('/dev/v2/requests.json')
      .reply(404, [{ code: 404, description: `service_code 001 not found for ${PERSON.name}` }]);
    const error = await failure(() => create({ format: 'json' }).submit(g, CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(personalDataIn(error.message)).toEqual([]);
  });

  it('a category without a service code is refused before any call', async () => {
    const error = await failure(() => create().submit({ ...g, category: 'POLICE' }, CALL));
    expect(error.message).toBe('CITY submit: no Open311 service_code for category POLICE');
  });
});

const REQUESTS_XML = (description: string) => `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <status>closed</status>
        <status_notes>Duplicate request.</status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description>${description}</description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
    </request>
    <request>
        <service_request_id>638349</service_request_id>
        <status>open</status>
        <status_notes></status_notes>
        <service_name>Sidewalk and Curb Issues</service_name>
        <service_code>006</service_code>
        <description></description>
        <agency_responsible></agency_responsible>
        <service_notice></service_notice>
        <requested_datetime>2010-04-19T06:37:38-08:00</requested_datetime>
        <updated_datetime>2010-04-19T06:37:38-08:00</updated_datetime>
        <expected_datetime>2010-04-19T06:37:38-08:00</expected_datetime>
        <address>8TH AVE and JUDAH ST</address>
        <address_id>545483</address_id>
        <zipcode>94122</zipcode>
        <lat>37.762221815</lat>
        <long>-122.4651145</long>
        <media_url>http://city.gov.s3.amazonaws.com/requests/media/638349.jpg </media_url>
    </request>
</service_requests>`;

describe('open311 status (GET requests, servicerequestupdates)', () => {
  // The spec's GET Service Requests example; the first request carries our reference (the
  // spec's own has an empty description), the second is someone else's.
  const ours = `Broken kerb\n\n${hubMarker(g)}`;

  it('polls GET requests and keeps the requests the hub filed, mapped by the table', async () => {
    nock(ORIGIN)
      .get('/dev/v2/requests.xml')
      .query((q) => q.jurisdiction_id === 'city.gov' && !!q.start_date && !!q.end_date)
      .reply(200, REQUESTS_XML(ours), XML);
    const { events } = await create().fetchUpdates!(null, CALL);
    expect(events).toEqual([
      expect.objectContaining({
        externalRef: '638344',
        nativeStatus: 'closed',
        status: 'CLOSED',
        remarks: 'Duplicate request.',
        occurredAt: '2010-04-14T14:37:38.000Z',
        eventId: '638344:closed:2010-04-14T14:37:38.000Z',
      }),
    ]);
  });

  it('reads mySociety’s servicerequestupdates for the requests the hub filed', async () => {
    nock(ORIGIN).get('/dev/v2/requests.xml').query(true).reply(200, REQUESTS_XML(ours), XML);
    nock(ORIGIN)
      .get('/dev/v2/servicerequestupdates.xml')
      .query((q) => q.start_date === '2010-04-01T00:00:00.000Z' && !!q.end_date)
      .reply(
        200,
        `<?xml version="1.0" encoding="utf-8"?>
<service_request_updates>
  <request_update>
    <update_id>638344_14</update_id>
    <service_request_id>638344</service_request_id>
    <status>in_progress</status>
    <updated_datetime>2010-04-15T09:46:55Z</updated_datetime>
    <description>Inspector on site</description>
    <media_url></media_url>
  </request_update>
  <request_update>
    <update_id>638349_2</update_id>
    <service_request_id>638349</service_request_id>
    <status>fixed</status>
    <updated_datetime>2010-04-16T09:40:26Z</updated_datetime>
    <description></description>
    <media_url></media_url>
  </request_update>
</service_request_updates>`,
        XML,
      );
    const page = await create({ statusUpdates: 'servicerequestupdates' }).fetchUpdates!(
      '2010-04-01T00:00:00.000Z',
      CALL,
    );
    expect(page.events).toEqual([
      expect.objectContaining({
        eventId: '638344_14',
        externalRef: '638344',
        nativeStatus: 'in_progress',
        status: 'IN_PROGRESS',
        remarks: 'Inspector on site',
      }),
    ]);
    expect(page.next).toBe('2010-04-16T09:40:26.000Z');
  });

  it('findSubmitted: our reference in a recent request’s description, null when absent', async () => {
    const search = () =>
      nock(ORIGIN)
        .get('/dev/v2/requests.xml')
        .query((q) => q.service_code === '001' && q.jurisdiction_id === 'city.gov');
    search().reply(200, REQUESTS_XML(ours), XML);
    expect(await create().findSubmitted!(g, CALL)).toMatchObject({ externalRef: '638344' });
    search().reply(200, REQUESTS_XML('Someone else’s kerb'), XML);
    expect(await create().findSubmitted!(g, CALL)).toBeNull();
  });

  it('healthCheck reads GET services', async () => {
    nock(ORIGIN)
      .get('/dev/v2/services.xml')
      .query({ jurisdiction_id: 'city.gov' })
      .reply(200, '<?xml version="1.0" encoding="utf-8"?><services></services>', XML);
    expect(await create().healthCheck(CALL)).toEqual({ ok: true, detail: 'HTTP 200' });
  });
});

describe('open311 polls by reference (GET requests?service_request_id=a,b,c)', () => {
  const scope = (openRefs: string[], owned: string[] = openRefs): PollScope => ({
    openRefs,
    ours: async (refs) => new Set(refs.filter((r) => owned.includes(r))),
  });
  /** GET requests for exactly these ids (the spec's comma-delimited list), nothing else asked. */
  const byIds = (ids: string) =>
    nock(ORIGIN)
      .get('/dev/v2/requests.xml')
      .query(
        (q) =>
          Object.keys(q).length === 2 &&
          q.jurisdiction_id === 'city.gov' &&
          q.service_request_id === ids,
      );

  it('asks for the hub’s open references, idsPerRequest at a time, instead of scanning a window', async () => {
    // The spec's example answers the first batch; a second request in it (638349, open) is ours too.
    byIds('638344,638349').reply(200, REQUESTS_XML('Broken kerb'), XML);
    byIds('700001,700002').reply(
      200,
      '<?xml version="1.0"?><service_requests></service_requests>',
      XML,
    );
    byIds('700003').reply(200, '<?xml version="1.0"?><service_requests></service_requests>', XML);
    const adapter = create({ idsPerRequest: 2 });
    const { events, next } = await adapter.fetchUpdates!(
      'kept',
      CALL,
      scope(['638344', '638349', '700001', '700002', '700003']),
    );
    // No marker needed: the hub named the request. `open` says only "reported".
    expect(events).toEqual([
      expect.objectContaining({
        externalRef: '638344',
        status: 'CLOSED',
        remarks: 'Duplicate request.',
      }),
    ]);
    expect(next).toBe('kept');
  });

  it('keeps only the requests it asked for (a server that ignores the list answers others)', async () => {
    byIds('638349').reply(200, REQUESTS_XML('Broken kerb'), XML);
    const { events } = await create().fetchUpdates!(null, CALL, scope(['638349']));
    expect(events).toEqual([]);
  });

  it('nothing open: no call at all', async () => {
    expect(await create().fetchUpdates!(null, CALL, scope([]))).toEqual({ events: [], next: null });
  });

  it('servicerequestupdates: the feed, keeping the updates of the hub’s references and of requests with our marker', async () => {
    // 638344 is ours but its reference is not known to the hub yet (a lost answer): our marker
    // in its description says so. 900001 is someone else's.
    byIds('638344,900001').reply(200, REQUESTS_XML(`Broken kerb\n\n${hubMarker(g)}`), XML);
    nock(ORIGIN)
      .get('/dev/v2/servicerequestupdates.xml')
      .query((q) => q.start_date === '2010-04-01T00:00:00.000Z' && !!q.end_date)
      .reply(
        200,
        `<?xml version="1.0" encoding="utf-8"?>
<service_request_updates>
  <request_update>
    <update_id>638344_14</update_id>
    <service_request_id>638344</service_request_id>
    <status>in_progress</status>
    <updated_datetime>2010-04-15T09:46:55Z</updated_datetime>
    <description>Inspector on site</description>
  </request_update>
  <request_update>
    <update_id>638349_2</update_id>
    <service_request_id>638349</service_request_id>
    <status>fixed</status>
    <updated_datetime>2010-04-16T09:40:26Z</updated_datetime>
    <description>Kerb relaid</description>
  </request_update>
  <request_update>
    <update_id>900001_1</update_id>
    <service_request_id>900001</service_request_id>
    <status>fixed</status>
    <updated_datetime>2010-04-16T10:00:00Z</updated_datetime>
    <description>Someone else’s</description>
  </request_update>
</service_request_updates>`,
        XML,
      );
    const asked: string[][] = [];
    const own = scope([], ['638349']);
    const page = await create({ statusUpdates: 'servicerequestupdates' }).fetchUpdates!(
      '2010-04-01T00:00:00.000Z',
      CALL,
      { openRefs: [], ours: (refs) => (asked.push([...refs]), own.ours(refs)) },
    );
    expect(asked).toEqual([['638344', '638349', '900001']]);
    expect(page.events).toEqual([
      expect.objectContaining({
        eventId: '638344_14',
        externalRef: '638344',
        status: 'IN_PROGRESS',
      }),
      expect.objectContaining({ eventId: '638349_2', externalRef: '638349', status: 'RESOLVED' }),
    ]);
    expect(page.next).toBe('2010-04-16T10:00:00.000Z');
  });

  it('asks the hub for references by default; pollBy: window does not', () => {
    expect(create().pollByReference).toEqual({ perPoll: 200 });
    expect(create({ refsPerPoll: 3 }).pollByReference).toEqual({ perPoll: 3 });
    expect(create({ pollBy: 'window' }).pollByReference).toBeUndefined();
  });
});

describe('open311 keeps no personal data with a status event', () => {
  it('raw holds the request’s id, status and times, not its address or description', async () => {
    nock(ORIGIN)
      .get('/dev/v2/requests.xml')
      .query(true)
      .reply(200, REQUESTS_XML(`${PERSON.address}\n\n${hubMarker(g)}`), XML);
    const { events } = await create().fetchUpdates!(null, CALL);
    expect(events).toHaveLength(1);
    const raw = JSON.stringify(events[0].raw);
    expect(raw).not.toContain(PERSON.address);
    expect(raw).not.toContain('8TH AVE');
    expect(events[0].raw).toMatchObject({ service_request_id: '638344', status: 'closed' });
  });
});
