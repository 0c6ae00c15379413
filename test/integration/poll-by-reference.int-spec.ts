import type { Cursor, PollScope, PortalAdapter } from '../../adapters/adapter';
import type { InboundService } from '../../src/inbound/inbound.service';
import { PollRepository } from '../../src/inbound/poll.repository';
import { StatusPoller } from '../../src/inbound/status-poller.service';
import type { StatusQueues } from '../../src/inbound/status-queues.service';
import type { BackgroundHealth } from '../../src/platform/health/background-health';
import type { PortalRegistry } from '../../src/portals/portal-registry.service';
import { useMedium } from '../support/medium';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';

/**
 * Medium tier: polling by reference (PortalAdapter.pollByReference). The real PollRepository on
 * a private database under the StatusPoller, with an adapter that records the references each
 * poll is given: every open one is reached over successive polls, closed ones never.
 */
describe('polling a portal by its open references', () => {
  const medium = useMedium();
  const PORTAL = 'CITY-A';
  const createdAt = new Date(Date.now() - 5 * DAY_MS);
  const grievance = (
    ref: string | null,
    status: string,
    extra: { portal?: string; dispatchStatus?: 'PENDING' | 'DELIVERED' | 'DISPATCH_FAILED' } = {},
  ) =>
    insertGrievance(medium, {
      portal: extra.portal ?? PORTAL,
      status,
      createdAt,
      externalRef: ref,
      dispatchStatus: extra.dispatchStatus ?? 'DELIVERED',
    });

  const OPEN = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'];
  beforeAll(async () => {
    const statuses = ['DELIVERED', 'IN_PROGRESS', 'TRANSFERRED', 'APPEALED', 'DELIVERED'];
    for (const [i, ref] of OPEN.entries()) await grievance(ref, statuses[i]);
    // Closed grievances: the portal need not be asked about them again.
    await grievance('A-resolved', 'RESOLVED');
    await grievance('A-rejected', 'REJECTED');
    await grievance('A-closed', 'CLOSED');
    // Not delivered (no reference yet, or given up) and another portal's.
    await grievance(null, 'ROUTED', { dispatchStatus: 'PENDING' });
    await grievance(null, 'DISPATCH_FAILED', { dispatchStatus: 'DISPATCH_FAILED' });
    await grievance('B-1', 'DELIVERED', { portal: 'CITY-B' });
  });

  function pollerWith(adapter: PortalAdapter) {
    const registry = {
      get: () => ({ config: { code: PORTAL, delivery: { timeoutMs: 1_000 } }, adapter }),
    } as unknown as PortalRegistry;
    const inbound = { ingest: async () => [] } as unknown as InboundService;
    return new StatusPoller(
      registry,
      {} as StatusQueues,
      inbound,
      new PollRepository(medium.prisma),
      {} as BackgroundHealth,
    );
  }

  /** An adapter polling by reference, 2 at a time, recording each poll's scope. */
  function recordingAdapter(fail = () => false) {
    const scopes: PollScope[] = [];
    const adapter: PortalAdapter = {
      kind: 'test',
      pollByReference: { perPoll: 2 },
      submit: () => Promise.reject(new Error('not used')),
      healthCheck: async () => ({ ok: true }),
      fetchUpdates: async (since: Cursor, _opts, scope) => {
        scopes.push(scope!);
        if (fail()) throw new Error('portal down');
        return { events: [], next: since };
      },
    };
    return { adapter, scopes };
  }

  it('pages through every open reference, skipping closed and undelivered ones, then starts again', async () => {
    const { adapter, scopes } = recordingAdapter();
    const poller = pollerWith(adapter);
    for (let i = 0; i < 4; i++) await poller.pollOnce(PORTAL, `poll-${i}`);
    const pages = scopes.map((s) => [...s.openRefs]);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1, 2]);
    // One round reaches each open reference exactly once; the fourth poll starts over.
    expect(pages.slice(0, 3).flat().sort()).toEqual(OPEN);
    expect(pages[3]).toEqual(pages[0]);
  });

  it('a failed poll asks about the same references again', async () => {
    await medium.prisma.pollCursor.deleteMany({ where: { portalCode: PORTAL } });
    let failing = false;
    const { adapter, scopes } = recordingAdapter(() => failing);
    const poller = pollerWith(adapter);
    await poller.pollOnce(PORTAL, 'first');
    failing = true;
    await expect(poller.pollOnce(PORTAL, 'fails')).rejects.toThrow('portal down');
    failing = false;
    await poller.pollOnce(PORTAL, 'retried');
    expect(scopes[2].openRefs).toEqual(scopes[1].openRefs);
    expect(scopes[1].openRefs).not.toEqual(scopes[0].openRefs);
  });

  it('tells the adapter which references of a feed are the hub’s own at that portal, in any state', async () => {
    const { adapter, scopes } = recordingAdapter();
    await pollerWith(adapter).pollOnce(PORTAL, 'ours');
    const own = await scopes[0].ours(['A-1', 'A-resolved', 'B-1', 'someone-else', 'A-closed']);
    expect([...own].sort()).toEqual(['A-1', 'A-closed', 'A-resolved']);
  });

  it('an adapter without pollByReference gets no scope', async () => {
    const calls: unknown[][] = [];
    const adapter: PortalAdapter = {
      kind: 'test',
      submit: () => Promise.reject(new Error('not used')),
      healthCheck: async () => ({ ok: true }),
      fetchUpdates: async (...args: unknown[]) => (calls.push(args), { events: [], next: null }),
    };
    await pollerWith(adapter).pollOnce(PORTAL, 'plain');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(2);
  });
});
