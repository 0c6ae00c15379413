/**
 * True when PostgreSQL chose the statement's transaction as the victim of a deadlock (SQLSTATE
 * 40P01): the transaction was rolled back whole. On the pg pool the code is the error's own; a
 * raw Prisma query carries it in its message ("Code: `40P01`").
 */
export function isDeadlock(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { code?: unknown }; message?: unknown } | null;
  return (
    e?.code === '40P01' ||
    e?.meta?.code === '40P01' ||
    (typeof e?.message === 'string' && e.message.includes('Code: `40P01`'))
  );
}

/**
 * Runs an idempotent statement again when it lost a deadlock, up to `attempts` times in all. For
 * a background sweep whose rows other writers may lock in another order (erasure locks a
 * grievance and then its events, requests and dispatches; a writer working on one of those may
 * hold it and wait for the grievance): the other side goes on, and the sweep's next run would do
 * the same work anyway.
 * Anything else, or a last deadlock, is thrown.
 */
export function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  return retryRolledBack(run, { when: isDeadlock, attempts });
}

/**
 * Runs `run` again, after `pauseMs`, while it fails with an error `when` says rolled its
 * transaction back whole (so running it again is safe), up to `attempts` times in all; the
 * last such error, or any other, is thrown. The one loop behind the database's local retries
 * (a lost deadlock, a migration's lock wait); job retries are retry-policy's.
 */
export async function retryRolledBack<T>(
  run: () => Promise<T>,
  {
    when,
    attempts,
    pauseMs = 0,
  }: { when: (error: unknown) => boolean; attempts: number; pauseMs?: number },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !when(error)) throw error;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
