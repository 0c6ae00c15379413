import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isListening } from './probe';
import { spawnRedisServer } from './redis-server';

export interface ProvidedRedis {
  url: string;
  description: string;
  stop(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const SESSION_PORT = 6389;

export class RedisUnavailableError extends Error {}

/** REDIS_URL when it answers; else a redis-server started for this session; else a clear stop. */
export async function provideRedis(redisUrl: string, dataDir: string): Promise<ProvidedRedis> {
  const url = new URL(redisUrl);
  if (await isListening(url.hostname, Number(url.port || 6379))) {
    return { url: redisUrl, description: redisUrl, stop: async () => undefined };
  }
  if (redisUrl !== DEFAULT_URL) {
    throw new RedisUnavailableError(
      `Redis does not answer at REDIS_URL=${redisUrl}. Start it or fix REDIS_URL.`,
    );
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new RedisUnavailableError(
      'Redis is not running on 127.0.0.1:6379 and redis-server is not on the PATH. ' +
        'Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
        'or point REDIS_URL at a running Redis.',
    );
  }
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = await spawnRedisServer(SESSION_PORT, { dir }).catch((error: Error) => {
    throw new RedisUnavailableError(error.message);
  });
  return {
    url: `redis://127.0.0.1:${SESSION_PORT}`,
    description: `redis-server started for this session on ${SESSION_PORT}`,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}
