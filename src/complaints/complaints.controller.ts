import { Body, Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { DomainError, ValidationFailedError } from '../platform/errors/domain-error';
import { PARTNER_KEY_HEADER, partnerOf, type PartnerRequest } from '../partner-apps/partner-key';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { CITIZEN_TOKEN } from '../platform/http/openapi';
import { CitizenSessions } from '../auth/citizen-sessions.service';
import { ComplaintsService } from './complaints.service';
import { ComplaintCreatedDto, ComplaintViewDto } from './dto/complaint-responses.dto';
import { CreateComplaintDto } from './dto/create-complaint.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~-]{8,128}$/;

@ApiTags('citizen')
@ApiProblems({
  429: 'Too many requests from this address (Retry-After)',
  503: 'The database is unreachable; nothing was stored, retry shortly (Retry-After)',
})
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly complaints: ComplaintsService,
    private readonly sessions: CitizenSessions,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Lodge a grievance',
    description:
      'Stores the grievance and routes it to its portals in one transaction; the answer is 201 ' +
      'only once it is committed. The access token is shown once.',
    security: [],
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '8-128 chars [A-Za-z0-9._~-]. The same key and body from the same caller (client address) ' +
      'within 24 hours returns the first answer (Idempotent-Replayed: true); keys of different ' +
      'callers never meet, and after 24 hours a key is free again.',
  })
  @ApiHeader({
    name: PARTNER_KEY_HEADER,
    required: false,
    description:
      "A partner app's key (gpk_…, issued by an admin): the app's own rate limit instead of its " +
      "address's, and its own Idempotency-Key space; the grievance records the app.",
  })
  @ApiHeader({
    name: 'X-Citizen-Token',
    required: false,
    description:
      "A citizen session of the complainant's mobile (POST /api/v1/citizen/session): the " +
      'grievance is marked mobile-verified. Without it the grievance is lodged unverified.',
  })
  @ApiCreatedResponse({ type: ComplaintCreatedDto, description: 'Stored and routed' })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }], one message per field',
    401: 'X-Api-Key sent but not a valid partner app key, or X-Citizen-Token sent but unknown or expired',
    403: "X-Citizen-Token of another mobile than the complainant's",
    409: 'Idempotency-Key reused with another body',
    413: 'Body larger than 64 KiB',
    415: 'Body is not application/json',
  })
  async lodge(
    @Body() dto: CreateComplaintDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-citizen-token') citizenToken: string | undefined,
    @Req() req: PartnerRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ComplaintCreatedDto> {
    if (partnerOf(req).partnerKeyRefused)
      throw new DomainError(
        'partner-key-invalid',
        401,
        'Unauthorized',
        'X-Api-Key is not a valid partner app key (unknown or revoked).',
      );
    const app = partnerOf(req).partnerApp;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedError([
        { path: 'header:Idempotency-Key', message: 'must be 8-128 characters of [A-Za-z0-9._~-]' },
      ]);
    }
    // The caller is the client's address (behind a trusted proxy: the forwarded one). A citizen
    // app's server lodging for many citizens has one key space; two callers never share one.
    // A partner app has its own key space, whatever address its server calls from.
    const caller = app ? `partner:${app.id}` : (req.ip ?? req.socket.remoteAddress ?? '');
    const session = citizenToken === undefined ? null : await this.sessions.require(citizenToken);
    const result = await this.complaints.lodge(
      dto,
      idempotencyKey === undefined ? null : { caller, key: idempotencyKey },
      String(req.id),
      { channel: 'api', partnerAppId: app?.id ?? null },
      session,
    );
    res.status(result.status);
    res.header('Location', `/api/v1/complaints/${result.body.trackingId}`);
    if (result.replayed) res.header('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get(':trackingId')
  @ApiOperation({ summary: "Track a grievance: status, portals and timeline (complainant's view)" })
  @ApiSecurity(CITIZEN_TOKEN)
  @ApiOkResponse({ type: ComplaintViewDto, description: 'The grievance, personal data masked' })
  @ApiProblems({ 404: 'Unknown tracking id or wrong access token (indistinguishable)' })
  track(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') accessToken: string | undefined,
  ): Promise<ComplaintViewDto> {
    return this.complaints.track(trackingId, accessToken);
  }
}
