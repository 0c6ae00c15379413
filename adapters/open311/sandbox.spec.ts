import axios from 'axios';
import { isTokenResult } from '../adapter';
import { startWithAdapter, type SandboxedAdapter } from '../testing/sandbox-harness';
import { CALL, failure, outbound } from '../testing/fixtures';
import { createOpen311Adapter } from './open311.adapter';
import { startOpen311Sandbox } from './sandbox';

// The open311 adapter against the sandbox city server, over real HTTP.
const portal = (options: Record<string, unknown> = {}) => ({
  kind: 'open311',
  code: 'LKO-NN',
  credential: { header: 'api_key', value: 'lko-key' },
  options: {
    jurisdictionId: 'lmc.up.nic.in',
    serviceCodes: { MUNICIPAL_SERVICES: 'SL01', WATER_SUPPLY: 'WS01' },
    ...options,
  },
});

describe('open311 sandbox city server', () => {
  let live: SandboxedAdapter;
  const start = async (options: Record<string, unknown> = {}) => {
    const p = portal(options);
    live = await startWithAdapter(startOpen311Sandbox, createOpen311Adapter, p, {
      portalOptions: p.options,
    });
  };
  afterEach(() => live.sandbox.close());

  it('a batch service: a token at once, the id once the batch has run', async () => {
    await start();
    const answer = await live.adapter.submit(outbound({ category: 'WATER_SUPPLY' }), CALL);
    if (!isTokenResult(answer)) throw new Error('expected a token');
    expect(await live.adapter.resolveToken!(answer.token, CALL)).toBeNull();
    const resolved = await live.adapter.resolveToken!(answer.token, CALL);
    expect(resolved?.externalRef).toBe(live.sandbox.registrations()[0].externalRef);
  });

  it.each(['xml', 'json'] as const)(
    'status notes through servicerequestupdates (%s), only for the hub’s requests',
    async (format) => {
      await start({ format, statusUpdates: 'servicerequestupdates' });
      const mine = await live.adapter.submit(outbound(), CALL);
      const ref = mine.externalRef!;
      live.sandbox.recordStatus(ref, 'investigating', { remarks: 'Zonal officer assigned' });
      live.sandbox.recordStatus(ref, 'fixed', { remarks: 'Lamp replaced' });
      const { events, next } = await live.adapter.fetchUpdates!(null, CALL);
      expect(events.map((e) => [e.externalRef, e.status, e.remarks])).toEqual([
        [ref, 'IN_PROGRESS', 'Zonal officer assigned'],
        [ref, 'RESOLVED', 'Lamp replaced'],
      ]);
      // The next poll starts after the last update: nothing new, nothing again.
      expect((await live.adapter.fetchUpdates!(next, CALL)).events).toEqual([]);
    },
  );

  it('after a timeout once the city accepted, findSubmitted finds it by our reference', async () => {
    await start();
    live.sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 2_000 });
    const g = outbound({ clientRef: 'disp_amb' });
    await failure(() => live.adapter.submit(g, { ...CALL, timeoutMs: 300 }));
    const found = await live.adapter.findSubmitted!(g, CALL);
    expect(found?.externalRef).toBe(live.sandbox.registrations()[0].externalRef);
    expect(
      await live.adapter.findSubmitted!(outbound({ clientRef: 'disp_other' }), CALL),
    ).toBeNull();
  });

  it('answers the spec’s errors: jurisdiction missing (400) or unknown (404), in the asked format', async () => {
    await start();
    const missing = await axios.get(`${live.sandbox.url}/services.json`, {
      validateStatus: () => true,
    });
    expect(missing.status).toBe(400);
    expect(missing.data).toEqual([{ code: 400, description: 'jurisdiction_id was not provided' }]);
    const unknown = await axios.get(
      `${live.sandbox.url}/requests.xml?jurisdiction_id=bbmp.gov.in`,
      {
        validateStatus: () => true,
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/text\/xml/);
    expect(unknown.data).toContain(
      '<description>jurisdiction_id bbmp.gov.in not found</description>',
    );
  });
});
