// The scale suite's load balancer: an HTTP proxy on loopback handing each request to the next
// api process in turn. A backend that refuses the connection (stopped, restarting) is skipped
// and the request goes to the next one, as a balancer retries a connect error; nothing else is
// retried. Every request is tagged with an X-Request-Id of its own (the hub logs it as
// clientRequestId) and its outcome is kept per backend, so the suite can show what an api
// restart did to the requests it had accepted.
import { Agent, createServer, request } from 'node:http';

export async function startRoundRobinProxy(port, backends) {
  // A new connection per request: "accepted" then means this request's connection, never an
  // idle keep-alive one the backend closed just as the request was sent.
  const agent = new Agent({ keepAlive: false, maxSockets: 512 });
  let next = 0;
  let seq = 0;
  const sockets = new Set();
  /** Per backend name: refused (connection refused: went to the next), cut (see below), answeredAt. */
  const stats = Object.fromEntries(
    backends.map((b) => [b.name, { refused: 0, cut: [], answeredAt: [] }]),
  );

  /** One try on one backend: 'refused' (retry elsewhere) or 'done' (answered, or cut). */
  const attempt = (backend, req, res, body, requestId) =>
    new Promise((resolve) => {
      let connected = false;
      const out = request({
        host: '127.0.0.1',
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-request-id': requestId, connection: 'close' },
        agent,
      });
      out.on('socket', (s) => s.once('connect', () => (connected = true)));
      let settled = false;
      const cut = (error) => {
        // A dropped answer fires both 'aborted' and 'error': count the request once.
        if (settled) return;
        settled = true;
        // The backend took the connection, then closed it without (a whole) answer.
        stats[backend.name].cut.push({
          requestId,
          code: error.code ?? error.message,
          at: Date.now(),
        });
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway');
        resolve('done');
      };
      out.on('error', (error) => {
        if (!connected && error.code === 'ECONNREFUSED') {
          stats[backend.name].refused += 1;
          resolve('refused');
        } else cut(error);
      });
      out.on('response', (up) => {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('error', cut);
        up.on('aborted', () => cut(new Error('aborted')));
        up.on('end', () => {
          if (up.complete === false) return;
          stats[backend.name].answeredAt.push(Date.now());
          const headers = { ...up.headers };
          delete headers.connection;
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode, headers);
          res.end(Buffer.concat(chunks));
          resolve('done');
        });
      });
      out.end(body);
    });

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const requestId = `scale-${String(++seq).padStart(8, '0')}`;
      const body = Buffer.concat(chunks);
      for (let tries = 0; tries < backends.length; tries++) {
        const backend = backends[next++ % backends.length];
        if ((await attempt(backend, req, res, body, requestId)) === 'done') return;
      }
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('no backend took the connection');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
