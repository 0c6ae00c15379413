import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { spawnRedisServer } from '../../src/platform/dev-stack/redis-server';
import { waitFor } from './wait';

const run = promisify(execFile);

/** A loopback port nobody listens on (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One command to a server, on a connection of its own. */
export async function redisCommand(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = new IORedis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1).map(String));
  } finally {
    client.disconnect();
  }
}

/** The keys under a hub's prefix on one server. */
export async function keysUnder(port: number, prefix: string): Promise<string[]> {
  return (await redisCommand(port, 'KEYS', `${prefix}:*`)) as string[];
}

const info = async (port: number, section: string) =>
  String(await redisCommand(port, 'INFO', section));

interface Servers {
  dir: string;
  procs: Map<number, ChildProcess>;
}

const running = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null;

/** SIGKILLs a server and resolves once it has exited. */
export async function kill(proc: ChildProcess): Promise<void> {
  if (!running(proc)) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

async function stopAll({ dir, procs }: Servers): Promise<void> {
  await Promise.all([...procs.values()].map(kill));
  rmSync(dir, { recursive: true, force: true });
}

export interface RedisClusterHandle {
  ports: number[];
  /** The hub's environment for this cluster. */
  env: Record<string, string>;
  /** The port of the master serving `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs a master; resolves when a replica has taken over its slots and the cluster is ok. */
  killMaster(port: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of private redis-servers on loopback ports: `masters` masters, each with
 * `replicas` replicas, made with `redis-cli --cluster create`. A short node timeout lets a
 * replica take over a killed master within seconds.
 */
export async function startRedisCluster({
  masters = 3,
  replicas = 0,
} = {}): Promise<RedisClusterHandle> {
  const servers: Servers = { dir: mkdtempSync(join(tmpdir(), 'hub-cluster-')), procs: new Map() };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort();
      ports.push(port);
      const proc = await spawnRedisServer(port, {
        dir: servers.dir,
        logFile: join(servers.dir, `${port}.log`),
        args: [
          ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          ...['--cluster-node-timeout', '1000', '--maxmemory-policy', 'noeviction'],
          // A replica may always take over, however long ago it last heard its master (load).
          ...['--cluster-replica-validity-factor', '0'],
        ],
      });
      servers.procs.set(port, proc);
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    const clusterOk = async (port: number) =>
      String(await redisCommand(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok');
    await waitFor(async () => (await Promise.all(ports.map(clusterOk))).every(Boolean), {
      timeoutMs: 20_000,
      what: 'the cluster to be ok on every node',
    });
    const live = () => ports.filter((p) => running(servers.procs.get(p)!));
    type SlotRange = [number, number, [string, number], ...unknown[]];
    const slots = async () => (await redisCommand(live()[0], 'CLUSTER', 'SLOTS')) as SlotRange[];
    const masterOf = async (key: string): Promise<number> => {
      const slot = Number(await redisCommand(live()[0], 'CLUSTER', 'KEYSLOT', key));
      const range = (await slots()).find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      return range[2][1];
    };
    return {
      ports,
      env: { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') },
      masterOf,
      killMaster: async (port) => {
        const [first] = (await slots()).find((r) => r[2][1] === port) ?? [];
        if (first === undefined) throw new Error(`${port} is not a master`);
        await kill(servers.procs.get(port)!);
        return waitFor(
          async () => {
            if (!(await Promise.all(live().map(clusterOk))).every(Boolean)) return undefined;
            const now = (await slots()).find(([from]) => from === first)?.[2][1];
            return now !== undefined && now !== port && live().includes(now) ? now : undefined;
          },
          { timeoutMs: 40_000, what: `a replica to take over the killed master ${port}` },
        );
      },
      stop: () => stopAll(servers),
    };
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}

export interface SentinelSetHandle {
  masterName: string;
  env: Record<string, string>;
  /** The master's port as the sentinels report it. */
  master(): Promise<number>;
  /** SIGKILLs the master; resolves with the new master's port once every sentinel reports it. */
  killMaster(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real sentinel set of private redis-servers on loopback ports: one master, one replica and
 * three sentinels (quorum 2), with a one-second down-after so a failover takes seconds.
 */
export async function startSentinelSet(): Promise<SentinelSetHandle> {
  const servers: Servers = { dir: mkdtempSync(join(tmpdir(), 'hub-sentinel-')), procs: new Map() };
  const masterName = 'hub-master';
  try {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    // Their own directory: a replica stores the master's snapshot there as it syncs.
    const { dir } = servers;
    const data = ['--maxmemory-policy', 'noeviction'];
    const logFile = (port: number) => join(servers.dir, `${port}.log`);
    servers.procs.set(
      masterPort,
      await spawnRedisServer(masterPort, { dir, logFile: logFile(masterPort), args: data }),
    );
    servers.procs.set(
      replicaPort,
      await spawnRedisServer(replicaPort, {
        dir,
        logFile: logFile(replicaPort),
        args: [...data, '--replicaof', '127.0.0.1', String(masterPort)],
      }),
    );
    await waitFor(
      async () => (await info(replicaPort, 'replication')).includes('master_link_status:up'),
      {
        what: 'the replica to sync',
      },
    );
    const sentinelPorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const config = join(servers.dir, `sentinel-${port}.conf`);
      writeFileSync(
        config,
        [
          `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 10000`,
          '',
        ].join('\n'),
      );
      sentinelPorts.push(port);
      servers.procs.set(
        port,
        await spawnRedisServer(port, { config, dir, logFile: logFile(port), args: ['--sentinel'] }),
      );
    }
    // A failover needs the sentinels to know each other (to elect a leader) and the replica.
    await waitFor(
      async () => {
        for (const port of sentinelPorts) {
          const peers = (await redisCommand(
            port,
            'SENTINEL',
            'SENTINELS',
            masterName,
          )) as unknown[];
          const known = (await redisCommand(port, 'SENTINEL', 'REPLICAS', masterName)) as unknown[];
          if (peers.length < 2 || known.length < 1) return false;
        }
        return true;
      },
      { timeoutMs: 20_000, what: 'the sentinels to discover each other and the replica' },
    );
    const reported = async (port: number) =>
      Number(
        (
          (await redisCommand(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[]
        )[1],
      );
    return {
      masterName,
      env: {
        REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
        REDIS_SENTINEL_NAME: masterName,
      },
      master: () => reported(sentinelPorts[0]),
      killMaster: async () => {
        const old = await reported(sentinelPorts[0]);
        await kill(servers.procs.get(old)!);
        return waitFor(
          async () => {
            const now = await Promise.all(sentinelPorts.map(reported));
            const promoted = now[0];
            if (promoted === old || !now.every((p) => p === promoted)) return undefined;
            return (await info(promoted, 'replication')).includes('role:master') && promoted;
          },
          { timeoutMs: 30_000, what: 'the sentinels to promote the replica' },
        );
      },
      stop: () => stopAll(servers),
    };
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}
