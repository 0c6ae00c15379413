// Mutual TLS against a real local HTTPS server. No nock here: it would intercept the socket.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import axios from 'axios';
import { PortalClient } from './portal-client';
import { CALL, failure, portalInstance } from './testing/fixtures';

/** A throwaway CA with a server and a client certificate, made with openssl for this run only. */
function makePki(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) =>
    ssl(
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      `${name}.key`,
    );
  key('ca');
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/CN=Test CA',
    '-days',
    '1',
    '-out',
    'ca.crt',
  );
  for (const [name, cn, ext] of [
    ['server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'grievance-hub', 'extendedKeyUsage=clientAuth'],
  ]) {
    key(name);
    ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    ca: read('ca.crt'),
    server: { cert: read('server.crt'), key: read('server.key') },
    client: { cert: read('client.crt'), key: read('client.key') },
  };
}

describe('PortalClient with mutual TLS', () => {
  let dir: string;
  let pki: ReturnType<typeof makePki>;
  let server: Server;
  let baseUrl: string;
  const http = axios.create();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-mtls-'));
    pki = makePki(dir);
    server = createServer(
      { ...pki.server, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ clientCn: peer.subject?.CN }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (tls?: ConstructorParameters<typeof PortalClient>[2]) =>
    new PortalClient(
      portalInstance({ kind: 'x', code: 'XP', baseUrl, credential: null }),
      http,
      tls,
    );
  const ping = { operation: 'ping', method: 'GET' as const, path: '/ping' };

  it('presents the client certificate the portal demands', async () => {
    const res = await client({ tls: { ...pki.client, ca: pki.ca } }).call(ping, CALL);
    expect(res.data).toEqual({ clientCn: 'grievance-hub' });
  });

  it('a certificate not made for client auth is refused in the handshake: a retryable error', async () => {
    const error = await failure(() =>
      client({
        tls: { ...pki.client, cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
      }).call(ping, CALL),
    );
    expect(error.name).toBe('RetryableError');
    expect(error.message).toMatch(/^XP ping: /);
  });
});
