import request from 'supertest';
import { lucknowStreetlight } from './fixtures';
import type { TestHub } from './test-hub';
import { waitFor } from './wait';

/** Lodges a grievance (201 expected): its tracking id, access token and (first) dispatch's id. */
export async function lodgeDispatch(hub: TestHub, body: object = lucknowStreetlight()) {
  const res = await request(hub.url).post('/api/v1/complaints').send(body).expect(201);
  const complaint = await hub.prisma.complaint.findUniqueOrThrow({
    where: { trackingId: res.body.trackingId },
    include: { dispatches: true },
  });
  return {
    trackingId: res.body.trackingId as string,
    accessToken: res.body.accessToken as string,
    dispatchId: complaint.dispatches[0].id,
  };
}

/** Lodges a grievance and waits until its (first) dispatch is no longer PENDING. */
export async function lodgeAndSettle(hub: TestHub, body: object = lucknowStreetlight()) {
  const { trackingId, accessToken, dispatchId } = await lodgeDispatch(hub, body);
  const dispatch = await waitFor(
    async () => {
      const d = await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } });
      return d.status !== 'PENDING' ? d : undefined;
    },
    { what: 'the dispatch to settle' },
  );
  return { trackingId, accessToken, dispatch };
}
