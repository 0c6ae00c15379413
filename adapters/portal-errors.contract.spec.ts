import axios from 'axios';
import nock from 'nock';
import { PermanentError, RetryableError } from './adapter';
import { oauth2ClientCredentials, staticKey, type PortalAuth } from './portal-auth';
import { PortalClient, type PortalClientOptions } from './portal-client';
import { AAPLE_SARKAR_OPTIONS } from './state-portal-rest/sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest/state-portal-rest.adapter';
import { useNock } from './testing/contract-kit';
import { CALL, failure, netError, portalInstance } from './testing/fixtures';

// Failures around authentication and lookups, classified for the dispatch: a token endpoint's
// answers, a SOAP fault answered to a lookup, and a credential the portal echoes back.
const BASE = 'https://portal.test';
const IDP = 'https://idp.test';
const http = axios.create();
const client = (options: PortalClientOptions = {}, credential: string | null = null) =>
  new PortalClient(
    portalInstance({
      kind: 'x',
      code: 'XP',
      credential: credential ? { header: 'X-API-Key', value: credential } : null,
    }),
    http,
    options,
  );
const submit = { operation: 'submit', method: 'POST' as const, path: '/submit', body: {} };
const oauth = (): PortalAuth =>
  oauth2ClientCredentials({
    operation: 'XP token',
    tokenUrl: `${IDP}/token`,
    clientId: 'hub',
    clientSecret: 'client-s3cret',
    http,
  });

useNock();

describe('OAuth2 token endpoint failures', () => {
  it.each([
    [400, { error: 'invalid_client', error_description: 'Client authentication failed' }],
    [401, { error: 'invalid_client' }],
    [400, { error: 'unauthorized_client', error_description: 'grant not allowed' }],
  ])(
    'HTTP %s %o: a configuration error, permanent, the portal never called',
    async (status, body) => {
      nock(IDP).post('/token').reply(status, body);
      const error = await failure(() => client({ auth: oauth() }).call(submit, CALL));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toMatch(new RegExp(`^XP token: HTTP ${status} \\(${body.error}`));
      expect((error as PermanentError).details.portalMessage).toMatch(/OAuth client/);
    },
  );

  it.each([
    ['HTTP 500', () => nock(IDP).post('/token').reply(500, { error: 'server_error' })],
    ['HTTP 502', () => nock(IDP).post('/token').reply(502, 'Bad Gateway')],
    ['a timeout', () => nock(IDP).post('/token').replyWithError(netError('ETIMEDOUT'))],
    ['a reset', () => nock(IDP).post('/token').replyWithError(netError('ECONNRESET'))],
    ['refused', () => nock(IDP).post('/token').replyWithError(netError('ECONNREFUSED'))],
  ])('%s: transient, and never ambiguous (the grievance was not sent)', async (_what, mock) => {
    mock();
    const error = await failure(() => client({ auth: oauth() }).call(submit, CALL));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).details.ambiguous).toBe(false);
  });

  it('HTTP 429 with Retry-After: transient, waits as told, not ambiguous', async () => {
    nock(IDP).post('/token').reply(429, { error: 'slow_down' }, { 'Retry-After': '7' });
    const error = await failure(() => client({ auth: oauth() }).call(submit, CALL));
    expect((error as RetryableError).details).toMatchObject({
      ambiguous: false,
      retryAfterMs: 7_000,
    });
  });
});

describe('a SOAP fault answered to a lookup', () => {
  const SOAP11 = (code: string, text: string) =>
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
  const adapter = () =>
    createStatePortalRestAdapter(
      portalInstance({
        kind: 'state-portal-rest',
        code: 'XP',
        baseUrl: BASE,
        options: structuredClone(AAPLE_SARKAR_OPTIONS) as unknown as Record<string, unknown>,
      }),
      { http },
    );
  const lookupAnswers = (status: number, body: string) =>
    nock(BASE)
      .get('/api/v1/grievance/status')
      .query(true)
      .reply(status, body, { 'Content-Type': 'text/xml; charset=utf-8' });

  it.each([500, 404, 200])(
    'a Client fault (HTTP %s) is permanent: not "not found", not retried',
    async (status) => {
      lookupAnswers(status, SOAP11('Client', 'Operation GetStatus not permitted for this key'));
      const error = await failure(() => adapter().lookup!('disp_1', CALL));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toBe(
        'XP lookup: SOAP fault Client (Operation GetStatus not permitted for this key)',
      );
    },
  );

  it('a Server fault is retryable (the lookup is asked again)', async () => {
    lookupAnswers(500, SOAP11('Server', 'Database unavailable'));
    const error = await failure(() => adapter().lookup!('disp_1', CALL));
    expect(error).toBeInstanceOf(RetryableError);
  });
});

describe('a credential the portal echoes back in its error body', () => {
  it.each([
    ['header key', { message: 'API key k-9f8e7d6c5b is not valid for this service' }, 400],
    ['header key (5xx)', { error: { message: 'upstream refused key k-9f8e7d6c5b' } }, 502],
  ])('%s: scrubbed from the error', async (_what, body, status) => {
    nock(BASE).post('/submit').reply(status, body);
    const error = await failure(() => client({}, 'k-9f8e7d6c5b').call(submit, CALL));
    expect(error.message).not.toContain('k-9f8e7d6c5b');
    expect(error.message).toContain('[redacted]');
  });

  it('a key sent in the query is scrubbed too', async () => {
    nock(BASE)
      .post('/submit')
      .query({ api_key: 'q-key-12345' })
      .reply(403, '<error><message>api_key=q-key-12345 revoked</message></error>', {
        'Content-Type': 'application/xml',
      });
    const auth = staticKey({ in: 'query', name: 'api_key', value: 'q-key-12345' });
    const error = await failure(() => client({ auth }).call(submit, CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('XP submit: HTTP 403 (api_key=[redacted] revoked)');
  });

  it('an OAuth bearer token echoed by the portal is scrubbed', async () => {
    nock(IDP).post('/token').reply(200, { access_token: 'bearer-abc-123', expires_in: 600 });
    nock(BASE).post('/submit').reply(400, { message: 'token bearer-abc-123 lacks scope' });
    const error = await failure(() => client({ auth: oauth() }).call(submit, CALL));
    expect(error.message).toBe('XP submit: HTTP 400 (token [redacted] lacks scope)');
  });
});
