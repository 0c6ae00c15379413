/**
 * Prisma codes for "the database cannot be reached right now" (not a bad query). P2028, a
 * transaction that could not start in time or expired, is what a busy pool gives the snapshot
 * reads; nothing was committed, so the request may be retried as is.
 */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
]);

// node-postgres says these in words only (statements sent on the shared pool, outside Prisma).
const UNAVAILABLE_PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

interface MaybeDatabaseError {
  message?: unknown;
  code?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  cause?: unknown;
}

/**
 * True when an error means PostgreSQL is away (down, restarting, pool exhausted): the request
 * may be retried as is, so the client gets 503 with Retry-After instead of a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as MaybeDatabaseError | undefined, depth = 0; e && depth < 4; depth++) {
    if (
      typeof e.code === 'string' &&
      (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code))
    )
      return true;
    const { message } = e;
    if (typeof message === 'string' && UNAVAILABLE_PG_MESSAGES.some((m) => message.startsWith(m)))
      return true;
    const kind = e.meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    e = e.cause as MaybeDatabaseError | undefined;
  }
  return false;
}
