import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply as Response } from 'fastify';
import { DomainError } from '../platform/errors/domain-error';
import { ApiProblems } from '../platform/errors/problem.openapi';
import type { RequestWithRawBody } from '../platform/http/configure-http';
import { PORTAL_SIGNATURE } from '../platform/http/openapi';
import { InboundService, type EventResult } from './inbound.service';
import { STATUS_PUSH_BODY, STATUS_PUSH_EXAMPLE, STATUS_PUSH_RESULTS } from './status-push.openapi';

/** Signed status pushes from portals (DESIGN: HTTP contract, Portals). */
@ApiTags('portals')
// Portals authenticate every request with an HMAC; a burst of pushes is normal, not abuse.
// Failed signatures are throttled per address by PortalPushAuth instead.
@SkipThrottle()
@Controller('api/v1/portals')
export class StatusUpdatesController {
  constructor(private readonly inbound: InboundService) {}

  @Post(':portalCode/status-updates')
  @ApiOperation({ summary: 'Push status changes from a portal (one event or a batch, signed)' })
  @ApiSecurity(PORTAL_SIGNATURE)
  @ApiHeader({
    name: 'X-Hub-Timestamp',
    required: true,
    description: 'unix seconds, signed with the body',
    schema: { type: 'string', pattern: '^\\d+$', example: '1764158400' },
  })
  @ApiBody({
    required: true,
    description: 'One event, or { events: [...] } with 1-500 events',
    schema: STATUS_PUSH_BODY,
    examples: STATUS_PUSH_EXAMPLE,
  })
  @ApiAcceptedResponse({
    description: 'Stored durably; a batch reports each event',
    examples: STATUS_PUSH_RESULTS,
  })
  @ApiOkResponse({
    description: 'Every event was already received (no second effect)',
    example: { eventId: 'IGRS-EVT-000123', result: 'duplicate' },
  })
  @ApiProblems({
    400: 'Malformed envelope or event: errors[{ path, message }]',
    401: 'Bad signature, or timestamp more than 300 s off',
    429: 'Too many bad signatures from this address; see Retry-After',
    404: 'Unknown portal, or a portal that does not push',
    413: 'Body larger than 1 MiB',
    415: 'Body is not application/json',
    422: 'Unknown externalRef or native status, closure without remarks, occurredAt before the lodging or ahead of the hub clock',
    503: 'The database is unreachable; nothing was stored, retry shortly (Retry-After)',
  })
  async receive(
    @Param('portalCode') portalCode: string,
    @Req() req: RequestWithRawBody,
    @Res({ passthrough: true }) res: Response,
  ) {
    const correlationId = String(req.id);
    const { batch, results } = await this.inbound.receivePush(
      portalCode,
      {
        headers: req.headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        sourceAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      },
      correlationId,
    );
    if (!batch) return this.single(results[0], res);
    res.status(batchStatus(results));
    return {
      accepted: results.filter((r) => r.result === 'accepted').length,
      duplicates: results.filter((r) => r.result === 'duplicate').length,
      rejected: results.filter((r) => r.result === 'rejected').length,
      results,
    };
  }

  private single(r: EventResult, res: Response) {
    if (r.result === 'rejected') {
      const title = r.status === 400 ? 'Invalid event' : 'Event not accepted';
      throw new DomainError(r.code!, r.status, title, r.detail!);
    }
    res.status(r.status);
    return { eventId: r.eventId, result: r.result };
  }
}

/** 202 when anything new was stored, 200 when all was known already, else the worst problem. */
function batchStatus(results: EventResult[]): number {
  if (results.some((r) => r.result === 'accepted')) return 202;
  if (results.some((r) => r.result === 'duplicate')) return 200;
  return results.some((r) => r.status === 422) ? 422 : 400;
}
