import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { Cluster } from 'ioredis';
import { openRedisClient, type RedisClient } from '../queue/redis-connection';
import { checkRedisNode } from './redis-requirements';

/**
 * One lazily connected client for readiness probes; fails fast when Redis is away. The first
 * answer is also checked for what BullMQ needs (maxmemory-policy): a Redis that was down when
 * the hub started, and came up evicting keys, keeps the process out of the load balancer.
 */
@Injectable()
export class RedisPing implements OnApplicationShutdown {
  private client: RedisClient | null = null;
  private checked = false;

  constructor(@InjectConfig() private readonly config: HubConfig) {}

  async ping(): Promise<void> {
    if (!this.client) {
      this.client = openRedisClient(this.config.env.redis, 'producer', { lazyConnect: true });
      this.client.on('error', () => undefined);
    }
    if (this.client.status === 'wait') await this.client.connect();
    if (!this.checked) {
      const nodes = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
      for (const node of nodes) await checkRedisNode(node, false);
      this.checked = true;
    }
    const answer = await this.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer}`);
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}
