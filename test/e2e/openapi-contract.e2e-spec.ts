import request from 'supertest';
import { redoclyLint, sampleBody, shapeDiff, type OpenApiDocument } from '../support/openapi';
import { DAY_MS, insertGrievance, staffKey } from '../support/staff-fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';

const PROBLEM = 'application/problem+json';

describe('the OpenAPI document an integrator reads (/docs-json)', () => {
  let hub: TestHub;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
    doc = (await request(hub.url).get('/docs-json').expect(200)).body;
  });
  afterAll(() => hub.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );

  it('passes redocly lint with the recommended rules: no error, no warning', async () => {
    expect(await redoclyLint(doc)).toEqual([]);
  }, 30_000);

  it('declares the staff bearer key, so Swagger UI offers Authorize', () => {
    expect(doc.components).toMatchObject({
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    });
  });

  it('describes every error response as problem+json with the Problem schema', () => {
    const errors = operations().flatMap(({ path, method, op }) =>
      Object.entries(op.responses as Record<string, { content?: Record<string, unknown> }>)
        .filter(([status]) => /^[45]/.test(status))
        .map(([status, response]) => ({
          at: `${method.toUpperCase()} ${path} ${status}`,
          content: response.content,
        })),
    );
    expect(errors.length).toBeGreaterThan(operations().length);
    for (const { at, content } of errors) {
      expect({ at, content }).toEqual({
        at,
        content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } },
      });
    }
  });

  it('publishes a request body schema for every operation that takes a body', () => {
    const posts = operations().filter(({ method }) => method === 'post');
    const withoutBody = posts
      .filter(({ op }) => !op.requestBody)
      .map(({ method, path }) => `${method} ${path}`);
    // A reminder, a token re-issue, a delivery retry and revoking a partner key need nothing but
    // their path.
    expect(withoutBody).toEqual([
      'post /api/v1/complaints/{trackingId}/reminders',
      'post /api/v1/citizen/grievances/{trackingId}/access-token',
      'post /api/v1/citizen/grievances/{trackingId}/reminders',
      'post /api/v1/staff/dispatches/{id}/retry',
      'post /api/v1/staff/partner-apps/{id}/revoke',
    ]);
    const statusUpdates = doc.paths['/api/v1/portals/{portalCode}/status-updates'].post;
    expect(statusUpdates.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: expect.any(Object) } },
    });
  });

  it("lodges the body Swagger UI's Try it out builds from the schema", async () => {
    const op = doc.paths['/api/v1/complaints'].post as {
      requestBody: { content: Record<string, Record<string, unknown>> };
    };
    const body = sampleBody(doc, op.requestBody.content['application/json']);
    const res = await request(hub.url)
      .post('/api/v1/complaints')
      .send(body as object);
    expect({ status: res.status, errors: res.body.errors }).toEqual({
      status: 201,
      errors: undefined,
    });
  });

  it("unmasks with the body Swagger UI's Try it out builds from the schema", async () => {
    const grievance = await insertGrievance(hub, {
      createdAt: new Date(),
      complainant: { name: 'Asha Verma', mobile: '9876543210', email: null, address: 'Lucknow' },
    });
    const op = doc.paths['/api/v1/staff/complaints/{trackingId}/unmask'].post as {
      requestBody: { content: Record<string, Record<string, unknown>> };
    };
    const body = sampleBody(doc, op.requestBody.content['application/json']);
    await request(hub.url)
      .post(`/api/v1/staff/complaints/${grievance.trackingId}/unmask`)
      .set('Authorization', `Bearer ${await staffKey(hub, 'admin')}`)
      .send(body as object)
      .expect(200);
  });

  it('shows staff, SLA and reference-data examples shaped like the real responses', async () => {
    const key = await staffKey(hub, 'admin');
    const overdue = await insertGrievance(hub, {
      createdAt: new Date(Date.now() - 40 * DAY_MS),
      districtCode: '162',
      slaDueAt: new Date(Date.now() - 5 * DAY_MS),
      complainant: { name: 'Asha Verma', mobile: '9876543210', email: null, address: 'Lucknow' },
    });
    const failed = await insertGrievance(hub, {
      createdAt: new Date(),
      dispatchStatus: 'DISPATCH_FAILED',
    });
    const calls: [string, string, string, object?][] = [
      ['get', '/api/v1/staff/complaints', '/api/v1/staff/complaints'],
      [
        'get',
        '/api/v1/staff/complaints/{trackingId}',
        `/api/v1/staff/complaints/${overdue.trackingId}`,
      ],
      [
        'post',
        '/api/v1/staff/complaints/{trackingId}/unmask',
        `/api/v1/staff/complaints/${overdue.trackingId}/unmask`,
        { reason: 'Call back about the site visit' },
      ],
      [
        'post',
        '/api/v1/staff/dispatches/{id}/retry',
        `/api/v1/staff/dispatches/${failed.dispatchId}/retry`,
      ],
      ['get', '/api/v1/staff/portals', '/api/v1/staff/portals'],
      // The latest entry is then the portals view above.
      ['get', '/api/v1/staff/audit', '/api/v1/staff/audit'],
      ['get', '/api/v1/sla/summary', '/api/v1/sla/summary?state=09'],
      ['get', '/api/v1/sla/insights', '/api/v1/sla/insights?state=09'],
      ['get', '/api/v1/sla/district-index', '/api/v1/sla/district-index?state=09'],
      ['get', '/api/v1/sla/trend', '/api/v1/sla/trend'],
      ['get', '/api/v1/sla/breaches', '/api/v1/sla/breaches'],
      ['get', '/api/v1/public/figures', '/api/v1/public/figures'],
      ['get', '/api/v1/public/district-index', '/api/v1/public/district-index?state=09'],
      ['get', '/api/v1/categories', '/api/v1/categories'],
      ['get', '/api/v1/jurisdictions', '/api/v1/jurisdictions'],
    ];
    const differences: string[] = [];
    for (const [method, documented, path, body] of calls) {
      const agent = request(hub.url);
      const call = (method === 'post' ? agent.post(path) : agent.get(path)).set(
        'Authorization',
        `Bearer ${key}`,
      );
      const res = await (body ? call.send(body) : call);
      const responses = doc.paths[documented][method].responses as Record<
        string,
        { content?: { 'application/json'?: { example?: unknown } } }
      >;
      const example = responses[String(res.status)]?.content?.['application/json']?.example;
      if (example === undefined) differences.push(`${method} ${documented} ${res.status}: none`);
      else differences.push(...shapeDiff(example, res.body).map((d) => `${documented} ${d}`));
    }
    expect(differences).toEqual([]);
  });
});
