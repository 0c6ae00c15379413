import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { WorkerHost } from './queue/worker-host';

/**
 * SIGTERM: stop taking requests and let in-flight ones finish, let the workers finish their
 * active jobs, then close everything else (database, queues). In this order because Nest's own
 * close() disconnects the database (onModuleDestroy) before it closes the HTTP server and the
 * workers. A job still running at the deadline keeps its lock until it expires; then another
 * worker takes it over, and the dispatch claim keeps it from being delivered twice.
 * Resolves false when the deadline passed first.
 */
export async function shutDownGracefully(
  app: INestApplication,
  timeoutMs: number,
): Promise<boolean> {
  const logger = new Logger('Shutdown');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const steps = async () => {
    await stopHttp(app.getHttpServer() as Server);
    logger.log('HTTP closed: in-flight requests finished');
    const hosts = app.get(WorkerHost, { strict: false, each: true });
    await Promise.all(hosts.map((h) => h.closeWorkers()));
    logger.log('Workers closed: active jobs finished');
    await app.close();
    return true as const;
  };
  const clean = await Promise.race([steps(), deadline]);
  clearTimeout(timer);
  if (!clean) logger.error({ timeoutMs }, 'Shutdown deadline passed: exiting with work in flight');
  return clean;
}

/** Refuses new connections, closes idle keep-alive ones, resolves once in-flight requests end. */
async function stopHttp(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive connection goes idle when its request ends: close it then too.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(idle);
  }
}
