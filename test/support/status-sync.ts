import request from 'supertest';
import { signPortalPayload } from '../../adapters/push-signature';
import type { TestHub } from './test-hub';
import { waitFor } from './wait';

export interface Lodged {
  trackingId: string;
  accessToken: string;
  portalCode: string;
  externalRef: string;
  view: TrackedView;
}

export interface TrackedView {
  status: string;
  createdAt: string;
  slaDueAt: string;
  closedAt: string | null;
  dispatches: {
    portalCode: string;
    externalRef: string | null;
    status: string;
    lastSyncedAt: string | null;
    primary: boolean;
  }[];
  timeline: { at: string; status: string; source: string; remarks: string | null }[];
}

export async function track(hub: TestHub, c: { trackingId: string; accessToken: string }) {
  const res = await request(hub.url)
    .get(`/api/v1/complaints/${c.trackingId}`)
    .set('X-Access-Token', c.accessToken)
    .expect(200);
  return res.body as TrackedView;
}

export function waitForStatus(
  hub: TestHub,
  c: { trackingId: string; accessToken: string },
  status: string,
) {
  return waitFor(
    async () => {
      const view = await track(hub, c);
      return view.status === status ? view : undefined;
    },
    { what: `${c.trackingId} to be ${status}` },
  );
}

/** Lodges a grievance and waits until its portal has registered it. */
export async function lodgeDelivered(hub: TestHub, body: object): Promise<Lodged> {
  const res = await request(hub.url).post('/api/v1/complaints').send(body).expect(201);
  const created = res.body as { trackingId: string; accessToken: string };
  const view = await waitForStatus(hub, created, 'DELIVERED');
  const d = view.dispatches.find((x) => x.primary)!;
  return { ...created, portalCode: d.portalCode, externalRef: d.externalRef!, view };
}

/** A push signed as a portal would sign it; `secret`/`timestamp` override to forge one. */
export function signedPush(
  hub: TestHub,
  portalCode: string,
  body: unknown,
  opts: { secret?: string; timestamp?: number } = {},
) {
  const raw = JSON.stringify(body);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret =
    opts.secret ?? hub.config.portals.find((p) => p.code === portalCode)?.webhookSecret ?? 'none';
  return request(hub.url)
    .post(`/api/v1/portals/${portalCode}/status-updates`)
    .set('Content-Type', 'application/json')
    .set('X-Hub-Timestamp', String(timestamp))
    .set('X-Hub-Signature', signPortalPayload(secret, timestamp, raw))
    .send(raw);
}

/** Waits until every stored inbound event has been processed. */
export function settled(hub: TestHub) {
  return waitFor(
    async () => (await hub.prisma.inboundEvent.count({ where: { processedAt: null } })) === 0,
    { what: 'inbound events to be processed' },
  );
}
