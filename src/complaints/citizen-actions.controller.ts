import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { CITIZEN_TOKEN } from '../platform/http/openapi';
import { CitizenActionsService } from './citizen-actions.service';
import {
  AppealDto,
  AppealResultDto,
  FeedbackDto,
  FeedbackResultDto,
  ReminderResultDto,
} from './dto/citizen-actions.dto';

@ApiTags('citizen')
@ApiSecurity(CITIZEN_TOKEN)
@ApiProblems({
  404: 'Unknown tracking id or wrong access token (indistinguishable)',
  429: 'Too many requests (Retry-After)',
  503: 'The database is unreachable; nothing was stored, retry shortly (Retry-After)',
})
@Controller('api/v1/complaints')
export class CitizenActionsController {
  constructor(private readonly actions: CitizenActionsService) {}

  @Post(':trackingId/feedback')
  @ApiOperation({ summary: 'Rate the resolution of a resolved grievance (closes it)' })
  @ApiCreatedResponse({ type: FeedbackResultDto, description: 'Stored; the grievance is closed' })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }]',
    409: 'Not resolved yet, or feedback already given',
  })
  feedback(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Body() dto: FeedbackDto,
  ): Promise<FeedbackResultDto> {
    return this.actions.feedback(trackingId, token, dto);
  }

  @Post(':trackingId/appeal')
  @HttpCode(202)
  @ApiOperation({ summary: 'Appeal against the closure of a grievance' })
  @ApiAcceptedResponse({
    type: AppealResultDto,
    description: 'Stored; forwarded to the appellate level',
  })
  @ApiProblems({
    400: 'Invalid fields: errors[{ path, message }]',
    409: 'Not closed, already appealed, or the appeal window ended',
  })
  appeal(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Body() dto: AppealDto,
    @Req() req: Request,
  ): Promise<AppealResultDto> {
    return this.actions.appeal(trackingId, token, dto, String(req.id));
  }

  @Post(':trackingId/reminders')
  @HttpCode(202)
  @ApiOperation({ summary: 'Remind the portal of a grievance still open there' })
  @ApiAcceptedResponse({ type: ReminderResultDto, description: 'Stored; forwarded to the portal' })
  @ApiProblems({
    409: 'Not open at a portal',
    429: 'One reminder per 7 days, or too many requests (Retry-After)',
  })
  reminder(
    @Param('trackingId') trackingId: string,
    @Headers('x-access-token') token: string | undefined,
    @Req() req: Request,
  ): Promise<ReminderResultDto> {
    return this.actions.reminder(trackingId, token, String(req.id));
  }
}
