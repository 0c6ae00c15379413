import request from 'supertest';
import { redoclyLint, sampleBody, type OpenApiDocument } from '../support/openapi';
import { staffKey, insertGrievance } from '../support/staff-fixtures';
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
    // A reminder and a delivery retry need nothing but their path.
    expect(withoutBody).toEqual([
      'post /api/v1/complaints/{trackingId}/reminders',
      'post /api/v1/staff/dispatches/{id}/retry',
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
});
