import axios from 'axios';
import nock from 'nock';
import { PermanentError, RetryableError } from './adapter';
import {
  hmacRequestSignature,
  hmacSigned,
  oauth2ClientCredentials,
  staticKey,
  type PortalAuth,
} from './portal-auth';
import { PortalClient, type PortalClientOptions } from './portal-client';
import { useNock } from './testing/contract-kit';
import { CALL, failure, PERSON, portalInstance } from './testing/fixtures';

const BASE = 'https://portal.test';
const http = axios.create();
const client = (options: PortalClientOptions = {}) =>
  new PortalClient(portalInstance({ kind: 'x', code: 'XP', credential: null }), http, options);
const post = (body: unknown, extra: object = {}) => ({
  operation: 'submit',
  method: 'POST' as const,
  path: '/submit',
  body,
  ...extra,
});

useNock();

/** Captures what the portal received. */
function capture(status = 200, reply: nock.Body = { ok: true }, headers: nock.ReplyHeaders = {}) {
  const seen = { body: '', headers: {} as Record<string, string | string[]>, path: '' };
  nock(BASE)
    .post(/.*/)
    .reply(function (uri, body) {
      seen.path = uri;
      seen.body = typeof body === 'string' ? body : JSON.stringify(body);
      seen.headers = this.req.headers as Record<string, string | string[]>;
      return [status, reply, headers];
    });
  return seen;
}

describe('PortalClient body formats', () => {
  const grievance = { subject: 'Lights < off & dark', applicant: { name: 'Asha', mobile: 98 } };

  it('sends JSON by default, exactly the bytes it encoded', async () => {
    const seen = capture();
    await client().call(post(grievance), CALL);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.body).toBe(JSON.stringify(grievance));
  });

  it('sends a form, nested fields as dot paths', async () => {
    const seen = capture();
    await client({ format: 'form' }).call(post(grievance), CALL);
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      subject: 'Lights < off & dark',
      'applicant.name': 'Asha',
      'applicant.mobile': '98',
    });
  });

  it('sends XML under the configured root, text escaped, and reads an XML answer', async () => {
    const seen = capture(
      201,
      '<?xml version="1.0"?><ns:response xmlns:ns="urn:p"><ns:ref>00123/A</ns:ref></ns:response>',
      { 'Content-Type': 'application/xml' },
    );
    const res = await client({ format: 'xml', xmlRoot: 'grievance' }).call(post(grievance), CALL);
    expect(seen.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(seen.headers.accept).toBe('application/xml, text/xml');
    expect(seen.body).toBe(
      '<grievance><subject>Lights &lt; off &amp; dark</subject><applicant><name>Asha</name><mobile>98</mobile></applicant></grievance>',
    );
    // Namespace prefixes dropped, values kept as written (leading zeros).
    expect(res.data).toEqual({ '?xml': '', response: { ref: '00123/A' } });
  });

  it('sends a string body as it is, with the call’s own headers (a SOAP envelope)', async () => {
    const envelope = '<soap:Envelope xmlns:soap="s"><soap:Body><Ping/></soap:Body></soap:Envelope>';
    const seen = capture();
    await client({ format: 'xml' }).call(
      post(envelope, { headers: { 'Content-Type': 'text/xml', SOAPAction: 'urn:Ping' } }),
      CALL,
    );
    expect(seen.body).toBe(envelope);
    expect(seen.headers['content-type']).toBe('text/xml');
    expect(seen.headers.soapaction).toBe('urn:Ping');
  });
});

