// A TCP proxy between one hub worker and PostgreSQL that freezes the worker (SIGSTOP) the moment
// it sends a given statement: a GC pause or VM freeze at the worst time. The statement reaches
// the database (it is forwarded first); the worker hears nothing until SIGCONT.
import { connect, createServer } from 'node:net';

export async function startFreezeProxy(port, upstreamPort, marker) {
  const sockets = new Set();
  let armed = null; // { pid, resolve }
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      upstream.write(chunk);
      if (armed && chunk.includes(marker)) {
        const { pid, resolve } = armed;
        armed = null;
        process.kill(pid, 'SIGSTOP');
        resolve(Date.now());
      }
    });
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    /** Resolves when `pid` sent the marked statement and was stopped. */
    freezeOnNext: (pid) => new Promise((resolve) => (armed = { pid, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
