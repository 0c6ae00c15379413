import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { DomainError } from '../platform/errors/domain-error';
import type { RequestWithRawBody } from '../platform/http/configure-http';
import { InboundService, type EventResult } from './inbound.service';

/** Signed status pushes from portals (DESIGN: HTTP contract, Portals). */
@ApiTags('portals')
// Portals authenticate every request with an HMAC; a burst of pushes is normal, not abuse.
// Failed signatures are throttled per address by PortalPushAuth instead.
@SkipThrottle()
@Controller('api/v1/portals')
export class StatusUpdatesController {
  constructor(private readonly inbound: InboundService) {}

  @Post(':portalCode/status-updates')
  @ApiHeader({ name: 'X-Hub-Timestamp', required: true, description: 'unix seconds' })
  @ApiHeader({
    name: 'X-Hub-Signature',
    required: true,
    description: 'sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>',
  })
  @ApiAcceptedResponse({ description: 'Stored durably; a batch reports each event' })
  @ApiOkResponse({ description: 'Every event was already received (no second effect)' })
  @ApiUnauthorizedResponse({ description: 'Bad signature, or timestamp more than 300 s off' })
  @ApiTooManyRequestsResponse({
    description: 'Too many bad signatures from this address; see Retry-After',
  })
  @ApiNotFoundResponse({ description: 'Unknown portal, or a portal that does not push' })
  @ApiUnprocessableEntityResponse({
    description:
      'Unknown externalRef or native status, closure without remarks, occurredAt before the lodging or ahead of the hub clock',
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
        rawBody: req.rawBody ?? Buffer.alloc(0),
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
