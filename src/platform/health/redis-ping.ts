import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectConfig } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { openRedisClient, type RedisClient } from '../queue/redis-connection';

/** One lazily connected client for readiness probes; fails fast when Redis is away. */
@Injectable()
export class RedisPing implements OnModuleDestroy {
  private client: RedisClient | null = null;

  constructor(@InjectConfig() private readonly config: HubConfig) {}

  async ping(): Promise<void> {
    if (!this.client) {
      this.client = openRedisClient(this.config.env.redis, 'producer', { lazyConnect: true });
      this.client.on('error', () => undefined);
    }
    if (this.client.status === 'wait') await this.client.connect();
    const answer = await this.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer}`);
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }
}
