import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { TEST_CONFIG_DIR } from '../support/config-dir';
import { lodgeAndSettle } from '../support/delivery';
import { lucknowStreetlight } from '../support/fixtures';
import { waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';

// Citizen → hub → a city's Open311 system (the sandbox Lucknow Nagar Nigam) and back: the test
// config plus the LKO-NN portal and its routing rule, as config/ ships them.
function configWithLucknowNagarNigam(options: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-open311-'));
  cpSync(TEST_CONFIG_DIR, dir, { recursive: true, dereference: true });
  const shipped = parse(readFileSync(join(__dirname, '../../config/portals.yaml'), 'utf8'));
  const lko = shipped.portals.find((p: { code: string }) => p.code === 'LKO-NN');
  lko.poll = { everyMs: 100 };
  lko.options = { ...lko.options, ...options };
  const portals = parse(readFileSync(join(dir, 'portals.yaml'), 'utf8'));
  portals.portals.push(lko);
  writeFileSync(join(dir, 'portals.yaml'), stringify(portals));
  const routing = parse(readFileSync(join(dir, 'routing.yaml'), 'utf8'));
  const rule = parse(readFileSync(join(__dirname, '../../config/routing.yaml'), 'utf8')).rules.find(
    (r: { name: string }) => r.name === 'lucknow-municipal',
  );
  routing.rules.unshift(rule);
  writeFileSync(join(dir, 'routing.yaml'), stringify(routing));
  return dir;
}

describe('delivery to an Open311 city system (LKO-NN)', () => {
  let hub: TestHub;
  let dir: string;
  beforeAll(async () => {
    dir = configWithLucknowNagarNigam();
    hub = await startTestHub({ configDir: dir });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => Object.values(hub.sandboxes).forEach((s) => s.reset()));
  const city = () => hub.sandboxes['LKO-NN'];

  it('a Lucknow streetlight reaches the city (realtime), and the city’s notes come back', async () => {
    const { trackingId, accessToken, dispatch } = await lodgeAndSettle(hub);
    expect(dispatch).toMatchObject({
      portalCode: 'LKO-NN',
      status: 'DELIVERED',
      portalToken: null,
    });
    const [registered] = city().registrations();
    expect(dispatch.externalRef).toBe(registered.externalRef);
    expect(registered.clientRef).toBe(dispatch.id);

    city().recordStatus(registered.externalRef, 'investigating', {
      remarks: 'Zonal officer assigned',
    });
    city().recordStatus(registered.externalRef, 'fixed', { remarks: 'Lamp replaced on pole 14' });
    const view = await waitForStatus(hub, { trackingId, accessToken }, 'RESOLVED');
    expect(view.timeline.map((t) => [t.status, t.remarks])).toEqual(
      expect.arrayContaining([
        ['IN_PROGRESS', 'investigating: Zonal officer assigned'],
        ['RESOLVED', 'fixed: Lamp replaced on pole 14'],
      ]),
    );
  });

  it('a water-supply grievance goes to a batch service: token first, delivered once it resolves', async () => {
    const { dispatch } = await lodgeAndSettle(
      hub,
      lucknowStreetlight({ category: 'WATER_SUPPLY' }),
    );
    const [registered] = city().registrations();
    expect(dispatch).toMatchObject({
      status: 'DELIVERED',
      portalToken: `TKN-${registered.externalRef}`,
      externalRef: registered.externalRef,
    });
    expect(city().countByClientRef(dispatch.id)).toBe(1);
  });

  it('a timeout after the city accepted: found among its recent requests, not sent again, not flagged', async () => {
    city().injectFaults({ next: ['timeout-after-accept'], hangMs: 3_000 });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DELIVERED');
    expect(city().countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.possibleDuplicate).toBe(false);
    expect(dispatch.externalRef).toBe(city().registrations()[0].externalRef);
  });
});

describe('an Open311 city polled by reference (GET requests?service_request_id=…)', () => {
  let hub: TestHub;
  let dir: string;
  beforeAll(async () => {
    // GeoReport's own status only (no update feed): the hub asks for its open requests by id.
    // This city closes a request only once it is fixed, hence `closed` → RESOLVED here.
    dir = configWithLucknowNagarNigam({
      statusUpdates: 'requests',
      pollBy: 'reference',
      idsPerRequest: 2,
      statusMap: { closed: 'RESOLVED' },
    });
    hub = await startTestHub({ configDir: dir });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the city closes a request; its notes come back through the poll by id', async () => {
    const { trackingId, accessToken, dispatch } = await lodgeAndSettle(hub);
    const city = hub.sandboxes['LKO-NN'];
    const [registered] = city.registrations();
    expect(dispatch.externalRef).toBe(registered.externalRef);
    city.recordStatus(registered.externalRef, 'fixed', { remarks: 'Lamp replaced on pole 14' });
    const view = await waitForStatus(hub, { trackingId, accessToken }, 'RESOLVED');
    expect(view.timeline.at(-1)?.remarks).toContain('Lamp replaced on pole 14');
  });
});
