import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['Prisma cannot reach the server', { code: 'P1001' }, true],
    ['Prisma pool timeout', { code: 'P2024' }, true],
    ['Prisma transaction could not start in time (pool busy)', { code: 'P2028' }, true],
    [
      'driver adapter: connection closed',
      { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } },
      true,
    ],
    ['raw pg: connection refused', { code: 'ECONNREFUSED' }, true],
    ['raw pg: admin shutdown', { code: '57P01' }, true],
    ['raw pg: server gone mid-query', new Error('Connection terminated unexpectedly'), true],
    ['raw pg: pool cannot connect', new Error('timeout exceeded when trying to connect'), true],
    ['wrapped in a cause', { message: 'x', cause: { code: 'ECONNRESET' } }, true],
    ['unique violation', { code: 'P2002' }, false],
    ['a bug', new TypeError('undefined is not a function'), false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