describe('PortalClient credential placement', () => {
  const key = (where: 'header' | 'query' | 'body') =>
    staticKey({ in: where, name: 'api_key', value: 'k-1' });

  it('puts the portal credential in its header when no auth is given (unchanged default)', async () => {
    const seen = capture();
    const portal = portalInstance({ kind: 'x', credential: { header: 'X-API-Key', value: 'k-0' } });
    await new PortalClient(portal, http).call(post({}), CALL);
    expect(seen.headers['x-api-key']).toBe('k-0');
    expect(seen.headers['x-correlation-id']).toBe(CALL.correlationId);
  });

  it.each([
    ['header', (s: ReturnType<typeof capture>) => s.headers.api_key],
    ['query', (s: ReturnType<typeof capture>) => new URL(s.path, BASE).searchParams.get('api_key')],
    ['body', (s: ReturnType<typeof capture>) => JSON.parse(s.body).api_key],
  ] as const)('a static key in the %s', async (where, read) => {
    const seen = capture();
    await client({ auth: key(where) }).call(post({ a: 1 }), CALL);
    expect(read(seen)).toBe('k-1');
    const elsewhere = [
      seen.headers.api_key,
      seen.path.includes('api_key'),
      seen.body.includes('k-1'),
    ];
    expect(elsewhere.filter(Boolean)).toHaveLength(1);
  });

  it('a key in a form body field', async () => {
    const seen = capture();
    await client({ format: 'form', auth: key('body') }).call(post({ a: 1 }), CALL);
    expect(seen.body).toBe('a=1&api_key=k-1');
  });
});

