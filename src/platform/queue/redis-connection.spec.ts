import type { RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/hub-config';
import { bullConnection } from './redis-connection';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** The TLS options each topology hands to ioredis (the standalone case runs for real in e2e). */
describe('Redis connection options: TLS', () => {
  const options = (topology: RedisTopology) =>
    bullConnection(topology, 'worker').connection as RedisOptions;

  it.each([
    ['rediss:// with a CA', { kind: 'standalone', url: 'rediss://h:6380', tlsCa: CA }, { ca: CA }],
    ['rediss:// without', { kind: 'standalone', url: 'rediss://h:6380' }, {}],
    ['redis://', { kind: 'standalone', url: 'redis://h:6379', tlsCa: CA }, undefined],
  ] as const)('standalone, %s', (_name, topology, tls) => {
    expect(options(topology as RedisTopology).tls).toEqual(tls);
  });

  it('sentinel: TLS to the master the sentinels name, with the CA', () => {
    const topology: RedisTopology = {
      kind: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      masterName: 'hub',
      tls: true,
      tlsCa: CA,
    };
    expect(options(topology)).toMatchObject({ tls: { ca: CA }, enableTLSForSentinelMode: true });
    expect(options({ ...topology, tls: false })).toMatchObject({
      tls: undefined,
      enableTLSForSentinelMode: false,
    });
  });
});
