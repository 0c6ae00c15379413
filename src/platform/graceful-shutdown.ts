import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/**
 * A provider with background work that needs the database and queues: its `stopBeforeClose`
 * lets what is running finish and starts nothing new. Shutdown calls it before it closes them.
 * (WorkerHost: active jobs; RelayHost and the waiting-events sweep: their loops.)
 */
export interface StopsBeforeClose {
  stopBeforeClose(): Promise<void>;
}

/**
 * SIGTERM: stop taking requests and let in-flight ones finish, let the workers finish their
 * active jobs and the relay loops their current pass, then close everything else (database,
 * queues). In this order because Nest's own close() disconnects the database (onModuleDestroy)
 * before it runs the other shutdown hooks: a loop still running then fails on a closed pool.
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
    // An api process has none of these: no workers, no loops.
    await Promise.all(stoppingBeforeClose(app).map((p) => p.stopBeforeClose()));
    logger.log('Workers closed: active jobs finished');
    await app.close();
    return true as const;
  };
  const clean = await Promise.race([steps(), deadline]);
  clearTimeout(timer);
  if (!clean) logger.error({ timeoutMs }, 'Shutdown deadline passed: exiting with work in flight');
  return clean;
}

/** Every provider instance of the app that implements StopsBeforeClose, once each. */
function stoppingBeforeClose(app: INestApplication): StopsBeforeClose[] {
  const found = new Set<StopsBeforeClose>();
  for (const module of app.get(ModulesContainer).values())
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as Partial<StopsBeforeClose> | undefined;
      if (instance && typeof instance.stopBeforeClose === 'function')
        found.add(instance as StopsBeforeClose);
    }
  return [...found];
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
