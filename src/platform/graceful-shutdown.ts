import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';

/**
 * SIGTERM: stop taking requests and let in-flight ones finish, then Nest's close(): workers
 * finish their active jobs and relay loops their current pass (beforeApplicationShutdown), and
 * only then are the database and queues closed (onApplicationShutdown). Every close() keeps that
 * order, a test's as well: background work never runs on a closed pool.
 * A job still running at the deadline keeps its lock until it expires; then another worker
 * takes it over, and the dispatch claim keeps it from being delivered twice.
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
    await app.close();
    logger.log('Closed: active jobs and relay passes finished, then the connections');
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
