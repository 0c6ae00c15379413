import type { ExecutionContext } from '@nestjs/common';
import { partnerKeyOf, throttleLimit, throttleTracker, type PartnerRequest } from './partner-key';

// A Fastify request; what PartnerKeyMiddleware found is on its raw request.
const req = (r: Record<string, unknown>) => {
  const { partnerApp, partnerKeyRefused, ...rest } = r;
  return {
    headers: {},
    query: {},
    ...rest,
    raw: { partnerApp, partnerKeyRefused },
  } as unknown as PartnerRequest;
};
const context = (r: PartnerRequest) =>
  ({ switchToHttp: () => ({ getRequest: () => r }) }) as unknown as ExecutionContext;
const app = { id: 'a1', name: 'Civic app', rateLimitPerMinute: 600 };

describe('which partner key a request carries', () => {
  it.each([
    ['the X-Api-Key header', { headers: { 'x-api-key': ' gpk_h ' } }, 'gpk_h'],
    ["Open311's api_key in the form", { body: { api_key: 'gpk_b' } }, 'gpk_b'],
    ["Open311's api_key in the query", { query: { api_key: 'gpk_q' } }, 'gpk_q'],
    [
      'the header before the form',
      { headers: { 'x-api-key': 'gpk_h' }, body: { api_key: 'gpk_b' } },
      'gpk_h',
    ],
    ['none', {}, null],
    ['api_key given twice (an array): none', { body: { api_key: ['a', 'b'] } }, null],
  ])('%s', (_what, r, key) => {
    expect(partnerKeyOf(req(r))).toBe(key);
  });
});

describe('what the throttler counts', () => {
  it('a partner app: its own counter at its own limit', () => {
    const r = req({ partnerApp: app, ip: '10.0.0.1' });
    expect(throttleTracker(r as unknown as Record<string, unknown>)).toBe('partner:a1');
    expect(throttleLimit(60)(context(r))).toBe(600);
  });

  it('anyone else: the client address at the default limit', () => {
    const r = req({ ip: '10.0.0.1', partnerKeyRefused: true });
    expect(throttleTracker(r as unknown as Record<string, unknown>)).toBe('10.0.0.1');
    expect(throttleLimit(60)(context(r))).toBe(60);
  });
});
