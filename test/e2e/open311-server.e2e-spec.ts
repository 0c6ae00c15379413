import request from 'supertest';
import { lucknowForm, parseOpen311Xml, partnerKey } from '../support/open311';
import { startTestHub, type TestHub } from '../support/test-hub';

const V2 = '/open311/v2';

// The response field tables of GeoReport v2, in the spec's order.
const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
];
const ATTRIBUTE_FIELDS = [
  'variable',
  'code',
  'datatype',
  'required',
  'datatype_description',
  'order',
  'description',
  'values',
];
const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

describe('Open311 GeoReport v2 server: discovery, services, requests, tokens, updates', () => {
  let hub: TestHub;
  let trackingId: string;
  beforeAll(async () => {
    hub = await startTestHub();
    const { key } = await partnerKey(hub);
    const res = await request(hub.url)
      .post(`${V2}/requests.json`)
      .type('form')
      .send(lucknowForm(key))
      .expect(201);
    trackingId = res.body[0].service_request_id;
  });
  afterAll(() => hub.close());

  const get = (path: string) => request(hub.url).get(`${V2}/${path}`);
  const xml = async (path: string, status = 200) => {
    const res = await get(path).expect(status);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
    return parseOpen311Xml(res.text);
  };

  it('discovery: every field of the Service Discovery spec, XML and JSON alike', async () => {
    const doc = (await xml('discovery.xml')).discovery;
    expect(Object.keys(doc)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    const [endpoint] = doc.endpoints.endpoint;
    expect(endpoint).toEqual({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${hub.url}/open311/v2`,
      changeset: doc.changeset,
      type: 'test',
      formats: { format: ['text/xml', 'application/json'] },
    });
    const json = (await get('discovery.json').expect(200)).body;
    expect(json.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
  });

  it('services: one per category, with group, keywords and metadata, in XML and JSON', async () => {
    const services = (await xml('services.xml')).services.service;
    expect(services.length).toBe(hub.config.categories.length);
    for (const s of services) expect(Object.keys(s)).toEqual(SERVICE_FIELDS);
    expect(services.find((s) => s.service_code === 'MUNICIPAL_SERVICES')).toMatchObject({
      metadata: 'true',
      type: 'realtime',
      group: 'Civic amenities',
      keywords: expect.stringContaining('streetlight'),
    });
    const json = (await get('services.json').expect(200)).body;
    expect(json[0]).toMatchObject({ service_code: services[0].service_code, metadata: true });
  });

  it('a service definition: the spec datatypes, and the ministry for a central subject', async () => {
    const def = (await xml('services/RAILWAYS.xml')).service_definition;
    expect(def.service_code).toBe('RAILWAYS');
    const attributes = def.attributes.attribute;
    for (const a of attributes) {
      expect(Object.keys(a)).toEqual(ATTRIBUTE_FIELDS);
      expect(DATATYPES).toContain(a.datatype);
    }
    expect(attributes.map((a) => a.code)).toEqual(['SUBJECT', 'LANGUAGE', 'MINISTRY']);
    const ministry = attributes[2];
    expect((ministry.values as unknown as { value: unknown[] }).value).toContainEqual({
      key: 'MORLY',
      name: 'Ministry of Railways (Railway Board)',
    });
    const state = (await get('services/MUNICIPAL_SERVICES.json').expect(200)).body;
    expect(state.attributes.map((a: { code: string }) => a.code)).toEqual(['SUBJECT', 'LANGUAGE']);
  });

  it('a request as anyone may read it: every spec field, no personal data, no free text', async () => {
    const res = await get(`requests/${trackingId}.xml`).expect(200);
    const [req] = parseOpen311Xml(res.text).service_requests.request;
    expect(Object.keys(req)).toEqual(REQUEST_FIELDS);
    expect(req).toMatchObject({
      service_request_id: trackingId,
      status: 'open',
      service_code: 'MUNICIPAL_SERVICES',
      agency_responsible: 'Uttar Pradesh IGRS (Jansunwai)',
      address: 'Lucknow, Uttar Pradesh',
      description: '',
      zipcode: '',
      lat: '',
      long: '',
    });
    for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime'])
      expect(req[field]).toMatch(W3C);
    expect(res.text).not.toMatch(/Asha|Verma|9876543210|asha@example|Gomti|sinkhole|226010/i);
    const json = (await get(`requests/${trackingId}.json`).expect(200)).body;
    expect(Object.keys(json[0])).toEqual(REQUEST_FIELDS);
    expect(json[0]).toMatchObject({ description: null, lat: null, status: 'open' });
  });

  it('GET requests filters by id, service_code, status and dates, as the spec lists them', async () => {
    const ids = (path: string) =>
      get(path)
        .expect(200)
        .then((r) => r.body.map((x: { service_request_id: string }) => x.service_request_id));
    expect(await ids('requests.json')).toEqual([trackingId]);
    expect(await ids(`requests.json?service_request_id=${trackingId},ONOP-2222-2222-2222`)).toEqual(
      [trackingId],
    );
    expect(await ids('requests.json?service_code=RAILWAYS,POLICE')).toEqual([]);
    expect(await ids('requests.json?status=closed')).toEqual([]);
    expect(await ids('requests.json?status=open&jurisdiction_id=09')).toEqual([trackingId]);
    expect(await ids('requests.json?jurisdiction_id=27')).toEqual([]);
    expect(
      await ids('requests.json?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z'),
    ).toEqual([]);
  });

  it('a token is answered with the request it names (every service is realtime)', async () => {
    const [entry] = (await xml(`tokens/${trackingId}.xml`)).service_requests.request;
    expect(entry).toEqual({ service_request_id: trackingId, token: trackingId });
  });

  it("servicerequestupdates: mySociety's update list with extended statuses", async () => {
    const updates = (await xml('servicerequestupdates.xml')).service_request_updates.request_update;
    const ours = updates.filter((u) => u.service_request_id === trackingId);
    expect(ours[0]).toEqual({
      update_id: expect.any(String),
      service_request_id: trackingId,
      status: 'open',
      updated_datetime: expect.stringMatching(W3C),
      description: 'Received by the hub.',
      media_url: '',
      external_status_code: 'RECEIVED',
    });
  });

  it.each([
    ['services/POTHOLES.xml', 404, 'service_code was not found'],
    ['services.xml?jurisdiction_id=sfgov.org', 404, 'jurisdiction_id was not found'],
    ['requests/ONOP-2222-2222-2222.xml', 404, 'service_request_id was not found'],
    ['tokens/12345.xml', 404, 'token was not found'],
    [
      'requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z',
      400,
      'may not span more than 90 days',
    ],
    ['requests.xml?start_date=2026-01-01', 400, 'start_date must be a w3 datetime with zone'],
    ['requests.xml?status=pending', 400, 'status must be open, closed'],
    ['requests.xml?service_request_id=638344', 400, 'service_request_id must list'],
    ['requests.html', 404, 'Formats are xml and json'],
    ['nothing-here.xml', 404, 'No such Open311 resource'],
  ])('GET %s: %i with the spec error list', async (path, status, message) => {
    const errors = (await xml(path, status)).errors.error;
    expect(errors).toContainEqual({
      code: String(status),
      description: expect.stringContaining(message),
    });
  });

  it('answers errors in JSON for a .json path: the array of {code, description}', async () => {
    const res = await get('services/POTHOLES.json').expect(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual([
      { code: 404, description: 'service_code was not found (GET services)' },
    ]);
  });
});
