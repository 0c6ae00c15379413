import { Body, Controller, Get, Headers, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedError } from '../platform/errors/domain-error';
import { ComplaintsService } from './complaints.service';
import { ComplaintCreatedDto, ComplaintViewDto } from './dto/complaint-responses.dto';
import { CreateComplaintDto } from './dto/create-complaint.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._~-]{8,128}$/;

@ApiTags('citizen')
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '8-128 chars [A-Za-z0-9._~-]',
  })
  @ApiCreatedResponse({ type: ComplaintCreatedDto })
  @ApiBadRequestResponse({ description: 'problem+json with errors[{ path, message }]' })
  @ApiConflictResponse({ description: 'Idempotency-Key reused with another body' })
  async lodge(
    @Body() dto: CreateComplaintDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ComplaintCreatedDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationFailedError([
        { path: 'header:Idempotency-Key', message: 'must be 8-128 characters of [A-Za-z0-9._~-]' },
      ]);
    }
    // The caller is the client's address (behind a trusted proxy: the forwarded one). A citizen
    // app's server lodging for many citizens has one key space; two callers never share one.
    const caller = req.ip ?? req.socket.remoteAddress ?? '';
    const result = await this.complaints.lodge(
      dto,
      idempotencyKey === undefined ? null : { caller, key: idempotencyKey },
      String(req.id),
    );
    res.status(result.status);
    res.setHeader('Location', `/api/v1/complaints/${result.body.trackingId}`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result.body;
  }

  @Get(':trackingId')
  @ApiHeader({ name: 'X-Access-Token', required: true })
  @ApiOkResponse({ type: ComplaintViewDto })
  @ApiNotFoundResponse({
    description: 'Unknown tracking id or wrong access token (indistinguishable)',
  })
  track(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') accessToken: string | undefined,
  ): Promise<ComplaintViewDto> {
    return this.complaints.track(trackingId, accessToken);
  }
}
