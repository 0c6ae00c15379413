import type { PortalAdapter, PushVerdict } from '../../adapters/adapter';
import { signPortalPayload } from '../../adapters/push-signature';
import type { HubConfig, PortalConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import { HubMetrics } from '../platform/metrics/metrics.service';
import { PortalPushAuth } from './portal-push-auth.service';

type Verify = NonNullable<PortalAdapter['verifyPush']>;

const portal = {
  code: 'KA-SPANDANA',
  webhookSecret: 'current',
  previousWebhookSecret: 'old',
} as PortalConfig;
const body = Buffer.from('{"events":[]}');

// A portal that signs its own way: a bearer of the secret in X-Portal-Token.
const tokenVerifier =
  (seen: unknown[]): Verify =>
  (rawBody, headers, secrets) => {
    seen.push({ rawBody: rawBody.toString(), secrets });
    const i = secrets.indexOf(String(headers['x-portal-token']));
    return i >= 0
      ? { ok: true, secretIndex: i }
      : ({ ok: false, reason: 'bad-token', detail: 'X-Portal-Token is wrong' } as PushVerdict);
  };

function thrown(call: () => void): DomainError {
  try {
    call();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('PortalPushAuth delegates the signature check to the adapter', () => {
  let auth: PortalPushAuth;
  let metrics: HubMetrics;
  let address = 0;
  const req = (headers: Record<string, string>) => ({
    headers,
    rawBody: body,
    sourceAddress: `10.0.0.${++address}`,
  });
  beforeEach(() => {
    metrics = new HubMetrics();
    const config = { env: { portalAuthFailuresPerMinute: 2 } } as HubConfig;
    auth = new PortalPushAuth(config, metrics);
  });

  it('uses the adapter’s verifier with the raw bytes and current + previous secrets', () => {
    const seen: unknown[] = [];
    expect(() =>
      auth.authenticate(portal, req({ 'x-portal-token': 'old' }), 'c1', tokenVerifier(seen)),
    ).not.toThrow();
    expect(seen).toEqual([{ rawBody: body.toString(), secrets: ['current', 'old'] }]);
  });

  it('refuses with the adapter’s own detail (401), and still throttles failing addresses (more than 2 a minute)', () => {
    const verify = tokenVerifier([]);
    const from = req({ 'x-portal-token': 'nope' });
    const first = thrown(() => auth.authenticate(portal, from, 'c2', verify));
    expect(first).toMatchObject({ status: 401, code: 'invalid-signature' });
    expect(first.message).toBe('X-Portal-Token is wrong');
    thrown(() => auth.authenticate(portal, from, 'c3', verify));
    expect(thrown(() => auth.authenticate(portal, from, 'c3b', verify))).toMatchObject({
      status: 429,
    });
    const blocked = thrown(() =>
      auth.authenticate(
        portal,
        { ...from, headers: { 'x-portal-token': 'current' } },
        'c4',
        verify,
      ),
    );
    expect(blocked).toMatchObject({ status: 429 });
  });

  it('defaults to the hub’s HMAC scheme', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = {
      'x-hub-timestamp': String(timestamp),
      'x-hub-signature': signPortalPayload('current', timestamp, body),
    };
    expect(() => auth.authenticate(portal, req(signed), 'c5')).not.toThrow();
    const error = thrown(() =>
      auth.authenticate(portal, req({ 'x-portal-token': 'current' }), 'c6'),
    );
    expect(error.message).toBe('X-Hub-Timestamp and X-Hub-Signature are required');
  });
});
