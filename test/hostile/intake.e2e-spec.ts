import fc from 'fast-check';
import request from 'supertest';
import { lucknowStreetlight } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/test-hub';
import {
  INERT_PAYLOADS,
  RUNS,
  expectCleanRefusal,
  expectNoServerError,
  rowCounts,
  scriptText,
} from './hostile-support';

const PATH = '/api/v1/complaints';
/** Every leaf of a valid body, so a mutation can hit each of them. */
const FIELD_PATHS = [
  ['complainant'],
  ['complainant', 'name'],
  ['complainant', 'mobile'],
  ['complainant', 'email'],
  ['complainant', 'language'],
  ['subject'],
  ['description'],
  ['category'],
  ['location'],
  ['location', 'stateCode'],
  ['location', 'districtCode'],
  ['location', 'pincode'],
  ['location', 'address'],
  ['ministryCode'],
  ['consent'],
];

function setPath(body: Record<string, unknown>, path: readonly string[], value: unknown) {
  const copy = structuredClone(body);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

function nested(depth: number, open: string, close: string, leaf = '1') {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

describe('hostile input: intake', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // api role only: nothing is delivered, so row counts show exactly what intake wrote.
    hub = await startTestHub({ env: { HUB_ROLE: 'api' } });
  });
  afterAll(() => hub.close());

  const postRaw = (body: string, contentType = 'application/json') =>
    request(hub.url).post(PATH).set('Content-Type', contentType).send(body);

  /** Sends, then checks: 201 wrote exactly one complaint; anything else wrote nothing. */
  async function sendAndCheck(send: () => Promise<request.Response>) {
    const before = await rowCounts(hub);
    const res = await send();
    expectNoServerError(res);
    const after = await rowCounts(hub);
    if (res.status === 201) expect(after.complaints).toBe(before.complaints + 1);
    else expect(after).toEqual(before);
    return res;
  }

  it('random JSON documents are refused cleanly and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 4 }), async (json) => {
        const res = await sendAndCheck(() => postRaw(json));
        expect(res.status).not.toBe(201);
      }),
      RUNS,
    );
  });

  it('random bytes labelled as JSON are refused cleanly and write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const res = await sendAndCheck(() => postRaw(text));
        expect(res.status).not.toBe(201);
      }),
      RUNS,
    );
  });

  it('a valid body with one field replaced by any JSON value or removed: never a 5xx', async () => {
    const valid = lucknowStreetlight();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIELD_PATHS),
        fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
        async (path, value) => {
          await sendAndCheck(() => postRaw(JSON.stringify(setPath(valid, path, value))));
        },
      ),
      RUNS,
    );
  });

  it('control characters in any free-text field are refused', async () => {
    const control = fc
      .integer({ min: 0, max: 0x1f })
      .filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d)
      .map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['subject'],
          ['description'],
          ['complainant', 'name'],
          ['location', 'address'],
        ),
        fc.oneof(control, fc.constant('\u007f')),
        async (path, ch) => {
          const body = setPath(lucknowStreetlight(), path, `Streetlights ${ch} are off today`);
          const res = await sendAndCheck(() => postRaw(JSON.stringify(body)));
          expect(res.status).toBe(400);
        },
      ),
      RUNS,
    );
  });

  it('Hindi, Tamil, Bengali, Urdu and emoji text round-trips exactly', async () => {
    await fc.assert(
      fc.asyncProperty(scriptText(3, 150), scriptText(8, 600), async (subject, description) => {
        const res = await sendAndCheck(() =>
          postRaw(JSON.stringify(lucknowStreetlight({ subject, description }))),
        );
        expect(res.status).toBe(201);
        const view = await request(hub.url)
          .get(`${PATH}/${res.body.trackingId}`)
          .set('X-Access-Token', res.body.accessToken)
          .expect(200);
        expect(view.body.subject).toBe(subject);
        const row = await hub.prisma.complaint.findUniqueOrThrow({
          where: { trackingId: res.body.trackingId },
          select: { subject: true, description: true },
        });
        expect(row).toEqual({ subject, description });
      }),
      { numRuns: 15 },
    );
  });

  it.each(INERT_PAYLOADS)('stores %j inert and returns it unchanged', async (payload) => {
    const description = `Details follow: ${payload}`;
    const res = await sendAndCheck(() =>
      postRaw(JSON.stringify(lucknowStreetlight({ subject: payload, description }))),
    );
    expect(res.status).toBe(201);
    const view = await request(hub.url)
      .get(`${PATH}/${res.body.trackingId}`)
      .set('X-Access-Token', res.body.accessToken)
      .expect(200);
    expect(view.headers['content-type']).toMatch(/^application\/json/);
    expect(view.body.subject).toBe(payload);
    const row = await hub.prisma.complaint.findUniqueOrThrow({
      where: { trackingId: res.body.trackingId },
      select: { description: true },
    });
    expect(row.description).toBe(description);
  });

  it('prototype-pollution keys are refused and pollute nothing', async () => {
    const bodies = [
      '{"__proto__": {"polluted": true}}',
      JSON.stringify(lucknowStreetlight()).replace(/}$/, ',"__proto__":{"polluted":true}}'),
      JSON.stringify(lucknowStreetlight()).replace(
        /}$/,
        ',"constructor":{"prototype":{"polluted":true}}}',
      ),
      JSON.stringify({
        ...lucknowStreetlight(),
        complainant: { ...lucknowStreetlight().complainant, __proto__: { isAdmin: true } },
      }).replace('"complainant":{', '"complainant":{"__proto__":{"isAdmin":true},'),
    ];
    for (const body of bodies) {
      const res = await sendAndCheck(() => postRaw(body));
      expectCleanRefusal(res);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it.each([
    ['arrays', '[', ']'],
    ['objects', '{"a":', '}'],
  ])(
    'deeply nested %s (5,000 levels) anywhere in the body are refused',
    async (_n, open, close) => {
      const deep = nested(5_000, open, close);
      const valid = JSON.stringify(lucknowStreetlight());
      for (const body of [
        deep,
        valid.replace(/}$/, `,"extra":${deep}}`),
        valid.replace('"consent":true', `"consent":${deep}`),
        valid.replace(/"complainant":\{[^}]*\}/, `"complainant":${deep}`),
      ]) {
        const res = await sendAndCheck(() => postRaw(body));
        expectCleanRefusal(res);
      }
    },
  );

  it('huge strings: over the field limits → 400, over 64 KiB → 413, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['subject'], ['description'], ['complainant', 'name'], ['category']),
        fc.integer({ min: 8_001, max: 200_000 }),
        async (path, length) => {
          const body = setPath(lucknowStreetlight(), path, 'अ'.repeat(length));
          const res = await sendAndCheck(() => postRaw(JSON.stringify(body)));
          expect(res.status).toBe(Buffer.byteLength(JSON.stringify(body)) > 65_536 ? 413 : 400);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('an oversize body sent chunked (no Content-Length) is refused with 413', async () => {
    const res = await sendAndCheck(
      () =>
        new Promise<request.Response>((resolve, reject) => {
          const req = request(hub.url).post(PATH).set('Content-Type', 'application/json');
          req.set('Transfer-Encoding', 'chunked');
          req.write('{"subject":"');
          for (let i = 0; i < 20; i++) req.write('x'.repeat(8_192));
          req.write('"}');
          req.end((err, res) => (res ? resolve(res) : reject(err)));
        }),
    );
    expect(res.status).toBe(413);
  });

  it('wrong content types are refused with 415 (or 400) and write nothing', async () => {
    const body = JSON.stringify(lucknowStreetlight());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'text/html',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/octet-stream',
          'application/jsonp',
          'application/json; charset=utf-16',
          'application/json; charset=latin-9000',
          'application/*',
        ),
        async (contentType) => {
          const res = await sendAndCheck(() => postRaw(body, contentType));
          expectCleanRefusal(res);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('a body without a content type is refused cleanly', async () => {
    const res = await sendAndCheck(() =>
      request(hub.url)
        .post(PATH)
        .set('Content-Type', '')
        .send(Buffer.from(JSON.stringify(lucknowStreetlight()))),
    );
    expectCleanRefusal(res);
  });

  it('hostile Idempotency-Key headers are refused or honoured, never a 5xx', async () => {
    const body = JSON.stringify(lucknowStreetlight());
    // fast-check repeats favourite strings ("constructor", "__proto__"): a key it already used
    // with this body must replay the first answer and write nothing.
    const accepted = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'binary-ascii', minLength: 1, maxLength: 300 })
          // Only what an HTTP client can put in a header value.
          .filter((k) => /^[\x20-\x7e]+$/.test(k) && k.trim() === k),
        async (key) => {
          const first = accepted.get(key);
          if (first) {
            const before = await rowCounts(hub);
            const replay = await postRaw(body).set('Idempotency-Key', key);
            expect(replay.status).toBe(201);
            expect(replay.body.trackingId).toBe(first);
            expect(await rowCounts(hub)).toEqual(before);
            return;
          }
          const res = await sendAndCheck(() => postRaw(body).set('Idempotency-Key', key));
          if (res.status === 201) accepted.set(key, res.body.trackingId);
        },
      ),
      RUNS,
    );
  });
});
