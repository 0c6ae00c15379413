/** Prisma codes for "the database cannot be reached right now" (not a bad query). */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
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

interface MaybeDatabaseError {
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
    const kind = e.meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    e = e.cause as MaybeDatabaseError | undefined;
  }
  return false;
}
