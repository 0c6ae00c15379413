import request from 'supertest';
import type {
  CallOptions,
  OutboundGrievance,
  PortalAdapter,
  SubmitResult,
  TokenResult,
} from '../../adapters/adapter';
import { PortalRegistry } from '../../src/portals/portal-registry.service';
import { staffKey } from '../support/staff-fixtures';
import { lodgeAndSettle } from '../support/delivery';
import { waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

/**
 * UP-IGRS made asynchronous (as an Open311 `batch` service is): its submit answers a token, and
 * the reference comes from resolveToken once the portal has one. The registration itself is the
 * sandbox's, over real HTTP.
 */
function asynchronous(real: PortalAdapter, pendingAnswers: number) {
  const held = new Map<string, SubmitResult>();
  const seen = { submits: 0, resolves: 0 };
  const adapter: PortalAdapter = Object.assign(Object.create(real) as PortalAdapter, {
    async submit(g: OutboundGrievance, opts: CallOptions): Promise<TokenResult> {
      seen.submits++;
      const registered = (await real.submit(g, opts)) as SubmitResult;
      const token = `tok-${g.clientRef}`;
      held.set(token, registered);
      return { kind: 'token', token, acceptedAt: registered.acceptedAt, raw: { token } };
    },
    async resolveToken(token: string): Promise<SubmitResult | null> {
      seen.resolves++;
      return seen.resolves > pendingAnswers ? (held.get(token) ?? null) : null;
    },
  });
  return { adapter, seen };
}

describe('delivery to an asynchronous portal (submit answers a token)', () => {
  let hub: TestHub;
  let real: PortalAdapter;
  beforeAll(async () => {
    hub = await startTestHub();
    real = hub.app.get(PortalRegistry).get('UP-IGRS').adapter;
  });
  afterAll(() => hub.close());
  afterEach(() => {
    hub.app.get(PortalRegistry).get('UP-IGRS').adapter = real;
    Object.values(hub.sandboxes).forEach((s) => s.reset());
  });

  const up = () => hub.sandboxes['UP-IGRS'];
  const useAdapter = (adapter: PortalAdapter) =>
    (hub.app.get(PortalRegistry).get('UP-IGRS').adapter = adapter);

  it('keeps the token, asks for the reference on the retry schedule, never submits twice; statuses then apply', async () => {
    const { adapter, seen } = asynchronous(real, 2);
    useAdapter(adapter);
    const { trackingId, accessToken, dispatch } = await lodgeAndSettle(hub);

    expect(dispatch.status).toBe('DELIVERED');
    expect(dispatch.portalToken).toBe(`tok-${dispatch.id}`);
    expect(up().countByClientRef(dispatch.id)).toBe(1);
    expect(dispatch.externalRef).toBe(up().registrations()[0].externalRef);
    expect(seen).toEqual({ submits: 1, resolves: 3 });
    // One claim for the one submit: the attempts that waited for the token claimed nothing.
    expect(dispatch.attempts).toBe(1);

    const c = { trackingId, accessToken };
    const change = up().recordStatus(dispatch.externalRef!, 'Prakriyadheen');
    expect((await up().pushChanges(change)).status).toBe(202);
    const view = await waitForStatus(hub, c, 'IN_PROGRESS');
    expect(view.timeline.map((t) => t.status)).toEqual([
      'RECEIVED',
      'ROUTED',
      'DELIVERED',
      'IN_PROGRESS',
    ]);
  });

  it('a token that does not resolve in the attempts → failed, token kept; a staff retry resolves it without submitting again', async () => {
    const { adapter, seen } = asynchronous(real, 1_000);
    useAdapter(adapter);
    const { dispatch: failed } = await lodgeAndSettle(hub);
    expect(failed.status).toBe('DISPATCH_FAILED');
    expect(failed.portalToken).toBe(`tok-${failed.id}`);
    expect(failed.lastError).toMatch(/token pending/);
    expect(seen.submits).toBe(1);

    seen.resolves = 1_000; // the portal has now numbered it
    const key = await staffKey(hub, 'admin');
    await request(hub.url)
      .post(`/api/v1/staff/dispatches/${failed.id}/retry`)
      .set('Authorization', `Bearer ${key}`)
      .expect(202);
    const delivered = await waitFor(
      async () => {
        const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: failed.id } });
        return d.status === 'DELIVERED' ? d : undefined;
      },
      { what: 'the retried dispatch to be delivered' },
    );
    expect(seen.submits).toBe(1);
    expect(up().countByClientRef(failed.id)).toBe(1);
    expect(delivered.externalRef).toBe(up().registrations()[0].externalRef);
  });
});
