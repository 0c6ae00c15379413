import type { HubConfig, PortalConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { PortalPushAuth } from './portal-push-auth.service';

const LIMIT = 3;
const portal = { code: 'UP-IGRS', webhookSecret: 'current', previousWebhookSecret: null };

function statusOf(auth: PortalPushAuth, sourceAddress: string): number {
  try {
    auth.authenticate(
      portal as PortalConfig,
      {
        headers: {
          'x-hub-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-hub-signature': `sha256=${'0'.repeat(64)}`,
        },
        rawBody: Buffer.from('{}'),
        sourceAddress,
      },
      'test',
    );
    return 200;
  } catch (error) {
    return (error as DomainError).status;
  }
}

describe('the failed-signature throttle', () => {
  const newAuth = () =>
    new PortalPushAuth(
      { env: { portalAuthFailuresPerMinute: LIMIT } } as HubConfig,
      new HubMetrics(),
    );

  it('counts an IPv6 client by its /64: rotating the interface id does not buy new attempts', () => {
    const auth = newAuth();
    const statuses = Array.from({ length: LIMIT + 3 }, (_, i) =>
      statusOf(auth, `2001:db8:1:2::${(i + 1).toString(16)}`),
    );
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    // Another /64 is another client.
    expect(statusOf(auth, '2001:db8:1:3::1')).toBe(401);
  });

  it('counts an IPv4 client by its address, however the socket spells it', () => {
    const auth = newAuth();
    for (let i = 0; i < LIMIT; i++) expect(statusOf(auth, '203.0.113.7')).toBe(401);
    expect(statusOf(auth, '::ffff:203.0.113.7')).toBe(429);
    expect(statusOf(auth, '203.0.113.8')).toBe(401);
  });
});
