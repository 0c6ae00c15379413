import { PermanentError, type PortalAdapter } from '../../adapters/adapter';
import { PortalRegistry } from '../../src/portals/portal-registry.service';
import { lodgeAndSettle } from '../support/delivery';
import { startTestHub, type TestHub } from '../support/test-hub';

// A lookup the portal refuses for good (a SOAP Client fault: PermanentError) after an ambiguous
// submit: the dispatch fails at once, is not submitted again, and stays marked in flight.
describe('a lookup refused by the portal after an ambiguous submit', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.close());

  it('fails the dispatch without a second submit, saying the lookup was refused', async () => {
    const portal = hub.app.get(PortalRegistry).get('UP-IGRS');
    const real = portal.adapter;
    let lookups = 0;
    portal.adapter = Object.assign(Object.create(real) as PortalAdapter, {
      lookup: () => {
        lookups++;
        return Promise.reject(
          new PermanentError('UP-IGRS lookup: SOAP fault Client (operation not permitted)', {
            portalMessage: 'operation not permitted',
            httpStatus: 500,
          }),
        );
      },
    });
    const up = hub.sandboxes['UP-IGRS'];
    up.injectFaults({ next: ['timeout-after-accept'], hangMs: 3_000 });
    const { dispatch } = await lodgeAndSettle(hub);
    expect(dispatch.status).toBe('DISPATCH_FAILED');
    expect(lookups).toBe(1);
    expect(up.countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.lastError).toBe(
      'UP-IGRS refused to say whether it has the grievance: operation not permitted',
    );
    expect(dispatch.inFlightSince).not.toBeNull();
  });
});
