// An HTTP proxy in front of a sandbox portal that can go down (connection refused) and can lose
// answers: the portal registers the grievance but the hub never hears back, so it must ask the
// portal (lookup by client reference) before submitting again.
import { Agent, createServer, request } from 'node:http';

export async function startPortalProxy(port, upstream) {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set();
  let dropAnswers = 0;
  let server = null;
  const stats = { dropped: 0, proxied: 0 };

  const handler = (req, res) => {
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (up) => {
        const chunks = [];
        up.on('data', (c) => chunks.push(c));
        up.on('end', () => {
          stats.proxied += 1;
          if (req.method === 'POST' && up.statusCode < 300 && dropAnswers > 0) {
            dropAnswers -= 1;
            stats.dropped += 1;
            req.socket.destroy();
            return;
          }
          res.writeHead(up.statusCode, up.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  };

  const listen = () =>
    new Promise((resolve, reject) => {
      server = createServer(handler);
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    /** The next `n` successful submits reach the portal, but their answers are lost. */
    loseAnswers: (n) => {
      dropAnswers += n;
    },
    down: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    up: listen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
}
