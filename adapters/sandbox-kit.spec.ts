import axios from 'axios';
import { startSandboxServer, type SandboxPortal } from './sandbox-kit';

// A minimal portal: the kit's behaviour (faults, credential, control endpoints) is shared by all.
function startToyPortal(): Promise<SandboxPortal> {
  return startSandboxServer(
    {
      kind: 'toy',
      error: (status, message) => ({ status, message }),
      validationFaultMessage: 'name has characters that are not allowed',
      routes: [
        {
          method: 'POST',
          path: '/submit',
          submit: true,
          handle: ({ body }, store) => {
            const ref = `TOY-${store.nextSerial()}`;
            store.register({
              externalRef: ref,
              clientRef: (body as { ref: string }).ref,
              body,
              nativeStatus: 'New',
            });
            return { status: 201, body: { ref } };
          },
        },
        {
          method: 'GET',
          path: '/things/:id',
          handle: ({ params }) => ({ status: 200, body: params }),
        },
      ],
    },
    { credential: { header: 'X-API-Key', value: 'k' } },
  );
}

describe('sandbox kit', () => {
  let portal: SandboxPortal;
  const http = axios.create({ validateStatus: () => true, headers: { 'X-API-Key': 'k' } });
  const submit = (ref = 'c1', timeout = 2_000) =>
    http.post(`${portal.url}/submit`, { ref }, { timeout });

  beforeAll(async () => {
    portal = await startToyPortal();
  });
  afterEach(() => portal.reset());
  afterAll(() => portal.close());

  it('listens on an ephemeral port of 127.0.0.1 and checks the credential', async () => {
    expect(portal.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await axios.post(
      `${portal.url}/submit`,
      { ref: 'c1' },
      { validateStatus: () => true },
    );
    expect(res.status).toBe(401);
    expect(res.data.message).toBe('Missing or invalid X-API-Key');
    expect(portal.registrations()).toEqual([]);
  });

  it('is naive: the same client reference twice makes two registrations', async () => {
    await submit('dup');
    await submit('dup');
    expect(portal.countByClientRef('dup')).toBe(2);
  });

  it('consumes one fault per submit, then behaves', async () => {
    portal.injectFaults({ next: ['http-503', 'http-500', 'http-429', 'http-400', 'ok'] });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await submit()).status);
    expect(statuses).toEqual([503, 500, 429, 400, 201, 201]);
    expect(portal.countByClientRef('c1')).toBe(2);
  });

  it('answers 429 with Retry-After and 400 with a realistic validation message', async () => {
    portal.injectFaults({ next: ['http-429', 'http-400'] });
    expect((await submit()).headers['retry-after']).toBe('1');
    expect((await submit()).data.message).toBe('name has characters that are not allowed');
  });

  it('timeout-after-accept registers and holds; timeout-before-accept and drop-connection do not register', async () => {
    portal.injectFaults({
      next: ['timeout-after-accept', 'timeout-before-accept', 'drop-connection'],
      hangMs: 5_000,
    });
    for (const ref of ['after', 'before', 'drop']) {
      await expect(submit(ref, 150)).rejects.toMatchObject({
        code: expect.stringMatching(/ECONNABORTED|ECONNRESET/),
      });
    }
    expect(portal.registrations().map((r) => r.clientRef)).toEqual(['after']);
  });

  it('down → every request 503; latency delays every answer', async () => {
    portal.injectFaults({ down: true });
    expect((await http.get(`${portal.url}/things/1`)).status).toBe(503);
    portal.injectFaults({ latencyMs: 150 });
    const started = Date.now();
    expect((await http.get(`${portal.url}/things/1`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('decodes path segments (portal references contain slashes)', async () => {
    const res = await http.get(`${portal.url}/things/${encodeURIComponent('MH/2026/AS/000001')}`);
    expect(res.data).toEqual({ id: 'MH/2026/AS/000001' });
  });

  it('has control endpoints over HTTP', async () => {
    expect((await http.post(`${portal.url}/__sandbox/faults`, { next: ['http-500'] })).status).toBe(
      204,
    );
    expect((await submit()).status).toBe(500);
    const bad = await http.post(`${portal.url}/__sandbox/faults`, { next: ['explode'] });
    expect(bad.status).toBe(400);
    expect(bad.data.message).toMatch(/unknown fault "explode"/);
    await submit('c9');
    const listed = await http.get(`${portal.url}/__sandbox/registrations`);
    expect(listed.data).toEqual([
      expect.objectContaining({
        externalRef: expect.stringMatching(/^TOY-/),
        clientRef: 'c9',
        body: { ref: 'c9' },
      }),
    ]);
    await http.post(`${portal.url}/__sandbox/reset`);
    expect(portal.registrations()).toEqual([]);
  });

  it('answers 400 to a body that is not JSON and 404 to an unknown endpoint', async () => {
    const res = await http.post(`${portal.url}/submit`, '{nope', {
      headers: { 'Content-Type': 'application/json' },
      transformRequest: (d) => d,
    });
    expect(res.status).toBe(400);
    expect((await http.get(`${portal.url}/nothing`)).status).toBe(404);
  });

  it('refuses an unknown fault in code too', () => {
    expect(() => portal.injectFaults({ next: ['boom' as never] })).toThrow(/unknown fault "boom"/);
  });

  it('closes without waiting out a response it is holding', async () => {
    const other = await startToyPortal();
    // Held far longer than the test may run: close() must release it, not wait for it.
    other.injectFaults({ next: ['timeout-after-accept'], hangMs: 3_600_000 });
    const pending = http.post(`${other.url}/submit`, { ref: 'held' }).catch((e: Error) => e);
    // Accepted (registered) and now held: the reply waits for the hang.
    while (other.registrations().length === 0) await new Promise((r) => setImmediate(r));
    await other.close();
    // The held reply was never sent: the client sees its connection closed, not the 201.
    expect(await pending).toBeInstanceOf(Error);
    expect(other.registrations().map((r) => r.clientRef)).toEqual(['held']);
  });
});
