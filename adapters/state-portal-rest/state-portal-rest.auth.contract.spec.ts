import { createHmac } from 'node:crypto';
import nock from 'nock';
import { PermanentError } from '../adapter';
import { InvalidAdapterOptionsError } from '../options-error';
import { useNock } from '../testing/contract-kit';
import { CALL, failure, outbound, plainDeps, portalInstance } from '../testing/fixtures';
import { AAPLE_SARKAR_OPTIONS } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

// Body format and auth chosen in a state-portal-rest portal's options, secrets as references
// resolved at start (PortalInstance.secrets, by option path).
const ORIGIN = 'https://spandana.test';
const SUBMIT = '/api/v1/grievance/register';
const registered = { data: { grievanceId: 'KA/2026/000777' } };

const create = (over: Record<string, unknown>, secrets: Record<string, string> = {}) =>
  createStatePortalRestAdapter(
    portalInstance({
      kind: 'state-portal-rest',
      code: 'KA-SPANDANA',
      baseUrl: ORIGIN,
      options: { ...structuredClone(AAPLE_SARKAR_OPTIONS), ...over },
      secrets,
    }),
    plainDeps(),
  );

describe('state-portal-rest: body format and auth from options', () => {
  useNock();

  it('form body, the key in a query parameter from an env: reference', async () => {
    const adapter = create(
      {
        format: 'form',
        auth: { type: 'static-key', in: 'query', name: 'apikey', value: 'env:KA_KEY' },
      },
      { 'auth.value': 'ka-secret-key' },
    );
    let body = '';
    nock(ORIGIN)
      .post(SUBMIT, (b: string) => ((body = b), true))
      .query({ apikey: 'ka-secret-key' })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, registered);
    const result = await adapter.submit(outbound(), CALL);
    expect(result.externalRef).toBe('KA/2026/000777');
    expect(new URLSearchParams(body).get('grievance.subject')).toBe(outbound().subject);
  });

  it('XML body under xmlRoot, the key in a body field', async () => {
    const adapter = create(
      {
        format: 'xml',
        xmlRoot: 'grievanceRequest',
        referenceField: 'response.data.grievanceId',
        auth: { type: 'static-key', in: 'body', name: 'auth.apiKey', value: 'file:/run/ka-key' },
      },
      { 'auth.value': 'ka-body-key' },
    );
    nock(ORIGIN)
      .post(
        SUBMIT,
        (b: string) =>
          b.includes('<grievanceRequest>') && b.includes('<apiKey>ka-body-key</apiKey>'),
      )
      .matchHeader('content-type', /application\/xml/)
      .reply(
        200,
        '<?xml version="1.0"?><response><data><grievanceId>KA-9</grievanceId></data></response>',
        {
          'Content-Type': 'application/xml',
        },
      );
    expect((await adapter.submit(outbound(), CALL)).externalRef).toBe('KA-9');
  });

  it('OAuth2 client credentials: a token from the token endpoint, then the bearer call', async () => {
    const adapter = create(
      {
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: `${ORIGIN}/oauth/token`,
          clientId: 'hub',
          clientSecret: { env: 'KA_CLIENT_SECRET', devDefault: 'dev-ka' },
        },
      },
      { 'auth.clientSecret': 'ka-client-secret' },
    );
    nock(ORIGIN)
      .post(
        '/oauth/token',
        (b: string) => new URLSearchParams(b).get('client_secret') === 'ka-client-secret',
      )
      .reply(200, { access_token: 'tok-1', expires_in: 600 });
    nock(ORIGIN).post(SUBMIT).matchHeader('authorization', 'Bearer tok-1').reply(200, registered);
    expect((await adapter.submit(outbound(), CALL)).externalRef).toBe('KA/2026/000777');
  });

  it('HMAC: every request signed over method, path and the exact body', async () => {
    const adapter = create(
      { auth: { type: 'hmac', secret: 'env:KA_HMAC', keyId: 'hub-1' } },
      { 'auth.secret': 'ka-hmac-secret' },
    );
    nock(ORIGIN)
      .post(SUBMIT)
      .matchHeader('x-key-id', 'hub-1')
      .reply(function (_uri, body) {
        const ts = String(this.req.headers['x-timestamp']);
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const expected = createHmac('sha256', 'ka-hmac-secret')
          .update(`${ts}\nPOST\n${SUBMIT}\n${text}`)
          .digest('hex');
        return this.req.headers['x-signature'] === `sha256=${expected}`
          ? [200, registered]
          : [401, { message: 'bad signature' }];
      });
    expect((await adapter.submit(outbound(), CALL)).externalRef).toBe('KA/2026/000777');
  });

  it('a wrong OAuth client is a permanent error that never shows the secret', async () => {
    const adapter = create(
      {
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: `${ORIGIN}/oauth/token`,
          clientId: 'hub',
          clientSecret: 'env:KA_CLIENT_SECRET',
        },
      },
      { 'auth.clientSecret': 'ka-client-secret' },
    );
    nock(ORIGIN)
      .post('/oauth/token')
      .reply(401, { error: 'invalid_client', error_description: 'bad ka-client-secret' });
    const error = await failure(() => adapter.submit(outbound(), CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).not.toContain('ka-client-secret');
  });
});

describe('state-portal-rest: auth options are validated at start, naming the option', () => {
  const problems = (over: Record<string, unknown>, secrets: Record<string, string> = {}) => {
    try {
      create(over, secrets);
    } catch (error) {
      if (error instanceof InvalidAdapterOptionsError) return error.issues;
      throw error;
    }
    throw new Error('expected the options to be refused');
  };

  it.each([
    [
      'a secret written into the yaml',
      { auth: { type: 'hmac', secret: 'the-real-secret' } },
      'options.auth.secret',
      /secret reference .*never the secret itself/,
    ],
    [
      'an unknown auth type',
      { auth: { type: 'kerberos' } },
      'options.auth.type',
      /static-key, oauth2-client-credentials or hmac/,
    ],
    [
      'a relative token URL',
      {
        auth: {
          type: 'oauth2-client-credentials',
          tokenUrl: '/token',
          clientId: 'x',
          clientSecret: 'env:S',
        },
      },
      'options.auth.tokenUrl',
      /http\(s\) URL/,
    ],
    ['an unknown body format', { format: 'yaml' }, 'options.format', /json|form|xml/],
    [
      'a certificate given inline',
      { tls: { cert: '-----BEGIN CERTIFICATE-----', key: 'file:/k.pem' } },
      'options.tls.cert',
      /secret reference/,
    ],
  ])('%s', (_what, over, path, message) => {
    expect(problems(over)).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('a reference the hub did not resolve is named', () => {
    expect(problems({ auth: { type: 'hmac', secret: 'env:KA_HMAC' } })).toEqual([
      { path: 'options.auth.secret', message: 'the secret it refers to was not resolved' },
    ]);
  });
});
