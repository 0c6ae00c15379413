import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeysService } from '../auth/api-keys.service';
import { AuthModule } from '../auth/auth.module';
import { AuditService } from '../auth/audit.service';
import { apiKeyFrom } from '../auth/staff-auth.guard';
import { requestIdsOf } from '../auth/staff-request';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { problem, sendProblem } from '../platform/errors/problem';
import { openQueue } from '../platform/queue/open-queue';
import { allQueueNames } from '../platform/queue/queue-names';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board at /admin/queues, admins only. Browsers authenticate with HTTP Basic auth (any user
 * name, the API key as password); scripts may send Bearer. Changes made there are audited.
 */
@Module({ imports: [AuthModule] })
export class QueueBoardModule implements OnModuleInit, OnApplicationShutdown {
  private readonly queues: Queue[] = [];

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly host: HttpAdapterHost,
    private readonly keys: ApiKeysService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    // Every queue the hub runs, not only delivery's: a stuck notification or appeal is found here.
    for (const name of allQueueNames(this.config.portals))
      this.queues.push(openQueue(this.config.env, name));
    const adapter = new FastifyAdapter();
    adapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: this.queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: adapter,
    });
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // A scope of its own: the admin check guards bull-board's routes and nothing else.
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', async (req, reply) => {
          if (!(await this.authorise(req, reply))) return reply;
        });
        await scope.register(adapter.registerPlugin());
      },
      { prefix: QUEUE_BOARD_PATH },
    );
  }

  private async authorise(req: FastifyRequest, res: FastifyReply): Promise<boolean> {
    const key = apiKeyFrom(req.headers.authorization);
    const who = key ? await this.keys.authenticate(key) : null;
    if (!who) {
      res.header('WWW-Authenticate', 'Basic realm="grievance-hub admin", charset="UTF-8"');
      sendProblem(
        res,
        problem(
          'unauthorized',
          401,
          'Unauthorized',
          'An admin API key is required (Basic auth password or Bearer).',
        ),
      );
      return false;
    }
    const changes = req.method !== 'GET' && req.method !== 'HEAD';
    if (who.role !== 'admin' || changes) {
      await this.audit.record(who, {
        action: `queues ${req.method} ${req.url.split('?')[0]}`,
        target: null,
        outcome: who.role === 'admin' ? 'ok' : 'denied',
        detail: null,
        ...requestIdsOf(req),
      });
    }
    if (who.role !== 'admin') {
      sendProblem(
        res,
        problem('forbidden', 403, 'Forbidden', 'The queue board needs the admin role.'),
      );
      return false;
    }
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