describe('PortalClient OAuth2 client credentials', () => {
  const TOKEN = 'https://auth.portal.test/oauth/token';
  let clock = 1_000_000;
  const auth = (): PortalAuth =>
    oauth2ClientCredentials({
      operation: 'XP token',
      tokenUrl: TOKEN,
      clientId: 'hub',
      clientSecret: 's3cret',
      scope: 'grievances',
      http,
      now: () => clock,
    });
  const token = (value: string, expiresIn = 600) =>
    nock('https://auth.portal.test')
      .post('/oauth/token', (body) => {
        expect(body).toEqual({
          grant_type: 'client_credentials',
          client_id: 'hub',
          client_secret: 's3cret',
          scope: 'grievances',
        });
        return true;
      })
      .reply(200, { access_token: value, token_type: 'Bearer', expires_in: expiresIn });
  const portalExpects = (bearer: string, status = 200) =>
    nock(BASE, { reqheaders: { authorization: `Bearer ${bearer}` } })
      .post('/submit')
      .reply(status, status === 200 ? { ok: true } : { message: 'token expired' });

  it('fetches one token for concurrent calls and reuses it until shortly before it expires', async () => {
    const c = client({ auth: auth() });
    token('t1', 600);
    portalExpects('t1');
    portalExpects('t1');
    await Promise.all([c.call(post({}), CALL), c.call(post({}), CALL)]);
    clock += 569_000; // 31 s before expiry: still good
    portalExpects('t1');
    await c.call(post({}), CALL);
    clock += 2_000; // within the 30 s margin: renewed
    token('t2', 600);
    portalExpects('t2');
    await c.call(post({}), CALL);
  });

  it('after a 401 fetches a new token and tries once more', async () => {
    const c = client({ auth: auth() });
    token('old');
    portalExpects('old', 401);
    token('new');
    portalExpects('new');
    expect((await c.call(post({}), CALL)).status).toBe(200);
  });

  it('a second 401 is the portal’s answer: PermanentError, no third token', async () => {
    const c = client({ auth: auth() });
    token('a');
    portalExpects('a', 401);
    token('b');
    portalExpects('b', 401);
    const error = await failure(() => c.call(post({}), CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('XP submit: HTTP 401 (token expired)');
  });

  it('a refused token request fails the call without echoing the secret', async () => {
    nock('https://auth.portal.test')
      .post('/oauth/token')
      .reply(401, { error: 'invalid_client s3cret' });
    const error = await failure(() => client({ auth: auth() }).call(post({}), CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('XP token: HTTP 401 (invalid_client [redacted])');
  });
});

describe('PortalClient HMAC-signed requests', () => {
  it('signs timestamp, method, path with query and the exact body bytes', async () => {
    const seen = capture();
    const c = client({
      auth: hmacSigned({ secret: 'shh', keyId: 'hub-1', now: () => 1_767_225_600_000 }),
    });
    await c.call(post({ subject: 'ü' }, { query: { v: 2 } }), CALL);
    expect(seen.headers['x-timestamp']).toBe('1767225600');
    expect(seen.headers['x-key-id']).toBe('hub-1');
    const expected = hmacRequestSignature('shh', '1767225600', {
      method: 'POST',
      url: new URL(seen.path, BASE),
      body: seen.body,
    });
    expect(seen.headers['x-signature']).toBe(`sha256=${expected}`);
    expect(seen.path).toBe('/submit?v=2');
    // A different path or body would not verify.
    const other = hmacRequestSignature('shh', '1767225600', {
      method: 'POST',
      url: new URL('/other?v=2', BASE),
      body: seen.body,
    });
    expect(other).not.toBe(expected);
  });
});

describe('PortalClient reads XML errors and classifies SOAP faults', () => {
  const xml = { 'Content-Type': 'text/xml; charset=utf-8' };
  const fault11 = (code: string, text: string) =>
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
  const fault12 = (code: string, text: string) =>
    `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:${code}</env:Value></env:Code><env:Reason><env:Text xml:lang="en">${text}</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;

  it('an XML error body gives the portal’s message, personal data removed', async () => {
    nock(BASE)
      .post('/submit')
      .reply(
        400,
        `<?xml version="1.0"?><error><code>E12</code><message>Mobile ${PERSON.mobile} is invalid</message></error>`,
        { 'Content-Type': 'application/xml' },
      );
    const error = await failure(() => client().call(post({}, { pii: [PERSON.mobile] }), CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('XP submit: HTTP 400 (Mobile [redacted] is invalid)');
  });

  it.each([
    ['SOAP 1.1 Client', 500, fault11('Client', 'District code unknown'), PermanentError, undefined],
    [
      'SOAP 1.1 Client.Validation',
      500,
      fault11('Client.Validation', 'Bad pin'),
      PermanentError,
      undefined,
    ],
    ['SOAP 1.2 Sender', 400, fault12('Sender', 'District code unknown'), PermanentError, undefined],
    ['SOAP 1.1 Server', 500, fault11('Server', 'Database busy'), RetryableError, true],
    ['SOAP 1.2 Receiver', 500, fault12('Receiver', 'Database busy'), RetryableError, true],
    [
      'SOAP 1.1 VersionMismatch',
      500,
      fault11('VersionMismatch', 'Wrong envelope'),
      PermanentError,
      undefined,
    ],
    [
      'a fault inside a 200',
      200,
      fault11('Client', 'District code unknown'),
      PermanentError,
      undefined,
    ],
  ])('%s → its class', async (_name, status, body, type, ambiguous) => {
    nock(BASE).post('/submit').reply(status, body, xml);
    const error = await failure(() => client({ format: 'xml' }).call(post('<x/>'), CALL));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(/^XP submit: SOAP fault \S+ \(.+\)$/);
    if (error instanceof RetryableError) expect(error.details.ambiguous).toBe(ambiguous);
  });

  it('a SOAP client fault is not retried: one request only', async () => {
    const scope = nock(BASE).post('/submit').once().reply(500, fault11('Client', 'No'), xml);
    await failure(() => client().call(post('<x/>'), CALL));
    expect(scope.isDone()).toBe(true);
  });

  it('an HTML error page is still not quoted', async () => {
    nock(BASE).post('/submit').reply(502, '<html><body><h1>Bad Gateway</h1></body></html>', {
      'Content-Type': 'text/html',
    });
    const error = await failure(() => client().call(post({}), CALL));
    expect(error.message).toBe('XP submit: HTTP 502 (HTTP 502)');
  });
});
